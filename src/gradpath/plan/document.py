"""The plan's documents: the JSON shapes of one program's entry, its timelines, cost, ROI and assumptions.

Built from the evaluation (:mod:`gradpath.plan.evaluate`) and the plan context; the CLI prints them,
the web pages render them and their JSON twins return them unchanged.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from gradpath.plan.assumptions import describe_defaults
from gradpath.plan.context import PlanContext
from gradpath.plan.eligibility import BRIDGE_COURSES_PER_TERM
from gradpath.plan.evaluate import Evaluated, LinkedProgram
from gradpath.plan.finance import CostBreakdown
from gradpath.plan.roi import RoiSummary, WageBand
from gradpath.plan.score import SCORING_NOTES
from gradpath.plan.timeline import Timeline
from gradpath.plan.tuition import RATE_RULE


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def timeline_doc(tl: Timeline) -> dict[str, Any]:
    """One pace's timeline: months (range), terms, dates, weekly hours, basis and assumption."""
    return {
        "months": tl.months, "months_range": None if tl.months_range is None else list(tl.months_range),
        "program_months": tl.program_months, "bridge_months": tl.bridge_months, "terms": tl.terms,
        "start": _iso(tl.start), "program_start": _iso(tl.program_start), "graduation": _iso(tl.graduation),
        "weekly_hours": tl.weekly_hours, "basis": tl.basis, "assumption": tl.assumption,
    }  # fmt: skip


def cost_doc(pace: str, cost: CostBreakdown) -> dict[str, Any]:
    """The cost at one pace: net total (``None`` when unknown), its lines, tuition source and unknowns."""
    d = cost.as_dict()
    return {"pace": pace, "total": cost.net_cost_out_of_pocket, "total_economic": cost.amount("total_economic_cost"),
            "breakdown": d["lines"], "sources": [d["tuition_source"]], "unknowns": d["unknown"]}  # fmt: skip


def band_doc(band: WageBand) -> dict[str, Any]:
    """A target wage band (median, p25, p75) with its label and the reason a value is missing."""
    return {"median": band.median, "p25": band.p25, "p75": band.p75, "label": band.label, "reason": band.reason}


def roi_doc(ctx: PlanContext, pace: str, summary: RoiSummary | None, why: str) -> dict[str, Any]:
    """The return at one pace: NPV, payback, band and what is unknown (``why`` when no ROI was computed)."""
    role = ctx.roles[0] if ctx.roles else None
    base = {
        "pace": pace,
        "role": None if role is None else role.id,
        "target": None if role is None else band_doc(role.band),
    }
    if summary is None:
        return {**base, "npv": None, "payback_years": None, "band": {"low": None, "high": None}, "unknown": [why],
                "caveats": []}  # fmt: skip
    return {**base, "npv": summary.npv, "payback_years": summary.payback_years,
            "band": {"low": summary.band_low, "high": summary.band_high}, "unknown": list(summary.unknown),
            "caveats": list(summary.caveats)}  # fmt: skip


def linked_doc(ctx: PlanContext, linked: LinkedProgram) -> dict[str, Any]:
    """One verified program linked to the offering, with its own status: score, exclusions, requirements, time, cost."""
    o = linked.option
    return {
        "name": o.facts.name if o.facts else "", "pages": o.facts.pages if o.facts else [], "used": linked.used,
        "score": linked.score.total, "excluded": bool(o.excluded_because), "excluded_because": list(o.excluded_because),
        "eligibility": o.eligibility.counts(), "months": o.timelines[ctx.pace].months, "net_cost": o.economics.net,
    }  # fmt: skip


def program_doc(ctx: PlanContext, ev: Evaluated, rank: int | None) -> dict[str, Any]:
    """One program's entry of the plan: score and components, eligibility, timelines, cost, ROI, context."""
    row, formats = ev.row, ev.formats
    return {
        "id": row["id"], "rank": rank, "score": ev.score.total, "components": ev.score.as_dict(),
        "institution": row["institution"], "unitid": row["unitid"], "city": row["city"], "state": row["state"],
        "cip": row["cip"], "field": row["cip_title"], "tier": row["tier"], "current": bool(row["current"]),
        "last_reported_year": row["last_reported_year"],
        "verified_pages": [page for lp in ev.linked if lp.option.facts for page in lp.option.facts.pages],
        "program": None if ev.facts is None else {
            "name": ev.facts.name, "pages": ev.facts.pages, "linked": len(ev.linked),
            "note": "the figures below come from this verified program" + (
                f", the best fit of the {len(ev.linked)} linked to this offering" if len(ev.linked) > 1 else "")},
        "linked_programs": [linked_doc(ctx, lp) for lp in ev.linked],
        "format": {"formats": None if formats is None else sorted(formats),
                   "note": "format unknown — verify" if formats is None else "from verified program facts"},
        "flags": list(ev.flags),
        "eligibility": [r.as_dict() for r in ev.eligibility.items],
        "application_checklist": list(ev.eligibility.checklist),
        "bridge": {"courses": list(ev.eligibility.bridge_courses), "terms": ev.eligibility.bridge_terms},
        "timeline": {"pace": ev.pace, **{pace: timeline_doc(tl) for pace, tl in ev.timelines.items()}},
        "cost": cost_doc(ev.pace, ev.cost),
        "roi": roi_doc(ctx, ev.pace, ev.roi, ev.roi_reason),
        "outcomes": {
            "level": "field (institution × 4-digit CIP), shared by siblings", "source": "scorecard-fos-truewise",
            "earnings_1yr": row["earnings_1yr"], "earnings_1yr_reason": row["earnings_1yr_note"],
            "earnings_4yr": row["earnings_4yr"], "debt_median": row["debt_median"],
            "awards_latest": row["awards_latest"], "awards_source": "ipeds-completions-2020-2024",
        },
        "accreditation": {"institutional": row["accreditor"], "vintage": row["accreditor_vintage"],
                          "reason": row["accreditor_note"], "source": "accreditation"},
        "context": {"distance_exclusive_share": row["distance_exclusive_share"], "distance_year": row["distance_year"],
                    "note": "institution-wide share of students studying only online (IPEDS); not this program's "
                            "format", "source": "ipeds-distance-ed"},
        "excluded_because": list(ev.excluded_because),
    }  # fmt: skip


def resolved_doc(ctx: PlanContext) -> dict[str, Any]:
    """What the profile resolved to: area, residency states, salary, occupation, start term, roles."""
    return {
        "area": ctx.area.to_json(), "residency_states": sorted(ctx.area_states),
        "current_salary": {"amount": ctx.salary, "note": ctx.salary_note}, "occupation": ctx.occupation,
        "start_term": {"term": ctx.start_term, "note": ctx.start_note},
        "roles": [{"id": r.id, "title": r.title, "area": r.area, **band_doc(r.band)} for r in ctx.roles],
    }  # fmt: skip


def assumptions_doc(ctx: PlanContext) -> dict[str, Any]:
    """Every assumption: the planner's dated defaults, the scoring choices, the weights and the data used."""
    role = ctx.roles[0] if ctx.roles else None
    states = ", ".join(sorted(ctx.area_states)) or "none (national area: the higher rate is used)"
    data = [
        {"name": "current_salary", "value": ctx.salary, "note": ctx.salary_note},
        {"name": "target_wage", "value": None if role is None else role.band.median,
         "note": "no target role" if role is None else role.band.label + "; p25-p75 give the band"},
        {"name": "start_term", "value": ctx.start_term, "note": ctx.start_note},
        {"name": "residency", "value": states,
         "note": "resident tuition when the institution is in your area's state(s), else nonresident"},
        {"name": "bridge_courses_per_term", "value": BRIDGE_COURSES_PER_TERM,
         "note": "missing required courses are taken first; cost is your money.bridge_course_cost or unknown"},
        {"name": "institution_rates", "value": "filtered", "note": RATE_RULE},
        {"name": "outcomes", "value": "field level",
         "note": "College Scorecard earnings are institution × 4-digit CIP medians, shared by sibling programs"},
        {"name": "format", "value": "verified facts only",
         "note": "a program's format comes from verified facts; unknown format is flagged, never assumed"},
    ]  # fmt: skip
    return {"planner": [asdict(n) for n in describe_defaults(ctx.defaults)], "scoring": list(SCORING_NOTES),
            "weights": ctx.weights, "data": data}  # fmt: skip
