"""Area resolution on the mirror catalog: what a user types → an OEWS area, with fallbacks stated.

Institutions, CBSAs and their types are read here from the mirror's HD2024 file, not from the catalog.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.areas import AreaError, resolve_area


@pytest.fixture(scope="module")
def hd(mirror: Path) -> list[dict[str, str]]:
    with (mirror / "ipeds-hd2024" / "hd2024.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def oews_metros(conn: Connection) -> set[str]:
    return set(conn.execute(select(schema.area.c.code).where(schema.area.c.type == "metro")).scalars())


@pytest.mark.parametrize("text", [None, "", "national", "US", "United States"])
def test_the_nation_is_the_default_and_has_several_names(conn: Connection, text: str | None) -> None:
    area = resolve_area(conn, text)
    assert (area.code, area.type, area.fallback) == ("national", "national", None)


@pytest.mark.parametrize("text", ["MA", "ma", "Massachusetts", "massachusetts"])
def test_a_state_by_code_or_name(conn: Connection, text: str) -> None:
    area = resolve_area(conn, text)
    assert (area.code, area.name, area.type, area.requested) == ("MA", "Massachusetts", "state", text)


@pytest.mark.parametrize("text", ["14460", "Boston", "boston", "0014460"])
def test_boston_by_cbsa_name_fragment_or_oews_code(conn: Connection, text: str) -> None:
    area = resolve_area(conn, text)
    assert area.to_json() == {
        "code": "14460",
        "name": "Boston-Cambridge-Newton, MA-NH",
        "type": "metro",
        "requested": text,
        "fallback": None,
    }


def test_an_ambiguous_fragment_is_an_error_listing_the_candidates(conn: Connection) -> None:
    with pytest.raises(AreaError, match="matches") as err:
        resolve_area(conn, "Springfield")
    codes = {c["code"] for c in err.value.candidates}
    assert {"44100", "44140", "44180", "44220"} <= codes  # Springfield IL, MA, MO, OH
    assert all(set(c) == {"code", "name", "type"} for c in err.value.candidates)


@pytest.mark.parametrize(
    ("text", "message"),
    [("ZZ", "not a state code"), ("99999", "neither an OEWS metropolitan area"), ("9999999", "no OEWS area"),
     ("Atlantis", "no area matches")],
)  # fmt: skip
def test_unknown_areas_are_errors_that_say_what_to_try(conn: Connection, text: str, message: str) -> None:
    with pytest.raises(AreaError, match=message):
        resolve_area(conn, text)


def test_a_micropolitan_cbsa_from_ipeds_falls_back_to_its_state_and_says_so(
    conn: Connection, hd: list[dict[str, str]]
) -> None:
    micro = next(r for r in hd if r["CBSATYPE"] == "2")
    area = resolve_area(conn, micro["CBSA"])
    assert (area.code, area.type) == (micro["STABBR"], "state")
    assert micro["CBSA"] in area.fallback and "micropolitan" in area.fallback and "statewide" in area.fallback


def test_every_ipeds_cbsa_resolves_to_its_metro_or_a_stated_state_fallback(
    conn: Connection, hd: list[dict[str, str]]
) -> None:
    metros = oews_metros(conn)
    for code in sorted({r["CBSA"] for r in hd if r["CBSA"] and not r["CBSA"].startswith("-")})[:60]:
        area = resolve_area(conn, code)
        if code in metros:
            assert (area.code, area.fallback) == (code, None)
        else:
            assert area.type == "state" and area.fallback and code in area.fallback


def test_an_institution_resolves_to_its_metro(conn: Connection, hd: list[dict[str, str]]) -> None:
    harvard = next(r for r in hd if r["UNITID"] == "166027")
    area = resolve_area(conn, "unitid:166027")
    assert (area.code, area.type, area.fallback) == (harvard["CBSA"], "metro", None) == ("14460", "metro", None)


def test_an_institution_in_a_micropolitan_area_falls_back_naming_the_institution(
    conn: Connection, hd: list[dict[str, str]]
) -> None:
    inst = next(r for r in hd if r["CBSATYPE"] == "2")
    area = resolve_area(conn, f"unitid:{inst['UNITID']}")
    assert area.code == inst["STABBR"]
    assert area.fallback is not None and area.fallback.startswith(
        f"{inst['INSTNM']}: CBSA {inst['CBSA']} is a micropolitan"
    )


def test_an_institution_outside_any_cbsa_falls_back_to_its_state(conn: Connection, hd: list[dict[str, str]]) -> None:
    inst = next(r for r in hd if r["CBSA"].startswith("-") and r["STABBR"] == "AL")
    area = resolve_area(conn, f"unitid:{inst['UNITID']}")
    assert (area.code, area.type) == ("AL", "state")
    assert area.fallback == f"{inst['INSTNM']} is outside any CBSA; showing Alabama statewide figures."


def test_an_unknown_institution_is_an_error(conn: Connection) -> None:
    with pytest.raises(AreaError, match="no institution with UNITID 999999"):
        resolve_area(conn, "unitid:999999")
