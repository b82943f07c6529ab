"""The market view: what verified programs say about curriculum, format, GRE and credits.

Computed over programs with at least one verified fact (curated by the team or accepted in the review
queue). Every statistic carries its own ``n`` — the programs whose page states that fact — because a
page that is silent is unknown, not a "no". Verified programs are the pages someone reviewed, not a
random sample of programs, so every block repeats that note and the shares describe them only.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from statistics import quantiles
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from gradpath import schema

SAMPLE_NOTE = (
    "Verified programs are not yet a random sample: they are the program pages the GradPath team reviewed "
    "and the facts accepted in the review queue. Shares describe these programs, not all programs."
)
FORMATS = ("online", "campus", "hybrid")
GRE_POLICIES = ("required", "waivable", "optional", "not required")
#: How a page names its credit unit → the group its counts are compared in. Quarter credits and
#: other units (points, units) are not semester credit hours, so they are never pooled with them.
UNIT_GROUPS = (
    ("quarter", "Quarter credits"),
    ("semester", "Credits or credit hours (semester, or term system not stated)"),
    ("other", "Other units (points, units, credit units)"),
    ("unstated", "Unit not stated"),
)
_SEMESTER_UNITS = {"credits", "credit hours", "semester hours", "semester credits", "semester credit hours",
                   "hours", "graduate credit hours", "graduate credits"}  # fmt: skip


def unit_group(unit: str | None) -> str:
    """The comparison group of a credit unit as a page states it."""
    if unit is None or not unit.strip():
        return "unstated"
    text = unit.strip().lower()
    if "quarter" in text:
        return "quarter"
    return "semester" if text in _SEMESTER_UNITS else "other"


def _share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def distribution(values: list[float]) -> dict[str, Any]:
    """n, min, quartiles (inclusive method: linear between the data points) and max; None when n = 0."""
    values = sorted(values)
    n = len(values)
    if n == 0:
        return {"n": 0, "min": None, "p25": None, "median": None, "p75": None, "max": None}
    if n == 1:
        q1 = med = q3 = values[0]
    else:
        q1, med, q3 = quantiles(values, n=4, method="inclusive")
    return {"n": n, "min": values[0], "p25": round(q1, 2), "median": round(med, 2), "p75": round(q3, 2),
            "max": values[-1]}  # fmt: skip


def market_stats(conn: Connection) -> dict[str, Any]:
    """Topic coverage, format mix, GRE policies and credits over programs with verified facts."""
    pf, t = schema.program_fact, schema.topic
    facts: dict[str, dict[str, Any]] = defaultdict(dict)
    origins: Counter[str] = Counter()
    as_of: list[str] = []
    for r in conn.execute(select(pf.c.slug, pf.c.field, pf.c.value_json, pf.c.origin, pf.c.as_of)):
        facts[r.slug][r.field] = json.loads(r.value_json)
        origins[r.origin] += 1
        as_of.append(r.as_of)
    topics = list(conn.execute(select(t.c.id, t.c.title).order_by(t.c.position)))
    programs_total = conn.execute(select(func.count()).select_from(schema.program)).scalar_one()
    return {
        "programs": len(facts),
        "programs_in_catalog": programs_total,
        "note": SAMPLE_NOTE,
        "sources": {
            "facts_by_origin": {k: origins.get(k, 0) for k in ("curated", "review")},
            "as_of_first": min(as_of) if as_of else None,
            "as_of_last": max(as_of) if as_of else None,
            "source_ids": sorted(
                conn.execute(select(pf.c.source_id).distinct()).scalars()  # curated file and/or the review queue
            ),
        },
        "topics": _topics(facts, topics),
        "format": _counted(facts, "format", FORMATS, "Programs whose page names one delivery format"),
        "formats_offered": _offered(facts),
        "gre": _counted(facts, "gre", GRE_POLICIES, "Programs whose page states a GRE policy"),
        "credits": _credits(facts),
    }


def _topics(facts: dict[str, dict[str, Any]], topics: list[Any]) -> dict[str, Any]:
    known = [set(f["curriculum_topics"]) for f in facts.values() if f.get("curriculum_topics")]
    n = len(known)
    rows = []
    for topic in topics:
        k = sum(1 for s in known if topic.id in s)
        rows.append({"id": topic.id, "title": topic.title, "programs": k, "share": _share(k, n)})
    return {
        "n": n,
        "n_unknown": len(facts) - n,
        "what": "Share of programs whose page lists each curriculum topic, among programs whose topics are known",
        "note": SAMPLE_NOTE,
        "rows": rows,
    }


def _counted(facts: dict[str, dict[str, Any]], field: str, values: tuple[str, ...], what: str) -> dict[str, Any]:
    counts = Counter(f[field] for f in facts.values() if f.get(field) is not None)
    n = sum(counts.values())
    ordered = [*values, *sorted(v for v in counts if v not in values)]
    return {
        "n": n,
        "n_unknown": len(facts) - n,
        "what": what,
        "note": SAMPLE_NOTE,
        "rows": [{"value": v, "programs": counts.get(v, 0), "share": _share(counts.get(v, 0), n)} for v in ordered],
    }


def _offered(facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    known = [set(f["formats_offered"]) for f in facts.values() if f.get("formats_offered")]
    n = len(known)
    rows = []
    for value in FORMATS:
        k = sum(1 for s in known if value in s)
        rows.append({"value": value, "programs": k, "share": _share(k, n)})
    several = sum(1 for s in known if len(s) > 1)
    return {
        "n": n,
        "n_unknown": len(facts) - n,
        "what": "Share of programs offering each format (a program may offer several)",
        "several_formats": several,
        "note": SAMPLE_NOTE,
        "rows": rows,
    }


def _credits(facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    by_group: dict[str, list[float]] = defaultdict(list)
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for f in facts.values():
        credits = f.get("credits")
        if credits is None:
            continue
        unit = f.get("credits_unit")
        group = unit_group(unit)
        by_group[group].append(float(credits))
        units[group][(unit or "not stated").strip().lower()] += 1
    n = sum(len(v) for v in by_group.values())
    groups = []
    for key, label in UNIT_GROUPS:
        if by_group.get(key):
            stated = [{"unit": u, "programs": c} for u, c in sorted(units[key].items(), key=lambda kv: (-kv[1], kv[0]))]
            groups.append({"group": key, "label": label, "units_stated": stated, **distribution(by_group[key])})
    return {
        "n": n,
        "n_unknown": len(facts) - n,
        "what": "Credits required, by the unit the page uses; quartiles are computed within each unit group",
        "note": SAMPLE_NOTE,
        "groups": groups,
    }
