"""The home and sources pages, their JSON twins, security headers and error answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection
from tests.conftest import drop_pg_schemas, make_settings

from gradpath.provenance import catalog_counts, list_sources
from gradpath.web.app import create_app

HTML = {"accept": "text/html,application/xhtml+xml"}


class PageScan(HTMLParser):
    """What the accessibility and CSP checks need from a page: headings, landmarks, inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.landmarks: set[str] = set()
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes = 0
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("main", "nav", "header", "footer"):
            self.landmarks.add(tag)
        if tag == "script" and not found.get("src"):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        if "style" in found:
            self.style_attributes += 1


def scan(body: str) -> PageScan:
    page = PageScan()
    page.feed(body)
    return page


@pytest.mark.parametrize("path", ["/", "/sources"])
def test_pages_are_html_with_landmarks_ordered_headings_and_no_inline_code(client: Any, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = scan(response.text)
    assert page.lang == "en"
    assert {"main", "nav"} <= page.landmarks
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings
    assert (page.inline_scripts, page.style_elements, page.style_attributes) == (0, 0, 0)


def test_home_json_is_the_home_page_document(client: Any, conn: Connection) -> None:
    doc = client.get("/index.json").json()
    assert doc["counts"] == catalog_counts(conn)
    assert (doc["counts"]["offerings"], doc["counts"]["institutions"]) == (3161, 965)
    assert doc["cip_families"][0] == "11.01" and len(doc["cip_families"]) == 11
    assert doc["built_at"]
    page = client.get("/", headers=HTML).text
    assert "3,161" in page and "965" in page
    for source in doc["sources"]:
        assert source["title"] in page.replace("&amp;", "&").replace("&#39;", "'")


def test_sources_json_is_the_ledger_and_the_page_shows_every_digest(client: Any, conn: Connection) -> None:
    doc = client.get("/sources.json").json()
    expected = list_sources(conn)
    assert [s["id"] for s in doc] == [s["id"] for s in expected]
    assert [s["sha256"] for s in doc] == [s["sha256"] for s in expected]
    assert doc == client.get("/index.json").json()["sources"]
    page = client.get("/sources", headers=HTML).text
    for source in doc:
        assert f'id="{source["id"]}"' in page
        for f in source["files"]:
            assert f["sha256"] in page


@pytest.mark.parametrize("path", ["/", "/index.json", "/sources", "/sources.json", "/no-such-page"])
def test_security_headers_are_on_every_response(client: Any, path: str) -> None:
    headers = client.get(path, headers=HTML).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_an_unknown_page_is_a_404_page_for_browsers(client: Any) -> None:
    response = client.get("/no-such-page", headers=HTML)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "404" in response.text and "Back to the home page" in response.text
    assert {"main", "nav"} <= scan(response.text).landmarks


@pytest.mark.parametrize(("path", "headers"), [("/no-such-page", {}), ("/no-such.json", HTML), ("/api/nothing", HTML)])
def test_an_unknown_path_is_a_json_404_for_api_clients(client: Any, path: str, headers: dict[str, str]) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 404
    assert response.json() == {"error": "not found", "detail": "Not Found"}


@pytest.fixture
def no_catalog(tmp_path: Path) -> Iterator[TestClient]:
    """The app over a home (or PostgreSQL schema) where no catalog was ever built."""
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
    drop_pg_schemas(settings)


@pytest.mark.parametrize("path", ["/index.json", "/sources.json"])
def test_a_missing_catalog_is_a_503_saying_what_to_do(no_catalog: TestClient, path: str) -> None:
    response = no_catalog.get(path)
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "catalog unavailable" and "gradpath build" in body["detail"]


def test_a_missing_catalog_is_a_503_page_for_browsers(no_catalog: TestClient) -> None:
    response = no_catalog.get("/", headers=HTML)
    assert response.status_code == 503 and response.headers["content-type"].startswith("text/html")
    assert "gradpath build" in response.text
