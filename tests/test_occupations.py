"""``occupations show`` on the mirror catalog: OEWS May 2025 and EP 2024–34 exactly as published.

The expected numbers are read here from the mirror's own files: the OEWS database (gunzipped to a
temporary file, table ``cell``) and the EP workbook (openpyxl) — not from the catalog under test.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Connection

from gradpath.build.labor import FIPS_TO_POSTAL
from gradpath.occupations import OccupationNotFound, normalise_soc, show_occupation

ANNUAL = {"p10": 11, "p25": 12, "median": 13, "p75": 14, "p90": 15, "mean": 4}  # OEWS datatype numbers
HOURLY = {"p10": 6, "p25": 7, "median": 8, "p75": 9, "p90": 10, "mean": 3}


@pytest.fixture(scope="module")
def oews_db(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("oews") / "oews.sqlite"
    with gzip.open(mirror / "bls-oews-2025" / "oews-2025.sqlite.gz", "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    con = sqlite3.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def ep_rows(mirror: Path) -> dict[str, tuple[Any, ...]]:
    book = load_workbook(mirror / "bls-ep-2024-34" / "occupation.xlsx", read_only=True, data_only=True)
    rows = {str(r[1]): r for r in book["Table 1.2"].iter_rows(min_row=3, values_only=True) if r[1]}
    book.close()
    return rows


def cell(oews_db: sqlite3.Connection, key: str) -> dict[str, str | None]:
    """One published cell as text, ``v01``…``v17`` and ``f01``…``f17``."""
    cur = oews_db.execute("SELECT * FROM cell WHERE key = ?", (key,))
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None, key
    return dict(zip(names, row, strict=True))


def value(c: dict[str, str | None], datatype: int) -> float | None:
    text = c[f"v{datatype:02d}"]
    return None if text in (None, "", "-") else float(text)  # type: ignore[arg-type]


def first_key(oews_db: sqlite3.Connection, where: str) -> str:
    """The first cross-industry cell key matching ``where`` (ordered, so the test is deterministic)."""
    sql = f"SELECT key FROM cell WHERE substr(key, 12, 6) = '000000' AND {where} ORDER BY key LIMIT 1"
    row = oews_db.execute(sql).fetchone()
    assert row is not None, where
    return str(row[0])


def area_and_soc(key: str) -> tuple[str, str]:
    """A cell key → (area as a user types it, SOC): metro 0010540 → 10540, state 0100000 → AL."""
    area = key[4:11]
    soc = f"{key[17:19]}-{key[19:23]}"
    if key[3] == "N":
        return "national", soc
    if key[3] == "S":
        return FIPS_TO_POSTAL[area[:2]], soc
    return area[2:], soc


# --- acceptance: data scientists, nation and Boston ---------------------------------------------------------------


def test_national_data_scientist_wages_equal_the_oews_cell(conn: Connection, oews_db: sqlite3.Connection) -> None:
    doc = show_occupation(conn, "15-2051", "national")
    published = cell(oews_db, "OEUN0000000000000152051")
    assert doc["soc"] == "15-2051" and doc["title"] == "Data Scientists"
    assert doc["area"]["code"] == "national" and doc["area"]["type"] == "national"
    assert {k: doc["wages"]["annual"][k] for k in ANNUAL} == {k: value(published, d) for k, d in ANNUAL.items()}
    assert {k: doc["wages"]["hourly"][k] for k in HOURLY} == {k: value(published, d) for k, d in HOURLY.items()}
    assert doc["wages"]["annual"]["median"] == 120230.0
    assert doc["wages"]["employment"] == int(published["v01"] or 0) == 262440
    assert doc["wages"]["source"]["vintage"] == "May 2025"


def test_data_scientist_outlook_equals_the_ep_workbook(conn: Connection, ep_rows: dict[str, tuple[Any, ...]]) -> None:
    outlook = show_occupation(conn, "15-2051", "national")["outlook"]
    row = ep_rows["15-2051"]
    assert outlook["growth_percent"] == row[8] == 33.5
    assert outlook["openings_annual"] == round(row[10] * 1000) == 23400
    assert outlook["employment_2024"] == round(row[3] * 1000)
    assert outlook["entry_education"] == row[12]
    assert outlook["period"] == "2024-2034"
    assert outlook["all_occupations_growth_percent"] == ep_rows["00-0000"][8]


def test_boston_data_scientist_wages_are_the_metro_cell(conn: Connection, oews_db: sqlite3.Connection) -> None:
    doc = show_occupation(conn, "15-2051", "14460")
    published = cell(oews_db, "OEUM0014460000000152051")
    assert doc["area"] == {
        "code": "14460",
        "name": "Boston-Cambridge-Newton, MA-NH",
        "type": "metro",
        "requested": "14460",
        "fallback": None,
    }
    assert {k: doc["wages"]["annual"][k] for k in ANNUAL} == {k: value(published, d) for k, d in ANNUAL.items()}
    assert doc["wages"]["employment"] == int(published["v01"] or 0)
    assert doc["wages"]["location_quotient"] == value(published, 17)
    assert doc["wages"]["jobs_per_1000"] == value(published, 16)


def test_national_location_quotient_is_null_with_a_reason(conn: Connection) -> None:
    wages = show_occupation(conn, "15-2051", "national")["wages"]
    assert wages["location_quotient"] is None
    assert "nation as a whole" in wages["location_quotient_reason"]


# --- values BLS does not publish -------------------------------------------------------------------------------------


def test_a_top_coded_metro_median_is_null_with_reason_and_lower_bound(
    conn: Connection, oews_db: sqlite3.Connection
) -> None:
    key = first_key(oews_db, "key LIKE 'OEUM%' AND f13 = '5'")
    area, soc = area_and_soc(key)
    published = cell(oews_db, key)
    doc = show_occupation(conn, soc, area)
    assert doc["area"]["code"] == area and doc["area"]["fallback"] is None  # a top code is a published value
    annual = doc["wages"]["annual"]
    assert annual["median"] is None
    assert annual["median_at_least"] == 239200
    assert "Top-coded" in annual["median_reason"] and "$239,200" in annual["median_reason"]
    assert annual["p10"] == value(published, 11)
    assert doc["wages"]["hourly"]["median"] is None and doc["wages"]["hourly"]["median_at_least"] == 115.0


def test_a_not_released_state_median_is_null_with_reason_and_no_bound(
    conn: Connection, oews_db: sqlite3.Connection
) -> None:
    key = first_key(oews_db, "key LIKE 'OEUS%' AND f13 = '8'")
    area, soc = area_and_soc(key)
    doc = show_occupation(conn, soc, area)
    assert doc["area"]["type"] == "state"
    annual = doc["wages"]["annual"]
    assert annual["median"] is None and "not released" in annual["median_reason"]
    assert "median_at_least" not in annual
    assert doc["wages"]["employment"] == int(cell(oews_db, key)["v01"] or 0)


def test_a_not_released_employment_is_null_with_reason_beside_published_wages(
    conn: Connection, oews_db: sqlite3.Connection
) -> None:
    key = first_key(oews_db, "key LIKE 'OEUS%' AND f01 = '8' AND coalesce(f13, '') = ''")
    area, soc = area_and_soc(key)
    wages = show_occupation(conn, soc, area)["wages"]
    assert wages["employment"] is None and "not released" in wages["employment_reason"]
    assert wages["annual"]["median"] == value(cell(oews_db, key), 13)


def test_an_hourly_only_occupation_has_null_annual_wages_with_reason(
    conn: Connection, oews_db: sqlite3.Connection
) -> None:
    key = first_key(oews_db, "key LIKE 'OEUN%' AND f13 = '4'")
    _, soc = area_and_soc(key)
    wages = show_occupation(conn, soc, "national")["wages"]
    assert wages["annual"]["median"] is None and "only hourly" in wages["annual"]["median_reason"]
    assert wages["hourly"]["median"] == value(cell(oews_db, key), 8)


def test_a_metro_without_wages_falls_back_to_its_state_and_says_so(
    conn: Connection, oews_db: sqlite3.Connection
) -> None:
    key = first_key(oews_db, "key LIKE 'OEUM00%' AND f13 = '8' AND f04 = '8'")
    metro, soc = area_and_soc(key)
    doc = show_occupation(conn, soc, metro)
    assert doc["area"]["type"] == "state" and doc["area"]["requested"] == metro
    assert "statewide" in doc["area"]["fallback"]


def test_an_occupation_only_in_the_projections_has_outlook_and_unknown_wages(conn: Connection) -> None:
    doc = show_occupation(conn, "11-1031", "national")  # legislators: projected by EP, not surveyed by OEWS
    assert doc["title"] == "Legislators"
    assert doc["wages"]["annual"]["median"] is None and "no estimate" in doc["wages"]["annual"]["median_reason"]
    assert doc["outlook"]["growth_percent"] is not None


# --- input ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["152051", "15-2051", "15-2051.00", " 15-2051 "])
def test_soc_codes_are_accepted_in_the_usual_spellings(text: str) -> None:
    assert normalise_soc(text) == "15-2051"


@pytest.mark.parametrize("text", ["15-205", "data scientist", "15_2051", ""])
def test_malformed_soc_codes_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not a SOC code"):
        normalise_soc(text)


def test_an_unknown_soc_is_not_found(conn: Connection) -> None:
    with pytest.raises(OccupationNotFound, match="99-9991"):
        show_occupation(conn, "99-9991", "national")
