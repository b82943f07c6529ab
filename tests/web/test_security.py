"""Security headers, escaping and asset serving of the web app (TestClient on the session catalog)."""

from __future__ import annotations

import re
from typing import Any

import pytest

HTML = {"accept": "text/html"}
PAGES = ["/", "/programs", "/programs?cip=51.27&state=MA", "/compare", "/sources"]
TWINS = ["/index.json", "/programs.json", "/programs.csv?cip=51.27&state=MA", "/compare.json", "/openapi.json"]


def csp(response: Any) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("url", PAGES + TWINS)
def test_every_response_carries_the_security_headers(client: Any, url: str) -> None:
    response = client.get(url, headers=HTML if url in PAGES else {})
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    directives = csp(response)
    assert directives["script-src"] == "script-src 'self'"  # no inline or eval'd scripts anywhere
    assert "'unsafe-inline'" not in directives["style-src"]
    assert "frame-ancestors 'none'" in directives.values()


def test_error_responses_carry_the_headers_too(client: Any) -> None:
    for url in ("/programs/999999-51.2706", "/programs.json?sort=bogus"):
        response = client.get(url, headers=HTML)
        assert response.status_code in (404, 422)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_user_text_is_escaped_in_pages(client: Any) -> None:
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    page = client.get("/programs", params={"q": attack}, headers=HTML).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pages_load_scripts_and_styles_from_files_the_app_serves(client: Any) -> None:
    page = client.get("/programs", headers=HTML).text
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page) + re.findall(
        r'<link[^>]*\bhref="([^"]+\.css[^"]*)"', page
    )
    assert sources
    for src in sources:
        assert src.startswith(("/static/", "/vendor/")), src  # no CDN
        asset = client.get(src)
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "?v=" in src  # a new release changes the URL, so the year-long cache is safe


def test_compare_page_serves_chart_js_from_npm(client: Any) -> None:
    chart = client.get("/vendor/chart.umd.js")
    assert chart.status_code == 200 and "javascript" in chart.headers["content-type"]
    assert chart.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "url", ["/vendor/axe.min.js", "/vendor/../package.json", "/static/../app.py", "/static/nope.js"]
)
def test_only_allowed_assets_are_served(client: Any, url: str) -> None:
    assert client.get(url).status_code == 404


def test_exports_are_downloads_not_pages(client: Any) -> None:
    response = client.get("/compare.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
