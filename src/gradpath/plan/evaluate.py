"""Evaluation of one offering for one person: each linked program's fit, and the one the offering stands for.

An offering (institution × 6-digit CIP) can be linked to several verified programs: two programs of
one school can share a code (a research and an applied master's, an accelerated track for doctorate
holders beside the regular one). Each linked program is evaluated on its own facts — eligibility,
both timelines, cost and ROI at the person's pace, flags, hard-constraint exclusions and the score —
so one program's requirement never excludes another. The offering takes the figures of its
best-fitting program (:func:`best_option`): one not excluded first, then the highest score, then the
program with the most facts. It is excluded only when every linked program is, and the others are
listed beside it with their own status. Pages of one program (same name and degree) are read
together as that program's facts (see :mod:`gradpath.plan.service`).

Pure: the catalog rows come from the :class:`~gradpath.plan.context.PlanContext`; offerings with the
same inputs share one result through its memo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from gradpath.plan.context import PlanContext, is_local, plan_online
from gradpath.plan.economics import Economics, economics, timelines, tuition_quote
from gradpath.plan.eligibility import NOT_VERIFIED, Eligibility, OfferingFacts, assess_eligibility
from gradpath.plan.finance import CostBreakdown
from gradpath.plan.roi import RoiInputs, RoiSummary
from gradpath.plan.score import (
    Check,
    FitScore,
    accreditation_value,
    cost_value,
    curriculum_value,
    eligibility_value,
    exclusions,
    flexibility_value,
    outcomes_value,
    roi_value,
)
from gradpath.plan.timeline import Timeline, parse_start_term

Value = tuple[float | None, str]


class Option(NamedTuple):
    """One linked program (``facts``; ``None`` when the offering has no verified facts) evaluated for the offering."""

    facts: OfferingFacts | None
    eligibility: Eligibility
    formats: frozenset[str] | None
    timelines: dict[str, Timeline]
    economics: Economics
    flags: tuple[str, ...]
    values: tuple[Value, ...]  # eligibility, cost, roi, flexibility, curriculum
    excluded_because: tuple[str, ...]
    points: float  # the rounded points of those five components


class Prepared(NamedTuple):
    """An offering's options, the one it stands for, its score total and whether it is excluded."""

    options: tuple[Option, ...]
    chosen: int
    total: float
    excluded: bool


@dataclass(frozen=True, slots=True)
class LinkedProgram:
    """One verified program linked to the offering, with its own score; ``used`` when the figures shown are its."""

    option: Option
    used: bool
    score: FitScore


@dataclass(slots=True)
class Evaluated:
    """One offering evaluated for one person at the person's pace, with the figures of one linked program."""

    row: Any
    facts: OfferingFacts | None
    eligibility: Eligibility
    formats: frozenset[str] | None
    timelines: dict[str, Timeline]
    pace: str
    cost: CostBreakdown
    roi: RoiSummary | None
    roi_reason: str
    inputs: RoiInputs | None
    score: FitScore
    flags: tuple[str, ...]
    excluded_because: tuple[str, ...]
    linked: tuple[LinkedProgram, ...] = ()


def _season(text: str) -> str | None:
    try:
        return parse_start_term(f"{text} 2000").season
    except ValueError:
        return None


def _checks(ctx: PlanContext, facts: OfferingFacts | None, formats: frozenset[str] | None, local: bool | None,
            tl: Timeline) -> list[Check]:  # fmt: skip
    c, checks = ctx.profile.constraints, []
    if c.online_only:
        checks.append(Check("online", None if formats is None else "online" in formats,
                            "format unknown — verify" if formats is None else "verified format"))  # fmt: skip
    elif formats and "online" in formats:
        checks.append(Check("location", True, "offered online"))
    elif local is None:
        checks.append(Check("location", None, "no area to compare (national)"))
    else:
        moving = "outside your area" + ("; you are willing to relocate" if ctx.profile.location.relocate else "")
        checks.append(Check("location", local or ctx.profile.location.relocate, "in your area" if local else moving))
    if c.part_time:
        stated = facts is not None and facts.stated("duration_months_parttime") is not None
        checks.append(Check("part-time", True if stated else None,
                            "part-time duration stated" if stated else "part-time option not verified"))  # fmt: skip
    if c.start_term:
        starts = facts.first("start_terms") if facts else None
        if starts is None:
            checks.append(Check("start term", None, "start terms not verified"))
        else:
            seasons = {_season(str(s)) for s in starts.value}
            passed = ctx.start_season in seasons
            checks.append(Check("start term", passed, f"starts: {', '.join(map(str, starts.value))}"))
    if c.hours_per_week:
        checks.append(Check("hours", tl.weekly_hours <= c.hours_per_week,
                            f"about {tl.weekly_hours:g} h a week at this pace"))  # fmt: skip
    return checks


def _curriculum(ctx: PlanContext, row: Any, facts: OfferingFacts | None) -> tuple[float | None, str]:
    if not ctx.roles:
        return curriculum_value(None, None, 0.0, None)
    topics = {t for f in (facts.all("curriculum_topics") if facts else []) for t in f.value}
    best: tuple[float | None, str] | None = None
    for role in ctx.roles:
        weight = {name: 2.0 if level == "core" else 1.0 for name, level in role.skills.items()}
        covered = sum(w for name, w in weight.items() if name in topics) if topics else None
        value = curriculum_value(row["cip4"] in role.cips, covered, sum(weight.values()), role.title)
        if best is None or (value[0] or 0.0) > (best[0] or 0.0):
            best = value
    assert best is not None
    return best


def _option(ctx: PlanContext, row: Any, facts: OfferingFacts | None, local: bool | None) -> Option:
    """One program's evaluation for the offering (``facts`` ``None``: the offering has no verified facts)."""
    elig = assess_eligibility(facts, ctx.profile) if facts else NOT_VERIFIED
    formats = facts.formats() if facts else None
    tls = timelines(ctx, facts, elig.bridge_terms)
    c, pace = ctx.profile.constraints, ctx.pace
    relocating = formats is not None and "online" not in formats and local is False
    econ = economics(ctx, row, facts, tls[pace], len(elig.bridge_courses), online=plan_online(ctx, formats),
                     relocating=relocating)  # fmt: skip
    tuition = econ.cost.tuition
    flags = tuple(text for test, text in (
        (formats is None, "format unknown — verify"),
        (facts is None, "requirements not verified — verify"),
        (tls[pace].months is None, "duration unknown"),
        (tuition.amount is None, "cost unknown"),
        (tuition.basis == "institution_rate", "tuition is an institution-level rate, not this program's price"),
        (bool(tuition.stale), f"tuition year {tuition.year} is stale"),
        (tuition.amount is not None and tuition.stale is None and tuition.basis != "user", "tuition year not stated"),
        (relocating, "campus outside your area: relocation"),
        (c.max_total_cost is not None and econ.net is not None and econ.net > c.max_total_cost
         and tuition.basis == "institution_rate", "above your maximum at the institution rate — verify"),
        (len({str(f.value) for f in facts.all("credits")}) > 1 if facts else False,
         "verified pages disagree on credits — verify"),
    ) if test)  # fmt: skip
    values = (
        eligibility_value(elig),
        cost_value(econ.net, c.max_total_cost, tuition.label if tuition.amount is None else ""),
        roi_value(None if econ.roi is None else econ.roi.npv, econ.why),
        ctx.remember(
            ("flexibility", local) if facts is None else None,
            lambda: flexibility_value(_checks(ctx, facts, formats, local, tls[pace])),
        ),
        ctx.remember(("curriculum", row["cip4"]) if facts is None else None, lambda: _curriculum(ctx, row, facts)),
    )
    own_price = tuition.basis in ("program_total", "per_credit_x_credits", "user")
    excluded = tuple(exclusions(elig, formats, c.online_only, econ.net if own_price else None, c.max_total_cost))
    points = sum(round(w * (v or 0.0), 2) for w, (v, _) in zip(ctx.weight_tuple, values, strict=False))
    return Option(facts, elig, formats, tls, econ, flags, values, excluded, points)


def _options(ctx: PlanContext, row: Any) -> tuple[Option, ...]:
    programs = ctx.programs.get(row["id"])
    local = is_local(ctx, row)
    if programs is None and row["id"] not in ctx.own_tuition:
        # offerings without verified facts differ only by the tuition their institution's rates give (if any),
        # their place and their field; this runs for most of the catalog, so the first key is cheap to hash
        key = ("shared", row["unitid"] if row["unitid"] in ctx.rates else None, local, row["cip4"])
        found: tuple[Option, ...] | None = ctx.memo.get(key)
        if found is None:
            tuition = tuition_quote(ctx, row, None, timelines(ctx, None, 0)[ctx.pace], None)
            found = ctx.memo[key] = ctx.remember(
                ("priced", tuition, local, row["cip4"]), lambda: (_option(ctx, row, None, local),)
            )
        return found
    return ctx.remember(
        ("offering", row["id"]), lambda: tuple(_option(ctx, row, facts, local) for facts in programs or (None,))
    )


def best_option(options: Sequence[Option]) -> int:
    """Index of the best-fitting option: not excluded first, then the most points, then the earliest (most facts)."""
    return min(range(len(options)), key=lambda i: (bool(options[i].excluded_because), -options[i].points, i))


def _own_points(ctx: PlanContext, row: Any) -> float:
    """Points of the offering's own components (outcomes, accreditation) as :func:`outcomes_value` and
    :func:`accreditation_value` would give them, without writing their notes (the ranking only needs the sum)."""
    w = ctx.weight_tuple
    earnings, reference = row["earnings_1yr"], ctx.reference_wage
    outcome = 0.0 if earnings is None or not reference else max(0.0, min(1.0, earnings / reference))
    return round(w[5] * outcome, 2) + round(w[6] * (1.0 if row["accreditor"] else 0.0), 2)


def prepare(ctx: PlanContext, row: Any) -> Prepared:
    """The offering's options, the best-fitting one, its score total and whether every option is excluded."""
    options = _options(ctx, row)
    chosen = best_option(options) if len(options) > 1 else 0
    # the same rounding as FitScore.total, so the ranking and the shown score agree
    total = round(options[chosen].points + _own_points(ctx, row), 2)
    return Prepared(options, chosen, total, bool(options[chosen].excluded_because))


def _exclusion_reasons(options: Sequence[Option]) -> tuple[str, ...]:
    if len(options) == 1:
        return options[0].excluded_because
    return tuple(f"{o.facts.name if o.facts else 'unverified'}: {r}" for o in options for r in o.excluded_because)


def evaluate(ctx: PlanContext, row: Any) -> Evaluated:
    """Eligibility, timelines, cost, ROI, flags, exclusions and score of one offering (its best-fitting program)."""
    prepared = prepare(ctx, row)
    own = (
        outcomes_value(row["earnings_1yr"], ctx.reference_wage, row["earnings_1yr_note"]),
        accreditation_value(row["accreditor"], row["accreditor_note"]),
    )
    scores = [FitScore(ctx.weight_tuple, (*o.values, *own)) for o in prepared.options]
    linked = tuple(
        LinkedProgram(o, i == prepared.chosen, scores[i]) for i, o in enumerate(prepared.options) if o.facts is not None
    )
    o, e = prepared.options[prepared.chosen], prepared.options[prepared.chosen].economics
    excluded = _exclusion_reasons(prepared.options) if prepared.excluded else ()
    return Evaluated(row, o.facts, o.eligibility, o.formats, o.timelines, ctx.pace, e.cost, e.roi, e.why, e.inputs,
                     scores[prepared.chosen], o.flags, excluded, linked)  # fmt: skip
