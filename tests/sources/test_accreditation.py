"""Institutional accreditors: the official Scorecard institution CSV (fixture) and the mirror's extracts."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from tests.official_fixtures import assert_names_cell, line_number, official_tree, replace_in, truncate_last_line

from gradpath.sources import accreditation as acc
from gradpath.sources.base import SourceError


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("accreditation-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return official_tree(tmp_path / "downloads")


def path_of(root: Path) -> Path:
    return root / "accreditation" / acc.SCORECARD_FILE


def load(root: Path) -> acc.AccreditationData:
    return acc.load(acc.find(None, root))


# --- official layout ---------------------------------------------------------------------------------------------


def test_official_file_maps_unitid_to_accreditor_with_the_release_vintage(downloads: Path) -> None:
    read = acc.find(None, downloads)
    assert read.layout == "official" and read.info is acc.OFFICIAL_INFO
    data = acc.load(read)
    assert data.by_unitid[990101] == acc.Accreditor(
        unitid=990101, opeid6="099901", name="Fixture Commission on Higher Education", vintage=acc.OFFICIAL_INFO.vintage
    )
    assert data.by_unitid[990104].name == "Fixture Council for Distance Education, Inc."
    assert data.by_opeid6_2018 == {} and data.programmatic == []


def test_null_accreditor_is_absent_not_an_empty_name(downloads: Path) -> None:
    data = load(downloads)
    assert sorted(data.by_unitid) == [990101, 990102, 990104, 990199]
    assert 990103 not in data.by_unitid


def test_the_file_is_recorded_with_sha256_and_rows(downloads: Path) -> None:
    read = acc.find(None, downloads)
    acc.load(read)
    path = path_of(downloads)
    assert [(f.path, f.sha256, f.rows) for f in read.files] == [
        (path, hashlib.sha256(path.read_bytes()).hexdigest(), 5)
    ]


# --- broken files ------------------------------------------------------------------------------------------------


def test_truncated_row_names_line_and_first_missing_column(copy: Path) -> None:
    line = truncate_last_line(path_of(copy), 7)
    with pytest.raises(SourceError, match="truncated") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line, "ACCREDAGENCY")


def test_wrong_header_names_the_missing_column(copy: Path) -> None:
    replace_in(path_of(copy), ",ACCREDAGENCY,", ",ACCREDITOR,")
    with pytest.raises(SourceError) as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), 1, "ACCREDAGENCY")


def test_non_integer_unitid_names_line_and_column(copy: Path) -> None:
    replace_in(path_of(copy), "990104,", "99-0104,")
    with pytest.raises(SourceError, match="UNITID is not an integer") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line_number(path_of(copy), "99-0104"), "UNITID")


def test_garbage_bytes_name_line_and_column(copy: Path) -> None:
    path = path_of(copy)
    line = line_number(path, "990102,")
    path.write_bytes(path.read_bytes().replace(b",Providence,RI,", b",Provi\x81dence,RI,", 1))
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        load(copy)
    assert_names_cell(err.value, path, line, "CITY")


# --- the mirror --------------------------------------------------------------------------------------------------


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def mirror_data(mirror: Path) -> acc.AccreditationData:
    read = acc.find(mirror, None)
    assert read.layout == "mirror" and read.info is acc.INFO
    return acc.load(read)


def test_mirror_primary_extract_gives_every_named_accreditor(mirror: Path, mirror_data: acc.AccreditationData) -> None:
    rows = rows_of(mirror / "accreditation" / acc.MIRROR_2022)
    named = {int(r["UNITID"]): r for r in rows if r["ACCREDAGENCY"].strip() not in ("", "NULL")}
    assert set(mirror_data.by_unitid) == set(named)
    first = mirror_data.by_unitid[100654]
    assert (first.name, first.opeid6, first.vintage) == (named[100654]["ACCREDAGENCY"], "001002", acc.VINTAGE_2022)


def test_mirror_2018_fallback_is_keyed_by_opeid6(mirror: Path, mirror_data: acc.AccreditationData) -> None:
    rows = rows_of(mirror / "accreditation" / acc.MIRROR_2018)
    assert len(mirror_data.by_opeid6_2018) == len({r["OPEID6"] for r in rows if r["ACCREDITOR_NAME"].strip()})
    fallback = mirror_data.by_opeid6_2018["001002"]
    assert fallback.unitid is None and fallback.vintage == acc.VINTAGE_2018


def test_mirror_programmatic_statements_keep_applicants_unaccredited(
    mirror: Path, mirror_data: acc.AccreditationData
) -> None:
    rows = rows_of(mirror / "accreditation" / acc.MIRROR_PROGRAMMATIC)
    assert len(mirror_data.programmatic) == len(rows) == 17
    for statement, row in zip(mirror_data.programmatic, rows, strict=True):
        assert statement.source_url == row["source_url"]
        assert statement.accredited is ("applicant" not in row["status_as_stated"].lower())


def test_both_layouts_give_the_same_row_type(downloads: Path, mirror_data: acc.AccreditationData) -> None:
    official = load(downloads)
    assert type(official.by_unitid[990101]) is type(mirror_data.by_unitid[100654]) is acc.Accreditor
