"""IPEDS distance education: official EF<year>A_DIST fixtures and the mirror's derived export."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from tests.official_fixtures import assert_names_cell, line_number, official_tree, replace_in, truncate_last_line

from gradpath.sources import ipeds_distance as dist
from gradpath.sources.base import SourceError

D = dist.DistanceShare


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("distance-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return official_tree(tmp_path / "downloads")


def load(root: Path) -> dict[int, dist.DistanceShare]:
    return {d.unitid: d for d in dist.load(dist.find(None, root))}


def path_of(root: Path, year: int = 2024) -> Path:
    return root / "ipeds-distance-ed" / f"ef{year}a_dist.csv"


# --- official layout ---------------------------------------------------------------------------------------------


def test_graduate_row_is_preferred_over_all_students(downloads: Path) -> None:
    assert dist.find(None, downloads).layout == "official"
    shares = load(downloads)
    assert shares[990101] == D(unitid=990101, year=2024, total=2200, exclusive=700, some=600, scope="graduate students")
    assert shares[990101].exclusive_share == pytest.approx(700 / 2200)


def test_all_students_row_is_used_when_there_is_no_graduate_row(downloads: Path) -> None:
    shares = load(downloads)
    assert shares[990102] == D(unitid=990102, year=2024, total=1800, exclusive=90, some=300, scope="all students")
    # A graduate row with no students says nothing; the all-students row stands in.
    assert shares[990104] == D(unitid=990104, year=2024, total=4000, exclusive=4000, some=0, scope="all students")
    assert shares[990104].some_share == 0.0


def test_the_latest_year_with_data_wins(downloads: Path) -> None:
    shares = load(downloads)
    assert shares[990101].year == 2024  # 2023 also lists it
    assert shares[990103] == D(unitid=990103, year=2023, total=650, exclusive=20, some=110, scope="all students")
    assert len(shares) == 4


def test_each_year_file_read_is_recorded(downloads: Path) -> None:
    read = dist.find(None, downloads)
    dist.load(read)
    assert {f.path.name: (f.sha256, f.rows) for f in read.files} == {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), len(p.read_text().splitlines()) - 1)
        for p in (path_of(downloads, 2024), path_of(downloads, 2023))
    }


# --- broken files ------------------------------------------------------------------------------------------------


def test_truncated_row_names_line_and_first_missing_column(copy: Path) -> None:
    line = truncate_last_line(path_of(copy), 3)
    with pytest.raises(SourceError, match="truncated") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line, "EFDETOT")


def test_wrong_header_names_the_missing_column(copy: Path) -> None:
    replace_in(path_of(copy, 2023), ",EFDESOM,", ",EFDESOME,")
    with pytest.raises(SourceError) as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy, 2023), 1, "EFDESOM")


def test_non_numeric_enrolment_names_line_and_column(copy: Path) -> None:
    replace_in(path_of(copy), "990102,1,R,1800,", "990102,1,R,1.8k,")
    with pytest.raises(SourceError, match="not a number") as err:
        load(copy)
    assert_names_cell(err.value, path_of(copy), line_number(path_of(copy), "1.8k"), "EFDETOT")


def test_garbage_bytes_name_line_and_column(copy: Path) -> None:
    path = path_of(copy)
    line = line_number(path, "990104,1,")
    path.write_bytes(path.read_bytes().replace(b"990104,1,R,4000,R,4000", b"990104,1,R,4000,R,4\x9d000", 1))
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        load(copy)
    assert_names_cell(err.value, path, line, "EFDEEXC")


# --- the mirror --------------------------------------------------------------------------------------------------


def test_mirror_export_gives_the_latest_year_with_enrolment(mirror: Path) -> None:
    read = dist.find(mirror, None)
    assert read.layout == "mirror"
    shares = {d.unitid: d for d in dist.load(read)}
    with (mirror / "ipeds-distance-ed" / dist.MIRROR_FILE).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected: dict[int, tuple[int, int]] = {}
    for row in rows:
        for year in dist.YEARS:
            total = row[f"TOTAL_ENROLL_{year}"]
            if total and float(total):
                expected[int(row["UnitID"])] = (year, int(float(total)))
                break
    assert {u: (d.year, d.total) for u, d in shares.items()} == expected
    assert {d.scope for d in shares.values()} == {"all students"}
    assert read.files[0].rows == len(rows)


def test_mirror_spot_row_equals_the_csv(mirror: Path) -> None:
    shares = {d.unitid: d for d in dist.load(dist.find(mirror, None))}
    with (mirror / "ipeds-distance-ed" / dist.MIRROR_FILE).open(encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["UnitID"] == "100663")
    uab = shares[100663]
    assert (uab.year, uab.total, uab.exclusive, uab.some) == (
        2024,
        int(row["TOTAL_ENROLL_2024"]),
        int(row["DE_ENROLL_2024"]),
        int(row["SDE_ENROLL_TOTAL"]),
    )


def test_both_layouts_give_the_same_row_type(mirror: Path, downloads: Path) -> None:
    official = dist.load(dist.find(None, downloads))
    mirrored = dist.load(dist.find(mirror, None))
    assert type(official[0]) is type(mirrored[0]) is dist.DistanceShare
