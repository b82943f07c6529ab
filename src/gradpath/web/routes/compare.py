"""Side-by-side comparison (/compare?ids=...) and the CSV exports of searches and comparisons.

The shortlist lives in the URL (``ids``, comma-separated or repeated) and, with JavaScript, in the
browser's localStorage; the server stores nothing about who compares what. Exports carry a block
of ``#`` lines crediting every source with its vintage and licence (CC BY sources as they ask).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.engine import Connection

from gradpath.catalog import (
    EXPORT_SOURCE_IDS,
    LABELS,
    MAX_LIMIT,
    OFFERING_ID_RE,
    OfferingNotFound,
    OfferingQuery,
    QueryError,
    get_offerings,
    offering_details,
    search_index,
    search_offerings,
)
from gradpath.provenance import catalog_meta
from gradpath.web.catalog_handle import get_conn
from gradpath.web.models import CompareOut
from gradpath.web.routes.programs import json_response, offering_query
from gradpath.web.templating import render

router = APIRouter()
MAX_COMPARE = 10
EXPORT_LIMIT = 10_000

# fmt: off
#: The comparison's rows: (section, key, label, source id). Values come from _cell().
ROWS = (
    ("Institution", "location", "Location", "ipeds-hd2024"),
    ("Institution", "metro", "Metro area (CBSA)", "ipeds-hd2024"),
    ("Institution", "control", "Control", "ipeds-hd2024"),
    ("Institution", "accreditor", "Institutional accreditor", "accreditation"),
    ("Institution", "distance", "Students exclusively in distance education (institution-level)", "ipeds-distance-ed"),
    ("Field", "field", "Field (CIP 2020)", "nces-cip2020"),
    ("Field", "tier", "Healthcare-AI relevance (GradPath tier)", "gradpath-curated"),
    ("Field", "awards_latest", "Master's awards 2023-24", "ipeds-completions-2020-2024"),
    ("Outcomes (field-level)", "earnings_1yr", "Median earnings 1 year after", "scorecard-fos-truewise"),
    ("Outcomes (field-level)", "earnings_4yr", "Median earnings 4 years after", "scorecard-fos-truewise"),
    ("Outcomes (field-level)", "debt_median", "Median debt", "scorecard-fos-truewise"),
    ("Outcomes (field-level)", "debt_to_earnings", "Debt ÷ earnings 1 year after (plain ratio)",
     "scorecard-fos-truewise"),
    ("Outcomes (field-level)", "fos_completers", "Scorecard cohort (completers)", "scorecard-fos-truewise"),
    ("Verified program facts", "format", "Format", "gradpath-curated"),
    ("Verified program facts", "credits", "Credits", "gradpath-curated"),
    ("Verified program facts", "duration_months_fulltime", "Duration, full-time (months)", "gradpath-curated"),
    ("Verified program facts", "duration_months_parttime", "Duration, part-time (months)", "gradpath-curated"),
    ("Verified program facts", "tuition_total_usd", "Total tuition", "gradpath-curated"),
    ("Verified program facts", "tuition_per_credit_usd", "Tuition per credit", "gradpath-curated"),
    ("Verified program facts", "gre", "GRE", "gradpath-curated"),
    ("Verified program facts", "min_gpa", "Minimum GPA", "gradpath-curated"),
    ("Verified program facts", "curriculum_topics", "Curriculum topics", "gradpath-curated"),
    ("Verified program facts", "capstone_or_practicum", "Capstone or practicum", "gradpath-curated"),
    ("Verified program facts", "start_terms", "Start terms", "gradpath-curated"),
    ("Verified program facts", "pages", "Program pages reviewed", "gradpath-curated"),
    ("Cost", "tuition_rates", "Tuition rates stated by the institution", "gradpath-curated"),
)
#: Columns of the CSV exports: one row per offering.
CSV_COLUMNS = (
    "id", "institution", "city", "state", "cip", "field", "cip4", "family", "tier", "control", "metro_code",
    "metro_name", "accreditor", "accreditor_vintage", "current", "last_reported_year", "awards_latest",
    "fos_status", "fos_completers", "earnings_1yr", "earnings_1yr_reason", "earnings_4yr", "earnings_4yr_reason",
    "debt_median", "debt_median_reason", "debt_to_earnings", "distance_exclusive_share", "distance_year",
    "verified_formats", "verified_gre", "verified_topics", "verified_program_urls", "profile_url",
)
# fmt: on
FIELD_LEVEL = "field-level: shared by the institution's programs in the same 4-digit CIP family"


def parse_ids(ids: list[str]) -> list[str]:
    """Offering ids from ``ids`` (repeated and/or comma-separated), in order, without duplicates."""
    out: list[str] = []
    for part in ids:
        for oid in part.split(","):
            oid = oid.strip()
            if not oid or oid in out:
                continue
            if not OFFERING_ID_RE.match(oid):
                raise QueryError("ids", f"{oid[:40]!r} is not an offering id like 166027-51.2706")
            out.append(oid)
    if len(out) > MAX_COMPARE:
        raise QueryError("ids", f"at most {MAX_COMPARE} programs can be compared ({len(out)} given)")
    return out


def _money(value: float | None) -> str | None:
    return None if value is None else f"${value:,.0f}"


def _cell(key: str, s: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    """One value of the comparison: its text, the raw value, and why it is unknown when it is."""
    inst = d["institution"]
    text: str | None
    value: Any = None
    reason: str | None = None
    url: str | None = None
    if key == "location":
        text = f"{s['city']}, {s['state']}"
    elif key == "metro":
        text = s["metro"]["name"] if s["metro"] else None
        reason = None if text else "The institution is outside any CBSA."
    elif key == "control":
        text = s["control"]
    elif key == "accreditor":
        text = f"{s['accreditor']} ({inst['accreditor_vintage']})" if s["accreditor"] else None
        reason = None if text else inst["accreditor_note"]
    elif key == "distance":
        value = s["distance_exclusive_share"]
        text = f"{value:.0%} (fall {s['distance_year']})" if value is not None else None
        reason = None if text else "Not reported to IPEDS."
    elif key == "field":
        text = f"{s['cip']} {s['field']}"
    elif key == "tier":
        text = LABELS["tier"].get(s["tier"], s["tier"])
    elif key in ("awards_latest", "fos_completers"):
        value = s[key]
        text = f"{value:,}" if value is not None else None
        reason = None if text else ("Not reported." if key == "awards_latest" else s.get("earnings_1yr_reason"))
    elif key in ("earnings_1yr", "earnings_4yr", "debt_median"):
        value = s[key]
        text = _money(value)
        reason = s.get(f"{key}_reason")
    elif key == "debt_to_earnings":
        value = s[key]
        text = f"{value:.2f}" if value is not None else None
        reason = s.get("debt_to_earnings_reason")
    elif key == "pages":
        pages = [p for p in d["programs"]]
        text = "; ".join(f"{p['name']} (reviewed {p['reviewed']})" for p in pages) or None
        url = pages[0]["url"] if pages else None
        reason = None if text else "No program page verified yet."
    elif key == "tuition_rates":
        rates = d["tuition"]
        text = "; ".join(f"${r['amount_usd']:,.0f} per {r['per']} ({r['residency']}, {r['scope']})" for r in rates[:3])
        text = (text + (f"; {len(rates) - 3} more on the profile" if len(rates) > 3 else "")) or None
        url = rates[0]["source_url"] if rates else None
        reason = None if text else "No stated tuition rate verified for this institution."
    else:
        text, value, url = _fact_cell(key, d["programs"])
        reason = None if text else ("No page verified." if not d["programs"] else "Not stated on the page.")
    return {"text": text, "value": value, "reason": reason if text is None else None, "url": url}


def _fact_cell(key: str, programs: list[dict[str, Any]]) -> tuple[str | None, Any, str | None]:
    """A verified fact of an offering: several linked program pages may state different values, and a
    column must not mix one page's credits with another's duration, so every distinct value is shown."""
    found = []
    for p in programs:
        fact = next((f for f in p["facts"] if f["field"] == key), None)
        if fact is None and key == "format":
            fact = next((f for f in p["facts"] if f["field"] == "formats_offered"), None)
        if fact is not None:
            found.append(fact)
    if not found:
        return None, None, None
    shown = list(dict.fromkeys(f["display"] for f in found))
    text = "; ".join(shown)
    if len(shown) > 1:
        text += f" (differs between the {len(found)} program pages)"
    return text, found[0]["value"] if len(shown) == 1 else [f["value"] for f in found], found[0]["source_url"]


def compare_data(conn: Connection, ids: list[str]) -> dict[str, Any]:
    """The comparison document (also ``/compare.json``): offerings, rows of cells, chart points, sources."""
    offerings = get_offerings(conn, ids)
    details = [offering_details(conn, oid) for oid in ids]
    rows = [
        {
            "section": section,
            "key": key,
            "label": label,
            "source": source,
            "cells": [_cell(key, s, d) for s, d in zip(offerings, details, strict=True)],
        }
        for section, key, label, source in ROWS
    ]
    points = [
        {
            "id": s["id"],
            "label": f"{s['institution']} — {s['field']}",
            "earnings_1yr": s["earnings_1yr"],
            "debt_median": s["debt_median"],
        }
        for s in offerings
    ]
    ids_param = ",".join(ids)
    return {
        "ids": ids,
        "offerings": offerings,
        "rows": rows,
        "chart": {
            "x": "Median debt (USD)",
            "y": "Median earnings 1 year after (USD)",
            "level": FIELD_LEVEL,
            "points": [p for p in points if p["earnings_1yr"] is not None and p["debt_median"] is not None],
            "not_plotted": [p for p in points if p["earnings_1yr"] is None or p["debt_median"] is None],
        },
        "sources": search_index(conn).sources_for(EXPORT_SOURCE_IDS),
        "links": {
            "self": f"/compare?ids={ids_param}" if ids else "/compare",
            "json": f"/compare.json?ids={ids_param}" if ids else "/compare.json",
            "csv": f"/compare.csv?ids={ids_param}" if ids else "/compare.csv",
            "without": {
                oid: "/compare" + (f"?ids={','.join(i for i in ids if i != oid)}" if len(ids) > 1 else "")
                for oid in ids
            },
        },
        "max": MAX_COMPARE,
    }


IDS = Query(
    [],
    description=f"Offering ids to compare (up to {MAX_COMPARE}), comma-separated or repeated.",
    examples=[["166027-51.2706,167358-51.2706"]],
)


@router.get("/compare", response_class=HTMLResponse, summary="Compare programs side by side (HTML)")
def compare_page(request: Request, ids: list[str] = IDS, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    wanted = parse_ids(ids)
    try:
        return render(request, "compare.html", compare_data(conn, wanted))
    except OfferingNotFound as exc:
        # A stale shortlist should not be a dead end: say which ids are gone and link to the rest.
        rest = [i for i in wanted if i not in exc.missing]
        doc = compare_data(conn, rest)
        return render(request, "compare.html", {**doc, "missing": exc.missing}, status=404)


@router.get("/compare.json", response_model=CompareOut, summary="Compare programs: every field side by side")
def compare_json(ids: list[str] = IDS, conn: Connection = Depends(get_conn)) -> Response:
    return json_response(CompareOut, compare_data(conn, parse_ids(ids)))


# --- CSV exports ---------------------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # a spreadsheet must not run a cell as a formula
    return value


def _csv_row(s: dict[str, Any]) -> list[Any]:
    v = s["verified"]
    row = {
        **s,
        "metro_code": s["metro"]["code"] if s["metro"] else None,
        "metro_name": s["metro"]["name"] if s["metro"] else None,
        "verified_formats": ";".join(v["formats"]),
        "verified_gre": ";".join(v["gre"]),
        "verified_topics": ";".join(v["topics"]),
        "verified_program_urls": " ".join(p["url"] for p in v["programs"]),
        "profile_url": f"/programs/{s['id']}",
    }
    return [_csv_value(row.get(c)) for c in CSV_COLUMNS]


def export_csv(
    conn: Connection, what: str, offerings: list[dict[str, Any]], extra: list[dict[str, Any]], filename: str
) -> Response:
    """A CSV of offerings (plus ``extra`` comparison rows as columns), headed by ``#`` lines naming the
    export and crediting every source."""
    meta = catalog_meta(conn)
    buf = io.StringIO()
    buf.write(f"# GradPath export: {what}. Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the catalog built ")
    buf.write(f"{meta.get('built_at', 'at an unknown time')}.\n")
    buf.write("# Unknown values are empty cells, with the reason in the *_reason column beside them (never 0).\n")
    buf.write(f"# Earnings and debt are College Scorecard figures, {FIELD_LEVEL}.\n")
    buf.write("# Sources (vintage; licence; attribution):\n")
    for src in search_index(conn).sources_for(EXPORT_SOURCE_IDS):
        credit = f" {src['attribution']}" if src["attribution"] else ""
        buf.write(f"# - {src['title']} ({src['vintage']}; {src['license']}).{credit} {src['url']}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(r["key"] for r in extra)])
    for k, s in enumerate(offerings):
        writer.writerow([*_csv_row(s), *(_csv_value(r["cells"][k]["text"]) for r in extra)])
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/programs.csv", summary="Search master's programs: every match as CSV, with sources")
def programs_csv(query: OfferingQuery = Depends(offering_query), conn: Connection = Depends(get_conn)) -> Response:
    rows: list[dict[str, Any]] = []
    query.limit = MAX_LIMIT
    while True:  # the search pages at most MAX_LIMIT rows; an export wants them all
        doc = search_offerings(conn, query)
        rows.extend(doc["results"])
        query.offset += MAX_LIMIT
        if query.offset >= min(doc["count"], EXPORT_LIMIT):
            break
    described = "; ".join(f"{k}={v}" for k, v in query.to_params()) or "no filters"
    return export_csv(conn, f"program search ({described}), {doc['count']} offerings", rows, [], "programs.csv")


@router.get("/compare.csv", summary="Compare programs: one CSV row per program, with sources")
def compare_csv(ids: list[str] = IDS, conn: Connection = Depends(get_conn)) -> Response:
    doc = compare_data(conn, parse_ids(ids))
    extra = [r for r in doc["rows"] if r["section"] in ("Verified program facts", "Cost")]
    return export_csv(conn, f"comparison of {len(doc['ids'])} offerings", doc["offerings"], extra, "compare.csv")
