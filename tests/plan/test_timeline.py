"""Timeline: stated durations, credits ÷ load, ranges, bridge terms, and part-time never finishing first.

All program figures here are fixtures invented for the tests, not facts about any real program.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradpath.plan.assumptions import LoadAssumptions, Loads
from gradpath.plan.timeline import Term, parse_start_term, plan_timeline

DAYS_PER_MONTH = 365.25 / 12


def test_stated_full_time_duration_is_used_as_is_and_ends_at_the_nearest_term_end() -> None:
    plan = plan_timeline(24, None, None, "Fall 2026", part_time=False)
    assert plan.basis == "stated"
    assert plan.months == 24
    # fall 2026 starts 25 Aug; + 24 months = 25 Aug 2028, nearest term end is summer's 10 Aug 2028
    assert plan.graduation == date(2028, 8, 10)


def test_credits_divided_by_full_time_load_gives_whole_terms_on_the_calendar() -> None:
    plan = plan_timeline(None, None, 30, "Fall 2026", part_time=False)
    assert plan.basis == "credits_divided_by_load"
    assert plan.terms == 4  # 30 / 9 = 3.33 -> 4 terms: F26, S27, F27, S28
    assert plan.graduation == date(2028, 5, 10)
    assert plan.months == round((date(2028, 5, 10) - date(2026, 8, 25)).days / DAYS_PER_MONTH, 1)


def test_part_time_credits_use_the_part_time_load_and_take_longer() -> None:
    plan = plan_timeline(None, None, 30, "Fall 2026", part_time=True)
    assert plan.terms == 5  # 30 / 6
    assert plan.graduation == date(2028, 12, 15)  # F26 S27 F27 S28 F28
    assert plan.weekly_hours == 6 * 3


def test_full_time_uses_the_lower_end_of_a_stated_range_and_exposes_both_ends() -> None:
    plan = plan_timeline([12, 24], None, None, "Fall 2026", part_time=False)
    assert plan.months == 12
    assert plan.months_range == (12, 24)
    assert "lower end" in plan.assumption


def test_part_time_uses_the_upper_end_of_a_stated_part_time_range() -> None:
    plan = plan_timeline(None, (15, 36), None, "Spring 2027", part_time=True)
    assert plan.months == 36
    assert plan.months_range == (15, 36)


def test_full_time_with_only_a_part_time_statement_uses_its_lower_end() -> None:
    plan = plan_timeline(None, (15, 36), None, None, part_time=False)
    assert plan.months == 15
    assert plan.graduation is None


def test_part_time_scales_a_full_time_statement_by_the_load_ratio_when_credits_are_unknown() -> None:
    plan = plan_timeline(12, None, None, None, part_time=True)
    assert plan.basis == "fulltime_scaled_by_load"
    assert plan.months == 12 * (9 * 2) / (6 * 2)
    assert "assum" in plan.assumption or "stretches" in plan.assumption


def test_unknown_duration_and_unknown_credits_stay_unknown_never_zero() -> None:
    plan = plan_timeline(None, None, None, "Fall 2026", part_time=True)
    assert plan.basis == "unknown"
    assert plan.months is None
    assert plan.years is None
    assert plan.graduation is None


def test_bridge_terms_come_first_and_add_to_the_total() -> None:
    plan = plan_timeline(None, None, 18, "Fall 2026", part_time=False, bridge_terms=1)
    assert plan.program_start == date(2027, 1, 15)
    assert plan.terms == 2  # S27, F27
    assert plan.graduation == date(2027, 12, 15)
    assert plan.bridge_months == round((date(2027, 1, 15) - date(2026, 8, 25)).days / DAYS_PER_MONTH, 1)
    assert plan.program_months is not None
    assert plan.months == pytest.approx(plan.bridge_months + plan.program_months)


def test_quarter_credits_are_converted_to_semester_credits() -> None:
    quarter = plan_timeline(None, None, 45, None, part_time=False, credit_unit="quarter")
    semester = plan_timeline(None, None, 30, None, part_time=False)
    assert quarter.months == semester.months
    assert "quarter credits" in quarter.assumption


def test_three_term_years_include_summer() -> None:
    loads = Loads(part_time=LoadAssumptions(credits_per_term=6, terms_per_year=3))
    plan = plan_timeline(None, None, 18, "Spring 2027", part_time=True, loads=loads)
    assert plan.graduation == date(2027, 12, 15)  # spring, summer, fall


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Fall 2026", Term("fall", 2026)),
        ("autumn 2026", Term("fall", 2026)),
        ("2027 Spring", Term("spring", 2027)),
        ("September 2026", Term("fall", 2026)),
        ("Winter 2027", Term("spring", 2027)),
    ],
)
def test_start_terms_are_read_from_common_wordings(text: str, term: Term) -> None:
    assert parse_start_term(text) == term


def test_a_date_maps_to_the_term_holding_its_month() -> None:
    assert parse_start_term(date(2027, 6, 1)) == Term("summer", 2027)


def test_an_unreadable_start_term_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError):
        parse_start_term("next year")


durations = st.one_of(
    st.none(),
    st.floats(min_value=3, max_value=72),
    st.tuples(st.floats(min_value=3, max_value=72), st.floats(min_value=3, max_value=72)),
)
loads_strategy = st.builds(
    lambda ft, ft_terms, pt, pt_terms: Loads(LoadAssumptions(ft, ft_terms), LoadAssumptions(pt, pt_terms)),
    st.floats(min_value=1, max_value=15),
    st.sampled_from([2, 3]),
    st.floats(min_value=1, max_value=15),
    st.sampled_from([2, 3]),
)


@given(
    ft=durations,
    pt=durations,
    credits=st.one_of(st.none(), st.floats(min_value=1, max_value=90)),
    start=st.sampled_from([None, "Fall 2026", "Spring 2027", "Summer 2027"]),
    loads=loads_strategy,
    bridge=st.integers(min_value=0, max_value=2),
)
def test_part_time_never_finishes_earlier_than_full_time(
    ft: float | tuple[float, float] | None,
    pt: float | tuple[float, float] | None,
    credits: float | None,
    start: str | None,
    loads: Loads,
    bridge: int,
) -> None:
    full = plan_timeline(ft, pt, credits, start, part_time=False, loads=loads, bridge_terms=bridge)
    part = plan_timeline(ft, pt, credits, start, part_time=True, loads=loads, bridge_terms=bridge)
    if full.months is not None:
        assert part.months is not None
        assert part.months >= full.months
    if full.graduation is not None and part.graduation is not None:
        assert part.graduation >= full.graduation


@given(pace=st.booleans(), start=st.sampled_from([None, "Fall 2026"]), bridge=st.integers(0, 2))
def test_unknown_inputs_never_produce_a_duration(pace: bool, start: str | None, bridge: int) -> None:
    plan = plan_timeline(None, None, None, start, part_time=pace, bridge_terms=bridge)
    assert plan.months is None and plan.program_months is None and plan.graduation is None
