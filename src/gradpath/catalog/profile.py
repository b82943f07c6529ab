"""The records behind a program's profile and comparisons: summaries by id, institution, field, award
history, sibling programs, verified facts in words, tuition, and the careers linked to the field.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.catalog.index import search_index
from gradpath.catalog.query import LABELS, OFFERING_ID_RE, OfferingNotFound, QueryError

# fmt: off
FACT_LABELS = {
    "format": "Format", "formats_offered": "Formats offered", "credits": "Credits", "credits_unit": "Credit unit",
    "duration_months_fulltime": "Duration, full-time (months)",
    "duration_months_parttime": "Duration, part-time (months)",
    "tuition_total_usd": "Total tuition (USD)", "tuition_per_credit_usd": "Tuition per credit (USD)",
    "tuition_year": "Tuition year", "gre": "GRE", "min_gpa": "Minimum GPA", "prerequisites": "Prerequisites",
    "accreditation": "Programmatic accreditation", "curriculum_topics": "Curriculum topics",
    "capstone_or_practicum": "Capstone or practicum", "thesis": "Thesis", "start_terms": "Start terms",
}
INSTITUTION_KEYS = ("unitid", "name", "alias", "city", "state", "zip", "county", "website", "control_label", "cbsa",
                    "cbsa_type", "accreditor", "accreditor_vintage", "accreditor_source_id", "accreditor_note",
                    "distance_exclusive_share", "distance_some_share", "distance_enrollment", "distance_year",
                    "distance_scope", "active")
# fmt: on


def check_offering_id(offering_id: str) -> str:
    """The id if it has the ``UNITID-CC.CCCC`` shape; else QueryError (a malformed id is a bad parameter)."""
    if not OFFERING_ID_RE.match(offering_id):
        raise QueryError("offering_id", f"{offering_id[:40]!r} is not an offering id like 166027-51.2706")
    return offering_id


def get_offerings(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The summaries of these offerings, in order; OfferingNotFound lists every unknown id."""
    for oid in ids:
        check_offering_id(oid)
    index = search_index(conn)
    missing = [oid for oid in ids if oid not in index.position]
    if missing:
        raise OfferingNotFound(f"no offering {', '.join(missing)} in this catalog", missing)
    return [dict(index.summary(index.position[oid])) for oid in ids]


def fact_display(field_name: str, value: Any, topics: dict[str, str] | None = None) -> str:
    """A program fact in words: lists joined, ranges with a dash, money with a dollar sign."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field_name == "curriculum_topics":
        return ", ".join(str((topics or {}).get(v, v)) for v in value)
    if field_name == "gre":
        return LABELS["gre"].get(value, str(value))
    if field_name in ("format", "formats_offered"):
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(LABELS["format"].get(v, v)) for v in items)
    if field_name.endswith("_usd"):
        if isinstance(value, dict):
            return "; ".join(f"{k}: ${v:,.0f}" for k, v in value.items())
        return f"${value:,.0f}"
    if isinstance(value, list):
        if field_name.startswith("duration") and len(value) == 2:
            return f"{value[0]:g}–{value[1]:g}"
        return "; ".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def offering_details(conn: Connection, offering_id: str) -> dict[str, Any]:
    """What a profile adds to the summary: institution, field, award history, the sibling programs that
    share the field-level outcomes, verified programs with every fact, and stated tuition rates."""
    summary = get_offerings(conn, [offering_id])[0]
    o, i, c = schema.offering, schema.institution, schema.cip
    inst = conn.execute(select(i).where(i.c.unitid == summary["unitid"])).one()._mapping
    cips = {r.code: r for r in conn.execute(select(c).where(c.c.code.in_([summary["cip"], summary["cip4"]])))}
    tier = conn.execute(select(o.c.tier_rationale).where(o.c.id == offering_id)).scalar_one()
    awards = conn.execute(
        select(schema.award.c.year, schema.award.c.awards)
        .where(schema.award.c.offering_id == offering_id)
        .order_by(schema.award.c.year)
    ).all()
    siblings = conn.execute(
        select(o.c.id, o.c.cip, o.c.cip_title, o.c.current)
        .where(o.c.unitid == summary["unitid"], o.c.cip4 == summary["cip4"], o.c.id != offering_id)
        .order_by(o.c.cip)
    ).all()
    topics = {r.id: r.title for r in conn.execute(select(schema.topic.c.id, schema.topic.c.title))}
    p, po, pf = schema.program, schema.program_offering, schema.program_fact
    slugs = select(po.c.slug).where(po.c.offering_id == offering_id)
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    order = {name: k for k, name in enumerate(FACT_LABELS)}
    for r in conn.execute(select(pf).where(pf.c.slug.in_(slugs))):
        value = json.loads(r.value_json)
        facts[r.slug].append(
            {
                "field": r.field,
                "label": FACT_LABELS.get(r.field, r.field),
                "value": value,
                "display": fact_display(r.field, value, topics),
                "source_url": r.source_url,
                "as_of": r.as_of,
                "origin": r.origin,
                # The page quote exists only for facts this instance's review queue accepted (local database).
                "evidence": r._mapping.get("evidence"),
            }
        )
    programs = [
        {
            "slug": r.slug,
            "name": r.program_name,
            "degree": r.degree,
            "url": r.url,
            "reviewed": r.reviewed,
            "catalog_year": r.catalog_year,
            "note": r.note,
            "link_method": r.link_method,
            "facts": sorted(facts.get(r.slug, []), key=lambda f: order.get(f["field"], 99)),
        }
        for r in conn.execute(select(p).where(p.c.slug.in_(slugs)).order_by(p.c.slug))
    ]
    t = schema.tuition_rate
    tuition = [
        {k: r._mapping[k] for k in ("scope", "residency", "amount_usd", "per", "academic_year", "note", "source_url")}
        for r in conn.execute(select(t).where(t.c.unitid == summary["unitid"]).order_by(t.c.id))
    ]
    cip6, cip4 = cips.get(summary["cip"]), cips.get(summary["cip4"])
    return {
        "summary": summary,
        "institution": {k: inst[k] for k in INSTITUTION_KEYS},
        "cip": {
            "code": summary["cip"],
            "title": summary["field"],
            "definition": cip6.definition if cip6 else None,
            "family": summary["cip4"],
            "family_title": cip4.title if cip4 else None,
            "tier": summary["tier"],
            "tier_rationale": tier,
        },
        "awards": [{"year": r.year, "awards": r.awards} for r in awards],
        "siblings": [{"id": r.id, "cip": r.cip, "field": r.cip_title, "current": bool(r.current)} for r in siblings],
        "programs": programs,
        "tuition": tuition,
        "topics": topics,
    }


def cip_occupations(conn: Connection, cip_code: str) -> list[dict[str, str]]:
    """Occupations the NCES CIP→SOC crosswalk links to a 6-digit CIP code (titles from OEWS or EP)."""
    cs, occ, out = schema.cip_soc, schema.occupation, schema.outlook
    rows = conn.execute(
        select(cs.c.soc, func.coalesce(occ.c.title, out.c.title).label("title"))
        .select_from(cs.outerjoin(occ, occ.c.soc == cs.c.soc).outerjoin(out, out.c.soc == cs.c.soc))
        .where(cs.c.cip == cip_code)
        .order_by(cs.c.soc)
    )
    return [{"soc": r.soc, "title": r.title or r.soc} for r in rows]


def family_roles(conn: Connection, cip4: str) -> list[dict[str, str]]:
    """Curated roles whose CIP families include this one (the careers pages describe each role)."""
    rc, role = schema.role_cip, schema.role
    rows = conn.execute(
        select(role.c.id, role.c.title, rc.c.via, rc.c.note)
        .select_from(rc.join(role, role.c.id == rc.c.role_id))
        .where(rc.c.cip4 == cip4)
        .order_by(role.c.position)
    )
    return [{"id": r.id, "title": r.title, "via": r.via, "note": r.note} for r in rows]
