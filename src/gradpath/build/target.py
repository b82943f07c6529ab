"""Where a build writes, and how a finished build replaces the live catalog atomically.

SQLite: the build writes ``catalog.sqlite.building`` next to the catalog and renames it over
``catalog.sqlite`` only after validation; a failed build deletes its file and the old catalog
never changes. PostgreSQL: the build fills the schema ``<schema>_build``; the swap renames schemas
inside one transaction (PostgreSQL DDL is transactional), so readers see the old or the new
catalog, never a mix.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from gradpath.config import Settings
from gradpath.db import catalog_engine


class BuildLocked(RuntimeError):
    """Another build is running on the same catalog."""


@dataclass
class BuildTarget:
    """A fresh database to build into, and how to publish or discard it."""

    settings: Settings
    engine: Engine
    sqlite_path: Path | None = None
    pg_build_schema: str | None = None

    @property
    def live_sqlite_path(self) -> Path | None:
        return self.sqlite_path.with_name(self.sqlite_path.name.removesuffix(".building")) if self.sqlite_path else None

    def publish(self) -> None:
        """Replace the live catalog with this build."""
        self.engine.dispose()
        if self.sqlite_path is not None:
            live = self.live_sqlite_path
            assert live is not None
            os.replace(self.sqlite_path, live)
            return
        schema_name = self.settings.pg_schema
        old = f"{schema_name}_old"
        engine = catalog_engine(self.settings)
        try:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{old}" CASCADE'))
                exists = conn.execute(
                    text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"), {"s": schema_name}
                ).first()
                if exists:
                    conn.execute(text(f'ALTER SCHEMA "{schema_name}" RENAME TO "{old}"'))
                conn.execute(text(f'ALTER SCHEMA "{self.pg_build_schema}" RENAME TO "{schema_name}"'))
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{old}" CASCADE'))
        finally:
            engine.dispose()

    def discard(self) -> None:
        """Throw the unfinished build away."""
        self.engine.dispose()
        if self.sqlite_path is not None:
            for suffix in ("", "-journal"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        engine = catalog_engine(self.settings)
        try:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.pg_build_schema}" CASCADE'))
        finally:
            engine.dispose()


def new_target(settings: Settings) -> BuildTarget:
    """Prepare an empty database for a build (removing leftovers of an interrupted one)."""
    if not settings.is_postgres:
        live = Path(settings.catalog_url.removeprefix("sqlite:///"))
        path = live.with_name(live.name + ".building")
        for suffix in ("", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        engine = catalog_engine(settings, url=f"sqlite:///{path}")
        return BuildTarget(settings=settings, engine=engine, sqlite_path=path)
    schema = f"{settings.pg_schema}_build"
    admin = catalog_engine(settings)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()
    return BuildTarget(settings=settings, engine=catalog_engine(settings, pg_schema=schema), pg_build_schema=schema)


@contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """Hold an exclusive lock for the duration of a build (one build per GradPath home)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / "build.lock"
    with path.open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build holds {path}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
