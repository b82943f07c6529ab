"""The local store (review decisions): created by Alembic beside the catalog, and kept across rebuilds.

Runs on SQLite (a second file attached as gp_local) and, when GRADPATH_DATABASE_URL says so, on
PostgreSQL (a second schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from tests.conftest import drop_pg_schemas, make_settings, writable_catalog

from gradpath import schema
from gradpath.config import Settings
from gradpath.db import local_schema_name
from gradpath.local_schema import (
    LOCAL_HEAD,
    SCRIPT_LOCATION,
    _ready,
    ensure_local_store,
    local_revision,
    local_store_engine,
    proposed_fact,
)
from gradpath.review import accept_fact, propose, reject_fact, review_engine

PAGE = (
    (Path(__file__).resolve().parent / "fixtures" / "pages" / "fx-online-health-informatics.txt")
    .read_text(encoding="utf-8")
    .split("\n", 2)[2]
)
URL = "https://www.lakeshore.example.edu/rebuild-test/ms-health-informatics"
TABLES = {"extraction", "proposed_fact", "reviewed_program", "alembic_version"}


@pytest.fixture()
def fresh(tmp_path: Path) -> Iterator[Settings]:
    settings = make_settings(tmp_path)
    yield settings
    drop_pg_schemas(settings)


def test_local_head_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    assert ScriptDirectory.from_config(config).get_current_head() == LOCAL_HEAD


def test_ensure_creates_the_store_at_head_and_is_idempotent(fresh: Settings) -> None:
    engine = local_store_engine(fresh)
    try:
        assert local_revision(engine) is None
        ensure_local_store(engine, fresh)
        _ready.clear()  # run the check again as a new process would
        ensure_local_store(engine, fresh)
        assert local_revision(engine) == LOCAL_HEAD
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names(schema=local_schema_name(fresh)))
        assert tables >= TABLES
    finally:
        engine.dispose()
    if not fresh.is_postgres:
        assert fresh.local_sqlite_path.is_file()
        assert not (fresh.home / "catalog.sqlite").exists()  # the local store never creates a catalog


@pytest.fixture(scope="module")
def rebuilt(catalog_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A catalog with reviewed facts in its local store; the caller rebuilds it."""
    settings = writable_catalog(catalog_settings, tmp_path_factory.mktemp("rebuild-home"))
    yield settings
    drop_pg_schemas(settings)


@pytest.mark.slow
def test_accepted_facts_survive_a_catalog_rebuild(rebuilt: Settings) -> None:
    from gradpath.build import build_catalog

    engine = review_engine(rebuilt)
    o = schema.offering
    with engine.begin() as conn:
        offering = conn.execute(select(o.c.id).where(o.c.cip4 == "51.27", o.c.current.is_(True)).order_by(o.c.id))
        offering_id = str(offering.scalar())
        facts = {p["field"]: p["id"] for p in propose(conn, URL, PAGE)["proposals"]}
        slug = accept_fact(conn, facts["credits"], "per the program page", offering=offering_id)["program"]["slug"]
        accept_fact(conn, facts["curriculum_topics"])
        reject_fact(conn, facts["gre"], "wording unclear")
    engine.dispose()

    report = build_catalog(rebuilt)

    assert report.counts["programs_reviewed"] == 1 and report.counts["program_facts_reviewed"] == 2
    engine = review_engine(rebuilt)
    pf, p, po = schema.program_fact, schema.program, schema.program_offering
    with engine.connect() as conn:
        rows = {r.field: r for r in conn.execute(select(pf).where(pf.c.slug == slug))}
        program = conn.execute(select(p).where(p.c.slug == slug)).one()
        links = conn.execute(select(po.c.offering_id).where(po.c.slug == slug)).scalars().all()
        ledger = conn.execute(
            select(schema.source_file).where(schema.source_file.c.source_id == "gradpath-review")
        ).one()
        statuses = {r.id: r.status for r in conn.execute(select(proposed_fact.c.id, proposed_fact.c.status))}
    engine.dispose()
    assert set(rows) == {"credits", "curriculum_topics"}  # the rejected GRE fact stays out
    credits = rows["credits"]
    assert json.loads(credits.value_json) == 36 and credits.origin == "review" and credits.source_url == URL
    assert "36 credit hours" in credits.evidence and credits.reviewer_note == "per the program page"
    assert program.source_id == "gradpath-review" and links == [offering_id]
    assert ledger.rows == 2 and len(ledger.sha256) == 64
    assert statuses[facts["credits"]] == "accepted" and statuses[facts["gre"]] == "rejected"
