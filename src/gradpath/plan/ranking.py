"""Ranking: evaluate one offering for one person, give it an explainable fit score, filter on hard constraints.

:func:`evaluate` puts the planner together for one offering: eligibility, both timelines, the cost
and ROI at the person's pace, flags, exclusions and the score. It is pure — the catalog rows it
needs are read once per plan by :mod:`gradpath.plan.service` into a :class:`PlanContext`.

The score is the **sum of named components**, each ``weight × value`` with the value between 0
and 1 and the weight set by the person (defaults below, summing to 100). Every component carries a
note saying how its value was reached, so each program shows its decomposition. An unknown input
gives the component no points (``value = None``) — unknown never counts as met — and the note says
what is missing.

Hard constraints filter before scoring (see :func:`exclusions`): a hard requirement not met, a
verified format that excludes online study when the person wants online only, and a known total
cost above the person's maximum. Unknown format or cost never excludes; it is flagged instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

from gradpath.areas import Area
from gradpath.plan.assumptions import DIRECT_UNSUB_GRAD, PlannerDefaults, academic_year_start
from gradpath.plan.eligibility import NOT_VERIFIED, Eligibility, OfferingFacts, assess_eligibility
from gradpath.plan.finance import (
    CostBreakdown,
    StatedRate,
    TuitionQuote,
    choose_tuition,
    cost_of_attendance,
    prorated_annual_limit,
    rate_applies,
    stated_program_rates,
    unknown_tuition,
)
from gradpath.plan.profile import COMPONENTS, Profile
from gradpath.plan.roi import RoiInputs, RoiSummary, WageBand, roi_summary
from gradpath.plan.timeline import Timeline, parse_start_term, plan_timeline

DEFAULT_WEIGHTS: dict[str, float] = {
    "eligibility": 25.0,
    "cost": 15.0,
    "roi": 15.0,
    "flexibility": 15.0,
    "curriculum": 15.0,
    "outcomes": 10.0,
    "accreditation": 5.0,
}
COST_SCALE = 100_000.0  # planner choice: without a maximum, a net cost of $100,000 or more scores 0
ROI_SCALE = 250_000.0  # planner choice: an NPV of $250,000 or more scores full points
PACES = ("fulltime", "parttime")
NO_TUITION = unknown_tuition("cost unknown: no program tuition, usable institution rate or own figure")
FIELD_SHARE = 0.5  # curriculum: half for the field (CIP) leading to the role, half for the stated topics
SCORING_NOTES: tuple[dict[str, Any], ...] = (
    {"name": "cost_scale", "value": COST_SCALE, "kind": "planner choice",
     "note": "without a maximum total cost, cost points fall linearly from full at $0 to none at this amount"},
    {"name": "roi_scale", "value": ROI_SCALE, "kind": "planner choice",
     "note": "ROI points rise linearly from none at NPV <= 0 to full at this NPV"},
    {"name": "curriculum_field_share", "value": FIELD_SHARE, "kind": "planner choice",
     "note": "share of the curriculum points for a field of study the role's curated CIP list includes; the rest "
             "for the role's skills (core x2, useful x1) among the program's verified curriculum topics"},
    {"name": "eligibility_value", "value": "met 1, bridgeable 0.5, unknown or not met 0", "kind": "planner choice",
     "note": "share over the stated requirements; statements about the program are shown, not counted"},
)  # fmt: skip


def resolve_weights(overrides: Sequence[tuple[str, float]] | Mapping[str, float] = ()) -> dict[str, float]:
    """The default weights with the person's overrides applied (component names as in :data:`COMPONENTS`)."""
    weights = dict(DEFAULT_WEIGHTS)
    items = overrides.items() if isinstance(overrides, Mapping) else overrides
    for name, weight in items:
        if name not in COMPONENTS:
            raise ValueError(f"unknown ranking component {name!r}")
        if weight < 0:
            raise ValueError(f"weight of {name} must not be negative")
        weights[name] = float(weight)
    return weights


@dataclass(frozen=True)
class Component:
    """One named part of the score; ``value`` in [0, 1], ``None`` when unknown (no points)."""

    name: str
    weight: float
    value: float | None
    note: str

    @property
    def points(self) -> float:
        """``weight × value`` to two decimals (0 when unknown)."""
        return round(self.weight * (self.value or 0.0), 2)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        value = None if self.value is None else round(self.value, 4)
        return {"points": self.points, "weight": self.weight, "value": value, "note": self.note}


class FitScore:
    """The score of one program: its components and their sum (``total``).

    Built for every offering of a plan, so it keeps plain tuples and makes :class:`Component`
    objects only when asked; ``total`` is the sum of the same rounded points the components show.
    """

    __slots__ = ("_parts", "_weights", "total")

    def __init__(
        self, weights: Mapping[str, float] | tuple[float, ...], parts: Sequence[tuple[float | None, str]]
    ) -> None:
        self._weights = weights if isinstance(weights, tuple) else tuple(weights[name] for name in COMPONENTS)
        self._parts = tuple(parts)
        self.total = round(
            sum(round(w * (v or 0.0), 2) for w, (v, _) in zip(self._weights, self._parts, strict=True)), 2
        )

    @property
    def components(self) -> tuple[Component, ...]:
        """The named components in the fixed order."""
        return tuple(
            Component(name, w, v, note)
            for name, w, (v, note) in zip(COMPONENTS, self._weights, self._parts, strict=True)
        )

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """``{component: {points, weight, value, note}}`` in the fixed component order."""
        return {c.name: c.as_dict() for c in self.components}


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


# --- the components ------------------------------------------------------------------------------------


def eligibility_value(eligibility: Eligibility) -> tuple[float | None, str]:
    """Share of stated requirements met (bridgeable half); no verified requirement → unknown."""
    scored = [r for r in eligibility.items if r.kind != "information"]
    if all(r.kind == "none_stated" for r in scored):
        return None, "requirements not verified: unknown — verify"
    counts = eligibility.counts()
    parts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n)
    return eligibility.value, f"{parts} (of {len(eligibility.items)} stated)"


def cost_value(net_cost: float | None, max_total_cost: float | None, reason: str = "") -> tuple[float | None, str]:
    """Lower known net cost scores higher, against the person's maximum (else :data:`COST_SCALE`)."""
    if net_cost is None:
        return None, reason or "cost unknown"
    scale = max_total_cost if max_total_cost else COST_SCALE
    basis = "your maximum" if max_total_cost else "the planner's $100,000 scale"
    return _clamp(1.0 - net_cost / scale), f"net cost ${net_cost:,.0f} against {basis} (${scale:,.0f})"


def roi_value(npv: float | None, reason: str = "") -> tuple[float | None, str]:
    """NPV at the target median: none at or below 0, full at :data:`ROI_SCALE`."""
    if npv is None:
        return None, reason or "ROI unknown"
    return _clamp(npv / ROI_SCALE), f"NPV ${npv:,.0f} (full points at ${ROI_SCALE:,.0f})"


@dataclass(frozen=True)
class Check:
    """One flexibility check against a constraint; ``passed=None`` when the program does not say."""

    name: str
    passed: bool | None
    note: str


def flexibility_value(checks: Sequence[Check]) -> tuple[float | None, str]:
    """Share of the person's soft constraints the program is known to meet (unknown counts 0)."""
    if not checks:
        return 1.0, "no flexibility constraint given: every program fits"
    passed = sum(1 for c in checks if c.passed)
    notes = "; ".join(f"{c.name}: {'yes' if c.passed else 'no' if c.passed is False else 'unknown'} ({c.note})"
                      for c in checks)  # fmt: skip
    return passed / len(checks), notes


def curriculum_value(
    field_fit: bool | None, covered: float | None, total: float, role_title: str | None
) -> tuple[float | None, str]:
    """Field leading to the role (share :data:`FIELD_SHARE`) plus weighted share of role skills taught."""
    if role_title is None:
        return None, "no target role: set goals.roles"
    field_part = FIELD_SHARE if field_fit else 0.0
    field_note = "field leads to the role" if field_fit else "field not in the role's curated CIP list"
    if covered is None or total <= 0:
        return field_part or None, f"{role_title}: {field_note}; curriculum topics not verified"
    share = covered / total
    value = field_part + (1.0 - FIELD_SHARE) * share
    return value, f"{role_title}: {field_note}; {share:.0%} of the role's weighted skills among stated topics"


def outcomes_value(earnings: float | None, reference: float | None, reason: str | None) -> tuple[float | None, str]:
    """Scorecard field-level earnings a year after completion, as a share of the reference wage (capped at 1)."""
    if earnings is None:
        return None, f"earnings unknown: {reason or 'not published'}"
    if not reference:
        return None, f"earnings ${earnings:,.0f} but no reference wage (target role median) to compare"
    return _clamp(earnings / reference), f"field-level earnings 1 yr after ${earnings:,.0f} vs target ${reference:,.0f}"


def accreditation_value(accreditor: str | None, note: str | None) -> tuple[float | None, str]:
    """Full points for a known institutional accreditor; unknown scores nothing."""
    if not accreditor:
        return None, f"institutional accreditor unknown: {note or 'not in the accreditation files'}"
    return 1.0, f"institutional accreditor: {accreditor}"


def fit_score(weights: Mapping[str, float], values: Mapping[str, tuple[float | None, str]]) -> FitScore:
    """Assemble the score from each component's (value, note); missing components are unknown."""
    missing = (None, "not computed")
    return FitScore(weights, [values.get(name, missing) for name in COMPONENTS])


# --- hard constraints --------------------------------------------------------------------------------------


def exclusions(
    eligibility: Eligibility,
    formats: frozenset[str] | None,
    online_only: bool,
    net_cost: float | None,
    max_total_cost: float | None,
) -> list[str]:
    """Why a program is filtered out (empty when it stays): hard requirement not met, format, cost."""
    reasons = [f"hard requirement not met: {r.requirement} ({r.reason})" for r in eligibility.excluding]
    # net_cost is the program's own price (a verified fact or the person's figure): an institution-level
    # rate only flags, because it is not this program's price
    if online_only and formats is not None and "online" not in formats:
        reasons.append(f"you want online only; the verified format is {', '.join(sorted(formats))}")
    if max_total_cost is not None and net_cost is not None and net_cost > max_total_cost:
        reasons.append(f"known net cost ${net_cost:,.0f} is above your maximum ${max_total_cost:,.0f}")
    return reasons


# --- the person's plan context and one offering -------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """A target role: its skill profile, the fields (CIP4) leading to it and its wage band in the area."""

    id: str
    title: str
    skills: dict[str, str]
    cips: frozenset[str]
    band: WageBand
    area: dict[str, Any]


@dataclass
class PlanContext:
    """Everything one plan reads once: the resolved profile and the catalog rows it needs."""

    profile: Profile
    today: date
    start_term: str
    start_note: str
    defaults: PlannerDefaults
    area: Area
    area_states: frozenset[str]
    salary: float | None
    salary_note: str
    occupation: dict[str, Any]
    roles: list[Role]
    weights: dict[str, float]
    facts: dict[str, OfferingFacts]
    rates: dict[int, list[StatedRate]]
    memo: dict[Any, Any] = field(default_factory=dict)
    pace: str = field(init=False)
    reference_wage: float | None = field(init=False)
    weight_tuple: tuple[float, ...] = field(init=False)
    own_tuition: dict[str, float] = field(init=False)
    start_season: str = field(init=False)

    def __post_init__(self) -> None:
        self.pace = "parttime" if self.profile.constraints.part_time else "fulltime"
        median = self.roles[0].band.median if self.roles else None
        self.reference_wage = median or self.salary  # outcomes compare with the target median, else the salary
        self.weight_tuple = tuple(self.weights[name] for name in COMPONENTS)
        self.own_tuition = dict(self.profile.money.own_tuition)
        self.start_season = parse_start_term(self.start_term).season


# --- one offering ------------------------------------------------------------------------------------------


class Economics(NamedTuple):
    """Cost and ROI of one offering at one pace and format; ``why`` says why ROI is unknown."""

    roi: RoiSummary | None
    cost: CostBreakdown
    inputs: RoiInputs | None
    why: str
    net: float | None


@dataclass(slots=True)
class Evaluated:
    """One offering evaluated for one person at the person's pace."""

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


def _timelines(ctx: PlanContext, facts: OfferingFacts | None, bridge_terms: int) -> dict[str, Timeline]:
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


def _tuition(
    ctx: PlanContext, row: Any, facts: OfferingFacts | None, tl: Timeline, online: bool | None
) -> TuitionQuote:
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
    tuition = _tuition(ctx, row, facts, tl, online)
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


def plan_online(ctx: PlanContext, formats: frozenset[str] | None) -> bool | None:
    """Whether the plan is online: the program offers online and the person wants it (or it is online only)."""
    if formats is None:
        return None
    return "online" in formats and (ctx.profile.constraints.online_only or "campus" not in formats)


def is_local(ctx: PlanContext, row: Any) -> bool | None:
    """Whether the campus is in the person's metro (or state); ``None`` for a national area."""
    if ctx.area.type == "national":
        return None
    if ctx.area.type == "metro":
        return bool(row["cbsa"]) and row["cbsa"] == ctx.area.code
    return row["state"] in ctx.area_states


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


class _Shared(NamedTuple):
    """What an offering's evaluation shares with others that have the same facts, rates, place and field."""

    eligibility: Eligibility
    formats: frozenset[str] | None
    timelines: dict[str, Timeline]
    economics: Economics
    flags: tuple[str, ...]
    values: tuple[tuple[float | None, str], ...]  # eligibility, cost, roi, flexibility, curriculum
    excluded_because: tuple[str, ...]
    points: float  # the rounded points of those five components


def _memo(ctx: PlanContext, key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per key within the plan (``key=None``: no memo)."""
    if key is None:
        return compute()
    if key not in ctx.memo:
        ctx.memo[key] = compute()
    return ctx.memo[key]


def _shared(ctx: PlanContext, row: Any, facts: OfferingFacts | None, local: bool | None) -> _Shared:
    elig = assess_eligibility(facts, ctx.profile) if facts else NOT_VERIFIED
    formats = facts.formats() if facts else None
    timelines = _timelines(ctx, facts, elig.bridge_terms)
    c, pace = ctx.profile.constraints, ctx.pace
    relocating = formats is not None and "online" not in formats and local is False
    econ = economics(ctx, row, facts, timelines[pace], len(elig.bridge_courses), online=plan_online(ctx, formats),
                     relocating=relocating)  # fmt: skip
    tuition = econ.cost.tuition
    flags = tuple(text for test, text in (
        (formats is None, "format unknown — verify"),
        (facts is None, "requirements not verified — verify"),
        (timelines[pace].months is None, "duration unknown"),
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
        _memo(
            ctx,
            ("flexibility", local) if facts is None else None,
            lambda: flexibility_value(_checks(ctx, facts, formats, local, timelines[pace])),
        ),
        _memo(ctx, ("curriculum", row["cip4"]) if facts is None else None, lambda: _curriculum(ctx, row, facts)),
    )
    own_price = tuition.basis in ("program_total", "per_credit_x_credits", "user")
    excluded = tuple(exclusions(elig, formats, c.online_only, econ.net if own_price else None, c.max_total_cost))
    points = sum(round(w * (v or 0.0), 2) for w, (v, _) in zip(ctx.weight_tuple, values, strict=False))
    return _Shared(elig, formats, timelines, econ, flags, values, excluded, points)


def _prepared(ctx: PlanContext, row: Any) -> tuple[_Shared, tuple[tuple[float | None, str], ...], float]:
    """The shared part, the per-offering parts (outcomes, accreditation) and the score total."""
    facts = ctx.facts.get(row["id"])
    local = is_local(ctx, row)
    if facts is None and row["id"] not in ctx.own_tuition:
        # offerings without verified facts differ only by their institution's rates, place and field
        key = ("shared", row["unitid"] if row["unitid"] in ctx.rates else None, local, row["cip4"])
        if key not in ctx.memo:
            ctx.memo[key] = _shared(ctx, row, facts, local)
        shared: _Shared = ctx.memo[key]
    else:
        shared = _memo(ctx, ("offering", row["id"]), lambda: _shared(ctx, row, facts, local))
    own = (
        outcomes_value(row["earnings_1yr"], ctx.reference_wage, row["earnings_1yr_note"]),
        accreditation_value(row["accreditor"], row["accreditor_note"]),
    )
    w = ctx.weight_tuple
    # the same rounding as FitScore.total, so the ranking and the shown score agree
    total = shared.points + round(w[5] * (own[0][0] or 0.0), 2) + round(w[6] * (own[1][0] or 0.0), 2)
    return shared, own, round(total, 2)


def evaluate(ctx: PlanContext, row: Any) -> Evaluated:
    """Eligibility, timelines, cost, ROI, flags, exclusions and score of one offering."""
    shared, own, _ = _prepared(ctx, row)
    e = shared.economics
    return Evaluated(row, ctx.facts.get(row["id"]), shared.eligibility, shared.formats, shared.timelines, ctx.pace,
                     e.cost, e.roi, e.why, e.inputs, FitScore(ctx.weight_tuple, (*shared.values, *own)), shared.flags,
                     shared.excluded_because)  # fmt: skip


def rank(ctx: PlanContext, rows: Sequence[Any], top: int) -> tuple[list[Evaluated], list[Evaluated], int]:
    """The top ``top`` offerings by score (ties by id), every excluded one, and how many were ranked.

    Scores are computed for all; full evaluations only for those shown and those excluded.
    """
    scored, excluded = [], []
    for row in rows:
        shared, _, total = _prepared(ctx, row)
        if shared.excluded_because:
            excluded.append(row)
        else:
            scored.append((-total, row["id"], row))
    scored.sort(key=lambda item: (item[0], item[1]))
    shown = [evaluate(ctx, row) for _, _, row in scored[:top]]
    return shown, [evaluate(ctx, row) for row in excluded], len(scored)
