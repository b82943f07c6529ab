"""O*NET 29.3: the text release (official fixtures) and the mirror's Excel files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from python_calamine import CalamineWorkbook
from tests.official_fixtures import CURATED, assert_names_cell, line_number, official_tree, replace_in

from gradpath.sources import onet
from gradpath.sources.base import SourceError, SourceRead

DS = "15-2051.00"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_tree(tmp_path_factory.mktemp("onet-official"))


@pytest.fixture(scope="module")
def loaded(downloads: Path) -> tuple[SourceRead, onet.OnetData]:
    read = onet.find(None, downloads)
    return read, onet.load(read)


@pytest.fixture
def text_dir(tmp_path: Path) -> Path:
    """A private copy of the text release, for tests that break a table."""
    return official_tree(tmp_path / "downloads") / "onet-29.3" / onet.TEXT_DIR


def load_copy(text_dir: Path) -> onet.OnetData:
    return onet.load(onet.find(None, text_dir.parents[1]))


# --- the official text release -----------------------------------------------------------------------------------


def test_text_release_is_the_official_layout(downloads: Path, loaded: tuple[SourceRead, onet.OnetData]) -> None:
    read, _ = loaded
    assert read.layout == "official"
    assert read.root == downloads / "onet-29.3" / onet.TEXT_DIR


def test_occupations_carry_the_soc_and_their_job_zone(loaded: tuple[SourceRead, onet.OnetData]) -> None:
    _, data = loaded
    by_code = {o["onet_soc"]: o for o in data.occupations}
    assert len(by_code) == 14
    assert by_code[DS]["soc"] == "15-2051" and by_code[DS]["title"] == "Data Scientists"
    assert by_code[DS]["job_zone"] == 4
    assert by_code["11-3021.00"]["job_zone"] is None  # no Job Zones row: unknown, not 0


def test_every_task_roles_yaml_cites_is_read_with_its_onet_soc(loaded: tuple[SourceRead, onet.OnetData]) -> None:
    _, data = loaded
    cited = {t for role in yaml.safe_load((CURATED / "roles.yaml").read_text())["roles"] for t in role["onet_tasks"]}
    tasks = {t["task_id"]: t for t in data.tasks}
    assert cited <= set(tasks)
    assert tasks[21836]["onet_soc"] == DS and tasks[21836]["task_type"] == "Supplemental"
    assert all(isinstance(t["task_id"], int) for t in data.tasks)


def test_skills_merge_importance_and_level_and_drop_suppressed_estimates(
    loaded: tuple[SourceRead, onet.OnetData],
) -> None:
    _, data = loaded
    elements = {(e["onet_soc"], e["kind"], e["element_id"]): e for e in data.elements}
    math = elements[(DS, "skill", "2.A.1.e")]
    assert (math["importance"], math["level"]) == (4.25, 5.12)
    programming = elements[(DS, "skill", "2.B.3.e")]
    assert (programming["importance"], programming["level"]) == (4.0, None)  # level row: Recommend Suppress = Y
    assert elements[(DS, "knowledge", "2.C.4.a")]["level"] == 5.4
    assert len(data.elements) == 5


def test_technology_education_and_titles_are_typed(loaded: tuple[SourceRead, onet.OnetData]) -> None:
    _, data = loaded
    python = next(t for t in data.technologies if t["example"] == "Python")
    assert python == {
        "onet_soc": DS,
        "example": "Python",
        "commodity_code": 43232405,
        "commodity_title": "Object or component oriented development software",
        "hot": True,
        "in_demand": True,
    }
    education = {(e["onet_soc"], e["category"]): e for e in data.education}
    assert len(education) == 4  # the RW (work experience) row is not education
    assert education[(DS, 8)] == {"onet_soc": DS, "category": 8, "label": "Master's Degree", "percent": 45.2}
    assert education[(DS, 11)]["percent"] is None  # suppressed
    titles = {t["title"]: t for t in data.titles}
    assert titles["Fixture Machine Learning Scientist"]["short_title"] == "ML Scientist"
    assert titles["Fixture Data Science Lead"]["short_title"] is None


def test_every_table_read_is_recorded_with_its_sha256(
    downloads: Path, loaded: tuple[SourceRead, onet.OnetData]
) -> None:
    read, _ = loaded
    recorded = {f.path.name: f.sha256 for f in read.files}
    assert set(recorded) == {f"{t}.txt" for t in onet.TABLES}
    for name, digest in recorded.items():
        assert digest == hashlib.sha256((downloads / "onet-29.3" / onet.TEXT_DIR / name).read_bytes()).hexdigest()


# --- broken tables -----------------------------------------------------------------------------------------------


def test_truncated_task_row_names_file_line_and_missing_column(text_dir: Path) -> None:
    path = text_dir / "Task Statements.txt"
    lines = path.read_text().splitlines()
    lines[-1] = "\t".join(lines[-1].split("\t")[:3])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError, match="truncated") as err:
        load_copy(text_dir)
    assert_names_cell(err.value, path, len(lines), "Task")


def test_wrong_skills_header_names_the_missing_column(text_dir: Path) -> None:
    path = text_dir / "Skills.txt"
    replace_in(path, "\tData Value\t", "\tValue\t")
    with pytest.raises(SourceError) as err:
        load_copy(text_dir)
    assert_names_cell(err.value, path, 1, "Data Value")


def test_non_numeric_task_id_names_the_line_and_column(text_dir: Path) -> None:
    path = text_dir / "Task Statements.txt"
    line = line_number(path, "\t21837\t")
    replace_in(path, "\t21837\t", "\tT21837\t")
    with pytest.raises(SourceError, match="not a number") as err:
        load_copy(text_dir)
    assert_names_cell(err.value, str(text_dir / "Task Statements"), line, "Task ID")


def test_malformed_onet_soc_code_names_the_line_and_column(text_dir: Path) -> None:
    path = text_dir / "Alternate Titles.txt"
    line = line_number(path, "Fixture Tumor Registrar")
    replace_in(
        path,
        "29-9021.00\tHealth Information Technologists and Medical Registrars\tFixture Tumor",
        "29-9021\tHealth Information Technologists and Medical Registrars\tFixture Tumor",
    )
    with pytest.raises(SourceError, match="not an O\\*NET-SOC code") as err:
        load_copy(text_dir)
    assert_names_cell(err.value, str(text_dir / "Alternate Titles"), line, "O*NET-SOC Code")


def test_unknown_education_category_names_the_line_and_column(text_dir: Path) -> None:
    path = text_dir / "Education, Training, and Experience.txt"
    line = line_number(path, "\t51.00\t")
    replace_in(path, "\t5\t51.00\t", "\t13\t51.00\t")
    with pytest.raises(SourceError, match="unknown education category") as err:
        load_copy(text_dir)
    assert_names_cell(err.value, str(text_dir / "Education, Training, and Experience"), line, "Category")


def test_garbage_bytes_name_the_line_and_column(text_dir: Path) -> None:
    path = text_dir / "Occupation Data.txt"
    line = line_number(path, "15-2051.01")
    body = path.read_bytes()
    path.write_bytes(
        body.replace(b"15-2051.01\tBusiness Intelligence", b"15-2051.01\tBusiness \x81\x8d Intelligence", 1)
    )
    with pytest.raises(SourceError, match="neither UTF-8 nor Windows-1252") as err:
        load_copy(text_dir)
    assert_names_cell(err.value, path, line, "Title")


def test_an_empty_occupation_table_is_refused(text_dir: Path) -> None:
    path = text_dir / "Occupation Data.txt"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(SourceError, match="no occupations"):
        load_copy(text_dir)


# --- the mirror --------------------------------------------------------------------------------------------------


def sheet(mirror: Path, table: str) -> list[list[Any]]:
    """A mirror table read straight from its workbook (not through the loader)."""
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(str(mirror / "onet-29.3" / f"{table}.xlsx")).get_sheet_by_index(0).to_python()
    )
    return rows


@pytest.fixture(scope="module")
def mirror_loaded(mirror: Path) -> tuple[SourceRead, onet.OnetData]:
    read = onet.find(mirror, None)
    return read, onet.load(read)


def test_mirror_layout_reads_the_excel_files(mirror: Path, mirror_loaded: tuple[SourceRead, onet.OnetData]) -> None:
    read, _ = mirror_loaded
    assert read.layout == "mirror"
    assert {f.path.name for f in read.files} == {f"{t}.xlsx" for t in onet.TABLES}


def test_mirror_counts_equal_the_workbooks(mirror: Path, mirror_loaded: tuple[SourceRead, onet.OnetData]) -> None:
    _, data = mirror_loaded
    occupations = sheet(mirror, "Occupation Data")
    assert len(data.occupations) == len(occupations) - 1 == 1016
    tasks = sheet(mirror, "Task Statements")
    header = tasks[0]
    pairs = {(r[header.index("O*NET-SOC Code")], int(r[header.index("Task ID")])) for r in tasks[1:]}
    assert len(data.tasks) == len(pairs)
    titles = sheet(mirror, "Alternate Titles")
    assert len(data.titles) == len(titles) - 1


def test_mirror_spot_values_equal_the_workbooks(mirror: Path, mirror_loaded: tuple[SourceRead, onet.OnetData]) -> None:
    _, data = mirror_loaded
    zones = {r[0]: int(r[2]) for r in sheet(mirror, "Job Zones")[1:]}
    occupation = next(o for o in data.occupations if o["onet_soc"] == DS)
    assert occupation["job_zone"] == zones[DS]
    task_rows = sheet(mirror, "Task Statements")
    published = next(r for r in task_rows[1:] if int(r[2]) == 21837)
    task = next(t for t in data.tasks if t["task_id"] == 21837)
    assert (task["onet_soc"], task["task"], task["task_type"]) == (published[0], published[3], published[4] or None)
    bi = "15-2051.01"  # 15-2051.00 has no skill ratings in 29.3
    skills = [r for r in sheet(mirror, "Skills")[1:] if r[0] == bi and r[2] == "2.A.1.e" and r[11] != "Y"]
    element = next(e for e in data.elements if (e["onet_soc"], e["element_id"]) == (bi, "2.A.1.e"))
    assert element["importance"] == next(r[6] for r in skills if r[4] == "IM")
    assert element["level"] == next(r[6] for r in skills if r[4] == "LV")


def test_both_layouts_give_the_same_row_shapes(
    loaded: tuple[SourceRead, onet.OnetData], mirror_loaded: tuple[SourceRead, onet.OnetData]
) -> None:
    _, official = loaded
    _, mirror_data = mirror_loaded
    for name in ("occupations", "tasks", "elements", "technologies", "education", "titles"):
        official_row, mirror_row = getattr(official, name)[0], getattr(mirror_data, name)[0]
        assert set(official_row) == set(mirror_row), name
        for key in official_row:
            types = {type(official_row[key]), type(mirror_row[key])} - {type(None)}
            assert len(types) <= 1, (name, key, types)
