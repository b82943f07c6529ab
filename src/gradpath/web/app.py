"""The web app: HTML pages (Jinja2 + htmx) and their JSON twins, built on the same services.

Every page ``/x`` has a twin ``/x.json`` produced by the same query function; the OpenAPI spec
is at ``/openapi.json`` and browsable at ``/docs``. Errors are answered in kind: bad parameters
422 naming the parameter and the reason, unknown ids 404, a missing catalog 503 — never a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gradpath import __version__
from gradpath.config import Settings, get_settings
from gradpath.web.assets import mount_assets
from gradpath.web.catalog_handle import CatalogHandle
from gradpath.web.security import SecurityHeadersMiddleware
from gradpath.web.templating import render_error, wants_html


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI app for ``settings`` (default: the process settings)."""
    from gradpath.web.routes import admin, careers, compare, home, programs, stats
    from gradpath.web.routes import plan as plan_routes

    settings = settings or get_settings()
    app = FastAPI(
        title="GradPath",
        version=__version__,
        summary="Healthcare-AI master's programs, careers, wages and cost, from real sourced data.",
        docs_url=None,  # served by routes/home.py from the npm copy of Swagger UI (no CDN)
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.catalog = CatalogHandle(settings)
    app.add_middleware(SecurityHeadersMiddleware)
    mount_assets(app, settings)
    app.include_router(home.router)
    app.include_router(careers.router)
    app.include_router(programs.router)
    app.include_router(compare.router)
    app.include_router(stats.router)
    app.include_router(admin.router)
    app.include_router(plan_routes.router)
    _install_error_handlers(app)
    return app


def _problem(request: Request, status: int, title: str, detail: Any) -> Response:
    if wants_html(request):
        return render_error(request, status, title, detail)
    return JSONResponse({"error": title, "detail": detail}, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    from gradpath.catalog import OfferingNotFound, QueryError
    from gradpath.db import CatalogMissing

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            loc = [p for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            reason = str(err.get("msg", "invalid value"))
            # A repeated parameter reports its position as an int: the client knows the parameter by name,
            # so the name goes in `param` and the position (1-based, as people count) in the reason.
            positions = [p for p in loc if isinstance(p, int)]
            if positions:
                reason = f"value {positions[-1] + 1} given: {reason}"
            name = ".".join(str(p) for p in loc if not isinstance(p, int))
            problems.append({"param": name or "request", "reason": reason})
        return _problem(request, 422, "invalid parameters", problems)

    @app.exception_handler(QueryError)
    async def _bad_query(request: Request, exc: QueryError) -> Response:
        return _problem(request, 422, "invalid parameters", [{"param": exc.param, "reason": exc.message}])

    @app.exception_handler(OfferingNotFound)
    async def _missing_offering(request: Request, exc: OfferingNotFound) -> Response:
        return _problem(request, 404, "not found", str(exc))

    @app.exception_handler(CatalogMissing)
    async def _no_catalog(request: Request, exc: CatalogMissing) -> Response:
        return _problem(request, 503, "catalog unavailable", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        title = "not found" if exc.status_code == 404 else str(exc.detail)
        return _problem(request, exc.status_code, title, exc.detail)
