"""Browser-test fixtures: the app served by uvicorn on a free port over the session catalog, and
Debian's chromium driven by Playwright (never a downloaded browser).

Screenshots go to tests/e2e/screenshots/ (ignored by git). Each test gets a fresh browser context,
so its shortlist (localStorage) starts empty.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gradpath.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]  # fmt: skip
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE = HERE.parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(catalog_settings: Settings) -> Iterator[str]:
    """The app on http://127.0.0.1:<free port>, served by uvicorn in a thread."""
    import uvicorn

    from gradpath.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(catalog_settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium (CI installs it with apt); the tests never download a browser."""
    if not Path(CHROMIUM).is_file():
        # In CI a missing browser is a broken setup, never a silent skip.
        missing = f"{CHROMIUM} is not installed (apt-get install chromium; `make test` does it when it can)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Problems(list[str]):
    """Console errors, uncaught exceptions and CSP violations a page reported."""


@contextmanager
def _context(browser: Any, live_server: str, **options: Any) -> Iterator[tuple[Any, Problems]]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    problems = Problems()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        yield page, problems
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A page with JavaScript, in a fresh context; fails the test on any console error or CSP violation."""
    with _context(browser, live_server) as (pg, problems):
        yield pg
        assert not problems, problems


@pytest.fixture
def page_without_js(browser: Any, live_server: str) -> Iterator[Any]:
    """A page with JavaScript disabled: the first render and plain forms must work."""
    with _context(browser, live_server, java_script_enabled=False) as (pg, _):
        yield pg


@pytest.fixture
def axe_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A page whose context lets Playwright inject axe-core (the app's CSP would block the injected script)."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed (make install runs npm ci)")
        pytest.skip("axe-core is not installed (make install runs npm ci)")
    with _context(browser, live_server, bypass_csp=True) as (pg, _):
        yield pg


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot of the page as it is now (for people to look at; never compared)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@contextmanager
def settled(page: Any) -> Iterator[None]:
    """Wait for the htmx swap the enclosed action triggers to settle."""
    page.evaluate(
        "() => { window.__gpSettled = false; document.body.addEventListener('htmx:afterSettle', "
        "() => { window.__gpSettled = true; }, { once: true }); }"
    )
    yield
    page.wait_for_function("() => window.__gpSettled === true")


def tab_to(page: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only: no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
