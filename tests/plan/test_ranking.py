"""Ranking: the score is the sum of named components, unknown scores nothing, hard constraints filter."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradpath.plan.eligibility import NOT_VERIFIED, Eligibility, Requirement
from gradpath.plan.profile import COMPONENTS
from gradpath.plan.score import (
    COST_SCALE,
    DEFAULT_WEIGHTS,
    ROI_SCALE,
    Check,
    FitScore,
    accreditation_value,
    cost_value,
    curriculum_value,
    eligibility_value,
    exclusions,
    fit_score,
    flexibility_value,
    outcomes_value,
    resolve_weights,
    roi_value,
)


def test_the_default_weights_cover_every_component_and_sum_to_100() -> None:
    assert list(DEFAULT_WEIGHTS) == list(COMPONENTS)
    assert sum(DEFAULT_WEIGHTS.values()) == 100


def test_overrides_replace_only_the_named_weights_and_reject_unknown_ones() -> None:
    weights = resolve_weights({"cost": 40})
    assert weights["cost"] == 40 and weights["roi"] == DEFAULT_WEIGHTS["roi"]
    with pytest.raises(ValueError, match="vibes"):
        resolve_weights({"vibes": 1})
    with pytest.raises(ValueError, match="negative"):
        resolve_weights({"cost": -1})


values = st.one_of(st.none(), st.floats(0, 1, allow_nan=False))
weights = st.fixed_dictionaries({name: st.floats(0, 1000, allow_nan=False) for name in COMPONENTS})


@settings(max_examples=300)
@given(weights, st.lists(values, min_size=len(COMPONENTS), max_size=len(COMPONENTS)))
def test_scores_are_the_sum_of_their_components(w: dict[str, float], vals: list[float | None]) -> None:
    score = fit_score(w, {name: (v, "note") for name, v in zip(COMPONENTS, vals, strict=True)})
    parts = score.components
    assert [c.name for c in parts] == list(COMPONENTS)
    assert math.isclose(score.total, sum(c.points for c in parts), abs_tol=0.006)
    assert score.total == round(sum(c.points for c in parts), 2)
    for c in parts:
        assert c.points == round(c.weight * (c.value or 0.0), 2)
        assert c.value is not None or c.points == 0  # unknown scores nothing


@settings(max_examples=200)
@given(weights, st.lists(st.floats(0, 1, allow_nan=False), min_size=len(COMPONENTS), max_size=len(COMPONENTS)),
       st.integers(0, len(COMPONENTS) - 1))  # fmt: skip
def test_an_unknown_component_never_scores_more_than_a_known_one(w: dict[str, float], vals: list[float],
                                                                 i: int) -> None:  # fmt: skip
    known = fit_score(w, {n: (v, "") for n, v in zip(COMPONENTS, vals, strict=True)})
    unknown = fit_score(
        w, {n: (None if k == i else v, "") for k, (n, v) in enumerate(zip(COMPONENTS, vals, strict=True))}
    )
    assert unknown.total <= known.total


def test_a_fit_score_shows_its_decomposition_as_json() -> None:
    doc = FitScore(DEFAULT_WEIGHTS, [(0.5, "half")] * len(COMPONENTS)).as_dict()
    assert list(doc) == list(COMPONENTS)
    assert doc["eligibility"] == {"points": 12.5, "weight": 25.0, "value": 0.5, "note": "half"}


def test_cost_scores_fall_with_the_known_net_cost_and_unknown_scores_nothing() -> None:
    assert cost_value(0, None)[0] == 1.0
    assert cost_value(COST_SCALE / 2, None)[0] == 0.5
    assert cost_value(30_000, 60_000)[0] == 0.5  # against the person's maximum
    assert cost_value(None, 60_000, "cost unknown: no price")[0] is None


def test_roi_scores_rise_with_npv_and_never_go_below_zero() -> None:
    assert roi_value(-5000)[0] == 0.0 and roi_value(ROI_SCALE / 2)[0] == 0.5 and roi_value(10 * ROI_SCALE)[0] == 1.0
    assert roi_value(None, "no salary") == (None, "no salary")


def test_flexibility_counts_only_checks_known_to_pass() -> None:
    value, note = flexibility_value(
        [Check("online", True, "x"), Check("part-time", None, "y"), Check("hours", False, "z")]
    )
    assert value == pytest.approx(1 / 3) and "unknown" in note
    assert flexibility_value([])[0] == 1.0  # no constraint: every program fits equally


def test_curriculum_combines_the_field_and_the_verified_topics() -> None:
    assert curriculum_value(True, None, 10, "Role")[0] == 0.5
    assert curriculum_value(True, 10, 10, "Role")[0] == 1.0
    assert curriculum_value(False, 5, 10, "Role")[0] == 0.25
    assert curriculum_value(False, None, 10, "Role")[0] is None
    assert curriculum_value(True, 5, 10, None)[0] is None


def test_outcomes_and_accreditation_are_unknown_without_data() -> None:
    assert outcomes_value(None, 100_000, "suppressed")[0] is None
    assert outcomes_value(50_000, 100_000, None)[0] == 0.5
    assert outcomes_value(50_000, None, None)[0] is None
    assert accreditation_value(None, "not in the file")[0] is None and accreditation_value("HLC", None)[0] == 1.0


def test_eligibility_without_verified_requirements_is_unknown() -> None:
    assert eligibility_value(NOT_VERIFIED)[0] is None
    met = Eligibility(
        (Requirement("x", "gpa", "met", True, "", None), Requirement("y", "gre", "bridgeable", False, "", None))
    )
    assert eligibility_value(met)[0] == 0.75


def test_online_only_excludes_a_verified_campus_format_but_not_an_unknown_one() -> None:
    assert exclusions(NOT_VERIFIED, frozenset({"campus"}), True, None, None)
    assert not exclusions(NOT_VERIFIED, None, True, None, None)
    assert not exclusions(NOT_VERIFIED, frozenset({"campus", "online"}), True, None, None)
    assert not exclusions(NOT_VERIFIED, frozenset({"campus"}), False, None, None)


def test_a_maximum_cost_excludes_only_a_known_cost_above_it() -> None:
    assert exclusions(NOT_VERIFIED, None, False, 70_000, 60_000)
    assert not exclusions(NOT_VERIFIED, None, False, 60_000, 60_000)
    assert not exclusions(NOT_VERIFIED, None, False, None, 60_000)
