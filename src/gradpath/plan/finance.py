"""Cost: tuition from the best available source, the cost-of-attendance breakdown, employer aid, loans.

Tuition sources are ranked and always labelled (see :func:`choose_tuition`): a verified program
fact (stated total, else per-credit rate x credits) beats an institution-level graduate rate (its
scope, residency and year shown, a stale year flagged), which beats the user's own figure; with none
of them the quote is "cost unknown" with ``amount=None`` — never an invented estimate and never 0.

Loan convention (:func:`direct_unsub_schedule`): one disbursement at the start of each year of
study; the origination fee is deducted from each disbursement (the borrower owes the gross amount);
interest is simple interest on each disbursement from its date until repayment starts (end of study
plus the grace period) and is capitalised then; repayment is a level monthly payment (standard
amortisation) over the standard-plan term.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gradpath.plan.assumptions import (
    DEFAULTS,
    DIRECT_UNSUB_GRAD,
    IRS_127_CAP,
    DirectUnsubTerms,
    EmployerAidCap,
)

if TYPE_CHECKING:
    from gradpath.plan.eligibility import OfferingFacts

TuitionBasis = Literal["program_total", "per_credit_x_credits", "institution_rate", "user", "unknown"]
Residency = Literal["resident", "nonresident", "all", "online"]
Per = Literal["program", "credit", "term", "semester", "year", "course"]

# --- tuition ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatedRate:
    """One tuition rate as a page states it: a program fact or an institution-level rate."""

    amount: float
    per: Per
    residency: Residency | None = None
    year: str | None = None
    source_url: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class TuitionQuote:
    """The tuition the plan uses, with where it came from. ``amount=None`` means unknown."""

    amount: float | None
    basis: TuitionBasis
    label: str
    residency: Residency | None = None
    year: str | None = None
    year_start: int | None = None
    stale: bool | None = None
    source_url: str | None = None
    scope: str | None = None


def parse_academic_year(text: str | None) -> int | None:
    """The calendar year an academic year starts in: "2023-2024" → 2023, "Spring 2024" → 2023.

    Fall/autumn terms start their academic year; spring, summer and winter terms belong to the year
    that started the previous fall. Returns ``None`` when no year is stated.
    """
    if not text or text.strip().lower() in {"null", "none", "n/a"}:
        return None
    low = text.lower()
    span = re.search(r"\b((?:19|20)\d{2})\s*[-–/]\s*\d{2,4}\b", low)
    if span:
        return int(span.group(1))
    single = re.search(r"\b((?:19|20)\d{2})\b", low)
    if single is None:
        return None
    year = int(single.group(1))
    return year - 1 if re.search(r"\b(spring|summer|winter)\b", low) else year


def is_stale(year_start: int | None, as_of_year: int, stale_after_years: int) -> bool | None:
    """Whether a rate's academic year is too old; ``None`` (unknown) when the year is not stated."""
    return None if year_start is None else as_of_year - year_start > stale_after_years


def _residency_rank(rate: Residency | None, person: Residency | None, online: bool | None) -> int | None:
    """0 exact match, 1 applies to everyone, 2 residency unknown; ``None`` when it does not apply."""
    if rate is None or rate == "all":
        return 1
    if rate == "online":
        return 0 if online is True else None  # an unknown format never counts as online
    if person is None:
        return 2
    return 0 if rate == person else None


_COUNT_FOR: dict[str, str] = {"credit": "credits", "term": "terms", "semester": "terms", "year": "years",
                              "course": "courses"}  # fmt: skip


def _quantity(rate: StatedRate, counts: dict[str, float | None]) -> tuple[float | None, str]:
    if rate.per == "program":
        return 1.0, ""
    key = _COUNT_FOR[rate.per]
    value = counts[key]
    return value, f" x {value:g} {key}" if value is not None else ""


def _describe(rate: StatedRate, quantity_text: str, stale: bool | None) -> str:
    parts = [p for p in (rate.residency, rate.year or "year not stated", rate.scope) if p]
    flag = "; STALE year" if stale else "; year unknown" if stale is None and rate.year else ""
    return f"${rate.amount:,.2f} per {rate.per}{quantity_text} ({'; '.join(parts)}{flag})"


def choose_tuition(
    *,
    program_rates: Sequence[StatedRate] = (),
    institution_rates: Sequence[StatedRate] = (),
    user_amount: float | None = None,
    credits: float | None = None,
    terms: float | None = None,
    years: float | None = None,
    courses: float | None = None,
    residency: Residency | None = None,
    online: bool | None = None,
    as_of_year: int,
    stale_after_years: int = DEFAULTS.tuition_stale_after_years,
) -> TuitionQuote:
    """Pick the program's tuition from the best available source, labelled.

    Order: program total; program per-credit rate x ``credits``; institution-level rate x the
    matching count (credits, terms, years or courses); the user's figure; else unknown. Within a
    tier, a rate for the person's residency beats one for everyone; newer years beat older; when
    the residency is not given the higher rate is used (never the flattering one). Program rates
    must be stated per program or per credit.
    """
    counts: dict[str, float | None] = {"credits": credits, "terms": terms, "years": years, "courses": courses}
    tiers: list[tuple[TuitionBasis, list[StatedRate]]] = [
        ("program_total", [r for r in program_rates if r.per == "program"]),
        ("per_credit_x_credits", [r for r in program_rates if r.per == "credit"]),
        ("institution_rate", list(institution_rates)),
    ]
    if any(r.per not in ("program", "credit") for r in program_rates):
        raise ValueError("program tuition facts must be stated per program or per credit")
    for basis, rates in tiers:
        usable: list[tuple[tuple[int, float, int, float], StatedRate, float, str]] = []
        for rate in rates:
            rank = _residency_rank(rate.residency, residency, online)
            quantity, quantity_text = _quantity(rate, counts)
            if rank is None or quantity is None:
                continue
            year = parse_academic_year(rate.year)
            # unknown residency: the higher rate first, so the plan never shows the flattering price
            total = rate.amount * quantity
            key = (rank, -total if rank == 2 else 0.0, -(year if year is not None else -1), -total)
            usable.append((key, rate, quantity, quantity_text))
        if not usable:
            continue
        _, rate, quantity, quantity_text = min(usable, key=lambda item: item[0])
        year_start = parse_academic_year(rate.year)
        stale = is_stale(year_start, as_of_year, stale_after_years)
        what = _describe(rate, quantity_text, stale)
        label = {
            "program_total": f"program tuition as stated: {what}",
            "per_credit_x_credits": f"program per-credit rate: {what}",
            "institution_rate": f"institution-level graduate rate, not this program's own price: {what}",
        }[basis]
        return TuitionQuote(
            rate.amount * quantity, basis, label, rate.residency, rate.year, year_start, stale,
            rate.source_url, rate.scope,
        )  # fmt: skip
    if user_amount is not None:
        if user_amount < 0:
            raise ValueError("user tuition must not be negative")
        return TuitionQuote(user_amount, "user", f"your own figure: ${user_amount:,.0f}")
    return unknown_tuition("cost unknown: no program tuition, usable institution rate or own figure")


# Institution rates for another population or pace are not this plan's price (summer sessions,
# non-degree and certificate students, worked examples, MBA rates, the other study pace).
_RATE_SKIP = re.compile(
    r"summer|non-degree|certificate|example|\bmba\b|\bmph\b|architecture|genetic counsel|\blaw\b|\bdnp\b|dental"
)
RATE_RULE = ("institution-level rates whose scope names summer sessions, non-degree or certificate students, worked "
             "examples, another professional degree (MBA, MPH, architecture, law, genetic counseling, DNP, dental), "
             "the other study pace (full-time vs part-time), or a whole-program price, are not used")  # fmt: skip


def stated_program_rates(facts: OfferingFacts | None) -> list[StatedRate]:
    """A program's verified tuition facts as rates: totals per program, per-credit rates, each variant (residency
    read from its wording), with the stated tuition year."""
    year_fact = facts.first("tuition_year") if facts else None
    year = None if year_fact is None else str(year_fact.value)
    rates = []
    for name, per in (("tuition_total_usd", "program"), ("tuition_per_credit_usd", "credit")):
        for f in facts.all(name) if facts else []:
            for label, amount in f.value.items() if isinstance(f.value, dict) else [(None, f.value)]:
                low = (label or "").lower()
                residency = "nonresident" if re.search(r"non.?resident|out.of.state", low) else (
                    "resident" if re.search(r"resident|in.state", low) else None)  # fmt: skip
                rates.append(StatedRate(float(amount), per, residency, year, f.source_url, label))  # type: ignore[arg-type]
    return rates


def rate_applies(rate: StatedRate, part_time: bool) -> bool:
    """Whether an institution-level rate can stand in for this plan's price (see :data:`RATE_RULE`)."""
    scope = (rate.scope or "").lower()
    other_pace = r"full.?time|\b9\+|12\+" if part_time else r"part.?time"
    return rate.per != "program" and not _RATE_SKIP.search(scope) and not re.search(other_pace, scope)


def unknown_tuition(reason: str) -> TuitionQuote:
    """A tuition quote that says what is missing (amount ``None``)."""
    return TuitionQuote(None, "unknown", reason)


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
