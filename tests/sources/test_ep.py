"""BLS Employment Projections Table 1.2: a fixture workbook in the official layout, and the mirror's."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.official_fixtures import EP_HEADER, EP_ROWS, assert_names_cell, official_tree, write_ep_workbook

from gradpath.sources import ep
from gradpath.sources.base import SourceError, SourceRead

GROWTH = "Employment change, percent, 2024–34"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("ep-official"))


def official(downloads: Path) -> tuple[SourceRead, dict[str, ep.Projection]]:
    read = ep.find(None, downloads)
    return read, {p.soc: p for p in ep.load(read)}


def broken(tmp_path: Path, rows: list[list[Any]] | None = None, **kwargs: Any) -> Path:
    """A downloads folder whose workbook is written with the given changes."""
    write_ep_workbook(tmp_path / "bls-ep-2024-34" / ep.FILE, rows if rows is not None else EP_ROWS, **kwargs)
    return tmp_path


# --- the official layout -----------------------------------------------------------------------------------------


def test_official_workbook_parses_every_soc_row_into_projections(downloads: Path) -> None:
    read, rows = official(downloads)
    assert read.layout == "official"
    assert sorted(rows) == sorted(r[1] for r in EP_ROWS)  # summary and line items; notes below are skipped
    ds = rows["15-2051"]
    assert ds == ep.Projection(
        soc="15-2051",
        title="Data scientists",
        occupation_type="Line item",
        employment_2024_k=240.0,
        employment_2034_k=314.9,
        change_numeric_k=74.9,
        change_percent=31.2,
        self_employed_percent=2.0,
        openings_annual_k=22.6,
        median_wage_2024=112000.0,
        median_wage_2024_note=None,
        entry_education="Bachelor's degree",
        work_experience="None",
        job_training="None",
    )


def test_top_coded_projection_wage_is_none_with_the_published_bound(downloads: Path) -> None:
    _, rows = official(downloads)
    physicians = rows["29-1215"]
    assert physicians.median_wage_2024 is None
    assert physicians.median_wage_2024_note == ">=$239,200"


def test_dashes_are_unknown_not_zero(downloads: Path) -> None:
    _, rows = official(downloads)
    assert rows["27-2042"].median_wage_2024 is None and rows["27-2042"].median_wage_2024_note is None
    assert rows["00-0000"].entry_education is None  # summary rows carry "—" for the text columns
    assert rows["29-9021"].entry_education == "Postsecondary nondegree award"


def test_the_workbook_read_is_recorded_with_sha256_and_rows(downloads: Path) -> None:
    read, rows = official(downloads)
    path = downloads / "bls-ep-2024-34" / ep.FILE
    assert [(f.path, f.sha256, f.rows) for f in read.files] == [
        (path, hashlib.sha256(path.read_bytes()).hexdigest(), len(rows))
    ]


# --- broken workbooks --------------------------------------------------------------------------------------------


def test_missing_sheet_names_the_file_and_the_sheet(tmp_path: Path) -> None:
    dl = broken(tmp_path, sheet="Table 1-2")
    with pytest.raises(SourceError) as err:
        official(dl)
    assert str(dl / "bls-ep-2024-34" / ep.FILE) in str(err.value)
    assert "'Table 1.2' not found" in str(err.value)


def test_missing_column_names_the_header_line_and_the_column(tmp_path: Path) -> None:
    header = [GROWTH.replace("percent", "share") if h == GROWTH else h for h in EP_HEADER]
    dl = broken(tmp_path, header=header)
    with pytest.raises(SourceError) as err:
        official(dl)
    assert_names_cell(err.value, dl / "bls-ep-2024-34" / ep.FILE, 2, GROWTH)


def test_non_numeric_value_names_the_row_and_column(tmp_path: Path) -> None:
    rows = [list(r) for r in EP_ROWS]
    index = [r[1] for r in rows].index("15-2051")
    rows[index][EP_HEADER.index(GROWTH)] = "n.a."
    dl = broken(tmp_path, rows)
    with pytest.raises(SourceError, match="not a number") as err:
        official(dl)
    assert_names_cell(err.value, dl / "bls-ep-2024-34" / ep.FILE, index + 3, GROWTH)  # title, header, then data


def test_a_workbook_without_the_all_occupations_row_is_refused(tmp_path: Path) -> None:
    dl = broken(tmp_path, [r for r in EP_ROWS if r[1] != "00-0000"])
    with pytest.raises(SourceError, match="00-0000"):
        official(dl)


def test_garbage_bytes_instead_of_a_workbook_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bls-ep-2024-34" / ep.FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 truncated download \xff\xfe" * 20)
    with pytest.raises(SourceError, match="not a readable Excel workbook") as err:
        official(tmp_path)
    assert str(path) in str(err.value)


# --- the mirror --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mirror_sheet(mirror: Path) -> list[tuple[Any, ...]]:
    """Table 1.2 of the mirror's workbook, read with openpyxl (not the loader's reader)."""
    book = load_workbook(mirror / "bls-ep-2024-34" / ep.FILE, read_only=True, data_only=True)
    rows = list(book["Table 1.2"].iter_rows(values_only=True))
    book.close()
    return rows


def test_mirror_workbook_gives_one_projection_per_soc_row(mirror: Path, mirror_sheet: list[tuple[Any, ...]]) -> None:
    read = ep.find(mirror, None)
    assert read.layout == "mirror"
    rows = ep.load(read)
    codes = [r[1] for r in mirror_sheet[2:] if isinstance(r[1], str) and len(r[1]) == 7 and r[1][2] == "-"]
    assert [p.soc for p in rows] == codes
    assert len(rows) == 1113


def test_mirror_data_scientists_are_as_published(mirror: Path, mirror_sheet: list[tuple[Any, ...]]) -> None:
    published = next(r for r in mirror_sheet if r[1] == "15-2051")
    ds = next(p for p in ep.load(ep.find(mirror, None)) if p.soc == "15-2051")
    assert ds.change_percent == published[8] == 33.5
    assert ds.openings_annual_k == published[10]
    assert ds.employment_2024_k == published[3]
    assert ds.entry_education == published[12]
    assert ds.median_wage_2024 == published[11]


def test_both_layouts_give_the_same_row_type(mirror: Path, downloads: Path) -> None:
    _, official_rows = official(downloads)
    mirror_rows = ep.load(ep.find(mirror, None))
    assert type(mirror_rows[0]) is type(next(iter(official_rows.values()))) is ep.Projection
    top_coded = [p for p in mirror_rows if p.median_wage_2024_note]
    assert top_coded and all(p.median_wage_2024 is None for p in top_coded)
