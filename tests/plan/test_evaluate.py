"""One offering linked to several verified programs: each program is judged on its own facts, the offering
takes the best-fitting one, and is excluded only when every linked program is.

The programs, pages and profiles here are fixtures written for the rules (no real program's facts).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradpath.areas import Area
from gradpath.plan.assumptions import planner_defaults
from gradpath.plan.context import PlanContext, Role
from gradpath.plan.eligibility import Fact, OfferingFacts
from gradpath.plan.evaluate import Evaluated, best_option, evaluate, prepare
from gradpath.plan.profile import DEGREES, Profile, parse_profile
from gradpath.plan.roi import WageBand
from gradpath.plan.score import resolve_weights

ROW: dict[str, Any] = {
    "id": "900001-51.2706", "unitid": 900001, "cip4": "51.27", "state": "ZZ", "cbsa": None,
    "earnings_1yr": 70000.0, "earnings_1yr_note": None, "accreditor": "Fixture Commission", "accreditor_note": None,
}  # fmt: skip
NATIONAL = Area("national", "United States", "national", "national")
ROLE = Role("fixture-role", "Fixture analyst", {"python": "core", "statistics": "core", "ethics": "useful"},
            frozenset({"51.27"}), WageBand(100000.0, 80000.0, 120000.0, "fixture band"), {})  # fmt: skip
DOCTORATE = "a doctorate (PhD or MD) for this accelerated track"
PREREQUISITES = (
    "a bachelor's degree from an accredited school",
    DOCTORATE,
    "two years of health-care work",
    "an introductory programming course",
    "a statistics course",
    "three letters of recommendation",
    "a degree in a related field",
)


def _page(slug: str, name: str, **facts: Any) -> OfferingFacts:
    return OfferingFacts(tuple(Fact(f, v, f"https://fixture.example/{slug}", "2026-11-27", slug, name)
                               for f, v in facts.items()))  # fmt: skip


def _context(profile: Profile, programs: tuple[OfferingFacts, ...]) -> PlanContext:
    return PlanContext(
        profile=profile, today=date(2026, 11, 27), start_term="Fall 2026", start_note="fixture",
        defaults=planner_defaults(), area=NATIONAL, area_states=frozenset(), salary=70000.0, salary_note="fixture",
        occupation={}, roles=[ROLE], weights=resolve_weights(profile.ranking.weights),
        programs={ROW["id"]: programs} if programs else {}, rates={},
    )  # fmt: skip


def _evaluate(profile: Profile, *programs: OfferingFacts) -> Evaluated:
    return evaluate(_context(profile, programs), ROW)


@st.composite
def programs(draw: st.DrawFn, name: str) -> OfferingFacts:
    facts: dict[str, Any] = {}
    if draw(st.booleans()):
        facts["min_gpa"] = draw(st.sampled_from([2.5, 3.0, 3.3, 3.7]))
    if draw(st.booleans()):
        facts["gre"] = draw(st.sampled_from(["required", "waivable", "optional", "not required"]))
    prereqs = draw(st.lists(st.sampled_from(PREREQUISITES), unique=True, max_size=4))
    if prereqs:
        facts["prerequisites"] = prereqs
    formats = draw(st.lists(st.sampled_from(["online", "campus"]), unique=True, max_size=2))
    if formats:
        facts["formats_offered"] = formats
    if draw(st.booleans()):
        facts["credits"], facts["credits_unit"] = draw(st.sampled_from([30, 36, 45])), "credits"
    if draw(st.booleans()):
        facts["duration_months_fulltime"] = draw(st.sampled_from([12, 18, 24]))
    if draw(st.booleans()):
        facts["tuition_total_usd"] = draw(st.sampled_from([20000, 45000, 80000]))
    if draw(st.booleans()):
        facts["curriculum_topics"] = draw(st.lists(st.sampled_from(["python", "statistics", "ethics"]), unique=True))
    return _page(name.lower().replace(" ", "-"), name, **facts)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    background: dict[str, Any] = {"highest_degree": draw(st.sampled_from(DEGREES))}
    if draw(st.booleans()):
        background["gpa"] = draw(st.sampled_from([2.8, 3.2, 3.5, 3.9]))
    if draw(st.booleans()):
        background["years_experience"] = draw(st.sampled_from([0, 1, 3, 8]))
    if draw(st.booleans()):
        background["current_soc"] = draw(st.sampled_from(["29-1141", "15-2041"]))
    background["coursework"] = draw(st.lists(st.sampled_from(["programming", "statistics"]), unique=True))
    constraints: dict[str, Any] = {"online_only": draw(st.booleans()), "part_time": draw(st.booleans())}
    if draw(st.booleans()):
        constraints["max_total_cost"] = draw(st.sampled_from([30000, 60000]))
    return parse_profile({"background": background, "constraints": constraints})


def _total(ev: Evaluated) -> float:
    return round(sum(c.points for c in ev.score.components), 2)


@settings(max_examples=150, deadline=None)
@given(profiles(), programs("Fixture Program A"), programs("Fixture Program B"))
def test_the_offering_is_excluded_only_when_every_linked_program_is(
    profile: Profile, a: OfferingFacts, b: OfferingFacts
) -> None:
    alone_a, alone_b = bool(_evaluate(profile, a).excluded_because), bool(_evaluate(profile, b).excluded_because)
    for pair in ((a, b), (b, a)):
        both = _evaluate(profile, *pair)
        assert bool(both.excluded_because) == (alone_a and alone_b)
        assert [lp.option.facts for lp in both.linked] == list(pair)
        assert sum(lp.used for lp in both.linked) == 1


@settings(max_examples=150, deadline=None)
@given(profiles(), programs("Fixture Program B"))
def test_a_hard_requirement_not_met_in_one_program_never_excludes_the_offering_when_the_other_is_eligible(
    profile: Profile, other: OfferingFacts
) -> None:
    assume(profile.background.highest_degree != "doctorate")
    accelerated = _page("fixture-accelerated", "Fixture Accelerated Track", prerequisites=[DOCTORATE], credits=36,
                        credits_unit="credits", tuition_total_usd=1000)  # fmt: skip
    assert any("hard requirement not met" in r for r in _evaluate(profile, accelerated).excluded_because)
    assume(not _evaluate(profile, other).excluded_because)
    for pair in ((accelerated, other), (other, accelerated)):
        ev = _evaluate(profile, *pair)
        assert not ev.excluded_because
        assert ev.facts is other  # the figures come from the program the person can enter
        shown = next(lp for lp in ev.linked if lp.option.facts is accelerated)
        assert not shown.used and shown.option.excluded_because  # listed beside it with its own status


@settings(max_examples=150, deadline=None)
@given(profiles(), programs("Fixture Program A"), programs("Fixture Program B"))
def test_scores_remain_the_sum_of_their_components_and_the_offering_takes_the_best(
    profile: Profile, a: OfferingFacts, b: OfferingFacts
) -> None:
    ctx = _context(profile, (a, b))
    ev = evaluate(ctx, ROW)
    assert ev.score.total == _total(ev) == prepare(ctx, ROW).total
    for lp in ev.linked:
        assert lp.score.total == round(sum(c.points for c in lp.score.components), 2)
    eligible = [lp.score.total for lp in ev.linked if not lp.option.excluded_because]
    if eligible:
        assert math.isclose(ev.score.total, max(eligible), abs_tol=0.011)
    used = next(lp for lp in ev.linked if lp.used)
    assert used.score.total == ev.score.total and used.option.facts is ev.facts


@settings(max_examples=150, deadline=None)
@given(profiles(), programs("Fixture Program A"), programs("Fixture Program B"))
def test_unknown_never_counts_as_met(profile: Profile, a: OfferingFacts, b: OfferingFacts) -> None:
    ev = _evaluate(profile, a, b)
    for lp in ev.linked:
        items = [r for r in lp.option.eligibility.items if r.kind != "information"]
        if items and not all(r.kind == "none_stated" for r in items):
            met = sum(1.0 if r.status == "met" else 0.5 if r.status == "bridgeable" else 0.0 for r in items)
            assert math.isclose(lp.score.components[0].value or 0.0, met / len(items))
    unknown_gpa = parse_profile({"background": {"highest_degree": profile.background.highest_degree}})
    known_gpa = parse_profile({"background": {"highest_degree": profile.background.highest_degree, "gpa": 3.9}})
    with_min = _page("fixture-gpa", "Fixture GPA Program", min_gpa=3.0)
    assert _evaluate(unknown_gpa, with_min).eligibility.items[0].status == "unknown"
    unknown, met = (
        _evaluate(unknown_gpa, with_min).score.components[0],
        _evaluate(known_gpa, with_min).score.components[0],
    )
    assert unknown.value is not None and unknown.value == 0.0 and unknown.points == 0 < met.points


def test_the_best_option_prefers_not_excluded_then_points_then_the_program_with_most_facts() -> None:
    profile = parse_profile({"background": {"highest_degree": "bachelor", "gpa": 3.5}})
    accelerated = _page("acc", "Fixture Accelerated Track", prerequisites=[DOCTORATE], min_gpa=3.0)
    regular = _page("reg", "Fixture Regular Track", min_gpa=3.0)
    ev = _evaluate(profile, accelerated, regular)
    assert ev.facts is regular and not ev.excluded_because
    options = prepare(_context(profile, (regular, _page("twin", "Fixture Twin", min_gpa=3.0))), ROW).options
    assert best_option(options) == 0  # a tie goes to the first (the program stating the most facts)


def test_when_every_linked_program_is_excluded_each_reason_names_its_program() -> None:
    profile = parse_profile({"background": {"highest_degree": "bachelor", "gpa": 2.8}})
    accelerated = _page("acc", "Fixture Accelerated Track", prerequisites=[DOCTORATE])
    regular = _page("reg", "Fixture Regular Track", min_gpa=3.0)
    ev = _evaluate(profile, accelerated, regular)
    assert len(ev.excluded_because) == 2
    assert ev.excluded_because[0].startswith("Fixture Accelerated Track: hard requirement not met")
    assert ev.excluded_because[1].startswith("Fixture Regular Track: hard requirement not met: minimum GPA 3")
    alone = _evaluate(profile, regular)
    assert alone.excluded_because[0].startswith("hard requirement not met")  # one program: no name needed


def test_an_offering_without_verified_programs_lists_none_and_stays_unknown() -> None:
    ev = _evaluate(parse_profile({}))
    assert ev.facts is None and ev.linked == ()
    assert [r.status for r in ev.eligibility.items] == ["unknown"]
    assert ev.score.components[0].value is None
