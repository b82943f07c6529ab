"""Build step: the full-text index behind program search (``offering_search``).

One document per offering (current or past): institution name and alias, place (city, state code
and name, metro name), field (CIP code and title, family title), the names of verified programs
linked to it, and the CIP definition. SQLite gets an FTS5 table (porter stemming, bm25 ranking);
PostgreSQL a plain table whose generated ``tsvector`` column (english configuration, weighted A–D)
carries a GIN index. The catalog service (:mod:`gradpath.catalog`) queries whichever exists, as the
other services query the tables the other build steps fill.

The step also stores the in-memory search index's data (``search_index_data``: one row of JSON, see
:mod:`gradpath.catalog.index_data`), derived from the finished tables once per build, so a process
reads one row instead of deriving it at its first search: that derivation cost every CLI search call
a large part of its time.

Neither table is in :mod:`gradpath.schema`: an FTS5 virtual table cannot be declared in SQLAlchemy
Core, so each dialect's DDL lives here, next to the rows it indexes, and the stored index sits beside it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select, text
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.build.context import BuildContext
from gradpath.catalog.index_data import INDEX_FORMAT, INDEX_TABLE, derive_index_data, encode_index_data, facts_stamp
from gradpath.db import bulk_insert

SEARCH_TABLE = "offering_search"
#: Text columns of a search document, most specific first (their bm25 weights follow this order).
DOC_COLUMNS = ("institution", "place", "field", "programs", "definition")
#: tsvector weights on PostgreSQL, same order (SQLite's bm25 weights are in SQLITE_MATCH below): a match in
#: the institution or field name counts more than one in the place, and much more than one in the definition.
PG_WEIGHTS = ("A", "C", "A", "B", "D")

_pg_table = Table(
    SEARCH_TABLE,
    MetaData(),
    Column("offering_id", String(20), primary_key=True),
    *[Column(name, Text, nullable=False) for name in DOC_COLUMNS],
)
_index_table = Table(
    INDEX_TABLE,
    MetaData(),
    Column("format_version", Integer, nullable=False),
    # program_facts_changed_at when stored ('' at build time): a fact accepted later makes the row stale.
    Column("facts_stamp", Text, nullable=False),
    Column("payload", Text, nullable=False),
)


def search_documents(conn: Connection) -> list[dict[str, str]]:
    """One document per offering: ``{offering_id, institution, place, field, programs, definition}``."""
    o, i, a = schema.offering, schema.institution, schema.area
    state_names = {r.code: r.name for r in conn.execute(select(a.c.code, a.c.name).where(a.c.type == "state"))}
    metro_names = {r.code: r.name for r in conn.execute(select(a.c.code, a.c.name).where(a.c.type == "metro"))}
    c = schema.cip
    cips = {r.code: (r.title, r.definition) for r in conn.execute(select(c.c.code, c.c.title, c.c.definition))}
    programs: dict[str, list[str]] = defaultdict(list)
    p, po = schema.program, schema.program_offering
    for link in conn.execute(
        select(po.c.offering_id, p.c.program_name, p.c.degree).select_from(po.join(p, p.c.slug == po.c.slug))
    ):
        programs[link.offering_id].append(" ".join(x for x in (link.program_name, link.degree) if x))
    docs = []
    stmt = select(
        o.c.id, o.c.cip, o.c.cip4, o.c.cip_title, i.c.name, i.c.alias, i.c.city, i.c.state, i.c.cbsa
    ).select_from(o.join(i, i.c.unitid == o.c.unitid))
    for r in conn.execute(stmt):
        family_title, _ = cips.get(r.cip4, ("", ""))
        _, definition = cips.get(r.cip, ("", ""))
        place = [r.city, r.state, state_names.get(r.state, ""), metro_names.get(r.cbsa or "", "")]
        docs.append(
            {
                "offering_id": r.id,
                "institution": " ".join(x for x in (r.name, r.alias) if x),
                "place": " ".join(x for x in place if x),
                "field": f"{r.cip} {r.cip_title} {family_title}",
                "programs": " ".join(programs.get(r.id, [])),
                "definition": definition or "",
            }
        )
    return docs


def build_search_index(ctx: BuildContext) -> None:
    """Create and fill ``offering_search`` for the catalog's dialect, and store the search index's data."""
    ctx.reporter.stage("Search index")
    docs = search_documents(ctx.conn)
    if ctx.conn.dialect.name == "sqlite":
        n = _build_sqlite(ctx.conn, docs)
    else:
        n = _build_postgres(ctx.conn, docs)
    ctx.count("search_documents", n)
    ctx.count("search_index_bytes", store_index_data(ctx.conn))


def store_index_data(conn: Connection) -> int:
    """Derive the search index's data from the catalog's tables and store it (replacing any earlier
    copy); returns the size of the stored JSON in bytes."""
    payload = encode_index_data(derive_index_data(conn))
    _index_table.drop(conn, checkfirst=True)
    _index_table.create(conn)
    conn.execute(
        insert(_index_table).values(format_version=INDEX_FORMAT, facts_stamp=facts_stamp(conn), payload=payload)
    )
    return len(payload.encode())


def _build_sqlite(conn: Connection, docs: list[dict[str, Any]]) -> int:
    columns = ", ".join(DOC_COLUMNS)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(offering_id UNINDEXED, {columns}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    if docs:
        # Identifiers are this module's constants; the values are bound parameters.
        placeholders = ", ".join(f":{c}" for c in ("offering_id", *DOC_COLUMNS))
        insert = f"INSERT INTO {SEARCH_TABLE} (offering_id, {columns}) VALUES ({placeholders})"  # noqa: S608
        conn.execute(text(insert), docs)
    # Merge the index segments once: queries then read one b-tree per term.
    conn.exec_driver_sql("INSERT INTO offering_search(offering_search) VALUES ('optimize')")
    return len(docs)


def _build_postgres(conn: Connection, docs: list[dict[str, Any]]) -> int:
    _pg_table.create(conn)
    vector = " || ".join(
        f"setweight(to_tsvector('english'::regconfig, {c}), '{w}')"
        for c, w in zip(DOC_COLUMNS, PG_WEIGHTS, strict=True)
    )
    conn.exec_driver_sql(
        f"ALTER TABLE {SEARCH_TABLE} ADD COLUMN document tsvector GENERATED ALWAYS AS ({vector}) STORED"
    )
    n = bulk_insert(conn, _pg_table, docs)
    conn.exec_driver_sql(f"CREATE INDEX ix_{SEARCH_TABLE}_document ON {SEARCH_TABLE} USING GIN (document)")
    return n
