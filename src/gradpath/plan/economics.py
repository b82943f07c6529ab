"""Economics of one offering for one person: its timelines, the tuition the plan uses, cost and ROI.

Pure: it reads only the :class:`~gradpath.plan.context.PlanContext`. Results are memoised within the
plan — offerings (and linked programs) that share a tuition quote and a timeline share the arithmetic,
because everything else the arithmetic reads comes from the profile, the same for the whole plan.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, NamedTuple

from gradpath.plan.assumptions import DIRECT_UNSUB_GRAD, academic_year_start
from gradpath.plan.context import PACES, PlanContext
from gradpath.plan.eligibility import OfferingFacts
from gradpath.plan.finance import CostBreakdown, cost_of_attendance, prorated_annual_limit
from gradpath.plan.roi import RoiInputs, RoiSummary, roi_summary
from gradpath.plan.timeline import Timeline, plan_timeline
from gradpath.plan.tuition import (
    StatedRate,
    TuitionQuote,
    choose_tuition,
    rate_applies,
    stated_program_rates,
    unknown_tuition,
)

NO_TUITION = unknown_tuition("cost unknown: no program tuition, usable institution rate or own figure")


class Economics(NamedTuple):
    """Cost and ROI of one offering at one pace and format; ``why`` says why ROI is unknown."""

    roi: RoiSummary | None
    cost: CostBreakdown
    inputs: RoiInputs | None
    why: str
    net: float | None


def timelines(ctx: PlanContext, facts: OfferingFacts | None, bridge_terms: int) -> dict[str, Timeline]:
    """Both paces' timelines of a program (``facts`` ``None``: no verified facts), memoised by their inputs."""
    credits, unit, _ = facts.credits() if facts else (None, None, "credits not stated")
    ft, pt = (
        facts.stated("duration_months_fulltime") if facts else None,
        facts.stated("duration_months_parttime") if facts else None,
    )
    key = ("timeline", ft, pt, credits if unit else None, unit, bridge_terms)
    if key not in ctx.memo:
        ctx.memo[key] = {
            pace: plan_timeline(ft, pt, credits if unit else None, ctx.start_term, part_time=pace == "parttime",
                                loads=ctx.defaults.loads, bridge_terms=bridge_terms,
                                credit_unit="quarter" if unit == "quarter" else "semester")
            for pace in PACES
        }  # fmt: skip
    return ctx.memo[key]


def _usable_rates(ctx: PlanContext, unitid: int, part_time: bool) -> list[StatedRate]:
    key = ("rates", unitid, part_time)
    if key not in ctx.memo:
        ctx.memo[key] = [r for r in ctx.rates.get(unitid, []) if rate_applies(r, part_time)]
    return ctx.memo[key]


def tuition_quote(
    ctx: PlanContext, row: Any, facts: OfferingFacts | None, tl: Timeline, online: bool | None
) -> TuitionQuote:
    """The tuition the plan uses for one program at one pace and format, labelled by its source."""
    own = ctx.own_tuition.get(row["id"])
    if facts is None and own is None:
        if row["unitid"] not in ctx.rates:
            return NO_TUITION  # most offerings: nothing to choose from, so skip the ranking of sources
        key = ("tuition", row["unitid"], tl.part_time, tl.program_months, tl.terms, online)
        if key in ctx.memo:
            return ctx.memo[key]
    months = tl.program_months
    load = ctx.defaults.loads.part_time if tl.part_time else ctx.defaults.loads.full_time
    terms = tl.terms or (None if months is None else math.ceil(months / 12 * load.terms_per_year - 1e-9))
    residency = None if not ctx.area_states else "resident" if row["state"] in ctx.area_states else "nonresident"
    quote = choose_tuition(
        program_rates=stated_program_rates(facts),
        institution_rates=_usable_rates(ctx, row["unitid"], tl.part_time),
        user_amount=own, credits=facts.credits()[0] if facts else None, terms=terms,
        years=None if months is None else months / 12, residency=residency, online=online,  # type: ignore[arg-type]
        as_of_year=academic_year_start(ctx.today), stale_after_years=ctx.defaults.tuition_stale_after_years,
    )  # fmt: skip
    if facts is None and own is None:
        ctx.memo[("tuition", row["unitid"], tl.part_time, tl.program_months, tl.terms, online)] = quote
    return quote


def economics(
    ctx: PlanContext,
    row: Any,
    facts: OfferingFacts | None,
    tl: Timeline,
    bridges: int,
    *,
    online: bool | None,
    relocating: bool,
) -> Economics:
    """Cost and ROI of one offering at one pace and format (ROI ``None`` without a salary or target role).

    Memoised within the plan: offerings that share a tuition quote and timeline share the arithmetic
    (everything else the arithmetic reads comes from the profile, the same for the whole plan).
    """
    tuition = tuition_quote(ctx, row, facts, tl, online)
    key = ("economics", tuition, tl.months, tl.program_months, tl.part_time, relocating, bridges, online)
    if key not in ctx.memo:
        ctx.memo[key] = _economics(ctx, tuition, tl, bridges, online, relocating)
    return ctx.memo[key]


def _economics(
    ctx: PlanContext, tuition: TuitionQuote, tl: Timeline, bridges: int, online: bool | None, relocating: bool
) -> Economics:
    money, d = ctx.profile.money, ctx.defaults
    years = None if tl.program_months is None else tl.program_months / 12

    def total(per_year: float | None) -> float | None:
        return None if per_year is None or years is None else per_year * years

    common: dict[str, Any] = dict(
        study_months=tl.months, part_time=tl.part_time, fees=total(money.fees_per_year),
        books_tech=total(money.books_per_year), relocating=relocating,
        living_relocation=total(money.relocation_living_cost_per_year), scholarships=money.scholarships,
        employer_aid_per_year=money.employer_assistance_per_year, marginal_tax_rate=d.marginal_tax_rate_on_taxable_aid,
        bridge_courses=0.0 if not bridges else None if money.bridge_course_cost is None
        else money.bridge_course_cost * bridges,
    )  # fmt: skip
    role = ctx.roles[0] if ctx.roles else None
    if ctx.salary is None or role is None:
        cost = cost_of_attendance(tuition, current_salary=ctx.salary, wage_growth=d.wage_growth, **common)
        why = "no target role: set goals.roles" if role is None else f"current salary {ctx.salary_note}"
        return Economics(None, cost, None, why, cost.net_cost_out_of_pocket)
    load = d.loads.part_time if tl.part_time else d.loads.full_time
    limit = prorated_annual_limit(DIRECT_UNSUB_GRAD.annual_limit, load.credits_per_term,
                                  d.loads.full_time.credits_per_term)  # fmt: skip
    inputs = RoiInputs(
        current_salary=ctx.salary, target=role.band, tuition=tuition, loan_annual_limit=limit,
        discount_rate=d.discount_rate, horizon_years=d.horizon_years_after_graduation, wage_growth=d.wage_growth,
        ramp_years=d.ramp_years, label=("part-time" if tl.part_time else "full-time") + (", online" * bool(online)),
        **common,
    )  # fmt: skip
    if money.borrow and tl.months:
        # borrow what savings leave of the net cost (the loan does not change the cost itself)
        net = cost_of_attendance(tuition, current_salary=ctx.salary, wage_growth=d.wage_growth, **common)
        if net.net_cost_out_of_pocket is not None:
            need = max(0.0, net.net_cost_out_of_pocket - money.savings) / (tl.months / 12)
            inputs = replace(inputs, loan_need_per_year=need)
    summary = roi_summary(inputs)
    return Economics(summary, summary.cost, inputs, "; ".join(summary.unknown), summary.cost.net_cost_out_of_pocket)
