"""Engines on the catalog: a running engine follows a rebuilt catalog; a missing one is never created."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import drop_pg_schemas
from tests.official_fixtures import curated_for_fixtures, fixture_settings, official_tree

from gradpath import schema
from gradpath.build import build_catalog
from gradpath.db import CatalogMissing, open_catalog


def _built_at(engine: object) -> str:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return str(conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "built_at")).scalar_one())


def test_an_open_engine_reads_the_rebuilt_catalog_after_a_swap(tmp_path: Path) -> None:
    downloads = official_tree(tmp_path / "downloads")
    settings = fixture_settings(tmp_path / "home", downloads, curated_for_fixtures(tmp_path / "curated"))
    try:
        build_catalog(settings, expect_full_sources=False)
        engine = open_catalog(settings)
        first = _built_at(engine)
        with engine.connect() as conn:  # leave a pooled connection on the old catalog
            conn.execute(select(schema.meta)).all()
        time.sleep(1.1)  # built_at has a one-second resolution
        build_catalog(settings, expect_full_sources=False)
        assert _built_at(engine) != first
        engine.dispose()
    finally:
        drop_pg_schemas(settings)


def test_opening_a_missing_sqlite_catalog_creates_no_file(tmp_path: Path) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, database_url=None)
    with pytest.raises(CatalogMissing):
        open_catalog(settings)
    assert not (tmp_path / "catalog.sqlite").exists()
