"""Every number the planner assumes: dated legal/program figures with their source, and planner choices.

Two kinds of default live here:

* **Dated figures** set by law or by a federal agency (the §127 exclusion cap, Direct Loan terms).
  Each carries the period it applies to, an official source URL and an ``as_of`` note saying what
  was confirmed, when, and where. When the newest figure could not be confirmed, the latest
  confirmed one is used and the docstring says so.
* **Planner choices** (discount rate, horizon, wage growth, ramp, study loads, tax rate on taxable
  aid). These are not facts; each carries its rationale so the output can list it next to the
  result and a user can change it.

Money is in U.S. dollars. Rates are fractions (0.03 means 3%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# --- dated figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssumptionNote:
    """One assumption as the planner lists it next to a result."""

    name: str
    value: float | int | str
    kind: str  # "law", "federal figure", "planner choice" or "rule of thumb"
    note: str
    source_url: str | None = None
    as_of: str | None = None


@dataclass(frozen=True)
class EmployerAidCap:
    """The yearly amount of employer educational assistance an employee may exclude from income.

    Internal Revenue Code §127. Assistance above the cap in a calendar year is taxable wages. The
    planner applies ``amount`` to every year of study: the law indexes the cap for inflation only
    from ``indexed_from_tax_year`` on, and those later amounts are not yet announced, so using the
    last fixed amount can only understate the tax-free part (never overstate it).
    """

    amount: float
    tax_year: int
    indexed_from_tax_year: int
    source_url: str
    as_of: str
    note: str


IRS_127_CAP = EmployerAidCap(
    amount=5250.0,
    tax_year=2026,
    indexed_from_tax_year=2027,
    source_url="https://www.irs.gov/publications/p15b",
    as_of=(
        "2026-11-27: $5,250 per employee per calendar year confirmed for tax year 2026. Pub. L. 119-21 "
        "§70412 (July 2025) made the student-loan-payment part permanent and indexes the $5,250 for "
        "taxable years beginning after 2026; the IRS 2026 inflation procedure (Rev. Proc. 2025-32) "
        "left it unchanged. No indexed 2027 amount was found in the stored references. Confirmed "
        "through secondary sources (a tax-practice alert on Rev. Proc. 2025-32 and the 2025 law, and "
        "restatements of the IRS educational-assistance FAQ); the IRS page itself was not in the "
        "stored copies, so the irs.gov URL is the publication to check."
    ),
    note="Above the cap, employer aid is taxable wages; see marginal_tax_rate_on_taxable_aid.",
)


@dataclass(frozen=True)
class DirectUnsubTerms:
    """Federal Direct Unsubsidized Loan terms for a graduate (not professional) student.

    ``interest_rate`` is fixed for the life of each loan and set once a year (10-year Treasury note
    auction in May plus a statutory add-on of 3.60 points for graduate borrowers, capped at 9.5%).
    ``tiered_terms`` is the standard plan for loans made on or after 2026-07-01: the repayment term
    grows with the balance (fixed payments); ``legacy_term_years`` is the classic 10-year plan.
    """

    award_year: str
    interest_rate: float
    rate_applies_to: str
    origination_fee: float
    fee_applies_to: str
    annual_limit: float
    aggregate_limit: float
    grace_months: int
    legacy_term_years: int
    tiered_terms: tuple[tuple[float, int], ...]
    top_tier_years: int
    source_urls: tuple[str, ...]
    as_of: str

    def standard_term_years(self, balance: float) -> int:
        """Years of the standard plan for a balance entering repayment (loans made from 2026-07-01)."""
        for below, years in self.tiered_terms:
            if balance < below:
                return years
        return self.top_tier_years


DIRECT_UNSUB_GRAD = DirectUnsubTerms(
    award_year="2025-26",
    interest_rate=0.0794,
    rate_applies_to="loans first disbursed 2025-07-01 through 2026-06-30",
    origination_fee=0.01057,
    fee_applies_to="loans first disbursed 2020-10-01 up to (not including) 2026-10-01",
    annual_limit=20500.0,
    aggregate_limit=100000.0,
    grace_months=6,
    legacy_term_years=10,
    tiered_terms=((25000.0, 10), (50000.0, 15), (100000.0, 20)),
    top_tier_years=25,
    source_urls=(
        "https://studentaid.gov/understand-aid/types/loans/interest-rates",
        "https://studentaid.gov/understand-aid/types/loans/subsidized-unsubsidized",
        "https://studentaid.gov/manage-loans/repayment/plans/standard",
    ),
    as_of=(
        "2026-11-27: the 2026-27 graduate rate (set from the May 2026 Treasury auction) could not be "
        "confirmed from studentaid.gov in the stored references, so the latest confirmed rate is used: "
        "7.94% for 2025-26 (4.34% May 2025 auction yield + 3.60 add-on), restated by university "
        "financial-aid offices quoting studentaid.gov. Fee 1.057% confirmed for first disbursements "
        "before 2026-10-01; the fee for later loans was not found. From 2026-07-01 (Pub. L. 119-21): "
        "graduate annual limit stays $20,500, aggregate $100,000 for new borrowers, annual limits are "
        "prorated for less-than-full-time enrolment, Grad PLUS closes to new borrowers, and the new "
        "standard plan runs 10/15/20/25 years for balances under $25k/$50k/$100k/above."
    ),
)

# --- planner choices -----------------------------------------------------------------------------

CREDIT_HOUR_RULE_URL = "https://www.ecfr.gov/current/title-34/section-600.2"


@dataclass(frozen=True)
class LoadAssumptions:
    """How much a student takes per term, and how many study hours a credit costs per week.

    Credits are semester credits. ``hours_per_credit_per_week`` is a rule of thumb taken from the
    federal credit-hour definition (about one hour in class plus two of outside work per credit per
    week over a semester); real workloads vary by course.
    """

    credits_per_term: float
    terms_per_year: int
    hours_per_credit_per_week: float = 3.0
    rationale: str = ""

    def __post_init__(self) -> None:
        if self.credits_per_term <= 0:
            raise ValueError("credits_per_term must be positive")
        if self.terms_per_year not in (2, 3):
            raise ValueError("terms_per_year must be 2 (fall, spring) or 3 (with summer)")
        if self.hours_per_credit_per_week < 0:
            raise ValueError("hours_per_credit_per_week must not be negative")

    @property
    def credits_per_year(self) -> float:
        """Credits a year at this load."""
        return self.credits_per_term * self.terms_per_year


FULL_TIME_LOAD = LoadAssumptions(
    credits_per_term=9.0,
    terms_per_year=2,
    rationale="9 semester credits (three courses) in fall and spring: a common graduate full-time load.",
)
PART_TIME_LOAD = LoadAssumptions(
    credits_per_term=6.0,
    terms_per_year=2,
    rationale=(
        "6 credits (two courses) in fall and spring while working; set terms_per_year=3 when the "
        "program runs year-round."
    ),
)


@dataclass(frozen=True)
class Loads:
    """The full-time and part-time loads the timeline compares."""

    full_time: LoadAssumptions = FULL_TIME_LOAD
    part_time: LoadAssumptions = PART_TIME_LOAD


FEDERAL_MARGINAL_RATE = 0.22
PAYROLL_TAX_RATE = 0.0765  # employee share: 6.2% Social Security + 1.45% Medicare


@dataclass(frozen=True)
class PlannerDefaults:
    """The planner's reasoned defaults. None of these is a fact; every one can be overridden."""

    discount_rate: float = 0.03
    horizon_years_after_graduation: int = 20
    wage_growth: float = 0.01
    ramp_years: float = 3.0
    marginal_tax_rate_on_taxable_aid: float = FEDERAL_MARGINAL_RATE + PAYROLL_TAX_RATE
    tuition_stale_after_years: int = 2
    loads: Loads = field(default_factory=Loads)


DEFAULTS = PlannerDefaults()


def describe_defaults(defaults: PlannerDefaults = DEFAULTS) -> tuple[AssumptionNote, ...]:
    """Every default with its kind, rationale and source, in the order the method document uses."""
    d = defaults
    loan = DIRECT_UNSUB_GRAD
    return (
        AssumptionNote(
            "discount_rate", d.discount_rate, "planner choice",
            "Real (after-inflation) rate; the same 3% real rate FREOPP uses for degree ROI, so results "
            "are comparable. All money is in dollars of the wage data's year.",
            "https://freopp.org/whitepapers/how-we-calculated-the-return-on-investment-of-a-graduate-degree",
        ),
        AssumptionNote(
            "horizon_years_after_graduation", d.horizon_years_after_graduation, "planner choice",
            "Years counted after graduation; long enough for a ramp and loan repayment, short of a "
            "whole career because local wage data describe today's market.",
        ),
        AssumptionNote(
            "wage_growth", d.wage_growth, "planner choice",
            "Real yearly growth applied to both the study and the stay path (and to the target wage).",
        ),
        AssumptionNote(
            "ramp_years", d.ramp_years, "planner choice",
            "Years after graduation to reach the target median, rising in a straight line from the "
            "larger of the current salary and the target's 25th percentile.",
        ),
        AssumptionNote(
            "marginal_tax_rate_on_taxable_aid", round(d.marginal_tax_rate_on_taxable_aid, 4),
            "planner choice",
            "Employer aid above the §127 cap is taxed as wages: 22% federal bracket plus 7.65% "
            "employee payroll tax; state tax not included.",
            "https://www.irs.gov/taxtopics/tc751",
        ),
        AssumptionNote(
            "tuition_stale_after_years", d.tuition_stale_after_years, "planner choice",
            "A tuition rate whose academic year starts more than this many years before the current "
            "one is flagged stale.",
        ),
        AssumptionNote(
            "full_time_load", f"{d.loads.full_time.credits_per_term:g} credits x "
            f"{d.loads.full_time.terms_per_year} terms/year", "planner choice", d.loads.full_time.rationale,
        ),
        AssumptionNote(
            "part_time_load", f"{d.loads.part_time.credits_per_term:g} credits x "
            f"{d.loads.part_time.terms_per_year} terms/year", "planner choice", d.loads.part_time.rationale,
        ),
        AssumptionNote(
            "hours_per_credit_per_week", d.loads.full_time.hours_per_credit_per_week, "rule of thumb",
            "From the federal credit-hour definition (class time plus twice as much outside work); "
            "a rule of thumb, not a measurement.",
            CREDIT_HOUR_RULE_URL,
        ),
        AssumptionNote(
            "employer_aid_tax_free_cap", IRS_127_CAP.amount, "law",
            f"IRC §127, tax year {IRS_127_CAP.tax_year}; indexed for inflation from "
            f"{IRS_127_CAP.indexed_from_tax_year}.",
            IRS_127_CAP.source_url, IRS_127_CAP.as_of,
        ),
        AssumptionNote(
            "direct_unsub_interest_rate", loan.interest_rate, "federal figure",
            f"Graduate Direct Unsubsidized, {loan.rate_applies_to}.", loan.source_urls[0], loan.as_of,
        ),
        AssumptionNote(
            "direct_unsub_origination_fee", loan.origination_fee, "federal figure",
            f"Deducted from each disbursement; {loan.fee_applies_to}.", loan.source_urls[0], loan.as_of,
        ),
        AssumptionNote(
            "direct_unsub_annual_limit", loan.annual_limit, "law",
            "Graduate annual limit; prorated for less-than-full-time enrolment from 2026-07-01.",
            loan.source_urls[1], loan.as_of,
        ),
        AssumptionNote(
            "direct_unsub_grace_months", loan.grace_months, "law",
            "Months after leaving school before repayment starts; interest keeps accruing.",
            loan.source_urls[1],
        ),
        AssumptionNote(
            "direct_unsub_standard_term", "10/15/20/25 years by balance (legacy plan: 10 years)", "law",
            "Standard plan for loans made from 2026-07-01; term set by the balance entering repayment.",
            loan.source_urls[2], loan.as_of,
        ),
    )  # fmt: skip


def planner_defaults(
    *,
    discount_rate: float | None = None,
    horizon_years: int | None = None,
    wage_growth: float | None = None,
    ramp_years: float | None = None,
    tax_rate_on_taxable_aid: float | None = None,
) -> PlannerDefaults:
    """The defaults with a person's overrides (``None`` keeps the default)."""
    d = DEFAULTS
    return PlannerDefaults(
        discount_rate=d.discount_rate if discount_rate is None else discount_rate,
        horizon_years_after_graduation=d.horizon_years_after_graduation if horizon_years is None else horizon_years,
        wage_growth=d.wage_growth if wage_growth is None else wage_growth,
        ramp_years=d.ramp_years if ramp_years is None else ramp_years,
        marginal_tax_rate_on_taxable_aid=(
            d.marginal_tax_rate_on_taxable_aid if tax_rate_on_taxable_aid is None else tax_rate_on_taxable_aid
        ),
    )


def default_start_term(today: date) -> str:
    """The next fall term that has not started yet: the planner's start when the person gives none."""
    return f"Fall {today.year if (today.month, today.day) < (8, 25) else today.year + 1}"


def academic_year_start(today: date) -> int:
    """The calendar year the current academic year began in (it turns over in August)."""
    return today.year if today.month >= 8 else today.year - 1
