"""The search index's data: derived from the catalog tables, or read as the build stored it.

Everything :class:`~gradpath.catalog.index.SearchIndex` needs is one JSON-ready document: every
offering's row (current and past, in name order), the verified programs linked to it, one bitmask per
facet value (hexadecimal), range values and sort orders. ``gradpath build`` derives it once and stores
it in the ``search_index_data`` table of the catalog it builds (JSON, never pickle: the catalog may be
a PostgreSQL database other processes share), so a process — a CLI call above all — reads one row
instead of deriving it from a dozen queries. The stored row is used only while it is valid: its format
is this module's :data:`INDEX_FORMAT`, and no program fact was accepted into the live catalog since
the build (the review queue stamps ``program_facts_changed_at`` in ``meta``, which changes facets
without a rebuild); otherwise the data is derived from the tables again, as before the build stored it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from gradpath import schema
from gradpath.catalog.bits import mask_of
from gradpath.catalog.query import CONTROLS, DISTANCE_CUTS, FACET_NAMES, LABELS, RANGES

INDEX_TABLE = "search_index_data"
#: Bump when the document's shape changes: catalogs built before then derive the index from the tables.
INDEX_FORMAT = 1
FACTS_STAMP_SQL = "SELECT value FROM meta WHERE key = 'program_facts_changed_at'"
# One statement: the stored document only if its format and facts stamp match the live catalog.
STORED_SQL = (
    f"SELECT payload FROM {INDEX_TABLE} WHERE format_version = :format "  # noqa: S608 (module constants)
    f"AND facts_stamp = COALESCE(({FACTS_STAMP_SQL}), '')"
)
SORT_COLUMNS = {"earnings": ("earnings_1yr", True), "debt": ("debt_median", False),
                "completers": ("awards_latest", True)}  # fmt: skip


class OfferingRow(NamedTuple):
    """What search, facets and the result list need of one offering (its institution's columns joined)."""

    id: str
    unitid: int
    institution: str
    city: str
    state: str
    cip: str
    cip4: str
    cip_title: str
    tier: str
    current: bool
    last_reported_year: int
    awards_latest: int | None
    fos_status: str
    fos_completers: int | None
    earnings_1yr: float | None
    earnings_4yr: float | None
    debt_median: float | None
    earnings_1yr_note: str | None
    earnings_4yr_note: str | None
    debt_note: str | None
    accreditor: str | None
    accreditor_note: str | None
    accreditor_vintage: str | None
    control: int | None
    cbsa: str | None
    distance_exclusive_share: float | None
    distance_year: int | None


def metro_key(row: OfferingRow) -> str:
    """The key of a row's metro in the document's ``metros`` (its CBSA and, for unnamed areas, its state)."""
    return f"{row.cbsa}/{row.state}"


def facts_stamp(conn: Connection) -> str:
    """When the review queue last wrote a program fact into this catalog ('' if never since the build)."""
    return str(conn.exec_driver_sql(FACTS_STAMP_SQL).scalar() or "")


def stored_index_data(conn: Connection) -> dict[str, Any] | None:
    """The document the build stored, when present and valid for the catalog as it is now; else None."""
    try:
        if conn.dialect.name == "postgresql":
            # A failed statement aborts a PostgreSQL transaction: contain it (a catalog built before the table).
            with conn.begin_nested():
                payload = conn.execute(text(STORED_SQL), {"format": INDEX_FORMAT}).scalar()
        else:
            payload = conn.execute(text(STORED_SQL), {"format": INDEX_FORMAT}).scalar()
    except (OperationalError, ProgrammingError):
        return None
    if payload is None:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    valid = isinstance(data, dict) and data.get("format") == INDEX_FORMAT
    return data if valid and data.get("columns") == list(OfferingRow._fields) else None


def encode_index_data(data: dict[str, Any]) -> str:
    """The document as compact JSON (what the build stores)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def encode_rows(rows: list[OfferingRow]) -> list[Any]:
    """The rows column by column; a column with few distinct values (notes repeat the same sentence,
    accreditors and titles recur) as those values and one code per row, which keeps the JSON small."""
    out: list[Any] = []
    for column in zip(*rows, strict=True) if rows else [[] for _ in OfferingRow._fields]:
        distinct: dict[tuple[type, Any], int] = {}  # keyed with the type: 1 == 1.0 == True, but they differ in JSON
        codes = [distinct.setdefault((type(v), v), len(distinct)) for v in column]
        values = [v for _, v in distinct]
        out.append({"values": values, "codes": codes} if 2 * len(values) < len(column) else list(column))
    return out


def decode_rows(columns: list[Any]) -> list[OfferingRow]:
    """The rows of :func:`encode_rows`."""
    # map() keeps the per-value work in C: this runs at the first search of every process.
    plain = [c if isinstance(c, list) else list(map(c["values"].__getitem__, c["codes"])) for c in columns]
    return list(map(OfferingRow._make, zip(*plain, strict=True)))


def _hex_mask(indices: Iterable[int], size: int) -> str:
    return format(mask_of(indices, size), "x")


def _distance_bucket(share: float | None) -> str:
    if share is None:
        return "unknown"
    return next(code for cut, code in DISTANCE_CUTS if share < cut)


def _load_programs(conn: Connection) -> dict[str, dict[str, Any]]:
    """Offering id → verified programs and the facet-relevant facts they state (value lists sorted)."""
    p, po, pf = schema.program, schema.program_offering, schema.program_fact
    facts: dict[str, dict[str, Any]] = defaultdict(dict)
    wanted = ("format", "formats_offered", "gre", "curriculum_topics")
    for r in conn.execute(select(pf.c.slug, pf.c.field, pf.c.value_json).where(pf.c.field.in_(wanted))):
        facts[r.slug][r.field] = json.loads(r.value_json)
    out: dict[str, dict[str, Any]] = {}
    stmt = select(po.c.offering_id, p.c.slug, p.c.program_name, p.c.url, p.c.reviewed).select_from(
        po.join(p, p.c.slug == po.c.slug)
    )
    for link in conn.execute(stmt.order_by(po.c.offering_id, p.c.slug)):
        entry = out.setdefault(link.offering_id, {"programs": [], "formats": set(), "gre": set(), "topics": set()})
        entry["programs"].append(
            {"slug": link.slug, "name": link.program_name, "url": link.url, "reviewed": link.reviewed}
        )
        f = facts.get(link.slug, {})
        entry["formats"].update([f["format"]] if "format" in f else [], f.get("formats_offered", []))
        entry["gre"].update([f["gre"]] if "gre" in f else [])
        entry["topics"].update(f.get("curriculum_topics", []))
    for entry in out.values():
        for key in ("formats", "gre", "topics"):
            entry[key] = sorted(entry[key])
    return out


def _offering_rows(conn: Connection) -> list[OfferingRow]:
    """Every offering joined to its institution, by institution name then CIP code."""
    o, i = schema.offering, schema.institution
    # fmt: off
    from_institution = {"institution": i.c.name, "city": i.c.city, "state": i.c.state, "accreditor": i.c.accreditor,
                        "accreditor_note": i.c.accreditor_note, "accreditor_vintage": i.c.accreditor_vintage,
                        "control": i.c.control, "cbsa": i.c.cbsa, "distance_year": i.c.distance_year,
                        "distance_exclusive_share": i.c.distance_exclusive_share}
    # fmt: on
    # Built from OfferingRow's fields, so the columns can never drift from the tuple's order.
    columns = [(from_institution[n] if n in from_institution else o.c[n]).label(n) for n in OfferingRow._fields]
    stmt = select(*columns).select_from(o.join(i, o.c.unitid == i.c.unitid)).order_by(func.lower(i.c.name), o.c.cip)
    return [OfferingRow._make(r) for r in conn.execute(stmt)]


def derive_index_data(conn: Connection) -> dict[str, Any]:
    """The index's document, derived from the catalog tables (the build stores this; see the module docstring)."""
    a = schema.area
    areas = conn.execute(select(a.c.code, a.c.name).where(a.c.type.in_(["state", "metro"])))
    area_names = {code: name for code, name in areas}
    cbsa_types = {code: kind for code, kind in conn.execute(select(schema.cbsa.c.code, schema.cbsa.c.type))}
    cip_titles = {code: title for code, title in conn.execute(select(schema.cip.c.code, schema.cip.c.title))}
    programs = _load_programs(conn)
    rows = _offering_rows(conn)
    n = len(rows)
    members: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name in FACET_NAMES}
    labels: dict[str, dict[str, str]] = {name: dict(LABELS.get(name, {})) for name in FACET_NAMES}
    labels["topic"] = {tid: title for tid, title in conn.execute(select(schema.topic.c.id, schema.topic.c.title))}
    labels["accreditor"]["none"] = "Not on file"
    metros: dict[str, dict[str, Any]] = {}
    m_cip, m_tier, m_state, m_metro = members["cip"], members["tier"], members["state"], members["metro"]
    m_control, m_acc, m_dist = members["control"], members["accreditor"], members["distance"]
    m_data = members["earnings_data"]
    for idx, m in enumerate(rows):
        m_cip[m.cip4].append(idx)
        m_cip[m.cip].append(idx)
        m_tier[m.tier].append(idx)
        m_state[m.state].append(idx)
        m_acc[m.accreditor or "none"].append(idx)
        m_dist[_distance_bucket(m.distance_exclusive_share)].append(idx)
        published = m.earnings_1yr is not None
        m_data["published" if published else "no_record" if m.fos_status == "no_record" else "not_published"].append(
            idx
        )
        if m.control in CONTROLS:
            m_control[CONTROLS[m.control]].append(idx)
        if m.cbsa:
            m_metro[m.cbsa].append(idx)
            key = metro_key(m)
            if key not in metros:
                kind = cbsa_types.get(m.cbsa, "metro")
                # An area without an OEWS name (micropolitan) is named by its code and the institution's state.
                where = f"CBSA {m.cbsa} ({'micropolitan' if kind == 'micro' else kind} area, {m.state})"
                metros[key] = {"code": m.cbsa, "name": area_names.get(m.cbsa) or where, "type": kind}
            labels["metro"][m.cbsa] = metros[key]["name"]
        if (verified := programs.get(m.id)) is not None:
            for name, stated in (("format", "formats"), ("gre", "gre"), ("topic", "topics")):
                for v in verified[stated]:
                    members[name][v].append(idx)
        labels["cip"].setdefault(m.cip4, f"{m.cip4} {cip_titles.get(m.cip4, '')}".strip())
        labels["cip"].setdefault(m.cip, f"{m.cip} {m.cip_title}")
        labels["state"].setdefault(m.state, area_names.get(m.state, m.state))
        if m.accreditor:
            labels["accreditor"].setdefault(m.accreditor, m.accreditor)
    ranges = {}
    for spec in RANGES:
        known = sorted(
            (getattr(r, spec.column), idx) for idx, r in enumerate(rows) if getattr(r, spec.column) is not None
        )
        ranges[spec.name] = {"values": [v for v, _ in known], "rows": [idx for _, idx in known]}
    orders = {}
    for sort, (column, descending) in SORT_COLUMNS.items():
        values = [getattr(r, column) for r in rows]
        known_rows = [idx for idx in range(n) if values[idx] is not None]  # rows are in name order
        known_rows.sort(key=lambda idx: -values[idx] if descending else values[idx])  # stable: ties stay by name
        orders[sort] = known_rows + [idx for idx in range(n) if values[idx] is None]
    return {
        "format": INDEX_FORMAT,
        "columns": list(OfferingRow._fields),
        "rows": encode_rows(rows),
        "programs": programs,
        "family_titles": {m.cip4: cip_titles[m.cip4] for m in rows if m.cip4 in cip_titles},
        "metros": metros,
        "current": _hex_mask((idx for idx, r in enumerate(rows) if r.current), n),
        "verified": _hex_mask((idx for idx, r in enumerate(rows) if r.id in programs), n),
        "bits": {name: {v: _hex_mask(ix, n) for v, ix in vals.items()} for name, vals in members.items()},
        "labels": labels,
        "ranges": ranges,
        "orders": orders,
    }
