"""IPEDS completions C2020_A–C2024_A: official CSV fixtures and the mirror's parquet subset."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from tests.official_fixtures import assert_names_cell, line_number, official_tree, replace_in, truncate_last_line

from gradpath.config import DEFAULT_CIP_FAMILIES
from gradpath.sources import ipeds_completions as comp
from gradpath.sources.base import SourceError, SourceMissing

FAMILIES = list(DEFAULT_CIP_FAMILIES)
C = comp.Completion


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("completions-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return official_tree(tmp_path / "downloads")


def csv_path(root: Path, year: int) -> Path:
    return root / "ipeds-completions-2020-2024" / f"c{year}_a.csv"


# --- official layout ---------------------------------------------------------------------------------------------


def test_only_first_major_masters_rows_in_the_families_are_read(downloads: Path) -> None:
    read = comp.find(None, downloads)
    assert read.layout == "official"
    rows = comp.load(read, FAMILIES)
    # Left out: CIPCODE 99 totals, MAJORNUM 2, AWLEVEL 5 and 17, the MBA family 52.02.
    assert sorted(rows, key=lambda c: (c.year, c.unitid, c.cip)) == [
        C(2020, 990101, "11.0102", 18),
        C(2020, 990199, "51.2706", 5),
        C(2021, 990101, "11.0102", 22),
        C(2021, 990199, "51.2706", 4),
        C(2022, 990101, "11.0102", 27),
        C(2022, 990102, "51.2706", 9),
        C(2022, 990103, "11.0101", 3),
        C(2023, 990101, "11.0102", 31),
        C(2023, 990102, "51.2706", 12),
        C(2023, 990103, "30.7001", 2),
        C(2024, 990101, "11.0102", 35),
        C(2024, 990102, "51.2706", 14),
        C(2024, 990103, "30.7001", 0),  # a zero-award row is a reported program, kept as 0
        C(2024, 990104, "11.0102", 60),
    ]


def test_the_families_argument_filters_by_four_digit_family(downloads: Path) -> None:
    rows = comp.load(comp.find(None, downloads), ["51.27"])
    assert {(c.year, c.cip) for c in rows} == {(y, "51.2706") for y in comp.YEARS}


@pytest.mark.parametrize(
    ("raw", "code"), [("11.0102", "11.0102"), ("1.0101", "01.0101"), ("51.27", "51.2700"), ("99", None), ("", None)]
)
def test_cip_codes_are_normalised_to_six_digits(raw: str, code: str | None) -> None:
    assert comp.normalise_cip(raw) == code


def test_every_year_file_is_recorded_with_all_its_rows(downloads: Path) -> None:
    read = comp.find(None, downloads)
    comp.load(read, FAMILIES)
    assert [f.path for f in read.files] == [csv_path(downloads, y) for y in comp.YEARS]
    for f in read.files:
        body = f.path.read_bytes()
        assert f.sha256 == hashlib.sha256(body).hexdigest()
        assert f.rows == len(body.decode().splitlines()) - 1  # every data row read, kept or not


# --- broken files ------------------------------------------------------------------------------------------------


def test_truncated_row_names_line_and_first_missing_column(copy: Path) -> None:
    path = csv_path(copy, 2024)
    line = truncate_last_line(path, 5)
    with pytest.raises(SourceError, match="truncated") as err:
        comp.load(comp.find(None, copy), FAMILIES)
    assert_names_cell(err.value, path, line, "CTOTALT")


def test_wrong_header_names_the_missing_column(copy: Path) -> None:
    path = csv_path(copy, 2022)
    replace_in(path, ",CTOTALT,", ",CTOTAL,")
    with pytest.raises(SourceError) as err:
        comp.load(comp.find(None, copy), FAMILIES)
    assert_names_cell(err.value, path, 1, "CTOTALT")


def test_non_numeric_award_count_names_line_and_column(copy: Path) -> None:
    path = csv_path(copy, 2023)
    replace_in(path, "990102,51.2706,1,7,R,12,", "990102,51.2706,1,7,R,twelve,")
    with pytest.raises(SourceError, match="not a whole number") as err:
        comp.load(comp.find(None, copy), FAMILIES)
    assert_names_cell(err.value, path, line_number(path, "twelve"), "CTOTALT")


def test_garbage_bytes_name_line_and_column(copy: Path) -> None:
    path = csv_path(copy, 2021)
    path.write_bytes(path.read_bytes().replace(b"990199,51.2706", b"990199,\x8f51.2706", 1))
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        comp.load(comp.find(None, copy), FAMILIES)
    assert_names_cell(err.value, path, 4, "CIPCODE")


def test_a_missing_year_means_the_source_is_missing(copy: Path) -> None:
    csv_path(copy, 2021).unlink()
    with pytest.raises(SourceMissing, match="C2020_A–C2024_A"):
        comp.find(None, copy)


# --- the mirror --------------------------------------------------------------------------------------------------


def published_masters(mirror: Path, year: int) -> list[tuple[int, str, int]]:
    """Master's first-major rows of one year, straight from the parquet with pandas."""
    frame = pd.read_parquet(mirror / "ipeds-completions-2020-2024" / f"c{year}_a.parquet")
    frame = frame[(frame.AWLEVEL == 7) & (frame.MAJORNUM == 1) & frame.CIPCODE.str.slice(0, 5).isin(FAMILIES)]
    return sorted(zip(frame.UNITID.astype(int), frame.CIPCODE, frame.CTOTALT.astype(int), strict=True))


@pytest.fixture(scope="module")
def mirror_rows(mirror: Path) -> list[comp.Completion]:
    read = comp.find(mirror, None)
    assert read.layout == "mirror"
    return comp.load(read, FAMILIES)


@pytest.mark.parametrize("year", comp.YEARS)
def test_mirror_rows_equal_the_parquet_masters_rows(
    mirror: Path, mirror_rows: list[comp.Completion], year: int
) -> None:
    loaded = sorted((c.unitid, c.cip, c.awards) for c in mirror_rows if c.year == year)
    assert loaded == published_masters(mirror, year)


def test_mirror_2024_artificial_intelligence_is_offered_at_63_institutions(mirror_rows: list[comp.Completion]) -> None:
    assert len({c.unitid for c in mirror_rows if c.year == 2024 and c.cip == "11.0102"}) == 63
    assert len([c for c in mirror_rows if c.year == 2024 and c.cip.startswith("51.27")]) == 128


def test_both_layouts_give_the_same_row_type(downloads: Path, mirror_rows: list[comp.Completion]) -> None:
    official = comp.load(comp.find(None, downloads), FAMILIES)
    assert type(official[0]) is type(mirror_rows[0]) is comp.Completion
    assert {type(official[0].awards), type(mirror_rows[0].awards)} == {int}
