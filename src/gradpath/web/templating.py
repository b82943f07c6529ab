"""Jinja2 templates (autoescaped) and helpers shared by the page routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from gradpath import __version__
from gradpath.web import filters
from gradpath.web.assets import static_url, vendor_url

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True
templates.env.globals.update(static_url=static_url, version=__version__)
templates.env.filters.update(filters.FILTERS)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a page; ``context`` is the same document the page's JSON twin returns."""
    settings = request.app.state.settings
    ctx = {"request": request, "vendor_url": lambda name: vendor_url(settings, name), **context}
    return templates.TemplateResponse(request, template, ctx, status_code=status)


def wants_html(request: Request) -> bool:
    """True for browser page requests (not the .json/.csv twins or API clients)."""
    path = request.url.path
    if path.endswith((".json", ".csv")) or path.startswith(("/api/", "/openapi")):
        return False
    return "text/html" in request.headers.get("accept", "")


def render_error(request: Request, status: int, title: str, detail: Any) -> HTMLResponse:
    """An error page in the site's layout."""
    return render(request, "error.html", {"status": status, "title": title, "detail": detail}, status=status)
