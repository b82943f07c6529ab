"""Fetch a program page for real use: politely, with a cache, and turn its HTML into main text.

Politeness and safety, in order of the request:

* robots.txt of every host on the way is read first (RFC 9309: a 4xx robots.txt allows all;
  an unreachable or 5xx one disallows) and a disallowed path is never requested;
* requests to one host are spaced by ``min_interval`` seconds (per process);
* the User-Agent is ``Settings.user_agent`` (it carries a contact address);
* redirects are followed by hand, at most ``max_redirects`` hops, each hop checked against
  robots.txt; timeouts bound every request; bodies larger than ``max_bytes`` are abandoned while
  streaming;
* responses are cached under ``<Settings.home>/pages-cache`` (the page text and its validators,
  local only, never committed) and revalidated with If-None-Match / If-Modified-Since, so an
  unchanged page costs one 304.

Every failure is a :class:`FetchError` subclass with a message naming the URL.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlparse
from urllib.robotparser import RobotFileParser

import httpx
from selectolax.lexbor import LexborHTMLParser

from gradpath.config import Settings
from gradpath.extract.text import normalize_ws

MAX_BYTES = 3_000_000
TIMEOUT = httpx.Timeout(15.0, connect=10.0)
MAX_REDIRECTS = 5
MIN_INTERVAL = 2.0
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_DROP = "script,style,noscript,template,svg,iframe,nav,header,footer,aside,form,button"
_BLOCKS = "p,div,section,article,li,ul,ol,tr,table,h1,h2,h3,h4,h5,h6,br,dt,dd,blockquote,pre,main"


class FetchError(Exception):
    """A page could not be fetched; ``url`` is the address that failed."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.message = message
        super().__init__(f"{url}: {message}")


class RobotsDisallowed(FetchError):
    """robots.txt forbids (or could not be read to allow) fetching this URL."""


class HttpStatusError(FetchError):
    """The server answered with a 4xx/5xx status."""

    def __init__(self, url: str, status: int) -> None:
        self.status = status
        super().__init__(url, f"HTTP {status}")


class TooManyRedirects(FetchError):
    """More redirects than allowed, or a redirect loop."""


class TooLarge(FetchError):
    """The body is larger than the size cap."""


class NotHtml(FetchError):
    """The response is not an HTML (or plain-text) page."""


class NetworkError(FetchError):
    """Connection failure or timeout."""


@dataclass
class FetchedPage:
    """A fetched page's main text with the validators needed to revalidate it."""

    url: str
    final_url: str
    text: str
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    from_cache: bool = False


_last_request: dict[str, float] = {}
_robots: dict[str, RobotFileParser] = {}
_lock = threading.Lock()


def _wait_turn(host: str, min_interval: float) -> None:
    """Sleep until ``min_interval`` seconds have passed since the last request to ``host``."""
    with _lock:
        now = time.monotonic()
        wait = _last_request.get(host, -1e9) + min_interval - now
        _last_request[host] = now + max(wait, 0.0)
    if wait > 0:
        time.sleep(wait)


def _allowed(client: httpx.Client, url: str, agent: str, min_interval: float) -> bool:
    parts = urlparse(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    parser = _robots.get(origin)
    if parser is None:
        parser = RobotFileParser()
        try:
            _wait_turn(parts.netloc, min_interval)
            resp = client.get(origin + "/robots.txt")
        except httpx.HTTPError:
            parser.parse(["User-agent: *", "Disallow: /"])
        else:
            if resp.status_code >= 500:
                parser.parse(["User-agent: *", "Disallow: /"])
            elif resp.status_code >= 400:
                parser.parse([])
            else:
                parser.parse(resp.text.splitlines())
        _robots[origin] = parser
    return parser.can_fetch(agent, url)


def html_to_text(html: str) -> str:
    """Main text of an HTML page, one block per line (menus, scripts and footers removed)."""
    tree = LexborHTMLParser(html)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.css_first("[role=main]") or tree.body
    if root is None:
        return ""
    for node in root.css(_BLOCKS):
        node.insert_after("\n")
    lines = (normalize_ws(line) for line in root.text(separator="").splitlines())
    return "\n".join(line for line in lines if line)


def _cache_file(settings: Settings, url: str) -> Path:
    return settings.home / "pages-cache" / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")


def _read_cache(file: Path) -> FetchedPage | None:
    try:
        return FetchedPage(**json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # a damaged cache entry is refetched, not trusted


def _write_cache(file: Path, page: FetchedPage) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(page) | {"from_cache": False}), encoding="utf-8")
    tmp.replace(file)


def _read_body(resp: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(url, f"body of {int(declared):,} bytes exceeds the {max_bytes:,}-byte cap")
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(url, f"body exceeds the {max_bytes:,}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_page(
    url: str,
    settings: Settings,
    *,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    min_interval: float = MIN_INTERVAL,
    timeout: httpx.Timeout | float = TIMEOUT,
) -> FetchedPage:
    """Fetch ``url`` (robots.txt, rate limit, cache revalidation) and return its main text."""
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc:
        raise FetchError(url, "only absolute http(s) URLs can be fetched")
    cache_file = _cache_file(settings, url)
    cached = _read_cache(cache_file) if cache_file.is_file() else None
    agent = settings.user_agent
    headers = {"User-Agent": agent, "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5"}
    if cached and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    seen: set[str] = set()
    current = url
    try:
        with httpx.Client(headers={"User-Agent": agent}, timeout=timeout, follow_redirects=False) as client:
            for _hop in range(max_redirects + 1):
                if current in seen:
                    raise TooManyRedirects(url, f"redirect loop at {current}")
                seen.add(current)
                if not _allowed(client, current, agent, min_interval):
                    raise RobotsDisallowed(current, "robots.txt disallows fetching this page")
                _wait_turn(urlparse(current).netloc, min_interval)
                with client.stream("GET", current, headers=headers) as resp:
                    if resp.status_code == 304 and cached:
                        return FetchedPage(**(asdict(cached) | {"from_cache": True}))
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(current, f"HTTP {resp.status_code} redirect without a Location")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise HttpStatusError(current, resp.status_code)
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype not in _TEXT_TYPES:
                        raise NotHtml(current, f"content type {ctype or 'unknown'!r} is not an HTML page")
                    body = _read_body(resp, current, max_bytes)
                    raw = body.decode(resp.encoding or "utf-8", errors="replace")
                    text = html_to_text(raw) if ctype != "text/plain" else raw
                    page = FetchedPage(
                        url=url,
                        final_url=str(resp.url),
                        text=text,
                        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                        etag=resp.headers.get("etag"),
                        last_modified=resp.headers.get("last-modified"),
                    )
                    _write_cache(cache_file, page)
                    return page
            raise TooManyRedirects(url, f"more than {max_redirects} redirects")
    except httpx.TimeoutException:
        raise NetworkError(current, "timed out") from None
    except httpx.HTTPError as exc:
        raise NetworkError(current, f"network error: {exc.__class__.__name__}: {exc}") from None
