"""Occupations: OEWS wages for an occupation in an area, and its EP 2024–34 outlook.

Values BLS does not publish stay ``null`` with a ``<name>_reason`` beside them; a top-coded
wage also carries ``<name>_at_least`` (the published lower bound), never a made-up number.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from gradpath import schema
from gradpath.areas import Area, resolve_area

# Footnote 5 of the May 2025 release: "equal to or greater than $115.00 per hour or $239,200 per year".
TOP_CODED_ANNUAL = 239_200
TOP_CODED_HOURLY = 115.00
ALL_OCCUPATIONS = "00-0000"
OUTLOOK_PERIOD = "2024-2034"
SOC_RE = re.compile(r"^\d{2}-\d{4}$")

PERCENTILES = (("p10", "p10"), ("p25", "p25"), ("median", "median"), ("p75", "p75"), ("p90", "p90"))


class OccupationNotFound(LookupError):
    """The SOC code is not in the catalog."""


def normalise_soc(text: str) -> str:
    """'152051', '15-2051' or '15-2051.00' → '15-2051'; raises ValueError otherwise."""
    raw = text.strip()
    if re.fullmatch(r"\d{6}", raw):
        raw = f"{raw[:2]}-{raw[2:]}"
    raw = re.sub(r"\.\d{2}$", "", raw)
    if not SOC_RE.match(raw):
        raise ValueError(f"{text!r} is not a SOC code like 15-2051")
    return raw


def _reason(field: str, footnote: int | None, scale: str, area_type: str) -> str:
    if footnote == 5:
        bound = f"${TOP_CODED_ANNUAL:,} a year" if scale == "annual" else f"${TOP_CODED_HOURLY:.2f} an hour"
        return f"Top-coded: BLS publishes this wage only as at least {bound}."
    if footnote == 8:
        return "Estimate not released by BLS (too few survey responses or quality standards not met)."
    if footnote == 4:
        other = "hourly" if scale == "annual" else "annual"
        return f"BLS publishes only {other} wages for this occupation (it is not typically paid on an {scale} basis)."
    if field in ("location_quotient", "jobs_per_1000") and area_type == "national":
        return "Not applicable to the nation as a whole (it compares an area's jobs with the nation's)."
    return "Not published by BLS for this occupation and area."


def wage_block(row: Row[Any] | None, area: Area) -> dict[str, Any]:
    """The JSON wage block of one OEWS cell (or of a missing one)."""
    src = {"id": "bls-oews-2025", "vintage": "May 2025"}
    if row is None:
        reason = "BLS publishes no estimate for this occupation in this area."
        nulls: dict[str, Any] = {}
        for key, _ in PERCENTILES:
            nulls[key] = None
            nulls[f"{key}_reason"] = reason
        nulls["mean"] = None
        nulls["mean_reason"] = reason
        return {
            "annual": dict(nulls),
            "hourly": dict(nulls),
            "employment": None,
            "employment_reason": reason,
            "employment_rse_percent": None,
            "location_quotient": None,
            "location_quotient_reason": reason,
            "jobs_per_1000": None,
            "jobs_per_1000_reason": reason,
            "source": src,
        }
    m = row._mapping

    def scale(kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        pairs = [*((k, f"{kind}_{c}") for k, c in PERCENTILES), ("mean", f"{kind}_mean")]
        for key, col in pairs:
            value = m[col]
            out[key] = value
            if value is None:
                fn = m[f"fn_{col}"]
                out[f"{key}_reason"] = _reason(col, fn, kind, area.type)
                if fn == 5:
                    out[f"{key}_at_least"] = TOP_CODED_ANNUAL if kind == "annual" else TOP_CODED_HOURLY
        return out

    block: dict[str, Any] = {
        "annual": scale("annual"),
        "hourly": scale("hourly"),
        "employment": int(m["employment"]) if m["employment"] is not None else None,
        "employment_rse_percent": m["employment_rse"],
        "location_quotient": m["location_quotient"],
        "jobs_per_1000": m["jobs_per_1000"],
        "source": src,
    }
    for key, col in (
        ("employment", "employment"),
        ("employment_rse_percent", "employment_rse"),
        ("location_quotient", "location_quotient"),
        ("jobs_per_1000", "jobs_per_1000"),
    ):
        if m[col] is None:
            block[f"{key}_reason"] = _reason(col, m[f"fn_{col}"], "annual", area.type)
    return block


def has_wages(row: Row[Any] | None) -> bool:
    """True when the cell publishes at least an annual median or mean."""
    return row is not None and (
        row.annual_median is not None or row.annual_mean is not None or row.fn_annual_median == 5
    )


def wage_row(conn: Connection, soc: str, area_code: str) -> Row[Any] | None:
    """One OEWS cell."""
    return conn.execute(
        select(schema.wage).where(schema.wage.c.soc == soc, schema.wage.c.area_code == area_code)
    ).first()


def wages_with_fallback(conn: Connection, soc: str, area: Area) -> tuple[Row[Any] | None, Area]:
    """The cell for ``area``, or — when a metro publishes no wages for this SOC — its state's, labelled."""
    row = wage_row(conn, soc, area.code)
    if has_wages(row) or area.type not in ("metro", "nonmetro"):
        return row, area
    state_code = conn.execute(select(schema.area.c.state).where(schema.area.c.code == area.code)).scalar()
    if not state_code:
        return row, area
    state_row = wage_row(conn, soc, state_code)
    state_name = conn.execute(select(schema.area.c.name).where(schema.area.c.code == state_code)).scalar_one()
    used = Area(
        code=state_code,
        name=state_name,
        type="state",
        requested=area.requested,
        fallback=f"OEWS publishes no wages for this occupation in {area.name}; showing {state_name} statewide figures.",
    )
    return state_row, used


def outlook_block(conn: Connection, soc: str) -> dict[str, Any]:
    """EP 2024–34 growth, openings and entry education, beside the all-occupations figures."""
    rows = {
        r.soc: r for r in conn.execute(select(schema.outlook).where(schema.outlook.c.soc.in_([soc, ALL_OCCUPATIONS])))
    }
    total = rows.get(ALL_OCCUPATIONS)
    r = rows.get(soc)
    base: dict[str, Any] = {
        "period": OUTLOOK_PERIOD,
        "all_occupations_growth_percent": total.change_percent if total else None,
        "source": {"id": "bls-ep-2024-34", "vintage": "2024–34 projections"},
    }
    if r is None:
        reason = "BLS Employment Projections publish no separate projection for this occupation."
        return {
            **base,
            "growth_percent": None,
            "growth_percent_reason": reason,
            "openings_annual": None,
            "employment_2024": None,
            "employment_2034": None,
            "entry_education": None,
            "median_wage_2024": None,
        }
    out = {
        **base,
        "growth_percent": r.change_percent,
        "openings_annual": round(r.openings_annual_k * 1000) if r.openings_annual_k is not None else None,
        "employment_2024": round(r.employment_2024_k * 1000) if r.employment_2024_k is not None else None,
        "employment_2034": round(r.employment_2034_k * 1000) if r.employment_2034_k is not None else None,
        "entry_education": r.entry_education,
        "work_experience": r.work_experience,
        "job_training": r.job_training,
        "median_wage_2024": r.median_wage_2024,
    }
    if r.median_wage_2024 is None and r.median_wage_2024_note:
        out["median_wage_2024_reason"] = f"Top-coded in the projections table ({r.median_wage_2024_note})."
        out["median_wage_2024_at_least"] = TOP_CODED_ANNUAL
    return out


def show_occupation(conn: Connection, soc_text: str, area_text: str | None = None) -> dict[str, Any]:
    """The ``occupations show`` document: title, area, wages and outlook of one SOC."""
    soc = normalise_soc(soc_text)
    occ = conn.execute(select(schema.occupation).where(schema.occupation.c.soc == soc)).first()
    title = occ.title if occ else None
    if title is None:
        proj = conn.execute(select(schema.outlook.c.title).where(schema.outlook.c.soc == soc)).scalar()
        if proj is None:
            raise OccupationNotFound(f"SOC {soc} is not in OEWS May 2025 or EP 2024–34")
        title = proj
    area = resolve_area(conn, area_text)
    row, used = wages_with_fallback(conn, soc, area)
    return {
        "soc": soc,
        "title": title,
        "area": used.to_json(),
        "wages": wage_block(row, used),
        "outlook": outlook_block(conn, soc),
    }
