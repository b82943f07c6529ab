"""BLS Employment Projections 2024–34, Table 1.2 — growth, openings and entry education by occupation.

Official release: ``https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx`` (BLS may answer
403 to scripts; ``gradpath data fetch`` then says how to download it in a browser). Sheet
"Table 1.2": a title on row 1, the header on row 2, data from row 3; "Line item" rows are
detailed occupations, "Summary" rows are groups. Employment and openings are in thousands; a
top-coded median wage reads ``>=$239,200``; "—" marks data BLS does not publish.

Mirror: ``bls-ep-2024-34/occupation.xlsx`` — the complete official workbook, so both layouts
share one parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceError, SourceInfo, SourceRead, locate, parse_number
from gradpath.sources.xlsx import read_sheet

INFO = SourceInfo(
    id="bls-ep-2024-34",
    title="Employment Projections 2024–34, Table 1.2: Occupational projections and worker characteristics",
    publisher="U.S. Bureau of Labor Statistics, Employment Projections program",
    vintage="2024–34 projections (released 2025)",
    license="Public domain (U.S. federal government data)",
    url="https://www.bls.gov/emp/tables/occupational-projections-and-characteristics.htm",
    attribution="Source: Employment Projections program, U.S. Bureau of Labor Statistics.",
    mirror_folder="bls-ep-2024-34",
)
FILE = "occupation.xlsx"
SHEET = "Table 1.2"
PERIOD = "2024-2034"

COLUMNS = {
    "title": "2024 National Employment Matrix title",
    "code": "2024 National Employment Matrix code",
    "type": "Occupation type",
    "emp_2024": "Employment, 2024",
    "emp_2034": "Employment, 2034",
    "change_numeric": "Employment change, numeric, 2024–34",
    "change_percent": "Employment change, percent, 2024–34",
    "self_employed": "Percent self employed, 2024",
    "openings": "Occupational openings, 2024–34 annual average",
    "median_wage": "Median annual wage, dollars, 2024",
    "education": "Typical education needed for entry",
    "experience": "Work experience in a related occupation",
    "training": "Typical on-the-job training needed to attain competency in the occupation",
}
MISSING = {"—", "–", "-", ""}
SOC_RE = re.compile(r"^\d{2}-\d{4}$")
TOP_CODED_RE = re.compile(r"^>=\s*\$?([\d,]+)$")


@dataclass(frozen=True)
class Projection:
    soc: str
    title: str
    occupation_type: str
    employment_2024_k: float | None
    employment_2034_k: float | None
    change_numeric_k: float | None
    change_percent: float | None
    self_employed_percent: float | None
    openings_annual_k: float | None
    median_wage_2024: float | None
    median_wage_2024_note: str | None
    entry_education: str | None
    work_experience: str | None
    job_training: str | None


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """Locate the workbook (same file name in both layouts)."""
    return locate(INFO, mirror, downloads, mirror_files=[FILE], official_files=[FILE])


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return None if text in MISSING else text


def load(read: SourceRead) -> list[Projection]:
    """Parse Table 1.2 into :class:`Projection` rows, one per occupation code."""
    path = read.root / FILE
    rows = read_sheet(path, SHEET)
    header_idx = next((i for i, r in enumerate(rows[:10]) if r and str(r[0]).strip() == COLUMNS["title"]), None)
    if header_idx is None:
        raise SourceError(path, f"sheet {SHEET!r}: header row with {COLUMNS['title']!r} not found in rows 1-10")
    header = [re.sub(r"\[\d+\]$", "", str(h).strip()) for h in rows[header_idx]]
    index: dict[str, int] = {}
    for key, name in COLUMNS.items():
        if name not in header:
            raise SourceError(path, f"sheet {SHEET!r}: column {name!r} is missing", line=header_idx + 1, column=name)
        index[key] = header.index(name)

    out: list[Projection] = []
    for i, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        code = str(row[index["code"]]).strip() if len(row) > index["code"] else ""
        if not SOC_RE.match(code):
            continue  # notes and source lines below the table
        if len(row) < len(header):
            raise SourceError(path, f"sheet {SHEET!r}: row has {len(row)} cells, expected {len(header)}", line=i)

        def num(key: str, row: list[object] = row, i: int = i) -> float | None:
            value = row[index[key]]
            if isinstance(value, str) and value.strip() in MISSING:
                return None
            return parse_number(value, path=f"{path} [{SHEET}]", line=i, column=COLUMNS[key])

        wage_cell = row[index["median_wage"]]
        wage_note = None
        if isinstance(wage_cell, str) and TOP_CODED_RE.match(wage_cell.strip()):
            wage, wage_note = None, wage_cell.strip()
        else:
            wage = num("median_wage")
        out.append(
            Projection(
                soc=code,
                title=str(row[index["title"]]).strip(),
                occupation_type=str(row[index["type"]]).strip(),
                employment_2024_k=num("emp_2024"),
                employment_2034_k=num("emp_2034"),
                change_numeric_k=num("change_numeric"),
                change_percent=num("change_percent"),
                self_employed_percent=num("self_employed"),
                openings_annual_k=num("openings"),
                median_wage_2024=wage,
                median_wage_2024_note=wage_note,
                entry_education=_text(row[index["education"]]),
                work_experience=_text(row[index["experience"]]),
                job_training=_text(row[index["training"]]),
            )
        )
    if not any(p.soc == "00-0000" for p in out):
        raise SourceError(path, f"sheet {SHEET!r}: the 'Total, all occupations' row (00-0000) is missing")
    read.record(path, rows=len(out))
    return out
