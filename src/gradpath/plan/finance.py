"""Cost: the cost-of-attendance breakdown around a tuition quote, employer aid, forgone earnings, loans.

The tuition itself comes from :mod:`gradpath.plan.tuition` (labelled by source; unknown stays
``None``). Loan convention (:func:`direct_unsub_schedule`): one disbursement at the start of each
year of study; the origination fee is deducted from each disbursement (the borrower owes the gross
amount); interest is simple interest on each disbursement from its date until repayment starts (end
of study plus the grace period) and is capitalised then; repayment is a level monthly payment
(standard amortisation) over the standard-plan term.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gradpath.plan.assumptions import (
    DEFAULTS,
    DIRECT_UNSUB_GRAD,
    IRS_127_CAP,
    DirectUnsubTerms,
    EmployerAidCap,
)
from gradpath.plan.tuition import TuitionQuote

# --- employer aid and forgone earnings ----------------------------------------------------------------


@dataclass(frozen=True)
class AidYear:
    """Employer aid in one year of study."""

    index: int
    offered: float
    applied: float
    tax_free: float
    taxable: float


@dataclass(frozen=True)
class EmployerAid:
    """Employer educational assistance split at the §127 cap, year by year."""

    tax_free: float
    taxable: float
    by_year: tuple[AidYear, ...]

    @property
    def total(self) -> float:
        """Tax-free plus taxable aid."""
        return self.tax_free + self.taxable


def study_year_fractions(years: float) -> list[float]:
    """How much of each (possibly partial) year of study is spent studying: 1.5 → [1.0, 0.5]."""
    if years <= 0:
        raise ValueError("years of study must be positive")
    return [min(1.0, years - k) for k in range(math.ceil(years - 1e-9))]


def employer_aid(
    amount_per_year: float,
    years: float,
    cap: float = IRS_127_CAP.amount,
    eligible_per_year: Sequence[float] | None = None,
) -> EmployerAid:
    """Split employer aid into the tax-free part (up to ``cap`` a year) and the taxable rest.

    A partial final year gets a pro-rata share of ``amount_per_year``. When ``eligible_per_year`` is
    given, aid in a year never exceeds that year's eligible costs. Study years stand in for tax years.
    """
    if amount_per_year < 0 or cap < 0:
        raise ValueError("aid and cap must not be negative")
    rows = []
    for k, fraction in enumerate(study_year_fractions(years)):
        offered = amount_per_year * fraction
        applied = offered if eligible_per_year is None else min(offered, max(0.0, eligible_per_year[k]))
        tax_free = min(applied, cap)
        rows.append(AidYear(k, offered, applied, tax_free, applied - tax_free))
    return EmployerAid(sum(r.tax_free for r in rows), sum(r.taxable for r in rows), tuple(rows))


def salary_in_month(annual_salary: float, wage_growth: float, month: int) -> float:
    """One month's pay, growing continuously at ``wage_growth`` a year (month 0 = first month)."""
    return annual_salary * (1.0 + wage_growth) ** ((month + 0.5) / 12.0) / 12.0


def forgone_earnings(annual_salary: float, months: float, wage_growth: float) -> float:
    """Pay given up by leaving the current job for ``months`` of full-time study."""
    return sum(salary_in_month(annual_salary, wage_growth, m) * min(1.0, months - m) for m in range(math.ceil(months)))


# --- cost of attendance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CostLine:
    """One named line of the breakdown; ``amount=None`` means unknown (never shown as 0)."""

    name: str
    amount: float | None
    note: str = ""


@dataclass(frozen=True)
class CostBreakdown:
    """Total cost of a plan as named lines, with the tuition quote and what is unknown."""

    lines: tuple[CostLine, ...]
    tuition: TuitionQuote
    aid: EmployerAid | None
    unknown: tuple[str, ...]

    def amount(self, name: str) -> float | None:
        """The amount of a named line (``None`` when unknown)."""
        return next(line.amount for line in self.lines if line.name == name)

    @property
    def net_cost_out_of_pocket(self) -> float | None:
        """Direct costs less scholarships and employer aid, plus tax on taxable aid."""
        return self.amount("net_cost_out_of_pocket")

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form: each line with its note, the tuition source and what is unknown."""
        return {
            "lines": [{"name": ln.name, "amount": ln.amount, "note": ln.note} for ln in self.lines],
            "tuition_source": {
                "basis": self.tuition.basis, "label": self.tuition.label, "year": self.tuition.year,
                "stale": self.tuition.stale, "residency": self.tuition.residency,
                "source_url": self.tuition.source_url, "scope": self.tuition.scope,
            },
            "unknown": list(self.unknown),
        }  # fmt: skip


def _optional(name: str, value: float | None, unknown: list[str], what: str) -> CostLine:
    if value is None:
        unknown.append(f"{name}: {what} not known, not included")
        return CostLine(name, None, f"{what} not known")
    return CostLine(name, value)


def cost_of_attendance(
    tuition: TuitionQuote,
    *,
    study_months: float | None,
    part_time: bool,
    fees: float | None = None,
    books_tech: float | None = None,
    relocating: bool = False,
    living_relocation: float | None = None,
    scholarships: float = 0.0,
    employer_aid_per_year: float = 0.0,
    current_salary: float | None = None,
    wage_growth: float = DEFAULTS.wage_growth,
    aid_cap: EmployerAidCap = IRS_127_CAP,
    marginal_tax_rate: float = DEFAULTS.marginal_tax_rate_on_taxable_aid,
    bridge_courses: float | None = 0.0,
) -> CostBreakdown:
    """Break the cost of a plan into named lines; unknown lines stay ``None``.

    ``net_cost_out_of_pocket`` is ``None`` whenever tuition is unknown (never 0). Fees, books and
    relocation costs that are not known are left out of the total and listed in ``unknown``.
    Living costs count only for a campus relocation (an extra cost the stay path does not have).
    Scholarships apply first; employer aid then covers at most the remaining tuition, fees and
    books in each year, tax-free up to the §127 cap and taxed at ``marginal_tax_rate`` above it.
    Forgone earnings (full-time only) are an economic cost, reported beside, not inside, the
    out-of-pocket total. ``bridge_courses`` (courses taken before the program) adds a line only when
    it is not 0; ``None`` means bridges are needed but their cost is unknown (listed, not counted).
    Employer aid is not applied to bridge courses (many plans cover only degree courses).
    """
    if min(scholarships, employer_aid_per_year) < 0 or not 0 <= marginal_tax_rate <= 1:
        raise ValueError("scholarships and aid must not be negative; tax rate must be within [0, 1]")
    unknown: list[str] = []
    lines = [CostLine("tuition", tuition.amount, tuition.label)]
    if tuition.amount is None:
        unknown.append(f"tuition: {tuition.label}")
    lines.append(_optional("fees", fees, unknown, "required fees"))
    lines.append(_optional("books_tech", books_tech, unknown, "books and technology"))
    if relocating:
        lines.append(_optional("living_relocation", living_relocation, unknown, "extra living cost of relocating"))
    else:
        lines.append(CostLine("living_relocation", 0.0, "no relocation: living costs are the same on both paths"))
    if bridge_courses != 0.0:
        lines.append(_optional("bridge_courses", bridge_courses, unknown, "bridge courses before the program"))
    extras = (fees, books_tech, living_relocation if relocating else 0.0, bridge_courses)
    known_extras = sum(v for v in extras if v is not None)
    direct = None if tuition.amount is None else tuition.amount + known_extras
    applied_scholarships = scholarships if direct is None else min(scholarships, direct)
    lines.append(CostLine("scholarships", applied_scholarships, "grants and scholarships you will receive"))

    aid: EmployerAid | None = None
    if employer_aid_per_year == 0:
        aid = EmployerAid(0.0, 0.0, ())
    elif tuition.amount is None or study_months is None:
        unknown.append("employer aid: depends on " + ("tuition" if tuition.amount is None else "duration"))
    else:
        eligible = max(0.0, tuition.amount + (fees or 0.0) + (books_tech or 0.0) - applied_scholarships)
        fractions = study_year_fractions(study_months / 12.0)
        per_year = [eligible * f / sum(fractions) for f in fractions]
        aid = employer_aid(employer_aid_per_year, study_months / 12.0, aid_cap.amount, per_year)
    tax = None if aid is None else aid.taxable * marginal_tax_rate
    lines += [
        CostLine("employer_aid_tax_free", None if aid is None else aid.tax_free,
                 f"up to ${aid_cap.amount:,.0f} a year (IRC §127, tax year {aid_cap.tax_year})"),
        CostLine("employer_aid_taxable", None if aid is None else aid.taxable,
                 "aid above the cap: taxable wages"),
        CostLine("tax_on_taxable_aid", tax, f"at {marginal_tax_rate:.2%}"),
    ]  # fmt: skip
    net = None
    if direct is not None and aid is not None and tax is not None:
        net = direct - applied_scholarships - aid.total + tax
    why = "" if net is not None else "unknown: " + ("tuition" if direct is None else "duration") + " unknown"
    lines.append(CostLine("net_cost_out_of_pocket", net, why))

    forgone: float | None
    if part_time:
        forgone, note = 0.0, "part-time: you keep working"
    elif current_salary is None or study_months is None:
        forgone, note = None, "needs your current salary and the duration"
        unknown.append("forgone_earnings: " + note)
    else:
        forgone, note = (
            forgone_earnings(current_salary, study_months, wage_growth),
            "pay given up while studying",
        )
    lines.append(CostLine("forgone_earnings", forgone, note))
    total = None if net is None or forgone is None else net + forgone
    lines.append(CostLine("total_economic_cost", total, "net out-of-pocket cost plus forgone earnings"))
    return CostBreakdown(tuple(lines), tuition, aid, tuple(unknown))


# --- loans -----------------------------------------------------------------------------------------


def amortized_payment(principal: float, annual_rate: float, years: float) -> float:
    """Level monthly payment repaying ``principal`` over ``years`` at ``annual_rate``, compounded monthly."""
    if principal < 0 or annual_rate < 0 or years <= 0:
        raise ValueError("principal and rate must not be negative; years must be positive")
    n = round(years * 12)
    r = annual_rate / 12.0
    if r == 0:
        return principal / n
    # 1 - (1+r)^-n written with expm1/log1p so tiny rates do not round the denominator to zero
    return principal * r / -math.expm1(-n * math.log1p(r))


def remaining_balance(principal: float, annual_rate: float, years: float, payments_made: int) -> float:
    """Balance still owed after ``payments_made`` level monthly payments."""
    payment = amortized_payment(principal, annual_rate, years)
    r = annual_rate / 12.0
    k = min(payments_made, round(years * 12))
    if r == 0:
        return max(0.0, principal - payment * k)
    return max(0.0, principal * (1 + r) ** k - payment * ((1 + r) ** k - 1) / r)


def prorated_annual_limit(annual_limit: float, credits_per_term: float, full_time_credits_per_term: float) -> float:
    """The annual limit for less-than-full-time study (from 2026-07-01, in proportion to enrolment).

    The school defines full-time; the planner uses its full-time load. Detailed federal rules on
    the proration were still pending when this was written, so this is the plain proportional reading.
    """
    if full_time_credits_per_term <= 0:
        raise ValueError("full_time_credits_per_term must be positive")
    return annual_limit * min(1.0, credits_per_term / full_time_credits_per_term)


@dataclass(frozen=True)
class LoanSchedule:
    """A Direct Unsubsidized borrowing plan from first disbursement to the last payment."""

    disbursed: float
    fees: float
    net_received: float
    interest_in_school: float
    principal_at_repayment: float
    repayment_years: int
    monthly_payment: float
    total_repaid: float
    unmet_need: float
    disbursements: tuple[tuple[float, float], ...]
    repayment_starts_years: float
    rate: float
    convention: str


def direct_unsub_schedule(
    need_per_year: float,
    years_in_school: float,
    limit: float = DIRECT_UNSUB_GRAD.annual_limit,
    rate: float = DIRECT_UNSUB_GRAD.interest_rate,
    fee: float = DIRECT_UNSUB_GRAD.origination_fee,
    *,
    grace_months: int = DIRECT_UNSUB_GRAD.grace_months,
    repayment_years: int | None = None,
    terms: DirectUnsubTerms = DIRECT_UNSUB_GRAD,
) -> LoanSchedule:
    """Borrow to cover ``need_per_year`` (cash in hand) each year of study, within the annual limit.

    The gross loan is ``need / (1 - fee)`` so the fee is covered, capped by ``limit`` a year and the
    aggregate limit; what the limit leaves uncovered is ``unmet_need``. A partial final year borrows
    a pro-rata share of the need. ``repayment_years=None`` uses the standard-plan term for the
    balance entering repayment (10 to 25 years for loans made from 2026-07-01); pass 10 for the
    legacy 10-year plan. See the module docstring for the interest convention.
    """
    if need_per_year < 0 or limit < 0 or not 0 <= fee < 1 or rate < 0:
        raise ValueError("need, limit and rate must not be negative; fee must be within [0, 1)")
    starts = years_in_school + grace_months / 12.0
    disbursements, unmet, room = [], 0.0, terms.aggregate_limit
    for k, fraction in enumerate(study_year_fractions(years_in_school)):
        need = need_per_year * fraction
        gross = min(need / (1.0 - fee), limit, room)
        room -= gross
        unmet += max(0.0, need - gross * (1.0 - fee))
        disbursements.append((float(k), gross))
    disbursed = sum(g for _, g in disbursements)
    interest = sum(g * rate * (starts - t) for t, g in disbursements)
    principal = disbursed + interest
    years = repayment_years if repayment_years is not None else terms.standard_term_years(principal)
    payment = amortized_payment(principal, rate, years) if principal > 0 else 0.0
    return LoanSchedule(
        disbursed=disbursed,
        fees=disbursed * fee,
        net_received=disbursed * (1.0 - fee),
        interest_in_school=interest,
        principal_at_repayment=principal,
        repayment_years=years,
        monthly_payment=payment,
        total_repaid=payment * years * 12,
        unmet_need=unmet,
        disbursements=tuple(disbursements),
        repayment_starts_years=starts,
        rate=rate,
        convention="one disbursement a study year; fee deducted; simple interest from disbursement to "
        "the end of the grace period, capitalised; level monthly payments",
    )
