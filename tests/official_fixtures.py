"""The official-layout fixture release set, ready to load: the text files under
``tests/fixtures/official`` plus the two Excel workbooks, written here at test time (no binary files
in the repository). Every value is invented; see ``tests/fixtures/official/README.md``.

Also: settings for a catalog built from the fixtures, and small helpers to break a copied file.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from gradpath.config import Settings

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "official"
CURATED = REPO / "data" / "curated"

# --- BLS Employment Projections, Table 1.2 (occupation.xlsx) ------------------------------------------

EP_TITLE = "Table 1.2 Occupational projections, 2024–2034, and worker characteristics, 2024 (Employment in thousands)"
EP_HEADER = [
    "2024 National Employment Matrix title",
    "2024 National Employment Matrix code",
    "Occupation type",
    "Employment, 2024",
    "Employment, 2034",
    "Employment distribution, percent, 2024",
    "Employment distribution, percent, 2034",
    "Employment change, numeric, 2024–34",
    "Employment change, percent, 2024–34",
    "Percent self employed, 2024",
    "Occupational openings, 2024–34 annual average",
    "Median annual wage, dollars, 2024[1]",
    "Typical education needed for entry",
    "Work experience in a related occupation",
    "Typical on-the-job training needed to attain competency in the occupation",
    "Related Occupational Outlook Handbook (OOH) content xlsx",
]
DASH = "—"


def _ep_row(title: str, code: str, kind: str, numbers: tuple[float, ...], wage: float | str, *text: str) -> list[Any]:
    """One Table 1.2 row: employment 2024/2034 (thousands), distribution 2024/2034, change (thousands, %),
    percent self-employed, openings (thousands); then the median wage and the four text columns."""
    return [title, code, kind, *numbers, wage, *text]


EP_ROWS: list[list[Any]] = [
    _ep_row("Total, all occupations", "00-0000", "Summary",
            (170000.0, 175500.0, 100.0, 100.0, 5500.0, 3.2, 6.0, 18900.0), 49800.0, DASH, DASH, DASH, DASH),
    _ep_row("  Computer and mathematical occupations", "15-0000", "Summary",
            (5400.0, 6000.0, 3.2, 3.4, 600.0, 11.1, 4.0, 420.0), 105000.0, DASH, DASH, DASH, DASH),
    _ep_row("      Data scientists", "15-2051", "Line item",
            (240.0, 314.9, 0.1, 0.2, 74.9, 31.2, 2.0, 22.6), 112000.0,
            "Bachelor's degree", "None", "None", "OOH Content"),
    _ep_row("  Arts, design, entertainment, sports, and media occupations", "27-0000", "Summary",
            (2700.0, 2780.0, 1.6, 1.6, 80.0, 3.0, 20.0, 290.0), 56000.0, DASH, DASH, DASH, DASH),
    _ep_row("      Musicians and singers", "27-2042", "Line item",
            (170.0, 171.5, 0.1, 0.1, 1.5, 0.9, 40.0, 21.3), DASH,
            "No formal educational credential", "None", "Long-term on-the-job training", "OOH Content"),
    _ep_row("  Healthcare practitioners and technical occupations", "29-0000", "Summary",
            (10300.0, 11000.0, 6.1, 6.3, 700.0, 6.8, 4.0, 590.0), 86000.0, DASH, DASH, DASH, DASH),
    _ep_row("      Registered nurses", "29-1141", "Line item",
            (3400.0, 3560.0, 2.0, 2.0, 160.0, 4.7, 0.6, 190.0), 93000.0,
            "Bachelor's degree", "None", "None", "OOH Content"),
    _ep_row("      Family medicine physicians", "29-1215", "Line item",
            (110.0, 114.0, 0.1, 0.1, 4.0, 3.6, 8.0, 3.5), ">=$239,200",
            "Doctoral or professional degree", "None", "Internship/residency", "OOH Content"),
    _ep_row("      Health information technologists and medical registrars", "29-9021", "Line item",
            (40.0, 46.0, 0.0, 0.0, 6.0, 15.0, 1.0, 3.9), 67000.0,
            "Postsecondary nondegree award", "None", "None", DASH),
]  # fmt: skip
EP_FOOTER = [
    "Footnotes:",
    "[1] Fixture footnote: wages in this workbook are invented for tests.",
    'Note: a "—" marks a value the fixture leaves unpublished.',
    "Source: GradPath test fixture in the layout of the Employment Projections workbook.",
]


def write_ep_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]] = EP_ROWS,
    *,
    sheet: str = "Table 1.2",
    header: Sequence[str] = EP_HEADER,
) -> Path:
    """An EP ``occupation.xlsx``: an index sheet, Table 1.1, then ``sheet`` with title, header, rows, notes."""
    book = Workbook()
    index = book.active
    assert index is not None
    index.title = "Index"
    index.append(["Fixture workbook: tables of the Employment Projections layout"])
    book.create_sheet("Table 1.1").append(["Table 1.1 fixture: not read by GradPath"])
    ws = book.create_sheet(sheet)
    ws.append([EP_TITLE])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    ws.append([])
    for note in EP_FOOTER:
        ws.append([note])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# --- NCES CIP 2020 → SOC 2018 crosswalk (CIP2020_SOC2018_Crosswalk.xlsx) ---------------------------------

CROSSWALK_HEADER = ["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"]
CROSSWALK_ROWS: list[list[str]] = [
    ["01.0000", "Agriculture, General.", "99-9999", "NO MATCH"],
    ["11.0101", "Computer and Information Sciences, General.", "15-1211", "Computer Systems Analysts"],
    ["11.0102", "Artificial Intelligence.", "15-1221", "Computer and Information Research Scientists"],
    ["11.0102", "Artificial Intelligence.", "15-2051", "Data Scientists"],
    ["26.1103", "Bioinformatics.", "15-2051", "Data Scientists"],
    ["30.7001", "Data Science, General.", "15-2051", "Data Scientists"],
    ["51.2706", "Medical Informatics.", "15-1211", "Computer Systems Analysts"],
    ["51.2706", "Medical Informatics.", "29-9021", "Health Information Technologists and Medical Registrars"],
]


def write_crosswalk_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]] = CROSSWALK_ROWS,
    *,
    sheet: str = "CIP-SOC",
    header: Sequence[str] = CROSSWALK_HEADER,
) -> Path:
    """The crosswalk workbook: a file guide, ``sheet`` (CIP → SOC) and the SOC → CIP mirror sheet."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = "File Guide"
    guide.append(["File Name", "Description"])
    guide.append(["CIP-SOC", "Fixture: CIP codes to SOC codes."])
    ws = book.create_sheet(sheet)
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    back = book.create_sheet("SOC-CIP")
    back.append(["SOC2018Code", "SOC2018Title", "CIP2020Code", "CIP2020Title"])
    for cip, cip_title, soc, soc_title in sorted(CROSSWALK_ROWS, key=lambda r: r[2]):
        back.append([soc, soc_title, cip, cip_title])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# --- the whole release set ------------------------------------------------------------------------------


def official_tree(dest: Path) -> Path:
    """Copy the fixture release set to ``dest`` and write its workbooks; returns ``dest`` (a downloads dir)."""
    shutil.copytree(FIXTURES, dest, ignore=shutil.ignore_patterns("README.md"), dirs_exist_ok=True)
    write_ep_workbook(dest / "bls-ep-2024-34" / "occupation.xlsx")
    write_crosswalk_workbook(dest / "nces-cip2020" / "CIP2020_SOC2018_Crosswalk.xlsx")
    return dest


def curated_for_fixtures(dest: Path) -> Path:
    """The real ``data/curated`` minus ``program_links.yaml``.

    The link overrides name real UNITIDs (checked to exist in HD2024), which the invented fixture
    directory does not hold; without the file the linker uses its ordinary host and name rules.
    """
    shutil.copytree(CURATED, dest, ignore=shutil.ignore_patterns("program_links.yaml"), dirs_exist_ok=True)
    return dest


def fixture_settings(home: Path, downloads: Path, curated: Path) -> Settings:
    """Settings that build from the official fixtures only (no mirror), in a private home/schema."""
    from tests.conftest import make_settings

    return make_settings(home, data_mirror=None, data_dir=downloads, curated_dir=curated)


def replace_in(path: Path, old: str, new: str, *, encoding: str = "utf-8") -> None:
    """Replace the first ``old`` in a copied fixture file (it must be there: a test must not pass by accident)."""
    text = path.read_bytes().decode(encoding)
    assert old in text, f"{old!r} not in {path}"
    path.write_bytes(text.replace(old, new, 1).encode(encoding))


def truncate_last_line(path: Path, keep_fields: int, *, delimiter: str = ",", encoding: str = "utf-8") -> int:
    """Cut the last data line after ``keep_fields`` fields (a truncated download); returns its line number."""
    lines = path.read_bytes().decode(encoding).splitlines()
    lines[-1] = delimiter.join(lines[-1].split(delimiter)[:keep_fields])
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return len(lines)


def line_number(path: Path, needle: str, *, encoding: str = "utf-8") -> int:
    """1-based number of the first line containing ``needle``."""
    for n, line in enumerate(path.read_bytes().decode(encoding).splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def assert_names_cell(error: BaseException, file: Path | str, line: int | None, column: str | None) -> None:
    """A SourceError's message names the file, the line and the column (and its fields agree)."""
    from gradpath.sources.base import SourceError

    assert isinstance(error, SourceError), f"{type(error).__name__}: {error}"
    message = str(error)
    assert str(file) in message, f"{file} not named in: {message}"
    assert error.line == line, message
    if line is not None:
        assert f"line {line}" in message, message
    assert error.column == column, message
    if column is not None:
        assert repr(column) in message, message
