"""Return on investment: the study path minus the stay path, year by year, and what moves the answer.

Two paths from the first month of study, month by month, summed into years 0..N-1 (year 0 is the
first twelve months of study; N = whole years of study + the horizon after graduation):

* **stay** — the current salary, growing at ``wage_growth``;
* **study** — while studying: the current salary if part-time, nothing if full-time; after
  graduation: a straight-line ramp over ``ramp_years`` from max(current salary, target p25) to the
  target wage (median; p25 and p75 give the band), never below the ramp start, growing at
  ``wage_growth`` like the stay path. The net out-of-pocket cost (tuition, fees, books, relocation,
  less scholarships and employer aid, plus tax on taxable aid) is spread evenly over the months of
  study. When borrowing, loan proceeds arrive at each disbursement and payments leave monthly from
  the end of the grace period; a balance still owed when the horizon ends is counted as paid then.

Flows are pre-tax earnings in dollars of the wage data's year (real terms): the discount rate is a
real rate. Year t is discounted by (1 + rate)^t, so year 0 is not discounted. Unknown tuition,
duration or target median give ``npv=None`` with the reason — never a number built on a guess.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from gradpath.plan.assumptions import (
    DEFAULTS,
    DIRECT_UNSUB_GRAD,
    IRS_127_CAP,
    DirectUnsubTerms,
    EmployerAidCap,
)
from gradpath.plan.finance import (
    CostBreakdown,
    LoanSchedule,
    cost_of_attendance,
    direct_unsub_schedule,
    remaining_balance,
)
from gradpath.plan.tuition import TuitionQuote


@dataclass(frozen=True)
class WageBand:
    """The target role's annual wage where the user lives: median with the p25–p75 band.

    ``None`` means not available (BLS did not release it, or it is top-coded); ``reason`` says why.
    """

    median: float | None
    p25: float | None = None
    p75: float | None = None
    label: str = ""
    reason: str | None = None

    def __post_init__(self) -> None:
        known = [v for v in (self.p25, self.median, self.p75) if v is not None]
        if any(v < 0 for v in known) or known != sorted(known):
            raise ValueError("wages must be non-negative and ordered p25 <= median <= p75")

    def scaled(self, factor: float) -> WageBand:
        """The same band with every known value multiplied by ``factor``."""

        def scale(value: float | None) -> float | None:
            return None if value is None else value * factor

        return replace(self, median=scale(self.median), p25=scale(self.p25), p75=scale(self.p75))


@dataclass(frozen=True)
class RoiInputs:
    """Everything one ROI calculation uses, with every assumption explicit."""

    current_salary: float
    target: WageBand
    study_months: float | None
    part_time: bool
    tuition: TuitionQuote
    fees: float | None = None
    books_tech: float | None = None
    relocating: bool = False
    living_relocation: float | None = None
    scholarships: float = 0.0
    employer_aid_per_year: float = 0.0
    loan_need_per_year: float = 0.0
    loan_annual_limit: float = DIRECT_UNSUB_GRAD.annual_limit
    loan_repayment_years: int | None = None
    discount_rate: float = DEFAULTS.discount_rate
    horizon_years: int = DEFAULTS.horizon_years_after_graduation
    wage_growth: float = DEFAULTS.wage_growth
    ramp_years: float = DEFAULTS.ramp_years
    marginal_tax_rate: float = DEFAULTS.marginal_tax_rate_on_taxable_aid
    aid_cap: EmployerAidCap = IRS_127_CAP
    loan_terms: DirectUnsubTerms = DIRECT_UNSUB_GRAD
    label: str = ""
    bridge_courses: float | None = 0.0

    def __post_init__(self) -> None:
        if self.current_salary < 0 or self.loan_need_per_year < 0:
            raise ValueError("salary and loan need must not be negative")
        if self.study_months is not None and self.study_months <= 0:
            raise ValueError("study_months must be positive (or None when unknown)")
        if self.horizon_years < 1 or self.ramp_years < 0 or self.discount_rate <= -1:
            raise ValueError("horizon must be >= 1 year, ramp >= 0, discount rate > -100%")

    def assumptions(self) -> list[dict[str, object]]:
        """Every input and assumption with a note, for listing next to the result."""
        t = self.target
        return [
            {"name": "current_salary", "value": self.current_salary, "note": "your figure, per year"},
            {"name": "target_median", "value": t.median, "note": t.label or t.reason or ""},
            {"name": "target_p25", "value": t.p25, "note": "band low end"},
            {"name": "target_p75", "value": t.p75, "note": "band high end"},
            {"name": "study_months", "value": self.study_months, "note": "from the timeline"},
            {"name": "part_time", "value": self.part_time, "note": "keeps working while studying"},
            {"name": "tuition", "value": self.tuition.amount, "note": self.tuition.label},
            {"name": "discount_rate", "value": self.discount_rate, "note": "real rate"},
            {"name": "horizon_years", "value": self.horizon_years, "note": "years after graduation"},
            {"name": "wage_growth", "value": self.wage_growth, "note": "real, both paths"},
            {"name": "ramp_years", "value": self.ramp_years, "note": "to reach the target wage"},
            {"name": "marginal_tax_rate", "value": self.marginal_tax_rate, "note": "on aid above the cap"},
            {"name": "aid_cap", "value": self.aid_cap.amount, "note": self.aid_cap.as_of},
            {"name": "loan_need_per_year", "value": self.loan_need_per_year, "note": "cash to borrow"},
            {"name": "loan_rate", "value": self.loan_terms.interest_rate, "note": self.loan_terms.as_of},
            {"name": "loan_fee", "value": self.loan_terms.origination_fee,
             "note": self.loan_terms.fee_applies_to},
            {"name": "loan_annual_limit", "value": self.loan_annual_limit, "note": "prorate for part-time"},
        ]  # fmt: skip


@dataclass(frozen=True)
class YearFlow:
    """One year of the study path minus the stay path."""

    year: int
    stay_earnings: float
    study_earnings: float
    costs: float
    loan: float
    net: float
    cumulative: float


@dataclass(frozen=True)
class RoiSummary:
    """NPV, payback and band of one plan, with the flows and everything behind them."""

    label: str
    npv: float | None
    payback_years: int | None
    band_low: float | None
    band_high: float | None
    flows: tuple[YearFlow, ...]
    cost: CostBreakdown
    loan: LoanSchedule | None
    unknown: tuple[str, ...]
    caveats: tuple[str, ...]
    assumptions: tuple[dict[str, object], ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: ``{npv, payback_years, band: {low, high}, flows, cost, loan, unknown, ...}``."""
        loan = None if self.loan is None else {
            "disbursed": self.loan.disbursed, "fees": self.loan.fees,
            "interest_in_school": self.loan.interest_in_school,
            "principal_at_repayment": self.loan.principal_at_repayment,
            "repayment_years": self.loan.repayment_years, "monthly_payment": self.loan.monthly_payment,
            "total_repaid": self.loan.total_repaid, "unmet_need": self.loan.unmet_need,
        }  # fmt: skip
        return {
            "label": self.label,
            "npv": self.npv,
            "payback_years": self.payback_years,
            "band": {"low": self.band_low, "high": self.band_high},
            "flows": [vars(f) for f in self.flows],
            "cost": self.cost.as_dict(),
            "loan": loan,
            "unknown": list(self.unknown),
            "caveats": list(self.caveats),
            "assumptions": list(self.assumptions),
        }


def npv(flows: Sequence[float], rate: float) -> float:
    """Net present value: flow t divided by (1 + rate)^t, the first flow undiscounted."""
    if rate <= -1:
        raise ValueError("rate must be greater than -100%")
    return sum(flow / (1.0 + rate) ** t for t, flow in enumerate(flows))


def payback_year(flows: Sequence[float]) -> int | None:
    """The first year whose cumulative undiscounted net is >= 0 and stays so; ``None`` if never.

    "Stays so" matters when borrowing: loan proceeds can make the early cumulative positive before
    repayments pull it back below zero; such an early year is not a payback.
    """
    total, since = 0.0, None
    for t, flow in enumerate(flows):
        total += flow
        if total < 0:
            since = None
        elif since is None:
            since = t
    return since


def _unknowns(inputs: RoiInputs, cost: CostBreakdown, target: float | None) -> list[str]:
    missing = []
    if inputs.study_months is None:
        missing.append("duration unknown (no stated duration or credit total)")
    if cost.net_cost_out_of_pocket is None:
        label = inputs.tuition.label
        missing.append(label if label.startswith("cost unknown") else f"cost unknown: {label}")
    if target is None:
        missing.append("target wage unknown" + (f": {inputs.target.reason}" if inputs.target.reason else ""))
    return missing


def _cost(inputs: RoiInputs) -> CostBreakdown:
    return cost_of_attendance(
        inputs.tuition, study_months=inputs.study_months, part_time=inputs.part_time, fees=inputs.fees,
        books_tech=inputs.books_tech, relocating=inputs.relocating,
        living_relocation=inputs.living_relocation,
        scholarships=inputs.scholarships, employer_aid_per_year=inputs.employer_aid_per_year,
        current_salary=inputs.current_salary, wage_growth=inputs.wage_growth, aid_cap=inputs.aid_cap,
        marginal_tax_rate=inputs.marginal_tax_rate, bridge_courses=inputs.bridge_courses,
    )  # fmt: skip


def _loan(inputs: RoiInputs) -> LoanSchedule | None:
    if inputs.loan_need_per_year <= 0 or inputs.study_months is None:
        return None
    terms = inputs.loan_terms
    return direct_unsub_schedule(
        inputs.loan_need_per_year, inputs.study_months / 12.0, inputs.loan_annual_limit,
        terms.interest_rate, terms.origination_fee, grace_months=terms.grace_months,
        repayment_years=inputs.loan_repayment_years, terms=terms,
    )  # fmt: skip


def _loan_by_month(loan: LoanSchedule | None, fee: float, months: int) -> list[float]:
    flows = [0.0] * months
    if loan is None:
        return flows
    for years_in, gross in loan.disbursements:
        month = round(years_in * 12)
        if month < months:
            flows[month] += gross * (1.0 - fee)
    first = math.ceil(loan.repayment_starts_years * 12 - 1e-9)
    n_payments = loan.repayment_years * 12
    for k in range(n_payments):
        if first + k >= months:
            # the horizon ends first: count the balance still owed as paid in the last month
            owed = remaining_balance(loan.principal_at_repayment, loan.rate, loan.repayment_years, k)
            flows[months - 1] -= owed
            break
        flows[first + k] -= loan.monthly_payment
    return flows


@functools.lru_cache(maxsize=64)
def _growth_factors(growth: float, months: int) -> tuple[float, ...]:
    """``(1 + growth) ** ((m + 0.5) / 12)`` for each month: the flows of a plan reuse them many times."""
    return tuple((1.0 + growth) ** ((m + 0.5) / 12.0) for m in range(months))


def _flows(inputs: RoiInputs, target: float, net_cost: float, loan: LoanSchedule | None) -> list[YearFlow]:
    months_studied = float(inputs.study_months or 0.0)
    n_years = math.ceil(months_studied / 12.0 - 1e-9) + inputs.horizon_years
    salary, growth, ramp = inputs.current_salary, inputs.wage_growth, inputs.ramp_years
    p25 = inputs.target.p25
    start = max(salary, p25) if p25 is not None else salary
    end = max(target, start)
    loan_flows = _loan_by_month(loan, inputs.loan_terms.origination_fee, n_years * 12)
    factors = _growth_factors(growth, n_years * 12)
    rows: list[YearFlow] = []
    cumulative = 0.0
    for year in range(n_years):
        stay = study = costs = loan_total = 0.0
        for m in range(year * 12, year * 12 + 12):
            studying = min(1.0, max(0.0, months_studied - m))
            since = (m + 0.5 - months_studied) / 12.0
            share = 1.0 if ramp == 0 else min(1.0, max(0.0, since) / ramp)
            # salary_in_month's arithmetic, in the same order, with the growth factor computed once a plan
            after = (start + (end - start) * share) * factors[m] / 12.0
            now = salary * factors[m] / 12.0
            stay += now
            study += studying * (now if inputs.part_time else 0.0) + (1.0 - studying) * after
            costs += net_cost * studying / months_studied
            loan_total += loan_flows[m]
        net = study - stay - costs + loan_total
        cumulative += net
        rows.append(YearFlow(year, stay, study, costs, loan_total, net, cumulative))
    return rows


def _npv_for(inputs: RoiInputs, target: float | None, cost: CostBreakdown, loan: LoanSchedule | None) -> float | None:
    net_cost = cost.net_cost_out_of_pocket
    if target is None or net_cost is None or inputs.study_months is None:
        return None
    return npv([f.net for f in _flows(inputs, target, net_cost, loan)], inputs.discount_rate)


def _caveats(inputs: RoiInputs, cost: CostBreakdown, loan: LoanSchedule | None) -> list[str]:
    notes = ["earnings are pre-tax; money is in dollars of the wage data's year"]
    if inputs.tuition.basis == "institution_rate":
        notes.append("tuition is an institution-level rate, not this program's own price")
    if inputs.tuition.stale:
        notes.append(f"tuition year {inputs.tuition.year} is stale")
    if loan is not None and loan.unmet_need > 0:
        notes.append(f"the annual loan limit leaves ${loan.unmet_need:,.0f} of need uncovered")
    if loan is not None:
        studied = inputs.study_months or 0.0
        end_of_horizon = math.ceil(studied / 12.0 - 1e-9) + inputs.horizon_years
        if loan.repayment_starts_years + loan.repayment_years > end_of_horizon:
            notes.append("loan repayment runs past the horizon; the remaining balance is counted as paid")
    return notes + list(cost.unknown)


def roi_summary(inputs: RoiInputs) -> RoiSummary:
    """NPV at the target median, payback year, the p25–p75 band, yearly flows and what is behind them."""
    cost, loan = _cost(inputs), _loan(inputs)
    median, net_cost = inputs.target.median, cost.net_cost_out_of_pocket
    flows: tuple[YearFlow, ...] = ()
    value = None
    if median is not None and net_cost is not None and inputs.study_months is not None:
        flows = tuple(_flows(inputs, median, net_cost, loan))
        value = npv([f.net for f in flows], inputs.discount_rate)
    return RoiSummary(
        label=inputs.label,
        npv=value,
        payback_years=payback_year([f.net for f in flows]) if flows else None,
        band_low=_npv_for(inputs, inputs.target.p25, cost, loan),
        band_high=_npv_for(inputs, inputs.target.p75, cost, loan),
        flows=flows,
        cost=cost,
        loan=loan,
        unknown=tuple(_unknowns(inputs, cost, median)),
        caveats=tuple(_caveats(inputs, cost, loan)),
        assumptions=tuple(inputs.assumptions()),
    )


def side_by_side(scenarios: Mapping[str, RoiInputs]) -> dict[str, RoiSummary]:
    """Summaries of several plans (full-time vs part-time, online vs campus) under their own names."""
    return {name: roi_summary(replace(inputs, label=inputs.label or name)) for name, inputs in scenarios.items()}


@dataclass(frozen=True)
class BreakEven:
    """The target median at which NPV reaches zero, or why there is none."""

    salary: float | None
    reached_without_raise: bool
    note: str


def break_even_salary(inputs: RoiInputs, *, tolerance: float = 1.0) -> BreakEven:
    """Smallest target median salary with NPV >= 0, found by bisection (within ``tolerance`` dollars).

    ``reached_without_raise`` is true when the plan pays back even if the target wage is no higher
    than the ramp start; ``salary`` is then ``None``. Unknown cost or duration also give ``None``.
    """
    cost, loan = _cost(inputs), _loan(inputs)
    net_cost = cost.net_cost_out_of_pocket
    if net_cost is None or inputs.study_months is None:
        # the target wage is what we solve for, so only cost and duration can be missing here
        return BreakEven(None, False, "; ".join(_unknowns(inputs, cost, target=0.0)))

    def value(target: float) -> float:
        return npv([f.net for f in _flows(inputs, target, net_cost, loan)], inputs.discount_rate)

    low = 0.0
    if value(low) >= 0:
        return BreakEven(None, True, "pays back without any raise beyond the ramp start")
    high = max(inputs.current_salary, inputs.target.p25 or 0.0, inputs.target.median or 0.0, 1000.0) * 2
    for _ in range(60):
        if value(high) >= 0:
            break
        low, high = high, high * 2
    else:
        return BreakEven(None, False, "no salary within range reaches NPV 0 over this horizon")
    while high - low > tolerance:
        middle = (low + high) / 2
        low, high = (low, middle) if value(middle) >= 0 else (middle, high)
    return BreakEven(round(high, 2), False, "target median at which NPV first reaches 0")


@dataclass(frozen=True)
class Delta:
    """One sensitivity test: how to move an assumption down and up."""

    name: str
    low_label: str
    high_label: str
    low: Callable[[RoiInputs], RoiInputs]
    high: Callable[[RoiInputs], RoiInputs]


@dataclass(frozen=True)
class SensitivityRow:
    """How far NPV moves when one assumption moves down or up."""

    assumption: str
    low_label: str
    high_label: str
    npv_low: float | None
    npv_high: float | None
    delta_low: float | None
    delta_high: float | None

    @property
    def swing(self) -> float:
        """The larger absolute change in NPV (0 when unknown, for sorting only)."""
        return max(abs(self.delta_low or 0.0), abs(self.delta_high or 0.0))


def _tuition_times(factor: float) -> Callable[[RoiInputs], RoiInputs]:
    def move(i: RoiInputs) -> RoiInputs:
        amount = i.tuition.amount
        return replace(i, tuition=replace(i.tuition, amount=None if amount is None else amount * factor))

    return move


def _shift(name: str, by: float, floor: float | None = None) -> Callable[[RoiInputs], RoiInputs]:
    def move(i: RoiInputs) -> RoiInputs:
        value = getattr(i, name) + by
        value = value if floor is None else max(floor, value)
        return replace(i, **{name: type(getattr(i, name))(value)})

    return move


def _wage_times(factor: float) -> Callable[[RoiInputs], RoiInputs]:
    return lambda i: replace(i, target=i.target.scaled(factor))


DEFAULT_DELTAS: tuple[Delta, ...] = (
    Delta("tuition", "-20%", "+20%", _tuition_times(0.8), _tuition_times(1.2)),
    Delta("target_wage", "-10%", "+10%", _wage_times(0.9), _wage_times(1.1)),
    Delta(
        "discount_rate",
        "-2 pp",
        "+2 pp",
        _shift("discount_rate", -0.02, -0.99),
        _shift("discount_rate", 0.02),
    ),
    Delta("ramp_years", "-1 year", "+1 year", _shift("ramp_years", -1.0, 0.0), _shift("ramp_years", 1.0)),
    Delta("wage_growth", "-1 pp", "+1 pp", _shift("wage_growth", -0.01), _shift("wage_growth", 0.01)),
    Delta("horizon_years", "-5 years", "+5 years", _shift("horizon_years", -5, 1), _shift("horizon_years", 5)),
)


def sensitivity(base_inputs: RoiInputs, deltas: Sequence[Delta] = DEFAULT_DELTAS) -> list[SensitivityRow]:
    """NPV with each assumption moved down and up, rows sorted by the largest |change in NPV|.

    Returns an empty list when the base NPV is unknown.
    """
    base = roi_summary(base_inputs).npv
    if base is None:
        return []
    rows = []
    for delta in deltas:
        low, high = roi_summary(delta.low(base_inputs)).npv, roi_summary(delta.high(base_inputs)).npv
        rows.append(SensitivityRow(
            delta.name, delta.low_label, delta.high_label, low, high,
            None if low is None else low - base, None if high is None else high - base,
        ))  # fmt: skip
    return sorted(rows, key=lambda row: row.swing, reverse=True)
