"""College Scorecard field of study: the official CSV (fixtures) and the mirror's derived parquet."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd
import pytest
from tests.official_fixtures import assert_names_cell, line_number, official_tree, replace_in, truncate_last_line

from gradpath.config import DEFAULT_CIP_FAMILIES
from gradpath.sources import scorecard_fos as fos
from gradpath.sources.base import SourceError

FAMILIES = list(DEFAULT_CIP_FAMILIES)
F = fos.FieldOutcome


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("fos-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return official_tree(tmp_path / "downloads")


def path_of(root: Path) -> Path:
    return root / "scorecard-fos-truewise" / fos.OFFICIAL_FILE


def load(root: Path) -> list[fos.FieldOutcome]:
    return fos.load(fos.find(None, root), FAMILIES)


# --- official layout ---------------------------------------------------------------------------------------------


def test_official_csv_is_read_with_the_official_source_record(downloads: Path) -> None:
    read = fos.find(None, downloads)
    assert read.layout == "official"
    assert read.info is fos.OFFICIAL_INFO and read.info.id == fos.INFO.id


def test_only_masters_rows_in_the_families_are_read(downloads: Path) -> None:
    rows = load(downloads)
    # Left out: CREDLEV 3 and 6, and the master's row of family 52.02.
    assert [(r.unitid, r.cip4) for r in rows] == [
        (990101, "11.01"),
        (990102, "51.27"),
        (990103, "30.70"),
        (None, "51.27"),
    ]
    assert rows[0] == F(
        unitid=990101,
        institution_name="Harborview Institute of Technology (fixture)",
        cip4="11.01",
        cip4_title="Computer and Information Sciences, General",
        completers=35,
        earnings_1yr=98000.0,
        earnings_4yr=121000.0,
        debt_median=52000.0,
        earnings_1yr_status="published",
        earnings_4yr_status="published",
        debt_status="published",
    )


def test_privacy_suppressed_and_null_stay_distinct_and_never_zero(downloads: Path) -> None:
    rows = {(r.unitid, r.cip4): r for r in load(downloads)}
    ema = rows[(990102, "51.27")]
    assert (ema.earnings_1yr, ema.earnings_1yr_status) == (None, "suppressed")
    assert (ema.earnings_4yr, ema.earnings_4yr_status) == (None, "missing")
    assert (ema.debt_median, ema.debt_status) == (61000.0, "published")
    small = rows[(990103, "30.70")]
    assert small.completers == 0
    assert {small.earnings_1yr_status, small.earnings_4yr_status, small.debt_status} == {"suppressed"}
    assert (small.earnings_1yr, small.earnings_4yr, small.debt_median) == (None, None, None)


def test_a_row_without_unitid_is_kept_with_unitid_none(downloads: Path) -> None:
    closed = [r for r in load(downloads) if r.unitid is None]
    assert [(r.institution_name, r.completers, r.debt_median) for r in closed] == [
        ("Old Mill College of Informatics (fixture; closed)", 6, 45000.0)
    ]


@pytest.mark.parametrize(("raw", "code"), [("1101", "11.01"), ("101", "01.01"), (5127, "51.27"), ("51.27", "51.27")])
def test_cip4_codes_are_normalised(raw: object, code: str) -> None:
    assert fos.normalise_cip4(raw) == code


def test_the_csv_is_recorded_with_sha256_and_every_row(downloads: Path) -> None:
    read = fos.find(None, downloads)
    fos.load(read, FAMILIES)
    path = path_of(downloads)
    assert [(f.path, f.sha256, f.rows) for f in read.files] == [
        (path, hashlib.sha256(path.read_bytes()).hexdigest(), 7)
    ]


# --- broken files ------------------------------------------------------------------------------------------------


def test_truncated_row_names_line_and_first_missing_column(copy: Path) -> None:
    line = truncate_last_line(path_of(copy), 13)  # 13 comma-separated pieces: 12 fields ("Private, nonprofit")
    with pytest.raises(SourceError, match="truncated") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line, "DEBT_ALL_STGP_EVAL_MDN")


def test_wrong_header_names_the_missing_column(copy: Path) -> None:
    replace_in(path_of(copy), ",EARN_MDN_4YR", ",EARN_MEDIAN_4YR")
    with pytest.raises(SourceError) as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), 1, "EARN_MDN_4YR")


def test_non_numeric_earnings_name_line_and_column(copy: Path) -> None:
    replace_in(path_of(copy), ",24,98000,", ",24,98k,")
    with pytest.raises(SourceError, match="not a number") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line_number(path_of(copy), ",98k,"), "EARN_MDN_1YR")


def test_malformed_cip_code_names_line_and_column(copy: Path) -> None:
    replace_in(path_of(copy), ",3070,", ",30-70,")
    with pytest.raises(SourceError, match="4-digit CIP") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line_number(path_of(copy), ",30-70,"), "CIPCODE")


def test_garbage_bytes_name_line_and_column(copy: Path) -> None:
    path = path_of(copy)
    line = line_number(path, "990103,")
    path.write_bytes(path.read_bytes().replace(b"990103,099903,Pioneer", b"990103,099903,Pio\x90neer", 1))
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        load(copy)
    assert_names_cell(err.value, path, line, "INSTNM")


# --- the mirror --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(mirror: Path) -> pd.DataFrame:
    frame = pd.read_parquet(mirror / "scorecard-fos-truewise" / fos.MIRROR_FILE)
    frame = frame[frame.credential_level == "5"].copy()
    frame["cip4"] = frame.cip_code.str.slice(0, 2) + "." + frame.cip_code.str.slice(2, 4)
    return frame[frame.cip4.isin(FAMILIES)]


@pytest.fixture(scope="module")
def mirror_rows(mirror: Path) -> list[fos.FieldOutcome]:
    read = fos.find(mirror, None)
    assert read.layout == "mirror" and read.info is fos.INFO
    return fos.load(read, FAMILIES)


def test_mirror_rows_are_the_parquet_masters_rows_in_the_families(
    published: pd.DataFrame, mirror_rows: list[fos.FieldOutcome]
) -> None:
    assert len(mirror_rows) == len(published)
    without_unitid = ~published.unitid.fillna("").str.isdigit()  # the derived table writes "NA"
    assert sum(r.unitid is None for r in mirror_rows) == int(without_unitid.sum()) == 131


def test_mirror_values_equal_the_parquet_and_nulls_are_missing_not_zero(
    published: pd.DataFrame, mirror_rows: list[fos.FieldOutcome]
) -> None:
    def same(value: float | None, cell: object) -> bool:
        return value is None if cell is None or (isinstance(cell, float) and math.isnan(cell)) else value == cell

    for row, (_, cell) in zip(mirror_rows, published.iterrows(), strict=True):
        assert row.unitid == (int(cell.unitid) if str(cell.unitid).isdigit() else None)
        assert row.cip4 == cell.cip4
        assert same(row.earnings_1yr, cell.earnings_median_1yr)
        assert same(row.earnings_4yr, cell.earnings_median_4yr)
        assert same(row.debt_median, cell.debt_median)
        assert row.earnings_1yr_status == ("missing" if row.earnings_1yr is None else "published")
    assert any(r.earnings_1yr is None for r in mirror_rows) and all(r.earnings_1yr != 0 for r in mirror_rows)


def test_both_layouts_give_the_same_row_type(downloads: Path, mirror_rows: list[fos.FieldOutcome]) -> None:
    official = load(downloads)
    assert type(official[0]) is type(mirror_rows[0]) is fos.FieldOutcome
