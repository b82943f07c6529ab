"""Database engines for the catalog (SQLite by default, PostgreSQL by URL) and bulk loading.

Two kinds of state live side by side:

* the **catalog** — everything ``gradpath build`` derives from the sources. It is rebuilt as a
  whole into a fresh SQLite file (or PostgreSQL schema), validated, then swapped in atomically;
* the **local** state (schema ``gp_local``) — what this instance's users produced that a rebuild
  must not lose: extracted page facts waiting for review and the reviewers' decisions. On SQLite it
  is a second file attached to every connection; on PostgreSQL a second schema. Alembic migrates it.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, exc
from sqlalchemy.engine import Connection

from gradpath.config import Settings

LOCAL_SCHEMA = "gp_local"


class CatalogMissing(RuntimeError):
    """There is no catalog yet, or it was built by an incompatible GradPath version."""


def local_schema_name(settings: Settings) -> str:
    """The real name of the local schema: the attached file's name on SQLite, ``<schema>_local`` on
    PostgreSQL. Table objects say ``gp_local`` (translated per connection); DDL and inspection
    (Alembic, has_table) see untranslated names and need this one."""
    return settings.pg_local_schema if settings.is_postgres else LOCAL_SCHEMA


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]) if url.startswith(prefix) else None


def catalog_engine(
    settings: Settings, *, url: str | None = None, pg_schema: str | None = None, must_exist: bool = False
) -> Engine:
    """An engine on the catalog (or on a build target when ``url``/``pg_schema`` are given).

    SQLite connections are pooled, and each checkout compares the file's inode with the one the
    connection opened: a rebuild replaces the catalog file by rename, so a stale connection is
    dropped and a fresh one sees the new catalog without restarting the server. ``must_exist``
    opens the file read-write only if it exists (never creating an empty catalog).
    """
    target = url or settings.catalog_url
    if target.startswith("sqlite"):
        path = _sqlite_path(target)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if must_exist:
                target = f"sqlite:///file:{path}?mode=rw&uri=true"
        # A file database gets a connection pool; an in-memory one keeps SQLAlchemy's single-thread pool.
        pooling: dict[str, Any] = {"pool_size": 5, "max_overflow": 10} if path is not None else {}
        engine = create_engine(target, connect_args={"check_same_thread": False}, **pooling)
        local = settings.local_sqlite_path

        def _inode() -> int | None:
            try:
                return path.stat().st_ino if path is not None else None
            except FileNotFoundError:
                return None

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: sqlite3.Connection, record: Any) -> None:
            record.info["gp_inode"] = _inode()
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.execute("PRAGMA cache_size=-32000")
            local.parent.mkdir(parents=True, exist_ok=True)
            cur.execute(f"ATTACH DATABASE ? AS {LOCAL_SCHEMA}", (str(local),))
            cur.close()

        @event.listens_for(engine, "checkout")
        def _same_file(_dbapi_conn: Any, record: Any, _proxy: Any) -> None:
            if record.info.get("gp_inode") != _inode():
                # The catalog file was replaced (a rebuild): this connection still reads the old one.
                raise exc.DisconnectionError("catalog file replaced")

        return engine

    schema = pg_schema or settings.pg_schema
    engine = create_engine(
        target,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        execution_options={"schema_translate_map": {LOCAL_SCHEMA: settings.pg_local_schema}},
    )

    @event.listens_for(engine, "connect")
    def _pg_connect(dbapi_conn: Any, _record: object) -> None:
        # The catalog's tables are unqualified; the search path picks the live (or build) schema.
        with dbapi_conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{schema}", public')
        dbapi_conn.commit()

    return engine


def bulk_insert(conn: Connection, table: Table, rows: Iterable[Mapping[str, Any]], chunk: int = 5000) -> int:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite. Returns the row count."""
    columns = [c.name for c in table.columns]
    if conn.dialect.name == "postgresql":
        return _copy_rows(conn, table, columns, rows)
    count = 0
    batch: list[Mapping[str, Any]] = []
    stmt = table.insert()
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            conn.execute(stmt, batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(stmt, batch)
        count += len(batch)
    return count


def _copy_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    raw = conn.connection.driver_connection
    assert raw is not None
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    # Columns the rows leave out (an autoincrement id) are left to the database's default.
    present = [c for c in columns if c in first]
    quoted = ", ".join(f'"{c}"' for c in present)
    count = 0
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in itertools.chain([first], iterator):
            copy.write_row([row.get(c) for c in present])
            count += 1
    return count


def open_catalog(settings: Settings) -> Engine:
    """An engine on an existing, compatible catalog; raises CatalogMissing with what to do."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from gradpath import schema

    path = _sqlite_path(settings.catalog_url)
    if path is not None and not path.is_file():
        raise CatalogMissing(f"no catalog at {path}: run `gradpath build` (or `make install`)")
    engine = catalog_engine(settings, must_exist=True)
    try:
        with engine.connect() as conn:
            version = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
    except (OperationalError, ProgrammingError):
        engine.dispose()
        raise CatalogMissing("the catalog has no tables: run `gradpath build`") from None
    if version is None:
        engine.dispose()
        raise CatalogMissing("the catalog is empty or incomplete: run `gradpath build`")
    if version != str(schema.CATALOG_SCHEMA_VERSION):
        engine.dispose()
        raise CatalogMissing(
            f"the catalog was built by another GradPath version (schema {version}, this one reads "
            f"{schema.CATALOG_SCHEMA_VERSION}): run `gradpath build`"
        )
    return engine
