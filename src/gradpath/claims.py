"""Claims: check figures that third parties state (wages, growth, employment) against BLS data.

A claim names a metric, a SOC occupation or a curated role, an area (national by default), a period
or year, and a value or a ``[low, high]`` range (see :class:`gradpath.sources.curated_careers.Claim`).
Each claim gets a verdict:

* ``supported`` — a single value within :data:`SUPPORTED_TOLERANCE` of the official figure (or, for
  growth, within :data:`GROWTH_ROUNDING_POINTS` percentage points); a range that contains it;
* ``close`` — within :data:`CLOSE_TOLERANCE` of the official figure (of the nearest end, for a range);
* ``unsupported`` — further away than that;
* ``not_checkable`` — the catalog holds no official figure for what the claim is about: another
  projection period ("by 2029", "by 2032", year-over-year), another release year, an area BLS does not
  publish, a role's employment (BLS counts occupations, not roles), a top-coded wage. The reason is
  given, and the nearest official figure the catalog does hold is shown for reference.

Official figures: wages and employment from OEWS May 2025 (year 2025, or no year stated); a national
2024 median wage or 2024/2034 employment from the EP 2024–34 table; growth from EP 2024–34
(national only). A role's figures are its blends (:mod:`gradpath.careers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.areas import Area, AreaError, resolve_area
from gradpath.careers import WAGE_SOURCE, blend, role_outlook, role_shares, soc_components
from gradpath.occupations import OUTLOOK_PERIOD, outlook_block, wage_block, wages_with_fallback
from gradpath.sources.curated_careers import Claim, load_claims

SUPPORTED_TOLERANCE = 0.02
"""A single stated value within 2% of the official figure is ``supported`` (absorbs rounding such as
"$120,000" for $120,230)."""
CLOSE_TOLERANCE = 0.10
"""Within 10% of the official figure (of the nearest end of a stated range) is ``close``."""
GROWTH_ROUNDING_POINTS = 0.5
"""A growth claim within half a percentage point is ``supported`` too (a whole-number "34%" for 33.5%)."""
OEWS_YEAR = 2025
EP_START, EP_END = (int(y) for y in OUTLOOK_PERIOD.split("-"))
EP_SOURCE = {"id": "bls-ep-2024-34", "vintage": "2024–34 projections"}
VERDICTS = ("supported", "close", "unsupported", "not_checkable")
TOLERANCES = {
    "supported_percent": SUPPORTED_TOLERANCE * 100,
    "close_percent": CLOSE_TOLERANCE * 100,
    "growth_supported_points": GROWTH_ROUNDING_POINTS,
    "rule": (
        "A single value is supported within the supported tolerance of the official figure (growth also within "
        "the points tolerance), close within the close tolerance, else unsupported. A range is supported when it "
        "contains the official figure, close when its nearest end is within the close tolerance."
    ),
}
_WAGE_KEY = {"median_annual_wage": "median", "mean_annual_wage": "mean"}


class _NotCheckable(Exception):
    """The claim cannot be compared; ``official`` is the nearest figure the catalog holds, if any."""

    def __init__(self, reason: str, official: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.official = official


def check_file(conn: Connection, path: Path) -> dict[str, Any]:
    """The claims report of a claims file: tolerances, counts per verdict and one result per claim.

    Raises :class:`gradpath.sources.base.SourceError` when the file is missing or malformed."""
    roles = set(conn.execute(select(schema.role.c.id)).scalars())
    claims = load_claims(path, roles=roles)
    results = check_claims(conn, claims)
    return {
        "file": str(path),
        "tolerances": TOLERANCES,
        "summary": {v: sum(1 for r in results if r["verdict"] == v) for v in VERDICTS},
        "claims": results,
    }


def check_claims(conn: Connection, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """One result per claim, in order."""
    return [check_claim(conn, claim) for claim in claims]


def check_claim(conn: Connection, claim: Claim) -> dict[str, Any]:
    """``{id, text, metric, subject, area, claimed, verdict, official, difference_percent, explanation}``."""
    subject = {"soc": claim.soc} if claim.soc else {"role": claim.role}
    claimed: dict[str, Any] = {"value": list(claim.value) if isinstance(claim.value, tuple) else claim.value}
    claimed |= {"period": claim.period} if claim.period else {"year": claim.year}
    result: dict[str, Any] = {
        "id": claim.id,
        "text": claim.text,
        "metric": claim.metric,
        "subject": subject,
        "area": claim.area,
        "claimed": claimed,
    }
    try:
        official, context = _official(conn, claim)
    except _NotCheckable as exc:
        return result | {
            "verdict": "not_checkable",
            "official": exc.official,
            "difference_percent": None,
            "explanation": exc.reason,
        }
    if official["value"] is None:  # top-coded: only a lower bound, which the claim falls short of
        verdict, diff = "unsupported", round((claim.high - official["at_least"]) / official["at_least"] * 100, 1)
    else:
        verdict, diff = compare(claim, official["value"])
    return result | {
        "verdict": verdict,
        "official": official,
        "difference_percent": diff,
        "explanation": _explain(claim, official, verdict, diff, context),
    }


def compare(claim: Claim, official: float) -> tuple[str, float | None]:
    """(verdict, difference in % of the official figure) of a claim against an official value."""
    low, high = claim.low, claim.high
    if low <= official <= high:
        return "supported", 0.0
    nearest = low if official < low else high
    diff = (nearest - official) / abs(official) if official else None
    points = abs(nearest - official)
    diff_percent = round(diff * 100, 1) if diff is not None else None
    single = low == high
    if single and claim.metric == "growth_percent" and points <= GROWTH_ROUNDING_POINTS:
        return "supported", diff_percent
    if diff is None:
        return "unsupported", None
    if single and abs(diff) <= SUPPORTED_TOLERANCE:
        return "supported", diff_percent
    if abs(diff) <= CLOSE_TOLERANCE:
        return "close", diff_percent
    return "unsupported", diff_percent


def _official(conn: Connection, claim: Claim) -> tuple[dict[str, Any], str]:
    """The official figure a claim is compared with, and a sentence on what it is."""
    if claim.metric == "growth_percent":
        return _official_growth(conn, claim)
    if claim.metric == "employment":
        return _official_employment(conn, claim)
    return _official_wage(conn, claim)


def _subject_name(conn: Connection, claim: Claim) -> str:
    if claim.role:
        title = conn.execute(select(schema.role.c.title).where(schema.role.c.id == claim.role)).scalar()
        return f"the {title} role (blend of its occupations)" if title else f"role {claim.role}"
    title = conn.execute(select(schema.occupation.c.title).where(schema.occupation.c.soc == claim.soc)).scalar()
    if title is None:
        title = conn.execute(select(schema.outlook.c.title).where(schema.outlook.c.soc == claim.soc)).scalar()
    if title is None:
        raise _NotCheckable(f"SOC {claim.soc} is in neither OEWS May 2025 nor EP 2024–34.")
    return f"{claim.soc} {title}"


def _growth_figure(conn: Connection, claim: Claim) -> dict[str, Any] | None:
    if claim.role:
        shares = [(s.soc, s.weight) for s in role_shares(conn, claim.role)]
        block = role_outlook(shares, {soc: outlook_block(conn, soc) for soc, _ in shares})
    else:
        assert claim.soc is not None
        block = outlook_block(conn, claim.soc)
    if block.get("growth_percent") is None:
        return None
    return {"value": block["growth_percent"], "period": OUTLOOK_PERIOD, "area": "National"} | _src(EP_SOURCE)


def _official_growth(conn: Connection, claim: Claim) -> tuple[dict[str, Any], str]:
    name = _subject_name(conn, claim)
    official = _growth_figure(conn, claim)
    start, end = claim.period_years
    if (start, end) != (EP_START, EP_END):
        if claim.period == "year-over-year":
            what = "a one-year change in unstated years"
        elif start is None:
            what = f"growth to {end} from an unstated base year"
        else:
            what = f"the period {start}–{end}"
        raise _NotCheckable(
            f"The claim is about {what}; the catalog holds only BLS Employment Projections {EP_START}–{EP_END}, "
            f"so no official figure covers it. The {EP_START}–{EP_END} figure for {name} is shown for reference.",
            official,
        )
    if resolve_area_code(conn, claim.area) != "national":
        raise _NotCheckable("BLS Employment Projections are national; there is no official figure for this area.")
    if official is None:
        raise _NotCheckable(f"BLS Employment Projections publish no separate projection for {name}.")
    return official, f"BLS projects {official['value']}% growth for {name} over {EP_START}–{EP_END}"


def _official_wage(conn: Connection, claim: Claim) -> tuple[dict[str, Any], str]:
    key = _WAGE_KEY[claim.metric]
    name = _subject_name(conn, claim)
    if claim.year == EP_START and key == "median" and claim.soc and resolve_area_code(conn, claim.area) == "national":
        row = conn.execute(select(schema.outlook).where(schema.outlook.c.soc == claim.soc)).first()
        if row is not None and row.median_wage_2024 is not None:
            official = {"value": row.median_wage_2024, "year": EP_START, "area": "National"} | _src(EP_SOURCE)
            return official, f"the EP {EP_START}–{EP_END} table gives a {EP_START} median wage for {name}"
    block, area = _wage_block(conn, claim)
    scale = block["annual"]
    value = scale.get(key)
    official = {"value": value, "year": OEWS_YEAR, "area": area.name} | _src(WAGE_SOURCE)
    if claim.year is not None and claim.year != OEWS_YEAR:
        raise _NotCheckable(
            f"The claim is about {claim.year}; the catalog holds OEWS May {OEWS_YEAR} wages (shown for reference).",
            official if value is not None else None,
        )
    if value is None:
        bound = scale.get(f"{key}_at_least")
        if bound is not None and claim.high < bound * (1 - CLOSE_TOLERANCE):
            official |= {"value": None, "at_least": bound}
            return official, f"the official {key} for {name} is top-coded at no less than ${bound:,.0f}"
        raise _NotCheckable(scale.get(f"{key}_reason") or "Not published.", None)
    when = "May 2025" if claim.year else "May 2025 (the claim states no year; compared with the latest release)"
    return official, f"OEWS {when} gives an annual {key} of ${value:,.0f} for {name} {_in(area)}"


def _wage_block(conn: Connection, claim: Claim) -> tuple[dict[str, Any], Area]:
    try:
        area = resolve_area(conn, claim.area)
    except AreaError as exc:
        raise _NotCheckable(f"Area {claim.area!r} cannot be resolved: {exc}") from None
    if area.fallback:
        raise _NotCheckable(f"OEWS does not publish the claim's area: {area.fallback}")
    if claim.role:
        return blend(soc_components(conn, claim.role, area)), area
    assert claim.soc is not None
    row, used = wages_with_fallback(conn, claim.soc, area)
    if used.code != area.code:
        raise _NotCheckable(f"OEWS publishes no wages for {claim.soc} in {area.name}.")
    return wage_block(row, used), area


def _official_employment(conn: Connection, claim: Claim) -> tuple[dict[str, Any], str]:
    if claim.role:
        raise _NotCheckable(
            "BLS counts occupations, not roles, and the role's share of each occupation's jobs is not known, "
            "so a role's employment has no official figure."
        )
    name = _subject_name(conn, claim)
    national = resolve_area_code(conn, claim.area) == "national"
    if claim.year in (EP_START, EP_END) and national:
        o = outlook_block(conn, claim.soc or "")
        value = o.get(f"employment_{claim.year}")
        if value is None:
            raise _NotCheckable(f"BLS Employment Projections publish no separate figure for {name}.")
        kind = "estimated" if claim.year == EP_START else "projected"
        official = {"value": value, "year": claim.year, "area": "National"} | _src(EP_SOURCE)
        return official, f"BLS Employment Projections give {value:,} jobs {kind} for {name} in {claim.year}"
    block, area = _wage_block(conn, claim)
    value = block.get("employment")
    official = {"value": value, "year": OEWS_YEAR, "area": area.name} | _src(WAGE_SOURCE)
    if claim.year is not None and claim.year != OEWS_YEAR:
        raise _NotCheckable(
            f"The claim is about {claim.year}; the catalog holds OEWS May {OEWS_YEAR} employment and EP "
            f"{EP_START}/{EP_END} national employment.",
            official if value is not None else None,
        )
    if value is None:
        raise _NotCheckable(block.get("employment_reason") or "Employment not published.")
    return official, f"OEWS May {OEWS_YEAR} counts {value:,} jobs for {name} {_in(area)}"


def _fmt(metric: str, value: float) -> str:
    if metric == "growth_percent":
        return f"{value:g}%"
    return f"${value:,.0f}" if metric != "employment" else f"{value:,.0f}"


def _explain(claim: Claim, official: dict[str, Any], verdict: str, diff: float | None, context: str) -> str:
    stated = _fmt(claim.metric, claim.low)
    if claim.low != claim.high:
        stated += f" to {_fmt(claim.metric, claim.high)}"
    if official.get("value") is None:
        return f"Stated {stated}, but {context}: the claim is below that bound."
    gap = "" if not diff else f" ({diff:+.1f}% of the official figure)"
    judged = {
        "supported": "consistent with it",
        "close": f"within {CLOSE_TOLERANCE:.0%} of it",
        "unsupported": f"more than {CLOSE_TOLERANCE:.0%} away from it",
    }[verdict]
    return f"Stated {stated}; {context}. The claim is {judged}{gap}."


def _in(area: Area) -> str:
    return "nationally" if area.type == "national" else f"in {area.name}"


def resolve_area_code(conn: Connection, text: str) -> str | None:
    """The area code ``text`` resolves to, or None when it does not resolve."""
    try:
        return resolve_area(conn, text).code
    except AreaError:
        return None


def _src(source: dict[str, str]) -> dict[str, str]:
    return {"source_id": source["id"], "vintage": source["vintage"]}
