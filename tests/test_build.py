"""``gradpath build``: from the official fixtures, atomically, and from the mirror to the acceptance figures.

(a) a build from the official-layout fixtures records every file it read and answers with the
fixture numbers; (b) a broken file stops the next build with file/line/column and leaves the
previous catalog as it was; (c) one build at a time; (d) the session catalog built from the
mirror has exactly the master's offerings, awards and Scorecard figures of the mirror files.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection
from tests.conftest import drop_pg_schemas
from tests.official_fixtures import (
    assert_names_cell,
    curated_for_fixtures,
    fixture_settings,
    line_number,
    official_tree,
    replace_in,
    truncate_last_line,
)

from gradpath import schema
from gradpath.build import BuildReport, build_catalog
from gradpath.build.education import NOTE_MISSING, NOTE_NO_RECORD, NOTE_SUPPRESSED
from gradpath.build.target import BuildLocked, build_lock
from gradpath.catalog import OfferingQuery, search_offerings
from gradpath.config import DEFAULT_CIP_FAMILIES, Settings
from gradpath.db import catalog_engine, open_catalog
from gradpath.occupations import show_occupation
from gradpath.provenance import catalog_counts, catalog_meta, list_sources
from gradpath.sources.base import SourceError

FAMILIES = list(DEFAULT_CIP_FAMILIES)
O = schema.offering  # noqa: E741


@dataclass
class FixtureCatalog:
    settings: Settings
    downloads: Path
    report: BuildReport


def new_fixture_catalog(root: Path) -> FixtureCatalog:
    """Build a catalog from a fresh copy of the official fixtures under ``root``."""
    downloads = official_tree(root / "downloads")
    settings = fixture_settings(root / "home", downloads, curated_for_fixtures(root / "curated"))
    report = build_catalog(settings, expect_full_sources=False)
    return FixtureCatalog(settings, downloads, report)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureCatalog]:
    catalog = new_fixture_catalog(tmp_path_factory.mktemp("fixture-build"))
    yield catalog
    drop_pg_schemas(catalog.settings)


@pytest.fixture
def fx(built: FixtureCatalog) -> Iterator[Connection]:
    engine = open_catalog(built.settings)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def count(conn: Connection, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


# --- (a) a build from the official fixtures ------------------------------------------------------------------------


def test_fixture_build_reads_every_source_in_the_official_layout(built: FixtureCatalog) -> None:
    layouts = {r.info.id: r.layout for r in built.report.sources}
    assert layouts.pop("gradpath-curated") == "curated"
    assert set(layouts.values()) == {"official"} and len(layouts) == 9


def test_every_fixture_file_is_in_the_ledger_with_its_sha256(built: FixtureCatalog, fx: Connection) -> None:
    ledger = {row.path: row for row in fx.execute(select(schema.source_file))}
    released = [p for p in built.downloads.rglob("*") if p.is_file()]
    assert len(released) == 26
    for path in released:
        row = ledger[str(path)]
        assert row.sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), path
        assert row.bytes == path.stat().st_size
    curated = {Path(p).name for p, r in ledger.items() if r.source_id == "gradpath-curated"}
    assert {"roles.yaml", "certifications.yaml", "cip_relevance.yaml", "programs.yaml", "tuition.yaml"} <= curated
    assert len(ledger) == len(released) + len(curated)


def test_fixture_catalog_holds_exactly_the_fixture_rows(fx: Connection) -> None:
    assert count(fx, schema.area) == 6
    assert count(fx, schema.occupation) == 8
    assert count(fx, schema.wage) == 13
    assert count(fx, schema.outlook) == 9
    assert count(fx, schema.institution) == 4
    assert count(fx, schema.cip) == 13 and count(fx, schema.cip_soc) == 7
    assert count(fx, schema.onet_task) == 46
    assert count(fx, schema.field_outcome) == 3  # the row without UNITID is counted, not stored
    meta = catalog_meta(fx)
    assert (meta["offerings_dropped_closed"], meta["fos_rows_without_unitid"]) == ("1", "1")


def test_fixture_areas_are_national_state_metro_and_nonmetro(fx: Connection) -> None:
    rows = {r.code: r for r in fx.execute(select(schema.area))}
    assert {c: r.type for c, r in rows.items()} == {
        "national": "national",
        "MA": "state",
        "RI": "state",
        "14460": "metro",
        "39300": "metro",
        "2500001": "nonmetro",
    }
    assert rows["39300"].states == "RI,MA" and rows["14460"].oews_code == "0014460"
    cbsas = {r.code: (r.type, r.oews_area) for r in fx.execute(select(schema.cbsa))}
    assert cbsas == {"14460": ("metro", "14460"), "39300": ("metro", "39300"), "24640": ("micro", None)}


def test_fixture_occupation_shows_the_fixture_wages_and_outlook(fx: Connection) -> None:
    doc = show_occupation(fx, "15-2051", "national")
    assert doc["title"] == "Data Scientists"
    assert doc["area"]["code"] == "national" and doc["area"]["fallback"] is None
    assert doc["wages"]["annual"] == {
        "p10": 66560.0,
        "p25": 85280.0,
        "median": 119600.0,
        "p75": 158080.0,
        "p90": 197600.0,
        "mean": 124800.0,
    }
    assert doc["wages"]["employment"] == 250000
    assert doc["wages"]["location_quotient"] is None and "nation as a whole" in doc["wages"]["location_quotient_reason"]
    outlook = doc["outlook"]
    assert (outlook["growth_percent"], outlook["openings_annual"], outlook["employment_2024"]) == (31.2, 22600, 240000)
    assert outlook["entry_education"] == "Bachelor's degree" and outlook["all_occupations_growth_percent"] == 3.2


def test_fixture_metro_figures_come_from_the_metro_cell(fx: Connection) -> None:
    doc = show_occupation(fx, "15-2051", "14460")
    assert doc["area"] == {
        "code": "14460",
        "name": "Boston-Cambridge-Newton, MA-NH",
        "type": "metro",
        "requested": "14460",
        "fallback": None,
    }
    assert doc["wages"]["annual"]["median"] == 131040.0 and doc["wages"]["hourly"]["median"] == 63.0
    assert (doc["wages"]["employment"], doc["wages"]["location_quotient"]) == (8500, 1.8)
    assert show_occupation(fx, "15-2051", "Boston")["area"]["code"] == "14460"


def test_fixture_top_coded_wages_are_null_with_reason_and_lower_bound(fx: Connection) -> None:
    annual = show_occupation(fx, "29-1215", "14460")["wages"]["annual"]
    assert annual["p25"] == 197600.0 and annual["mean"] == 245440.0
    for key in ("median", "p75", "p90"):
        assert annual[key] is None
        assert annual[f"{key}_at_least"] == 239200
        assert "Top-coded" in annual[f"{key}_reason"]
    outlook = show_occupation(fx, "29-1215", "national")["outlook"]
    assert outlook["median_wage_2024"] is None and outlook["median_wage_2024_at_least"] == 239200


def test_fixture_not_released_and_hourly_only_values_carry_their_reasons(fx: Connection) -> None:
    providence = show_occupation(fx, "15-2051", "39300")["wages"]
    assert providence["employment"] is None and "not released" in providence["employment_reason"]
    assert providence["annual"]["median"] == 99840.0
    musicians = show_occupation(fx, "27-2042", "national")["wages"]
    assert musicians["annual"]["median"] is None and "only hourly" in musicians["annual"]["median_reason"]
    assert "median_at_least" not in musicians["annual"]
    assert musicians["hourly"]["median"] == 40.0


def test_fixture_metro_without_wages_falls_back_to_its_state_and_says_so(fx: Connection) -> None:
    doc = show_occupation(fx, "27-2042", "14460")
    assert doc["area"]["code"] == "MA" and "Massachusetts statewide" in doc["area"]["fallback"]
    assert doc["wages"]["hourly"]["median"] == 47.0


def test_fixture_offerings_follow_the_completions_years(fx: Connection) -> None:
    rows = {r.id: r for r in fx.execute(select(O))}
    assert {i: (r.current, r.last_reported_year, r.awards_latest) for i, r in rows.items()} == {
        "990101-11.0102": (True, 2024, 35),
        "990102-51.2706": (True, 2024, 14),
        "990103-30.7001": (True, 2024, 0),  # zero awards in 2024 still means reported in 2024
        "990104-11.0102": (True, 2024, 60),
        "990103-11.0101": (False, 2022, 3),  # reported in 2022 only: kept, not current
    }
    awards = defaultdict(dict)
    for r in fx.execute(select(schema.award)):
        awards[r.offering_id][r.year] = r.awards
    assert awards["990101-11.0102"] == {2020: 18, 2021: 22, 2022: 27, 2023: 31, 2024: 35}
    assert awards["990103-30.7001"] == {2023: 2, 2024: 0}
    assert search_offerings(fx, OfferingQuery(cip="11.0102"))["count"] == 2
    assert search_offerings(fx, OfferingQuery(cip="11.01", include_past=True))["count"] == 3


def test_fixture_outcomes_keep_suppressed_missing_and_absent_apart(fx: Connection) -> None:
    rows = {r.id: r for r in fx.execute(select(O))}
    hit = rows["990101-11.0102"]
    assert (hit.fos_status, hit.earnings_1yr, hit.earnings_4yr, hit.debt_median) == ("published", 98000, 121000, 52000)
    ema = rows["990102-51.2706"]
    assert ema.fos_status == "partial" and ema.debt_median == 61000
    assert (ema.earnings_1yr, ema.earnings_1yr_note) == (None, NOTE_SUPPRESSED)
    assert (ema.earnings_4yr, ema.earnings_4yr_note) == (None, NOTE_MISSING)
    assert rows["990103-30.7001"].fos_status == "suppressed"
    lakeshore = rows["990104-11.0102"]  # its only Scorecard row is a CREDLEV 6 row
    assert (lakeshore.fos_status, lakeshore.earnings_1yr, lakeshore.earnings_1yr_note) == (
        "no_record",
        None,
        NOTE_NO_RECORD,
    )


def test_fixture_institutions_join_accreditor_and_distance_share(fx: Connection) -> None:
    rows = {r.unitid: r for r in fx.execute(select(schema.institution))}
    assert rows[990102].name == "Escuela Médica del Atlántico (fixture)"
    assert rows[990101].accreditor == "Fixture Commission on Higher Education"
    assert rows[990103].accreditor is None and "DAPIP" in rows[990103].accreditor_note
    assert (rows[990101].distance_scope, rows[990101].distance_exclusive_share) == (
        "graduate students",
        pytest.approx(700 / 2200),
    )
    assert rows[990103].distance_year == 2023


def test_fixture_sources_list_official_records_and_file_digests(built: FixtureCatalog, fx: Connection) -> None:
    sources = {s["id"]: s for s in list_sources(fx)}
    hd = built.downloads / "ipeds-hd2024" / "hd2024.csv"
    assert sources["ipeds-hd2024"]["sha256"] == hashlib.sha256(hd.read_bytes()).hexdigest()
    assert sources["scorecard-fos-truewise"]["title"] == "College Scorecard: Most Recent Cohorts, Field of Study"
    assert all(s["layout"] == "official" for i, s in sources.items() if i != "gradpath-curated")


# --- (b) a broken file stops the next build; the previous catalog keeps working ---------------------------------------


def break_truncated_csv(downloads: Path) -> tuple[Path, int, str]:
    path = downloads / "ipeds-hd2024" / "hd2024.csv"
    return path, truncate_last_line(path, 30, encoding="cp1252"), "HDEGOFR1"


def break_wrong_header(downloads: Path) -> tuple[Path, int, str]:
    path = downloads / "ipeds-completions-2020-2024" / "c2024_a.csv"
    replace_in(path, ",CTOTALT,", ",CTOTAL_T,")
    return path, 1, "CTOTALT"


def break_non_numeric_wage(downloads: Path) -> tuple[Path, int, str]:
    path = downloads / "bls-oews-2025" / "oe.data.0.Current"
    replace_in(path, "      131040\t", "     131,04O\t")
    return path, line_number(path, "131,04O"), "value"


def break_unknown_footnote(downloads: Path) -> tuple[Path, int, str]:
    path = downloads / "bls-oews-2025" / "oe.data.0.Current"
    series = "OEUM001446000000029121513"
    replace_in(path, f"{series}     \t2025\tA01\t           -\t5", f"{series}     \t2025\tA01\t           -\t9")
    return path, line_number(path, series), "footnote_codes"


BREAKS: dict[str, Callable[[Path], tuple[Path, int, str]]] = {
    "truncated CSV": break_truncated_csv,
    "wrong header": break_wrong_header,
    "non-numeric wage": break_non_numeric_wage,
    "unknown footnote code": break_unknown_footnote,
}


def snapshot(settings: Settings) -> dict[str, Any]:
    """What a reader of the live catalog sees (plus the file's digest on SQLite)."""
    engine = open_catalog(settings)
    with engine.connect() as conn:
        state: dict[str, Any] = {
            "meta": catalog_meta(conn),
            "counts": catalog_counts(conn),
            "wage": conn.execute(select(schema.wage.c.annual_median).where(schema.wage.c.area_code == "14460")).all(),
        }
    engine.dispose()
    live = settings.home / "catalog.sqlite"
    if not settings.is_postgres:
        state["sha256"] = hashlib.sha256(live.read_bytes()).hexdigest()
    return state


def leftovers(settings: Settings) -> list[str]:
    """Traces of an unfinished build: the SQLite ``.building`` file or the PostgreSQL ``_build`` schema."""
    found = [p.name for p in settings.home.iterdir() if ".building" in p.name or p.name.startswith("gradpath-build-")]
    if settings.is_postgres:
        engine = catalog_engine(settings)
        with engine.connect() as conn:
            found += (
                conn.execute(
                    text("SELECT schema_name FROM information_schema.schemata WHERE schema_name = :s"),
                    {"s": f"{settings.pg_schema}_build"},
                )
                .scalars()
                .all()
            )
        engine.dispose()
    return found


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[FixtureCatalog]:
    """A catalog of its own, built from a private copy of the fixtures (a test may break them)."""
    catalog = new_fixture_catalog(tmp_path)
    yield catalog
    drop_pg_schemas(catalog.settings)


@pytest.mark.parametrize("damage", list(BREAKS))
def test_broken_file_stops_the_build_and_the_previous_catalog_is_unchanged(fresh: FixtureCatalog, damage: str) -> None:
    before = snapshot(fresh.settings)
    assert before["counts"]["offerings"] == 4
    path, line, column = BREAKS[damage](fresh.downloads)
    with pytest.raises(SourceError) as err:
        build_catalog(fresh.settings, expect_full_sources=False)
    assert_names_cell(err.value, path, line, column)
    assert snapshot(fresh.settings) == before
    assert leftovers(fresh.settings) == []
    engine = open_catalog(fresh.settings)  # still readable by the services
    with engine.connect() as conn:
        assert show_occupation(conn, "15-2051", "14460")["wages"]["annual"]["median"] == 131040.0
    engine.dispose()


def test_the_cli_reports_a_broken_file_on_stderr_and_keeps_the_catalog(fresh: FixtureCatalog) -> None:
    before = snapshot(fresh.settings)
    path, line, column = break_non_numeric_wage(fresh.downloads)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADPATH_")}
    env.update(
        GRADPATH_HOME=str(fresh.settings.home),
        GRADPATH_DATA_DIR=str(fresh.downloads),
        GRADPATH_CURATED_DIR=str(fresh.settings.curated_dir),
    )
    if fresh.settings.is_postgres:
        env.update(GRADPATH_DATABASE_URL=fresh.settings.catalog_url, GRADPATH_PG_SCHEMA=fresh.settings.pg_schema)
    done = subprocess.run(
        [sys.executable, "-m", "gradpath.cli", "build", "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert "previous catalog is unchanged" in done.stderr
    assert f"{path}, line {line}, column {column!r}" in done.stderr
    assert snapshot(fresh.settings) == before


# --- (c) one build at a time ----------------------------------------------------------------------------------------


def test_a_second_build_is_refused_while_one_holds_the_lock(fresh: FixtureCatalog) -> None:
    before = snapshot(fresh.settings)
    with build_lock(fresh.settings), pytest.raises(BuildLocked, match="another build"):
        build_catalog(fresh.settings, expect_full_sources=False)
    assert snapshot(fresh.settings) == before
    assert leftovers(fresh.settings) == []


# --- (d) the mirror build: acceptance figures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def completions(mirror: Path) -> pd.DataFrame:
    """Master's (AWLEVEL 7) first-major rows in the families, all five years, from the parquet files."""
    frames = []
    for year in (2020, 2021, 2022, 2023, 2024):
        frame = pd.read_parquet(mirror / "ipeds-completions-2020-2024" / f"c{year}_a.parquet")
        frame = frame[(frame.AWLEVEL == 7) & (frame.MAJORNUM == 1) & frame.CIPCODE.str.slice(0, 5).isin(FAMILIES)]
        frames.append(frame.assign(year=year)[["UNITID", "CIPCODE", "CTOTALT", "year"]])
    return pd.concat(frames)


@pytest.fixture(scope="module")
def c2024_by_cip(completions: pd.DataFrame) -> dict[str, int]:
    latest = completions[completions.year == 2024]
    return {str(k): int(v) for k, v in latest.groupby("CIPCODE").UNITID.nunique().items()}


def current_by_cip(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(O.c.cip, func.count()).where(O.c.current.is_(True)).group_by(O.c.cip))
    return {cip: int(n) for cip, n in rows}


def test_current_offerings_per_cip_equal_the_masters_rows_of_c2024(
    conn: Connection, c2024_by_cip: dict[str, int]
) -> None:
    assert current_by_cip(conn) == c2024_by_cip
    assert c2024_by_cip["11.0102"] == 63
    assert c2024_by_cip["51.2706"] == 122


@pytest.mark.parametrize("family", FAMILIES)
def test_current_offerings_per_family_equal_c2024(conn: Connection, c2024_by_cip: dict[str, int], family: str) -> None:
    expected = sum(n for cip, n in c2024_by_cip.items() if cip.startswith(family))
    assert search_offerings(conn, OfferingQuery(cip=family, limit=0))["count"] == expected
    if family == "51.27":
        assert expected == 128


def test_current_offerings_total_3161_at_965_institutions(conn: Connection, completions: pd.DataFrame) -> None:
    latest = completions[completions.year == 2024]
    assert catalog_counts(conn)["offerings"] == len(latest) == 3161
    assert catalog_counts(conn)["institutions"] == latest.UNITID.nunique() == 965


def test_offerings_last_reported_before_2024_are_kept_as_not_current(
    conn: Connection, completions: pd.DataFrame
) -> None:
    institutions = set(conn.execute(select(schema.institution.c.unitid)).scalars())
    last = completions.groupby(["UNITID", "CIPCODE"]).year.max()
    past = {f"{u}-{c}": int(y) for (u, c), y in last.items() if y < 2024 and u in institutions}
    stored = {
        r.id: r.last_reported_year for r in conn.execute(select(O.c.id, O.c.last_reported_year).where(~O.c.current))
    }
    assert stored == past and len(past) == 190
    dropped = sum(1 for (u, _), y in last.items() if y < 2024 and u not in institutions)
    assert catalog_meta(conn)["offerings_dropped_closed"] == str(dropped)


def test_award_counts_by_year_equal_the_parquet(conn: Connection, completions: pd.DataFrame) -> None:
    institutions = set(conn.execute(select(schema.institution.c.unitid)).scalars())
    expected = {(f"{u}-{c}", int(y)): int(n) for u, c, n, y in completions.itertuples(index=False) if u in institutions}
    stored = {(r.offering_id, r.year): r.awards for r in conn.execute(select(schema.award))}
    assert stored == expected


def test_every_offering_has_the_scorecard_row_figures_or_null_with_a_reason(conn: Connection, mirror: Path) -> None:
    frame = pd.read_parquet(
        mirror / "scorecard-fos-truewise" / "value_check.parquet",
        columns=["unitid", "cip_code", "credential_level", "earnings_median_1yr", "earnings_median_4yr", "debt_median"],
    )
    frame = frame[(frame.credential_level == "5") & frame.unitid.str.isdigit().fillna(False)]
    published = {
        (int(r.unitid), f"{r.cip_code[:2]}.{r.cip_code[2:4]}"): (
            r.earnings_median_1yr,
            r.earnings_median_4yr,
            r.debt_median,
        )
        for r in frame.itertuples(index=False)
    }
    columns = (
        ("earnings_1yr", "earnings_1yr_note"),
        ("earnings_4yr", "earnings_4yr_note"),
        ("debt_median", "debt_note"),
    )
    checked = with_figures = 0
    for row in conn.execute(select(O)):
        figures = published.get((row.unitid, row.cip4))
        for i, (value_col, note_col) in enumerate(columns):
            value, note = getattr(row, value_col), getattr(row, note_col)
            source = None if figures is None or pd.isna(figures[i]) else float(figures[i])
            assert value == source, (row.id, value_col)
            assert (note is None) == (value is not None), (row.id, note_col)
            with_figures += value is not None
        assert row.fos_status == ("no_record" if figures is None else row.fos_status)
        checked += 1
    assert checked == 3161 + 190 and with_figures > 1000
