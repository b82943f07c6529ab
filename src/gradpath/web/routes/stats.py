"""The market view: /stats (tables over programs with verified facts) and its JSON twin /stats.json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.engine import Connection

from gradpath.stats import market_stats
from gradpath.web.catalog_handle import get_conn
from gradpath.web.models import MarketStatsOut
from gradpath.web.templating import render

router = APIRouter(tags=["market"])


@router.get("/stats", response_class=HTMLResponse, summary="Market view over verified programs")
def stats_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "stats.html", market_stats(conn))


@router.get(
    "/stats.json",
    response_model=MarketStatsOut,
    summary="Market view: topic coverage, format mix, GRE policies and credits over verified programs, each with n",
)
def stats_json(conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return market_stats(conn)
