"""Static files: the app's own CSS/JS (packaged) and the npm packages it serves (no CDN).

URLs carry a content hash (``?v=…``) so browsers may cache them for a year; a new release changes
the hash. Only an allow-list of npm files is served.
"""

from __future__ import annotations

import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

from gradpath.config import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
# URL name → path inside the npm install folder (node_modules).
VENDOR_FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "chart.umd.js": "chart.js/dist/chart.umd.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    """URL of one of the app's own static files, with its content hash."""
    path = STATIC_DIR / name
    return f"/static/{name}?v={_digest(path)}" if path.is_file() else f"/static/{name}"


def vendor_path(settings: Settings, name: str) -> Path | None:
    """Where an allowed npm file is on disk (None when npm packages are not installed)."""
    rel = VENDOR_FILES.get(name)
    if rel is None:
        return None
    path = settings.assets_dir / rel
    return path if path.is_file() else None


def vendor_url(settings: Settings, name: str) -> str:
    """URL of an npm file the app serves, with its content hash."""
    path = vendor_path(settings, name)
    return f"/vendor/{name}?v={_digest(path)}" if path else f"/vendor/{name}"


def mount_assets(app: FastAPI, settings: Settings) -> None:
    """Routes for /static/* and /vendor/* with long-lived cache headers."""

    @app.get("/static/{name:path}", include_in_schema=False)
    def static_file(name: str) -> FileResponse:
        path = (STATIC_DIR / name).resolve()
        if STATIC_DIR not in path.parents or not path.is_file():
            raise HTTPException(404, f"no static file {name!r}")
        return FileResponse(
            path, media_type=mimetypes.guess_type(path.name)[0], headers={"Cache-Control": CACHE_IMMUTABLE}
        )

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor_file(name: str) -> FileResponse:
        path = vendor_path(settings, name)
        if path is None:
            raise HTTPException(404, f"no vendored asset {name!r} (run `make install` to install the npm packages)")
        return FileResponse(
            path, media_type=mimetypes.guess_type(path.name)[0], headers={"Cache-Control": CACHE_IMMUTABLE}
        )
