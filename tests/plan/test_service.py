"""The planner over the real catalog: contract shape, unknowns stay unknown, filters, ranking, one program."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.catalog import OfferingNotFound
from gradpath.plan.profile import Profile, ProfileError, load_profile, parse_profile
from gradpath.plan.service import map_occupation, plan_program, run_plan

TODAY = date(2026, 11, 27)
NURSE = Path(__file__).resolve().parents[2] / "examples" / "nurse-boston.toml"
PROGRAM_KEYS = {"id", "score", "components", "eligibility", "timeline", "cost", "roi"}


@pytest.fixture(scope="module")
def nurse() -> Profile:
    return load_profile(NURSE)


@pytest.fixture
def nurse_plan(conn: Connection, nurse: Profile) -> dict[str, Any]:
    return run_plan(conn, nurse, today=TODAY)


def _profile(**sections: Any) -> Profile:
    return parse_profile(sections)


def test_the_plan_document_has_the_contract_shape(nurse_plan: dict[str, Any]) -> None:
    assert {"profile_echo", "programs", "assumptions"} <= set(nurse_plan)
    assert nurse_plan["profile_echo"]["background"]["bachelor_field"] == "nursing"
    program = nurse_plan["programs"][0]
    assert set(program) >= PROGRAM_KEYS
    for item in program["eligibility"]:
        assert {"requirement", "status", "evidence", "source"} <= set(item)
    for pace in ("fulltime", "parttime"):
        assert {"months", "graduation"} <= set(program["timeline"][pace])
    assert {"total", "breakdown", "sources", "unknowns"} <= set(program["cost"])
    assert {"npv", "payback_years", "band"} <= set(program["roi"]) and {"low", "high"} == set(program["roi"]["band"])
    assert {"planner", "data", "scoring", "weights"} <= set(nurse_plan["assumptions"])


def test_every_current_offering_is_a_candidate(conn: Connection, nurse_plan: dict[str, Any]) -> None:
    o = schema.offering
    current = conn.execute(select(func.count()).select_from(o).where(o.c.current.is_(True))).scalar_one()
    counts = nurse_plan["counts"]
    assert counts["candidates"] == current
    assert counts["ranked"] + counts["excluded"] == current
    assert counts["shown"] == len(nurse_plan["programs"]) == 25


def test_programs_are_ranked_by_score_and_each_score_is_the_sum_of_its_components(nurse_plan: dict[str, Any]) -> None:
    scores = [p["score"] for p in nurse_plan["programs"]]
    assert scores == sorted(scores, reverse=True)
    for p in nurse_plan["programs"]:
        assert math.isclose(p["score"], sum(c["points"] for c in p["components"].values()), abs_tol=0.006)
        assert not p["excluded_because"]


def test_excluded_programs_say_why_and_are_not_ranked(nurse_plan: dict[str, Any]) -> None:
    shown = {p["id"] for p in nurse_plan["programs"]}
    assert nurse_plan["excluded"], "the example profile (online only, $60k, bachelor's) excludes some programs"
    for e in nurse_plan["excluded"]:
        assert e["reasons"] and e["id"] not in shown


def test_online_only_never_shows_a_program_verified_as_campus_only(nurse_plan: dict[str, Any]) -> None:
    for p in nurse_plan["programs"]:
        formats = p["format"]["formats"]
        assert formats is None or "online" in formats
        if formats is None:
            assert "format unknown — verify" in p["flags"]


def test_unverified_programs_show_unknowns_never_invented_values(conn: Connection) -> None:
    profile = _profile(location={"area": "MA"}, background={"current_salary": 80000},
                       goals={"roles": ["health-data-analyst"]}, ranking={"top": 300})  # fmt: skip
    plan = run_plan(conn, profile, today=TODAY)
    unverified = [p for p in plan["programs"] if not p["verified_pages"]]
    assert unverified
    for p in unverified:
        assert [r["status"] for r in p["eligibility"]] == ["unknown"]
        assert p["format"]["formats"] is None
        assert p["timeline"]["fulltime"]["months"] is None and p["timeline"]["parttime"]["months"] is None
        basis = p["cost"]["sources"][0]["basis"]
        assert basis in ("institution_rate", "unknown")
        tuition = p["cost"]["breakdown"][0]
        assert tuition["name"] == "tuition" and (tuition["amount"] is None) == (basis == "unknown")
        assert p["roi"]["npv"] is None and p["roi"]["unknown"]  # no duration, so no return — and it says why


def test_part_time_never_finishes_earlier_than_full_time_in_a_plan(nurse_plan: dict[str, Any]) -> None:
    for p in nurse_plan["programs"]:
        ft, pt = p["timeline"]["fulltime"], p["timeline"]["parttime"]
        if ft["months"] is not None:
            assert pt["months"] is not None and pt["months"] >= ft["months"]


def test_the_current_salary_defaults_to_the_oews_median_for_the_soc_in_the_area(
    conn: Connection, nurse_plan: dict[str, Any]
) -> None:
    w = schema.wage
    median = conn.execute(select(w.c.annual_median).where(w.c.soc == "29-1141", w.c.area_code == "14460")).scalar_one()
    salary = nurse_plan["resolved"]["current_salary"]
    assert salary["amount"] == median and "OEWS" in salary["note"]


def test_without_a_salary_the_return_is_unknown_with_its_reason(conn: Connection) -> None:
    plan = run_plan(conn, _profile(goals={"roles": ["clinical-data-scientist"]}), today=TODAY, top=40)
    assert plan["resolved"]["current_salary"]["amount"] is None
    for p in plan["programs"]:
        assert p["roi"]["npv"] is None
        assert any("salary" in u for u in p["roi"]["unknown"])


@pytest.mark.parametrize(
    ("sections", "key"),
    [
        ({"goals": {"roles": ["astronaut"]}}, "goals.roles"),
        ({"location": {"area": "Springfield"}}, "location.area"),
        ({"background": {"current_soc": "99-9999"}}, "background.current_soc"),
        ({"money": {"own_tuition": {"999999-11.0102": 1000}}}, "money.own_tuition.999999-11.0102"),
    ],
)
def test_a_profile_that_does_not_fit_the_catalog_names_the_key(conn: Connection, sections: dict[str, Any],
                                                               key: str) -> None:  # fmt: skip
    with pytest.raises(ProfileError) as err:
        run_plan(conn, _profile(**sections), today=TODAY)
    assert err.value.key == key
    if key == "location.area":
        assert err.value.candidates


def test_a_job_title_maps_to_its_soc_or_lists_the_candidates(conn: Connection) -> None:
    assert map_occupation(conn, "registered nurse")["soc"] == "29-1141"
    assert map_occupation(conn, "Pharmacist")["soc"] == "29-1051"
    ambiguous = map_occupation(conn, "data analyst")
    assert ambiguous["soc"] is None and len(ambiguous["candidates"]) > 1


def test_one_program_in_depth_has_both_paces_flows_and_a_sorted_sensitivity(
    conn: Connection, nurse: Profile, nurse_plan: dict[str, Any]
) -> None:
    with_roi = next(p for p in nurse_plan["programs"] if p["roi"]["npv"] is not None)
    doc = plan_program(conn, nurse, with_roi["id"], today=TODAY)
    assert doc["score"] == with_roi["score"]
    assert set(doc["scenarios"]) == {"fulltime", "parttime"}
    assert doc["flows"] and doc["flows"][0]["year"] == 0
    swings = [r["swing"] for r in doc["sensitivity"]]
    assert swings and swings == sorted(swings, reverse=True)
    assert doc["assumptions"]["roi_inputs"]


def test_an_excluded_program_can_still_be_planned_and_says_why(conn: Connection, nurse: Profile,
                                                               nurse_plan: dict[str, Any]) -> None:  # fmt: skip
    excluded = nurse_plan["excluded"][0]
    doc = plan_program(conn, nurse, excluded["id"], today=TODAY)
    assert doc["excluded_because"] == excluded["reasons"]


def test_an_unknown_offering_is_not_found(conn: Connection, nurse: Profile) -> None:
    with pytest.raises(OfferingNotFound):
        plan_program(conn, nurse, "999999-11.0102", today=TODAY)


def _priced_by_the_person(conn: Connection) -> str:
    """An offering with a verified duration but no price from any source: only the person's figure prices it."""
    plan = run_plan(conn, _profile(background={"current_salary": 70000}, goals={"roles": ["health-data-analyst"]},
                                   ranking={"top": 500}), today=TODAY)  # fmt: skip
    return next(p["id"] for p in plan["programs"]
                if p["timeline"]["parttime"]["months"] and p["cost"]["sources"][0]["basis"] == "unknown")  # fmt: skip


def _npv(conn: Connection, offering: str, tuition: float, aid: float) -> float | None:
    profile = _profile(
        background={"current_salary": 70000}, constraints={"part_time": True},
        money={"own_tuition": {offering: tuition}, "employer_assistance_per_year": aid},
        goals={"roles": ["health-data-analyst"]},
    )  # fmt: skip
    doc = plan_program(conn, profile, offering, today=TODAY)
    assert doc["cost"]["sources"][0]["basis"] == "user"
    return doc["roi"]["npv"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def priced_offering(catalog_engine_: Any) -> str:
    with catalog_engine_.connect() as connection:
        return _priced_by_the_person(connection)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.floats(1000, 80000), extra=st.floats(1, 40000))
def test_more_tuition_never_raises_the_plans_npv(conn: Connection, priced_offering: str, base: float,
                                                 extra: float) -> None:  # fmt: skip
    low, high = _npv(conn, priced_offering, base, 0), _npv(conn, priced_offering, base + extra, 0)
    assert low is not None and high is not None and high <= low + 1e-6


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(aid=st.floats(0, 10000), extra=st.floats(1, 10000))
def test_more_employer_aid_never_lowers_the_plans_npv(conn: Connection, priced_offering: str, aid: float,
                                                      extra: float) -> None:  # fmt: skip
    less, more = _npv(conn, priced_offering, 30000, aid), _npv(conn, priced_offering, 30000, aid + extra)
    assert less is not None and more is not None and more >= less - 1e-6


# --- offerings linked to several verified programs -------------------------------------------------------


def test_an_offering_shared_by_two_programs_is_not_excluded_by_the_one_the_person_cannot_enter(
    conn: Connection, nurse: Profile, nurse_plan: dict[str, Any]
) -> None:
    doc = plan_program(conn, nurse, "166027-51.2706", today=TODAY)  # two Harvard programs share the code
    assert not doc["excluded_because"]
    assert "166027-51.2706" not in {e["id"] for e in nurse_plan["excluded"]}
    linked = {lp["name"]: lp for lp in doc["linked_programs"]}
    accelerated = next(lp for name, lp in linked.items() if name.startswith("Accelerated"))
    assert accelerated["excluded"] and not accelerated["used"]
    assert any("doctorate" in reason for reason in accelerated["excluded_because"])
    used = [lp for lp in doc["linked_programs"] if lp["used"]]
    assert len(used) == 1 and not used[0]["excluded"] and doc["program"]["name"] == used[0]["name"]
    assert all(r["source"] is None or r["source"]["program"] == used[0]["name"] for r in doc["eligibility"])


def test_shown_programs_take_the_figures_of_a_linked_program_that_is_not_excluded(nurse_plan: dict[str, Any]) -> None:
    shared = [p for p in nurse_plan["programs"] if len(p["linked_programs"]) > 1]
    assert shared, "the catalog links some offerings to more than one verified program"
    for p in nurse_plan["programs"]:
        used = [lp for lp in p["linked_programs"] if lp["used"]]
        assert len(used) == (1 if p["linked_programs"] else 0)
        if used:
            assert not used[0]["excluded"] and used[0]["score"] == p["score"]
            assert used[0]["score"] >= max(lp["score"] for lp in p["linked_programs"] if not lp["excluded"])


def test_the_ranking_total_of_every_offering_is_the_score_it_shows(conn: Connection, nurse: Profile) -> None:
    from gradpath.plan.evaluate import evaluate, prepare
    from gradpath.plan.service import _context, _offerings

    ctx = _context(conn, nurse, TODAY)
    for row in _offerings(conn):
        assert prepare(ctx, row).total == evaluate(ctx, row).score.total, row["id"]


def test_medical_illustration_offerings_get_no_informatics_program(conn: Connection) -> None:
    po, o = schema.program_offering, schema.offering
    codes = conn.execute(select(o.c.cip).select_from(po.join(o, o.c.id == po.c.offering_id)).distinct()).scalars()
    assert "51.2703" not in set(codes)
