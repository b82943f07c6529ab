"""The fetcher against a local HTTP server on 127.0.0.1 serving fixture responses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from gradpath.config import Settings
from gradpath.extract import fetch as fetch_mod
from gradpath.extract.fetch import (
    FetchError,
    HttpStatusError,
    NotHtml,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    fetch_page,
    html_to_text,
)

PAGE = b"""<html><head><title>t</title><script>var x = 1;</script></head><body>
<nav>Home | Apply | Contact</nav>
<main><h1>Master of Science in Fixture Informatics</h1>
<p>The degree requires <b>36 credits</b>. No GRE required.</p>
<ul><li>Fall start</li><li>Spring start</li></ul></main>
<footer>Copyright</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    seen_agents: ClassVar[list[str]] = []
    conditional: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        return

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/program":
            self._send(200, PAGE)
        elif self.path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                Handler.conditional.append("304")
                self._send(304)
            else:
                self._send(200, PAGE, ETag='"v1"', Last_Modified="Wed, 01 Jan 2025 00:00:00 GMT")
        elif self.path == "/loop-a":
            self._send(302, Location="/loop-b")
        elif self.path == "/loop-b":
            self._send(302, Location="/loop-a")
        elif self.path == "/moved":
            self._send(301, Location="/program")
        elif self.path == "/huge":
            self._send(200, b"<html><body>" + b"x" * 300_000 + b"</body></html>")
        elif self.path == "/brochure.pdf":
            self._send(200, b"%PDF-1.4 fixture", "application/pdf")
        elif self.path.startswith("/private/"):
            self._send(200, PAGE)
        else:
            self._send(404, b"<html><body>not here</body></html>")


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fetch_mod._robots.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, user_agent="GradPathTest/1.0 (+test; contact: test@example.org)")


def fetch(url: str, settings: Settings, **kw: object) -> object:
    return fetch_page(url, settings, min_interval=0.0, max_bytes=100_000, timeout=5.0, **kw)  # type: ignore[arg-type]


def test_normal_page_becomes_main_text_without_menus_or_scripts(server: str, settings: Settings) -> None:
    page = fetch_page(server + "/program", settings, min_interval=0.0, timeout=5.0)
    assert page.text.splitlines()[0] == "Master of Science in Fixture Informatics"
    assert "The degree requires 36 credits. No GRE required." in page.text
    assert "Home | Apply" not in page.text and "var x" not in page.text and "Copyright" not in page.text
    assert page.final_url.endswith("/program") and not page.from_cache
    assert all(a.startswith("GradPathTest/1.0") for a in Handler.seen_agents)


def test_missing_page_raises_http_status_error(server: str, settings: Settings) -> None:
    with pytest.raises(HttpStatusError) as err:
        fetch(server + "/nowhere", settings)
    assert err.value.status == 404 and "HTTP 404" in str(err.value)


def test_redirect_loop_is_stopped(server: str, settings: Settings) -> None:
    with pytest.raises(TooManyRedirects, match="loop"):
        fetch(server + "/loop-a", settings)


def test_single_redirect_is_followed(server: str, settings: Settings) -> None:
    page = fetch_page(server + "/moved", settings, min_interval=0.0, timeout=5.0)
    assert page.final_url.endswith("/program") and page.url.endswith("/moved")


def test_page_over_the_size_cap_is_refused(server: str, settings: Settings) -> None:
    with pytest.raises(TooLarge, match="cap"):
        fetch(server + "/huge", settings)


def test_non_html_file_is_refused(server: str, settings: Settings) -> None:
    with pytest.raises(NotHtml, match="application/pdf"):
        fetch(server + "/brochure.pdf", settings)


def test_robots_disallowed_path_is_never_requested(server: str, settings: Settings) -> None:
    Handler.seen_agents.clear()
    with pytest.raises(RobotsDisallowed):
        fetch(server + "/private/page", settings)
    assert len(Handler.seen_agents) == 1  # only robots.txt was requested


def test_unchanged_page_is_revalidated_and_served_from_cache(server: str, settings: Settings) -> None:
    first = fetch_page(server + "/etag", settings, min_interval=0.0, timeout=5.0)
    second = fetch_page(server + "/etag", settings, min_interval=0.0, timeout=5.0)
    assert not first.from_cache and second.from_cache
    assert second.text == first.text and second.etag == '"v1"'
    assert Handler.conditional == ["304"]
    assert list((settings.home / "pages-cache").glob("*.json"))


def test_unreachable_host_is_a_fetch_error(settings: Settings) -> None:
    with pytest.raises(FetchError):
        fetch_page("http://127.0.0.1:9/x", settings, min_interval=0.0, timeout=1.0)


def test_relative_or_odd_urls_are_refused(settings: Settings) -> None:
    with pytest.raises(FetchError, match="http"):
        fetch_page("ftp://example.org/file", settings)


def test_html_to_text_puts_blocks_on_their_own_lines() -> None:
    assert html_to_text("<body><p>One <i>two</i></p><p>Three</p></body>") == "One two\nThree"
