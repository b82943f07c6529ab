"""Finance: tuition ranking and labels, the cost breakdown, employer aid, loans — answers worked by hand.

Every rate, fee and salary here is a test fixture made up for the arithmetic, not a real price.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradpath.plan.finance import (
    amortized_payment,
    cost_of_attendance,
    direct_unsub_schedule,
    employer_aid,
    forgone_earnings,
    prorated_annual_limit,
    remaining_balance,
)
from gradpath.plan.tuition import (
    StatedRate,
    TuitionQuote,
    choose_tuition,
    is_stale,
    parse_academic_year,
    unknown_tuition,
)

KNOWN = TuitionQuote(30000.0, "user", "fixture tuition")

# --- loans -----------------------------------------------------------------------------------------


def test_a_10000_loan_at_6_percent_over_10_years_costs_111_02_a_month() -> None:
    r, n = 0.06 / 12, 120
    by_hand = 10000 * r / (1 - (1 + r) ** -n)
    assert by_hand == pytest.approx(111.02, abs=0.005)
    assert amortized_payment(10000, 0.06, 10) == pytest.approx(by_hand)


def test_a_zero_rate_loan_is_repaid_in_equal_slices() -> None:
    assert amortized_payment(12000, 0.0, 10) == pytest.approx(100.0)


def test_schedule_accrues_simple_interest_from_each_disbursement_to_the_end_of_grace() -> None:
    plan = direct_unsub_schedule(10000, 2, 20500, 0.06, 0.01, grace_months=6, repayment_years=10)
    gross = 10000 / 0.99  # the fee comes out of each disbursement, so borrow a little more
    # year-0 money accrues 2.5 years (2 in school + 0.5 grace), year-1 money 1.5 years
    interest = gross * 0.06 * 2.5 + gross * 0.06 * 1.5
    assert plan.disbursed == pytest.approx(2 * gross)
    assert plan.fees == pytest.approx(2 * gross * 0.01)
    assert plan.net_received == pytest.approx(20000)
    assert plan.interest_in_school == pytest.approx(interest)
    assert plan.principal_at_repayment == pytest.approx(2 * gross + interest)
    assert plan.monthly_payment == pytest.approx(amortized_payment(2 * gross + interest, 0.06, 10))
    assert plan.total_repaid == pytest.approx(plan.monthly_payment * 120)
    assert plan.unmet_need == 0


def test_the_annual_limit_caps_borrowing_and_reports_the_unmet_need() -> None:
    plan = direct_unsub_schedule(30000, 1, 20500, 0.05, 0.01, repayment_years=10)
    assert plan.disbursed == pytest.approx(20500)
    assert plan.unmet_need == pytest.approx(30000 - 20500 * 0.99)


def test_the_standard_term_grows_with_the_balance_for_new_loans() -> None:
    plan = direct_unsub_schedule(20000, 2, 20500, 0.0, 0.0, grace_months=6)
    assert plan.principal_at_repayment == pytest.approx(40000)
    assert plan.repayment_years == 15  # balances of $25,000 to $49,999
    assert plan.monthly_payment == pytest.approx(40000 / 180)


def test_a_partial_final_year_borrows_a_pro_rata_share() -> None:
    plan = direct_unsub_schedule(10000, 1.5, 20500, 0.0, 0.0, repayment_years=10)
    assert [g for _, g in plan.disbursements] == pytest.approx([10000, 5000])


def test_remaining_balance_runs_from_principal_to_zero() -> None:
    assert remaining_balance(10000, 0.06, 10, 0) == pytest.approx(10000)
    assert remaining_balance(10000, 0.06, 10, 120) == pytest.approx(0, abs=1e-6)
    r, pay = 0.005, amortized_payment(10000, 0.06, 10)
    assert remaining_balance(10000, 0.06, 10, 1) == pytest.approx(10000 * (1 + r) - pay)


def test_part_time_loan_limits_are_prorated_by_load() -> None:
    assert prorated_annual_limit(20500, 6, 9) == pytest.approx(20500 * 6 / 9)
    assert prorated_annual_limit(20500, 12, 9) == pytest.approx(20500)


@given(
    principal=st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=500000)),  # money: whole cents
    rate=st.floats(min_value=0, max_value=0.2),
    years=st.integers(min_value=1, max_value=30),
)
def test_total_payments_never_fall_below_the_principal_when_the_rate_is_not_negative(
    principal: float, rate: float, years: int
) -> None:
    assert amortized_payment(principal, rate, years) * years * 12 >= principal * (1 - 1e-12)


# --- employer aid and forgone earnings ----------------------------------------------------------------


def test_employer_aid_is_tax_free_up_to_the_cap_each_year() -> None:
    aid = employer_aid(8000, 2, 5250)
    assert aid.tax_free == pytest.approx(10500)
    assert aid.taxable == pytest.approx(5500)


def test_employer_aid_never_exceeds_the_eligible_costs_of_a_year() -> None:
    aid = employer_aid(8000, 2, 5250, eligible_per_year=[6000, 3000])
    assert [y.applied for y in aid.by_year] == [6000, 3000]
    assert aid.tax_free == pytest.approx(5250 + 3000)
    assert aid.taxable == pytest.approx(750)


def test_a_partial_year_of_study_gets_a_pro_rata_share_of_the_yearly_aid() -> None:
    aid = employer_aid(6000, 1.5, 5250)
    assert [y.offered for y in aid.by_year] == [6000, 3000]
    assert aid.taxable == pytest.approx(750)


def test_forgone_earnings_are_the_salary_over_the_months_of_full_time_study() -> None:
    assert forgone_earnings(60000, 12, 0.0) == pytest.approx(60000)
    assert forgone_earnings(60000, 18, 0.0) == pytest.approx(90000)


# --- tuition ---------------------------------------------------------------------------------------

PROGRAM_TOTAL = StatedRate(30000, "program", "all", "2025-2026", "https://example.edu/fixture-total")
PROGRAM_CREDIT = StatedRate(1000, "credit", "all", "2025-2026", "https://example.edu/fixture-credit")
INSTITUTION_RESIDENT = StatedRate(800, "credit", "resident", "2024-2025", "https://example.edu/fixture-rates",
                                  "graduate (general)")  # fmt: skip
INSTITUTION_NONRESIDENT = StatedRate(1500, "credit", "nonresident", "2024-2025", "https://example.edu/fixture-rates",
                                     "graduate (general)")  # fmt: skip


def test_a_stated_program_total_beats_every_other_source() -> None:
    quote = choose_tuition(
        program_rates=[PROGRAM_CREDIT, PROGRAM_TOTAL], institution_rates=[INSTITUTION_RESIDENT],
        user_amount=1.0, credits=30, residency="resident", as_of_year=2026,
    )  # fmt: skip
    assert (quote.amount, quote.basis) == (30000, "program_total")
    assert quote.source_url == PROGRAM_TOTAL.source_url
    assert "as stated" in quote.label


def test_a_program_per_credit_rate_is_multiplied_by_the_credits() -> None:
    quote = choose_tuition(program_rates=[PROGRAM_CREDIT], credits=36, as_of_year=2026)
    assert (quote.amount, quote.basis) == (36000, "per_credit_x_credits")


def test_an_institution_rate_is_used_only_when_no_program_fact_applies_and_is_labelled_as_such() -> None:
    quote = choose_tuition(
        program_rates=[PROGRAM_CREDIT], institution_rates=[INSTITUTION_RESIDENT, INSTITUTION_NONRESIDENT],
        credits=None, years=2, residency="resident", as_of_year=2026,
    )  # fmt: skip
    assert quote.basis == "unknown"  # per-credit rates need a credit count
    quote = choose_tuition(
        institution_rates=[INSTITUTION_RESIDENT, INSTITUTION_NONRESIDENT], credits=30, residency="resident",
        as_of_year=2026,
    )  # fmt: skip
    assert (quote.amount, quote.basis) == (800 * 30, "institution_rate")
    assert "not this program's own price" in quote.label and "graduate (general)" in quote.label


def test_without_a_stated_residency_the_higher_rate_is_used() -> None:
    quote = choose_tuition(institution_rates=[INSTITUTION_RESIDENT, INSTITUTION_NONRESIDENT], credits=30,
                           as_of_year=2026)  # fmt: skip
    assert quote.amount == 1500 * 30


def test_without_a_stated_residency_the_higher_total_wins_even_over_a_newer_lower_rate() -> None:
    newer_low = StatedRate(800, "credit", "resident", "2025-2026")
    older_high = StatedRate(12000, "term", "nonresident", "2024-2025")
    quote = choose_tuition(institution_rates=[newer_low, older_high], credits=30, terms=4, as_of_year=2026)
    assert quote.amount == 12000 * 4


def test_an_online_rate_is_not_used_when_the_format_is_unknown() -> None:
    online = StatedRate(500, "credit", "online", "2025-2026")
    assert choose_tuition(institution_rates=[online], credits=30, online=None, as_of_year=2026).amount is None
    assert choose_tuition(institution_rates=[online], credits=30, online=True, as_of_year=2026).amount == 15000


def test_the_newer_of_two_matching_rates_wins() -> None:
    old = StatedRate(700, "credit", "resident", "2019-2020")
    new = StatedRate(900, "credit", "resident", "2024-2025")
    quote = choose_tuition(institution_rates=[old, new], credits=10, residency="resident", as_of_year=2026)
    assert quote.amount == 9000 and quote.stale is False


def test_the_user_figure_is_used_last_and_unknown_is_none_not_zero() -> None:
    assert choose_tuition(user_amount=25000, as_of_year=2026).basis == "user"
    quote = choose_tuition(as_of_year=2026)
    assert quote.amount is None and quote.basis == "unknown" and "unknown" in quote.label


def test_an_old_year_is_flagged_stale_and_a_missing_year_is_unknown_not_fresh() -> None:
    old = choose_tuition(institution_rates=[StatedRate(700, "credit", "all", "2019-2020")], credits=1,
                         as_of_year=2026)  # fmt: skip
    assert old.stale is True and "STALE" in old.label
    undated = choose_tuition(institution_rates=[StatedRate(700, "credit", "all", None)], credits=1,
                             as_of_year=2026)  # fmt: skip
    assert undated.stale is None
    assert is_stale(2024, 2026, 2) is False


@pytest.mark.parametrize(
    ("text", "year"),
    [("2023-2024", 2023), ("2023-24", 2023), ("Summer Semester 2023", 2022), ("Fall 2024", 2024),
     ("2025", 2025), ("null", None), (None, None), ("per credit", None)],
)  # fmt: skip
def test_academic_years_are_read_from_page_wordings(text: str | None, year: int | None) -> None:
    assert parse_academic_year(text) == year


# --- cost of attendance ---------------------------------------------------------------------------


def test_the_breakdown_nets_scholarships_and_employer_aid_and_taxes_aid_above_the_cap() -> None:
    cost = cost_of_attendance(
        KNOWN, study_months=24, part_time=True, fees=2000, books_tech=1000, scholarships=3000,
        employer_aid_per_year=8000, marginal_tax_rate=0.3,
    )  # fmt: skip
    # eligible costs 30000 + 2000 + 1000 - 3000 = 30000, i.e. 15000 a year: aid 8000 a year applies in full
    assert cost.amount("employer_aid_tax_free") == pytest.approx(2 * 5250)
    assert cost.amount("employer_aid_taxable") == pytest.approx(2 * 2750)
    assert cost.amount("tax_on_taxable_aid") == pytest.approx(5500 * 0.3)
    assert cost.net_cost_out_of_pocket == pytest.approx(33000 - 3000 - 16000 + 1650)
    assert cost.amount("forgone_earnings") == 0
    assert cost.amount("total_economic_cost") == pytest.approx(15650)


def test_full_time_study_adds_forgone_earnings_beside_the_out_of_pocket_cost() -> None:
    cost = cost_of_attendance(KNOWN, study_months=12, part_time=False, fees=0, books_tech=0,
                              current_salary=60000, wage_growth=0.0)  # fmt: skip
    assert cost.amount("forgone_earnings") == pytest.approx(60000)
    assert cost.amount("total_economic_cost") == pytest.approx(30000 + 60000)


def test_unknown_fees_stay_unknown_and_are_listed_not_counted_as_zero() -> None:
    cost = cost_of_attendance(KNOWN, study_months=12, part_time=True)
    assert cost.amount("fees") is None and cost.amount("books_tech") is None
    assert any(item.startswith("fees") for item in cost.unknown)
    assert cost.net_cost_out_of_pocket == pytest.approx(30000)


def test_living_costs_count_only_for_a_relocation() -> None:
    stay = cost_of_attendance(KNOWN, study_months=12, part_time=True)
    assert stay.amount("living_relocation") == 0
    move = cost_of_attendance(KNOWN, study_months=12, part_time=True, relocating=True)
    assert move.amount("living_relocation") is None
    moved = cost_of_attendance(KNOWN, study_months=12, part_time=True, relocating=True, living_relocation=9000)
    assert moved.net_cost_out_of_pocket == pytest.approx(39000)


@given(
    fees=st.one_of(st.none(), st.floats(0, 1e5)),
    books=st.one_of(st.none(), st.floats(0, 1e4)),
    scholarships=st.floats(0, 1e5),
    aid=st.floats(0, 5e4),
    months=st.one_of(st.none(), st.floats(1, 72)),
    part_time=st.booleans(),
)
def test_unknown_tuition_leaves_the_total_unknown_never_zero(
    fees: float | None, books: float | None, scholarships: float, aid: float, months: float | None, part_time: bool
) -> None:
    cost = cost_of_attendance(
        unknown_tuition("fixture: no price stated"), study_months=months, part_time=part_time, fees=fees,
        books_tech=books, scholarships=scholarships, employer_aid_per_year=aid, current_salary=50000,
    )  # fmt: skip
    assert cost.amount("tuition") is None
    assert cost.net_cost_out_of_pocket is None
    assert cost.amount("total_economic_cost") is None
    assert cost.as_dict()["unknown"]


@given(
    tuition=st.floats(0, 2e5),
    low=st.floats(0, 5e4),
    extra=st.floats(0, 5e4),
    months=st.floats(1, 72),
    rate=st.floats(0, 1),
)
def test_more_employer_aid_never_raises_the_net_cost(
    tuition: float, low: float, extra: float, months: float, rate: float
) -> None:
    quote = TuitionQuote(tuition, "user", "fixture")

    def net(aid: float) -> float:
        value = cost_of_attendance(
            quote,
            study_months=months,
            part_time=True,
            fees=0,
            books_tech=0,
            employer_aid_per_year=aid,
            marginal_tax_rate=rate,
        ).net_cost_out_of_pocket
        assert value is not None
        return value  # fmt: skip

    assert net(low + extra) <= net(low) + 1e-6
