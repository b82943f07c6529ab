"""CIP 2020 codes and the CIP→SOC crosswalk: official-layout fixtures and the mirror's copies."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.official_fixtures import (
    CROSSWALK_HEADER,
    CROSSWALK_ROWS,
    assert_names_cell,
    line_number,
    official_tree,
    replace_in,
    truncate_last_line,
    write_crosswalk_workbook,
)

from gradpath.sources import cip
from gradpath.sources.base import SourceError, SourceRead


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("cip-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return official_tree(tmp_path / "downloads")


def read_of(downloads: Path) -> SourceRead:
    return cip.find(None, downloads)


# --- official layout ---------------------------------------------------------------------------------------------


def test_excel_quoted_codes_parse_into_typed_rows_at_three_levels(downloads: Path) -> None:
    read = read_of(downloads)
    assert read.layout == "official"
    codes = {c.code: c for c in cip.load_codes(read)}
    assert len(codes) == 13
    assert codes["11.0102"] == cip.CipCode(
        code="11.0102",
        family="11.01",
        level=6,
        title="Artificial Intelligence",
        definition="Fixture definition of a program about machine reasoning and learning.",
        action="New",
    )
    assert (codes["51.27"].level, codes["51.27"].family) == (4, "51.27")
    assert (codes["30"].level, codes["30"].family) == (2, "30")
    assert '"quoted" phrase, and a comma' not in codes["11.0101"].definition  # the comma is inside the quotes
    assert codes["11.0101"].definition.endswith('with a "quoted" phrase and a comma.')


def test_crosswalk_pairs_skip_no_match_rows(downloads: Path) -> None:
    pairs = cip.load_crosswalk(read_of(downloads))
    assert pairs == sorted((r[0], r[2]) for r in CROSSWALK_ROWS if r[2] != "99-9999")
    assert ("11.0102", "15-2051") in pairs


def test_both_files_are_recorded_with_sha256(downloads: Path) -> None:
    read = read_of(downloads)
    cip.load_codes(read)
    cip.load_crosswalk(read)
    root = downloads / "nces-cip2020"
    assert {f.path: f.sha256 for f in read.files} == {
        root / name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in (cip.CODES, cip.CROSSWALK)
    }


# --- broken files ------------------------------------------------------------------------------------------------


def test_wrong_code_list_header_names_the_column(copy: Path) -> None:
    path = copy / "nces-cip2020" / cip.CODES
    replace_in(path, '"CIPTitle"', '"Title"')
    with pytest.raises(SourceError) as err:
        cip.load_codes(read_of(copy))
    assert_names_cell(err.value, path, 1, "CIPTitle")


def test_truncated_code_row_names_line_and_first_missing_column(copy: Path) -> None:
    path = copy / "nces-cip2020" / cip.CODES
    line = truncate_last_line(path, 4)
    with pytest.raises(SourceError, match="truncated") as err:
        cip.load_codes(read_of(copy))
    assert_names_cell(err.value, path, line, "CIPTitle")


def test_malformed_code_names_line_and_column(copy: Path) -> None:
    path = copy / "nces-cip2020" / cip.CODES
    replace_in(path, '="51.2706"', '="51.27O6"')
    with pytest.raises(SourceError, match="not a CIP code") as err:
        cip.load_codes(read_of(copy))
    assert_names_cell(err.value, path, line_number(path, "51.27O6"), "CIPCode")


def test_garbage_bytes_in_the_code_list_name_line_and_column(copy: Path) -> None:
    path = copy / "nces-cip2020" / cip.CODES
    line = line_number(path, '"Bioinformatics."')
    path.write_bytes(path.read_bytes().replace(b'"Bioinformatics."', b'"Bioinfo\x81\x8dmatics."', 1))
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        cip.load_codes(read_of(copy))
    assert_names_cell(err.value, path, line, "CIPTitle")


def test_an_empty_code_list_is_refused(copy: Path) -> None:
    path = copy / "nces-cip2020" / cip.CODES
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(SourceError, match="no CIP codes"):
        cip.load_codes(read_of(copy))


def test_crosswalk_without_its_sheet_names_file_and_sheet(copy: Path) -> None:
    path = write_crosswalk_workbook(copy / "nces-cip2020" / cip.CROSSWALK, sheet="CIP SOC")
    with pytest.raises(SourceError) as err:
        cip.load_crosswalk(read_of(copy))
    assert str(path) in str(err.value) and "'CIP-SOC' not found" in str(err.value)


def test_crosswalk_with_a_wrong_header_names_the_column(copy: Path) -> None:
    header = [h if h != "SOC2018Code" else "SOC Code" for h in CROSSWALK_HEADER]
    path = write_crosswalk_workbook(copy / "nces-cip2020" / cip.CROSSWALK, header=header)
    with pytest.raises(SourceError) as err:
        cip.load_crosswalk(read_of(copy))
    assert_names_cell(err.value, path, 1, "SOC2018Code")


def test_crosswalk_with_a_malformed_soc_names_the_row_and_column(copy: Path) -> None:
    rows = [list(r) for r in CROSSWALK_ROWS]
    rows[3][2] = "15-205"
    path = write_crosswalk_workbook(copy / "nces-cip2020" / cip.CROSSWALK, rows)
    with pytest.raises(SourceError, match="not a SOC code") as err:
        cip.load_crosswalk(read_of(copy))
    assert_names_cell(err.value, path, 5, "SOC2018Code")  # header, then the fourth row


# --- the mirror --------------------------------------------------------------------------------------------------


def test_mirror_code_list_has_every_row_of_the_csv(mirror: Path) -> None:
    read = cip.find(mirror, None)
    assert read.layout == "mirror"
    codes = cip.load_codes(read)
    with (mirror / "nces-cip2020" / cip.CODES).open(encoding="utf-8-sig", newline="") as fh:
        published = [row["CIPCode"].strip('="') for row in csv.DictReader(fh)]
    assert [c.code for c in codes] == published
    assert len(codes) == 2848
    by_code = {c.code: c for c in codes}
    assert by_code["11.0102"].title == "Artificial Intelligence"
    assert by_code["51.2706"].title == "Medical Informatics"


def test_mirror_crosswalk_equals_the_workbook_pairs(mirror: Path) -> None:
    pairs = cip.load_crosswalk(cip.find(mirror, None))
    book = load_workbook(mirror / "nces-cip2020" / cip.CROSSWALK, read_only=True)
    rows = list(book["CIP-SOC"].iter_rows(min_row=2, values_only=True))
    book.close()
    published = {(str(r[0]), str(r[2])) for r in rows if r[0] and r[2] != "99-9999"}
    assert set(pairs) == published
    assert ("11.0102", "15-2051") in pairs


def test_both_layouts_give_the_same_row_types(mirror: Path, downloads: Path) -> None:
    official_codes = cip.load_codes(read_of(downloads))
    mirror_codes = cip.load_codes(cip.find(mirror, None))
    assert type(official_codes[0]) is type(mirror_codes[0]) is cip.CipCode
    official_pair = cip.load_crosswalk(read_of(downloads))[0]
    mirror_pair = cip.load_crosswalk(cip.find(mirror, None))[0]
    assert [type(v) for v in official_pair] == [type(v) for v in mirror_pair] == [str, str]
