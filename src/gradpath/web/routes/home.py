"""The home page, the sources page and the API docs page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.engine import Connection

from gradpath.provenance import catalog_counts, catalog_meta, list_sources
from gradpath.web.catalog_handle import get_conn
from gradpath.web.models import HomeOut, SourceOut
from gradpath.web.templating import render

router = APIRouter()
PITCH = (
    "Every U.S. master's program in AI, health informatics and health data science, with outcomes, the "
    "careers they lead to and what those pay where you live — every number with its source and vintage."
)


def home_data(conn: Connection) -> dict[str, Any]:
    """The home page document (also its JSON twin)."""
    meta = catalog_meta(conn)
    return {
        "name": "GradPath",
        "pitch": PITCH,
        "built_at": meta.get("built_at"),
        "cip_families": [f for f in meta.get("cip_families", "").split(",") if f],
        "counts": catalog_counts(conn),
        "sources": list_sources(conn),
    }


@router.get("/", response_class=HTMLResponse, summary="Home page")
def home_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "index.html", home_data(conn))


@router.get("/index.json", response_model=HomeOut, summary="Home page data: catalog counts and sources")
def home_json(conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return home_data(conn)


@router.get("/sources", response_class=HTMLResponse, summary="Sources page")
def sources_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "sources.html", {"sources": list_sources(conn), "meta": catalog_meta(conn)})


@router.get("/sources.json", response_model=list[SourceOut], summary="Every source with vintage, licence, sha256")
def sources_json(conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return list_sources(conn)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json, from the app's own copy of swagger-ui-dist."""
    return render(request, "docs.html", {})
