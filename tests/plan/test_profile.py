"""The profile contract: the documented TOML keys work, anything else is an error naming the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradpath.plan.profile import (
    COMPONENTS,
    COURSEWORK,
    Gre,
    Profile,
    ProfileError,
    load_profile,
    parse_profile,
    profile_echo,
    profile_from_query,
    profile_to_query,
    query_param,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONTRACT = """
[background]
bachelor_field = "nursing"        # free text
gpa = 3.2
gre = false                        # or { quant = 160, verbal = 155 }
coursework = ["statistics"]        # programming, statistics, calculus, linear_algebra, biology
years_experience = 6
current_soc = "29-1141"            # optional
current_salary = 85000             # optional; else the OEWS median for current_soc in the area
[location]
area = "Boston"                    # as elsewhere: national, state code, CBSA, name fragment
[constraints]
online_only = true
part_time = true
max_total_cost = 60000             # optional
[money]
employer_assistance_per_year = 5250
[goals]
roles = ["clinical-data-scientist"]   # role ids from `gradpath careers list`
"""


def _write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_contract_file_reads_every_key(tmp_path: Path) -> None:
    p = load_profile(_write(tmp_path, CONTRACT))
    assert p.background.bachelor_field == "nursing" and p.background.gpa == 3.2 and p.background.gre is None
    assert p.background.coursework == ("statistics",) and p.background.years_experience == 6
    assert p.background.current_soc == "29-1141" and p.background.current_salary == 85000
    assert p.location.area == "Boston"
    assert p.constraints.online_only and p.constraints.part_time and p.constraints.max_total_cost == 60000
    assert p.money.employer_assistance_per_year == 5250
    assert p.goals.roles == ("clinical-data-scientist",)


def test_every_example_profile_is_valid() -> None:
    files = sorted(EXAMPLES.glob("*.toml"))
    assert files, "examples/ must hold example profiles"
    for path in files:
        assert isinstance(load_profile(path), Profile), path


def test_gre_scores_are_a_table_and_true_means_taken_without_scores() -> None:
    assert parse_profile({"background": {"gre": {"quant": 160, "verbal": 155}}}).background.gre == Gre(160, 155)
    assert parse_profile({"background": {"gre": True}}).background.gre == Gre()


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"background": {"gpx": 3.0}}, "background.gpx"),
        ({"backgrnd": {}}, "backgrnd"),
        ({"background": {"gpa": "3.2"}}, "background.gpa"),
        ({"background": {"gpa": 5.0}}, "background.gpa"),
        ({"background": {"gre": {"quant": 200}}}, "background.gre.quant"),
        ({"background": {"gre": {"math": 160}}}, "background.gre.math"),
        ({"background": {"coursework": ["basket weaving"]}}, "background.coursework"),
        ({"background": {"coursework": "statistics"}}, "background.coursework"),
        ({"background": {"current_soc": "nurse"}}, "background.current_soc"),
        ({"constraints": {"online_only": "yes"}}, "constraints.online_only"),
        ({"constraints": {"start_term": "someday"}}, "constraints.start_term"),
        ({"money": {"savings": -1}}, "money.savings"),
        ({"money": {"own_tuition": {"not-an-id": 1000}}}, "money.own_tuition.not-an-id"),
        ({"goals": {"roles": [1, 2]}}, "goals.roles"),
        ({"ranking": {"weights": {"vibes": 10}}}, "ranking.weights.vibes"),
        ({"ranking": {"weights": {"cost": 0, "roi": 0}}}, "ranking.weights"),
        ({"ranking": {"top": 2.5}}, "ranking.top"),
        ({"location": "Boston"}, "location"),
    ],
)
def test_unknown_keys_and_wrong_types_are_errors_naming_the_key(doc: dict[str, object], key: str) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile(doc)
    assert err.value.key == key
    assert key in str(err.value)


def test_a_json_profile_follows_the_same_contract(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps({"background": {"gpa": 3.5}, "goals": {"roles": ["biostatistician"]}}), "p.json")
    assert load_profile(path).background.gpa == 3.5
    with pytest.raises(ProfileError, match=r"background\.gpx"):
        load_profile(_write(tmp_path, json.dumps({"background": {"gpx": 3.5}}), "q.json"))


def test_an_unreadable_file_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(_write(tmp_path, "[background\ngpa = "))
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "missing.toml")


def test_the_salary_can_ask_for_the_oews_median_explicitly() -> None:
    assert parse_profile({"background": {"current_salary": "oews_median"}}).background.current_salary is None


def test_the_web_form_names_map_to_profile_keys() -> None:
    assert query_param("background.gpa") == "gpa"
    assert query_param("ranking.weights.cost") == "w_cost"
    assert query_param("background.gre.quant") == "gre_quant"
    assert query_param("goals.roles") == "roles"
    assert query_param("ranking.weights") == "w_*"


def test_the_form_rejects_a_parameter_it_does_not_know() -> None:
    with pytest.raises(ProfileError) as err:
        profile_from_query({"gpa": ["3.1"], "hack": ["1"]})
    assert err.value.key == "hack"


def test_the_form_reads_booleans_numbers_lists_and_the_gre() -> None:
    p = profile_from_query({
        "online_only": ["true"], "gpa": ["3.4"], "years_experience": ["6"], "coursework": ["statistics", "calculus"],
        "gre_taken": ["true"], "gre_quant": ["161"], "roles": ["biostatistician"], "w_cost": ["30"], "area": [""],
    })  # fmt: skip
    assert p.constraints.online_only and p.background.gpa == 3.4 and p.background.years_experience == 6
    assert p.background.coursework == ("statistics", "calculus") and p.background.gre == Gre(quant=161)
    assert p.goals.roles == ("biostatistician",) and dict(p.ranking.weights) == {"cost": 30}
    assert p.location.area == "national"  # an empty field is left out, never read as a value


def test_a_bad_form_number_names_its_parameter() -> None:
    with pytest.raises(ProfileError) as err:
        profile_from_query({"max_total_cost": ["lots"]})
    assert query_param(err.value.key) == "max_total_cost"


profiles = st.builds(
    lambda gpa, courses, years, online, part, cost, roles, weights, gre: parse_profile(
        {
            "background": {
                k: v
                for k, v in {"gpa": gpa, "coursework": courses, "years_experience": years, "gre": gre}.items()
                if v is not None
            },
            "constraints": {"online_only": online, "part_time": part, **({"max_total_cost": cost} if cost else {})},
            "goals": {"roles": roles},
            "ranking": {"weights": weights} if weights else {},
        }
    ),
    st.one_of(st.none(), st.floats(0, 4.3, allow_nan=False).map(lambda x: round(x, 2))),
    st.lists(st.sampled_from(COURSEWORK), unique=True),
    st.one_of(st.none(), st.integers(0, 40).map(float)),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 200_000).map(float)),
    st.lists(st.sampled_from(["clinical-data-scientist", "biostatistician"]), unique=True),
    st.dictionaries(st.sampled_from(COMPONENTS), st.integers(1, 50).map(float)),
    st.one_of(st.just(False), st.just(True), st.builds(lambda q: {"quant": q}, st.integers(130, 170))),
)


@settings(max_examples=60, deadline=None)
@given(profiles)
def test_the_form_query_round_trips_a_profile(profile: Profile) -> None:
    pairs = profile_to_query(profile)
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    assert profile_from_query(params) == profile


def test_the_echo_lists_every_section_with_defaults_filled_in() -> None:
    echo = profile_echo(parse_profile({"background": {"gpa": 3.0}}))
    assert set(echo) == {"background", "location", "constraints", "money", "goals", "ranking", "assumptions"}
    assert echo["background"]["gre"] is False and echo["location"]["area"] == "national"
    json.dumps(echo)  # JSON-ready
