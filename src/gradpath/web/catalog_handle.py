"""Per-request database connections for the web app, and a catalog that can be rebuilt underneath it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from gradpath.config import Settings
from gradpath.db import open_catalog


class CatalogHandle:
    """Opens the catalog on first use. A missing catalog raises CatalogMissing (→ 503) until it
    exists; on SQLite each request opens a fresh connection, so a rebuilt file is picked up."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        """The catalog engine (opened and checked once)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = open_catalog(self.settings)
        return self._engine

    def dispose(self) -> None:
        """Close pooled connections."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def get_conn(request: Request) -> Iterator[Connection]:
    """FastAPI dependency: a read connection to the catalog for one request."""
    handle: CatalogHandle = request.app.state.catalog
    with handle.engine().connect() as conn:
        yield conn
