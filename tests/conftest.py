"""Shared fixtures: the data mirror, one catalog built from it per test session, and a web client.

The catalog is built once (about 20 s on SQLite) into a temporary home. When
GRADPATH_DATABASE_URL points at PostgreSQL (as in CI's second run), the same build goes into a
schema unique to this session, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from gradpath.config import Settings

REPO = Path(__file__).resolve().parents[1]


def mirror_path() -> Path:
    """The data mirror the tests read (GRADPATH_DATA_MIRROR, else ../shared/data beside the repo)."""
    path = Path(os.environ.get("GRADPATH_DATA_MIRROR") or REPO.parent / "shared" / "data")
    assert (path / "README.md").is_file(), f"the data mirror is required for the tests; not found at {path}"
    return path


@pytest.fixture(scope="session")
def mirror() -> Path:
    return mirror_path()


def make_settings(home: Path, **overrides: object) -> Settings:
    """Settings for a test: a private home, the env's database URL (a private PostgreSQL schema)."""
    values: dict[str, object] = {"home": home, "data_mirror": mirror_path(), "curated_dir": REPO / "data" / "curated",
                                 "assets_dir": REPO / "node_modules"}  # fmt: skip
    url = os.environ.get("GRADPATH_DATABASE_URL")
    if url:
        values["database_url"] = url
        values["pg_schema"] = f"gptest_{uuid.uuid4().hex[:10]}"
    values.update(overrides)
    return Settings.model_validate(values)


def drop_pg_schemas(settings: Settings) -> None:
    """Remove every schema a PostgreSQL test catalog created."""
    if not settings.is_postgres:
        return
    from gradpath.db import catalog_engine

    engine = catalog_engine(settings)
    with engine.begin() as conn:
        for suffix in ("", "_build", "_old", "_local"):
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{settings.pg_schema}{suffix}" CASCADE'))
    engine.dispose()


def writable_catalog(source: Settings, home: Path, **overrides: object) -> Settings:
    """A catalog a test may write to: a copy of the session catalog's file, or on PostgreSQL a private build."""
    settings = make_settings(home, **overrides)
    if settings.is_postgres:
        from gradpath.build import build_catalog

        build_catalog(settings)
    else:
        shutil.copyfile(source.home / "catalog.sqlite", home / "catalog.sqlite")
    return settings


@pytest.fixture(scope="session")
def catalog_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a catalog built from the mirror once per session."""
    from gradpath.build import build_catalog

    settings = make_settings(tmp_path_factory.mktemp("catalog-home"))
    build_catalog(settings)
    yield settings
    drop_pg_schemas(settings)


@pytest.fixture(scope="session")
def catalog_engine_(catalog_settings: Settings) -> Iterator[object]:
    from gradpath.db import open_catalog

    engine = open_catalog(catalog_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def conn(catalog_engine_: object) -> Iterator[Connection]:
    """A read connection to the session catalog."""
    with catalog_engine_.connect() as connection:  # type: ignore[attr-defined]
        yield connection


@pytest.fixture(scope="session")
def client(catalog_settings: Settings) -> Iterator[object]:
    """A TestClient on the web app over the session catalog."""
    from fastapi.testclient import TestClient

    from gradpath.web.app import create_app

    with TestClient(create_app(catalog_settings)) as test_client:
        yield test_client
