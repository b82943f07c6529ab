"""IPEDS HD2024: a Windows-1252 fixture in the official layout, and the mirror's copy."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from tests.official_fixtures import assert_names_cell, line_number, official_tree, replace_in, truncate_last_line

from gradpath.sources import ipeds_hd
from gradpath.sources.base import SourceError


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("hd-official"))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return official_tree(tmp_path / "downloads")


def load(downloads: Path) -> dict[int, ipeds_hd.Institution]:
    return {i.unitid: i for i in ipeds_hd.load(ipeds_hd.find(None, downloads))}


def hd_path(root: Path) -> Path:
    return root / "ipeds-hd2024" / ipeds_hd.FILE


# --- official layout ---------------------------------------------------------------------------------------------


def test_windows_1252_file_decodes_non_ascii_names(downloads: Path) -> None:
    raw = hd_path(downloads).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is cp1252
    institutions = load(downloads)
    assert institutions[990102].name == "Escuela Médica del Atlántico (fixture)"
    assert institutions[990102].alias == "EMA|Atlántico Medical School"


def test_official_rows_are_typed_with_codes_cbsa_and_opeid6(downloads: Path) -> None:
    institutions = load(downloads)
    assert sorted(institutions) == [990101, 990102, 990103, 990104]
    assert institutions[990101] == ipeds_hd.Institution(
        unitid=990101,
        name="Harborview Institute of Technology (fixture)",
        alias="HIT",
        city="Boston",
        state="MA",
        zip="02110-0001",
        county="Suffolk County",
        website="www.harborview-tech.example/",
        control=2,
        hloffer=9,
        carnegie_basic=16,
        cbsa="14460",
        cbsa_type="metro",
        opeid="09990100",
        opeid6="099901",
        latitude=42.356789,
        longitude=-71.051234,
        active=True,
    )
    assert (institutions[990103].cbsa, institutions[990103].cbsa_type) == ("24640", "micro")


def test_not_applicable_codes_and_blank_coordinates_are_unknown(downloads: Path) -> None:
    lakeshore = load(downloads)[990104]
    assert lakeshore.cbsa is None and lakeshore.cbsa_type is None  # CBSA -2: outside any CBSA
    assert lakeshore.latitude is None and lakeshore.longitude is None


def test_a_utf8_copy_with_bom_gives_the_same_rows(downloads: Path, tmp_path: Path) -> None:
    utf8 = tmp_path / "ipeds-hd2024" / ipeds_hd.FILE
    utf8.parent.mkdir(parents=True)
    utf8.write_bytes(hd_path(downloads).read_bytes().decode("cp1252").encode("utf-8-sig"))
    assert load(tmp_path) == load(downloads)


def test_the_file_is_recorded_with_sha256_and_rows(downloads: Path) -> None:
    read = ipeds_hd.find(None, downloads)
    ipeds_hd.load(read)
    path = hd_path(downloads)
    assert [(f.path, f.sha256, f.rows) for f in read.files] == [
        (path, hashlib.sha256(path.read_bytes()).hexdigest(), 4)
    ]


# --- broken files ------------------------------------------------------------------------------------------------


def test_truncated_row_names_line_and_first_missing_column(copy: Path) -> None:
    path = hd_path(copy)
    line = truncate_last_line(path, 30, encoding="cp1252")
    with pytest.raises(SourceError, match="truncated") as err:
        load(copy)
    assert_names_cell(err.value, path, line, "HDEGOFR1")  # the 31st column


def test_wrong_header_names_the_missing_column(copy: Path) -> None:
    replace_in(hd_path(copy), ",CBSATYPE,", ",CBSA_TYPE,", encoding="cp1252")
    with pytest.raises(SourceError) as err:
        load(copy)
    assert_names_cell(err.value, hd_path(copy), 1, "CBSATYPE")


def test_non_numeric_latitude_names_line_and_column(copy: Path) -> None:
    path = hd_path(copy)
    replace_in(path, "42.356789", "42.35N", encoding="cp1252")
    with pytest.raises(SourceError, match="not a number") as err:
        load(copy)
    assert_names_cell(err.value, path, line_number(path, "990101", encoding="cp1252"), "LATITUDE")


def test_non_integer_unitid_names_line_and_column(copy: Path) -> None:
    path = hd_path(copy)
    replace_in(path, "990103,", "99O103,", encoding="cp1252")
    with pytest.raises(SourceError, match="UNITID") as err:
        load(copy)
    assert_names_cell(err.value, path, 4, "UNITID")


def test_bytes_that_are_neither_utf8_nor_cp1252_name_line_and_column(copy: Path) -> None:
    path = hd_path(copy)
    body = path.read_bytes()
    path.write_bytes(body.replace(b",Greenfield,", b",Green\x81field,", 1))
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        load(copy)
    assert_names_cell(err.value, path, 4, "CITY")


# --- the mirror --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mirror_rows(mirror: Path) -> dict[str, dict[str, str]]:
    with (mirror / "ipeds-hd2024" / ipeds_hd.FILE).open(encoding="utf-8-sig", newline="") as fh:
        return {row["UNITID"]: row for row in csv.DictReader(fh)}


def test_mirror_has_every_institution_of_the_csv(mirror: Path, mirror_rows: dict[str, dict[str, str]]) -> None:
    read = ipeds_hd.find(mirror, None)
    assert read.layout == "mirror"
    institutions = ipeds_hd.load(read)
    assert len(institutions) == len(mirror_rows) == 6072
    assert {str(i.unitid) for i in institutions} == set(mirror_rows)


def test_mirror_spot_values_equal_the_csv(mirror: Path, mirror_rows: dict[str, dict[str, str]]) -> None:
    institutions = {i.unitid: i for i in ipeds_hd.load(ipeds_hd.find(mirror, None))}
    for unitid in ("100663", "166027"):  # Birmingham, AL; a Boston-metro university
        row, inst = mirror_rows[unitid], institutions[int(unitid)]
        assert (inst.name, inst.city, inst.state, inst.website) == (
            row["INSTNM"],
            row["CITY"],
            row["STABBR"],
            row["WEBADDR"],
        )
        assert inst.cbsa == row["CBSA"] and inst.cbsa_type == {"1": "metro", "2": "micro"}[row["CBSATYPE"]]
        assert inst.latitude == float(row["LATITUDE"]) and inst.control == int(row["CONTROL"])
        assert inst.opeid6 == row["OPEID"][:6]
    assert institutions[166027].cbsa == "14460"


def test_both_layouts_give_the_same_row_type(mirror: Path, downloads: Path) -> None:
    official = ipeds_hd.load(ipeds_hd.find(None, downloads))
    mirrored = ipeds_hd.load(ipeds_hd.find(mirror, None))
    assert type(official[0]) is type(mirrored[0]) is ipeds_hd.Institution
