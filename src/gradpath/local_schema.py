"""The local store: review-queue state that must survive catalog rebuilds (SQLAlchemy Core + Alembic).

The catalog is rebuilt from scratch, so it has no migrations. What this instance's reviewers
produced cannot be rebuilt from anything, so it lives in its own schema (``gp_local``: the file
``<home>/local.sqlite`` attached to every SQLite connection, or ``<schema>_local`` on PostgreSQL)
and Alembic migrates it in place. Three tables:

* ``extraction`` — one run of the extractor over one page (which page, when, which bytes, which rules);
* ``proposed_fact`` — each non-null field of an extraction with its quote, waiting for (or past) review;
* ``reviewed_program`` — identity and IPEDS link of a page that is not a curated program, made when
  its first fact is accepted, so a rebuild can recreate the program row.

Quotes (``evidence``) are third-party page text: they stay in this database and are never committed.
"""

from __future__ import annotations

from sqlalchemy import Column, Engine, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from gradpath.config import Settings
from gradpath.db import LOCAL_SCHEMA, local_schema_name

#: The newest migration in ``gradpath/migrations/versions``; a store at this revision needs no Alembic run.
LOCAL_HEAD = "0001"
#: Alembic's script location as a package resource, so it works from an installed wheel too.
SCRIPT_LOCATION = "gradpath:migrations"
STATUSES = ("proposed", "accepted", "rejected", "superseded")

local_metadata = MetaData(schema=LOCAL_SCHEMA)

extraction = Table(
    "extraction",
    local_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, index=True),  # the page's URL as given (the key of re-extractions)
    Column("final_url", Text),  # after redirects, when this instance fetched the page
    Column("source_kind", String(8), nullable=False),  # url | file
    Column("fetched_at", String(32)),  # ISO time of the fetch; NULL for a PAGE.txt file
    Column("as_of", String(10), nullable=False),  # the date the facts are as of (fetch date or reviewer-given)
    Column("content_sha256", String(64), nullable=False),
    Column("extractor_version", String(40), nullable=False),
    Column("fields_json", Text, nullable=False),  # every field as extracted (value, quote, confidence), for diffs
    Column("created_at", String(32), nullable=False),
)

proposed_fact = Table(
    "proposed_fact",
    local_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("extraction_id", Integer, ForeignKey(extraction.c.id), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("slug", String(96)),  # the program it belongs to, once known
    Column("field", String(40), nullable=False),
    Column("value_json", Text, nullable=False),
    Column("evidence", Text, nullable=False),  # the page quote that supports the value
    Column("confidence", Float, nullable=False),
    Column("status", String(12), nullable=False, index=True),  # proposed | accepted | rejected | superseded
    Column("reviewer_note", Text),
    Column("reviewed_at", String(32)),
    Column("created_at", String(32), nullable=False),
    Index("ix_proposed_fact_url_field", "url", "field"),
)

reviewed_program = Table(
    "reviewed_program",
    local_metadata,
    Column("slug", String(96), primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("institution", Text, nullable=False),
    Column("program_name", Text, nullable=False),
    Column("degree", Text),
    Column("cip4", String(5), nullable=False),
    Column("unitid", Integer),
    Column("offering_ids", Text, nullable=False),  # comma-separated "<unitid>-<cip6>"
    Column("link_method", String(12), nullable=False),  # reviewer | host
    Column("link_reason", Text),
    Column("created_at", String(32), nullable=False),
)

_version = Table("alembic_version", MetaData(schema=LOCAL_SCHEMA), Column("version_num", String(32)))
_ready: set[tuple[str, ...]] = set()


def local_revision(engine: Engine) -> str | None:
    """The local store's Alembic revision, or None when it has not been created."""
    try:
        with engine.connect() as conn:
            value = conn.execute(select(_version.c.version_num)).scalar()
    except (OperationalError, ProgrammingError):
        return None
    return str(value) if value is not None else None


def ensure_local_store(engine: Engine, settings: Settings) -> None:
    """Create or upgrade the local store to the newest migration (idempotent).

    Costs one query when the store is at head already, and nothing on later calls in the same process.
    """
    key = (str(engine.url), local_schema_name(settings), str(settings.local_sqlite_path))
    if key in _ready:
        return
    if local_revision(engine) != LOCAL_HEAD:
        _upgrade(engine, settings)
    _ready.add(key)


def local_store_engine(settings: Settings) -> Engine:
    """An engine that reaches the local store only (on SQLite an in-memory main database with the
    local file attached), for callers that must not touch a catalog: the build, which holds its own
    transaction on the catalog it is writing."""
    from gradpath.db import catalog_engine

    return catalog_engine(settings, url=None if settings.is_postgres else "sqlite://")


def _upgrade(engine: Engine, settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    name = local_schema_name(settings)
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes starting at once must not both run the migrations.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"gradpath-local:{name}"})
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{name}"'))
        config.attributes["connection"] = conn
        config.attributes["local_schema"] = name
        command.upgrade(config, "head")
