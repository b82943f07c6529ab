"""ROI: NPV, payback, ramp, loans, break-even, band and sensitivity — answers worked by hand.

Salaries, wages, tuition and loan terms here are test fixtures chosen to make the arithmetic easy;
they are not real wages or prices.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradpath.plan.assumptions import DIRECT_UNSUB_GRAD
from gradpath.plan.roi import (
    RoiInputs,
    WageBand,
    break_even_salary,
    npv,
    payback_year,
    roi_summary,
    sensitivity,
    side_by_side,
)
from gradpath.plan.tuition import TuitionQuote, unknown_tuition

FIXTURE_TUITION = TuitionQuote(20000.0, "user", "fixture tuition")
ZERO_RATE_LOAN = replace(DIRECT_UNSUB_GRAD, interest_rate=0.0, origination_fee=0.0, grace_months=0)


def simple(**changes: object) -> RoiInputs:
    """One year of full-time study, $20k tuition, $50k now, $80k target at once, no growth or discounting."""
    base = RoiInputs(
        current_salary=50000, target=WageBand(80000), study_months=12, part_time=False, tuition=FIXTURE_TUITION,
        fees=0, books_tech=0, discount_rate=0.0, wage_growth=0.0, ramp_years=0.0, horizon_years=2,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_npv_of_minus_100_then_60_and_60_at_10_percent_is_4_13() -> None:
    by_hand = -100 + 60 / 1.1 + 60 / 1.1**2
    assert by_hand == pytest.approx(4.13, abs=0.005)
    assert npv([-100, 60, 60], 0.10) == pytest.approx(by_hand)


def test_payback_is_the_first_year_the_running_total_turns_non_negative() -> None:
    assert payback_year([-100, 30, 40, 50]) == 3  # -100, -70, -30, +20
    assert payback_year([-100, 10, 10]) is None
    assert payback_year([0, 5]) == 0


def test_payback_ignores_an_early_positive_total_that_later_turns_negative() -> None:
    assert payback_year([10, -30, 40]) == 2  # 10, -20, +20: borrowed cash is not a payback


def test_full_time_flows_subtract_forgone_pay_and_tuition_then_add_the_raise() -> None:
    summary = roi_summary(simple())
    # year 0: no pay instead of 50k, and 20k tuition; years 1-2: 80k instead of 50k
    assert [f.net for f in summary.flows] == pytest.approx([-70000, 30000, 30000])
    assert summary.npv == pytest.approx(-10000)
    assert summary.payback_years is None
    assert roi_summary(simple(horizon_years=3)).payback_years == 3


def test_part_time_study_keeps_the_salary_so_only_costs_are_paid_in_school() -> None:
    summary = roi_summary(simple(part_time=True))
    assert summary.flows[0].net == pytest.approx(-20000)
    assert summary.cost.amount("forgone_earnings") == 0


def test_the_salary_ramps_linearly_from_the_target_p25_to_the_median() -> None:
    inputs = simple(target=WageBand(80000, p25=60000, p75=95000), ramp_years=2.0, horizon_years=3)
    # average of a straight line over each year: 60k + 20k x (0.25, 0.75, then 1)
    assert [f.net for f in roi_summary(inputs).flows] == pytest.approx([-70000, 15000, 25000, 30000])


def test_the_ramp_starts_at_the_current_salary_when_it_is_above_the_p25() -> None:
    inputs = simple(current_salary=70000, target=WageBand(80000, p25=60000), ramp_years=2.0, horizon_years=1)
    # 70k + 10k x 0.25 = 72.5k, against 70k on the stay path
    assert roi_summary(inputs).flows[1].net == pytest.approx(2500)


def test_discounting_applies_to_the_yearly_flows() -> None:
    summary = roi_summary(simple(discount_rate=0.10))
    assert summary.npv == pytest.approx(-70000 + 30000 / 1.1 + 30000 / 1.21)


def test_borrowing_brings_cash_in_school_and_repayments_after() -> None:
    inputs = simple(loan_need_per_year=10000, loan_terms=ZERO_RATE_LOAN, loan_repayment_years=10, horizon_years=10)
    summary = roi_summary(inputs)
    assert summary.flows[0].loan == pytest.approx(10000)
    assert summary.flows[1].loan == pytest.approx(-1000)  # 10000 / 120 a month
    assert sum(f.loan for f in summary.flows) == pytest.approx(0)


def test_a_loan_outlasting_the_horizon_is_counted_as_paid_off_at_its_end() -> None:
    inputs = simple(loan_need_per_year=10000, loan_terms=ZERO_RATE_LOAN, loan_repayment_years=10, horizon_years=2)
    summary = roi_summary(inputs)
    assert sum(f.loan for f in summary.flows) == pytest.approx(0)
    assert any("past the horizon" in note for note in summary.caveats)


def test_break_even_is_the_target_wage_where_npv_reaches_zero() -> None:
    # -70000 + 2 x (T - 50000) = 0  ->  T = 85000
    result = break_even_salary(simple())
    assert result.salary == pytest.approx(85000, abs=1.0)
    assert not result.reached_without_raise


def test_break_even_reports_a_plan_that_pays_without_a_raise() -> None:
    result = break_even_salary(simple(part_time=True, tuition=TuitionQuote(0.0, "user", "fixture: free")))
    assert result.salary is None and result.reached_without_raise


def test_the_band_uses_the_p25_and_p75_wages_around_the_median() -> None:
    summary = roi_summary(simple(target=WageBand(80000, p25=60000, p75=95000)))
    assert summary.band_low == pytest.approx(-70000 + 2 * 10000)
    assert summary.band_high == pytest.approx(-70000 + 2 * 45000)
    assert summary.npv is not None and summary.band_low is not None and summary.band_high is not None
    assert summary.band_low <= summary.npv <= summary.band_high


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"tuition": unknown_tuition("fixture: no price stated")}, "cost unknown"),
        ({"target": WageBand(None, reason="fixture: wage not released")}, "wage not released"),
        ({"study_months": None}, "duration unknown"),
    ],
)
def test_unknown_inputs_give_no_npv_and_say_why(changes: dict[str, object], reason: str) -> None:
    summary = roi_summary(simple(**changes))
    assert summary.npv is None and summary.payback_years is None and summary.flows == ()
    assert any(reason in item for item in summary.unknown)
    assert sensitivity(simple(**changes)) == []


def test_the_summary_is_json_ready_with_npv_payback_band_and_flows() -> None:
    data = roi_summary(simple(target=WageBand(80000, p25=60000, p75=95000))).as_dict()
    text = json.dumps(data)
    assert {"npv", "payback_years", "band", "flows", "assumptions"} <= set(data)
    assert json.loads(text)["band"]["low"] == pytest.approx(-50000)


def test_sensitivity_rows_cover_each_assumption_sorted_by_effect() -> None:
    inputs = simple(target=WageBand(80000, p25=60000, p75=95000), ramp_years=2.0, horizon_years=10,
                    discount_rate=0.03, wage_growth=0.01)  # fmt: skip
    rows = sensitivity(inputs)
    assert {r.assumption for r in rows} == {
        "tuition", "target_wage", "discount_rate", "ramp_years", "wage_growth", "horizon_years",
    }  # fmt: skip
    swings = [r.swing for r in rows]
    assert swings == sorted(swings, reverse=True)
    tuition = next(r for r in rows if r.assumption == "tuition")
    assert tuition.delta_high == pytest.approx(-4000)  # +20% of 20000, paid in year 0
    assert tuition.delta_low == pytest.approx(4000)


def test_side_by_side_returns_each_named_plan() -> None:
    result = side_by_side({"full-time": simple(), "part-time": simple(part_time=True, study_months=24)})
    assert set(result) == {"full-time", "part-time"}
    assert result["part-time"].label == "part-time"


# --- properties ------------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=150000)


@st.composite
def plans(draw: st.DrawFn) -> RoiInputs:
    median = draw(st.floats(min_value=20000, max_value=250000))
    below, above = draw(st.floats(0, 0.5)), draw(st.floats(0, 0.5))
    return RoiInputs(
        current_salary=draw(st.floats(min_value=0, max_value=200000)),
        target=WageBand(median, p25=median * (1 - below), p75=median * (1 + above)),
        study_months=draw(st.floats(min_value=6, max_value=48)),
        part_time=draw(st.booleans()),
        tuition=TuitionQuote(draw(money), "user", "fixture"),
        fees=draw(st.one_of(st.none(), st.floats(0, 10000))),
        scholarships=draw(st.floats(0, 20000)),
        employer_aid_per_year=draw(st.floats(0, 20000)),
        loan_need_per_year=draw(st.one_of(st.just(0.0), st.floats(0, 30000))),
        discount_rate=draw(st.floats(0, 0.1)),
        wage_growth=draw(st.floats(-0.01, 0.03)),
        ramp_years=draw(st.floats(0, 5)),
        horizon_years=draw(st.integers(1, 25)),
    )


def _npv(inputs: RoiInputs) -> float:
    value = roi_summary(inputs).npv
    assert value is not None
    return value


@settings(deadline=None)
@given(plan=plans(), extra=st.floats(min_value=0, max_value=100000))
def test_more_tuition_never_raises_npv(plan: RoiInputs, extra: float) -> None:
    assert plan.tuition.amount is not None
    dearer = replace(plan, tuition=replace(plan.tuition, amount=plan.tuition.amount + extra))
    assert _npv(dearer) <= _npv(plan) + 1e-6 * (1 + abs(_npv(plan)))


@settings(deadline=None)
@given(plan=plans(), extra=st.floats(min_value=0, max_value=20000))
def test_more_employer_aid_never_lowers_npv(plan: RoiInputs, extra: float) -> None:
    richer = replace(plan, employer_aid_per_year=plan.employer_aid_per_year + extra)
    assert _npv(richer) >= _npv(plan) - 1e-6 * (1 + abs(_npv(plan)))


@settings(deadline=None)
@given(plan=plans(), factor=st.floats(min_value=1, max_value=2))
def test_npv_never_falls_when_the_target_median_rises(plan: RoiInputs, factor: float) -> None:
    target = plan.target
    assert target.median is not None
    higher = replace(plan, target=replace(target, median=target.median * factor, p75=None))
    assert _npv(higher) >= _npv(plan) - 1e-6 * (1 + abs(_npv(plan)))


@settings(deadline=None)
@given(plan=plans())
def test_an_unknown_target_wage_is_never_treated_as_known(plan: RoiInputs) -> None:
    summary = roi_summary(replace(plan, target=WageBand(None, reason="fixture: suppressed")))
    assert summary.npv is None and summary.payback_years is None
    assert break_even_salary(replace(plan, tuition=unknown_tuition("fixture"))).salary is None
