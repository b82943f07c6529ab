"""O*NET 29.3 (May 2025) — occupations, tasks, skills, knowledge, technology, education, titles.

Official release: ``https://www.onetcenter.org/dl_files/database/db_29_3_text.zip``, unpacked
by ``gradpath data fetch`` to ``db_29_3_text/<Table>.txt`` (tab-separated, header row, UTF-8).
The Excel release (``db_29_3_excel.zip``) has the same tables and columns as ``.xlsx``.

Mirror: ``onet-29.3/<Table>.xlsx`` — 39 of the 43 Excel files of the release, copied byte for
byte (the four missing ones are tables GradPath does not read).

Tables read: Occupation Data, Task Statements, Skills, Knowledge, Technology Skills,
Education Training and Experience (+ its Categories), Alternate Titles, Job Zones.
O*NET is licensed CC BY 4.0: the catalog credits O*NET and USDOL/ETA wherever it is shown.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gradpath.sources.base import SourceError, SourceInfo, SourceMissing, SourceRead, read_csv_rows
from gradpath.sources.xlsx import read_sheet

VERSION = "29.3"
INFO = SourceInfo(
    id="onet-29.3",
    title="O*NET 29.3 Database",
    publisher="National Center for O*NET Development, for the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA)",
    vintage="29.3 (May 2025)",
    license="CC BY 4.0",
    url="https://www.onetcenter.org/database.html",
    attribution="This product includes information from the O*NET 29.3 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is "
    "a trademark of USDOL/ETA. GradPath has modified all or some of this information; USDOL/ETA has not "
    "approved, endorsed, or tested these modifications.",
    mirror_folder="onet-29.3",
)
TEXT_DIR = "db_29_3_text"
TABLES = (
    "Occupation Data",
    "Task Statements",
    "Skills",
    "Knowledge",
    "Technology Skills",
    "Education, Training, and Experience",
    "Education, Training, and Experience Categories",
    "Alternate Titles",
    "Job Zones",
)
ONET_SOC_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


@dataclass
class OnetData:
    occupations: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)
    technologies: list[dict[str, Any]] = field(default_factory=list)
    education: list[dict[str, Any]] = field(default_factory=list)
    titles: list[dict[str, Any]] = field(default_factory=list)


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """The mirror's Excel files first, then the downloaded text release."""
    if mirror is not None:
        root = mirror / INFO.mirror_folder
        if all((root / f"{t}.xlsx").is_file() for t in TABLES):
            return SourceRead(info=INFO, layout="mirror", root=root)
    if downloads is not None:
        root = downloads / INFO.id / TEXT_DIR
        if all((root / f"{t}.txt").is_file() for t in TABLES):
            return SourceRead(info=INFO, layout="official", root=root)
    raise SourceMissing(INFO.id, f"O*NET {VERSION} tables not found (mirror .xlsx or downloaded {TEXT_DIR}/*.txt)")


def _rows(read: SourceRead, table: str, required: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, row) pairs of one O*NET table in either layout."""
    if read.layout == "official":
        path = read.root / f"{table}.txt"
        yield from read_csv_rows(path, required, delimiter="\t", quoting=csv.QUOTE_NONE)
        read.record(path)
        return
    path = read.root / f"{table}.xlsx"
    rows = read_sheet(path, 0)
    if not rows:
        raise SourceError(path, "empty workbook")
    header = [str(h).strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(path, f"header is missing column(s) {', '.join(missing)}", line=1)
    for i, row in enumerate(rows[1:], start=2):
        if not any(v not in ("", None) for v in row):
            continue
        if len(row) < len(header):
            raise SourceError(path, f"expected {len(header)} cells, found {len(row)}", line=i)
        yield i, dict(zip(header, row, strict=False))
    read.record(path, rows=len(rows) - 1)


def _soc(value: Any, path: str, line: int) -> str:
    text = str(value).strip()
    if not ONET_SOC_RE.match(text):
        raise SourceError(path, f"not an O*NET-SOC code: {text!r}", line=line, column="O*NET-SOC Code")
    return text


def _float(value: Any, path: str, line: int, column: str) -> float | None:
    if value in ("", None, "n/a"):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SourceError(path, f"not a number: {value!r}", line=line, column=column) from None


def load(read: SourceRead) -> OnetData:
    """Read the nine tables GradPath uses into plain rows ready for the catalog."""
    data = OnetData()
    src = str(read.root)

    zones: dict[str, int] = {}
    for line, row in _rows(read, "Job Zones", ["O*NET-SOC Code", "Job Zone"]):
        z = _float(row["Job Zone"], f"{src}/Job Zones", line, "Job Zone")
        if z is not None:
            zones[_soc(row["O*NET-SOC Code"], f"{src}/Job Zones", line)] = int(z)

    for line, row in _rows(read, "Occupation Data", ["O*NET-SOC Code", "Title", "Description"]):
        code = _soc(row["O*NET-SOC Code"], f"{src}/Occupation Data", line)
        data.occupations.append(
            {
                "onet_soc": code,
                "soc": code[:7],
                "title": str(row["Title"]).strip(),
                "description": str(row["Description"]).strip(),
                "job_zone": zones.get(code),
            }
        )

    seen_tasks: set[tuple[str, int]] = set()
    for line, row in _rows(read, "Task Statements", ["O*NET-SOC Code", "Task ID", "Task", "Task Type"]):
        code = _soc(row["O*NET-SOC Code"], f"{src}/Task Statements", line)
        tid = _float(row["Task ID"], f"{src}/Task Statements", line, "Task ID")
        if tid is None or (code, int(tid)) in seen_tasks:
            continue
        seen_tasks.add((code, int(tid)))
        data.tasks.append(
            {
                "onet_soc": code,
                "task_id": int(tid),
                "task": str(row["Task"]).strip(),
                "task_type": str(row["Task Type"]).strip() or None,
            }
        )

    for kind, table in (("skill", "Skills"), ("knowledge", "Knowledge")):
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        cols = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "Recommend Suppress"]
        for line, row in _rows(read, table, cols):
            code = _soc(row["O*NET-SOC Code"], f"{src}/{table}", line)
            key = (code, str(row["Element ID"]).strip())
            item = merged.setdefault(
                key,
                {
                    "onet_soc": code,
                    "kind": kind,
                    "element_id": key[1],
                    "name": str(row["Element Name"]).strip(),
                    "importance": None,
                    "level": None,
                },
            )
            # O*NET flags estimates with too little support; they stay unknown rather than shown.
            if str(row["Recommend Suppress"]).strip() == "Y":
                continue
            value = _float(row["Data Value"], f"{src}/{table}", line, "Data Value")
            scale = str(row["Scale ID"]).strip()
            if scale == "IM":
                item["importance"] = value
            elif scale == "LV":
                item["level"] = value
        data.elements.extend(merged.values())

    for line, row in _rows(
        read,
        "Technology Skills",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
    ):
        code = _soc(row["O*NET-SOC Code"], f"{src}/Technology Skills", line)
        commodity = _float(row["Commodity Code"], f"{src}/Technology Skills", line, "Commodity Code")
        data.technologies.append(
            {
                "onet_soc": code,
                "example": str(row["Example"]).strip(),
                "commodity_code": int(commodity) if commodity is not None else None,
                "commodity_title": str(row["Commodity Title"]).strip(),
                "hot": str(row["Hot Technology"]).strip() == "Y",
                "in_demand": str(row["In Demand"]).strip() == "Y",
            }
        )

    labels: dict[int, str] = {}
    for line, row in _rows(
        read, "Education, Training, and Experience Categories", ["Scale ID", "Category", "Category Description"]
    ):
        if str(row["Scale ID"]).strip() == "RL":
            cat = _float(row["Category"], f"{src}/Education Categories", line, "Category")
            if cat is not None:
                labels[int(cat)] = str(row["Category Description"]).strip()
    for line, row in _rows(
        read,
        "Education, Training, and Experience",
        ["O*NET-SOC Code", "Scale ID", "Category", "Data Value", "Recommend Suppress"],
    ):
        if str(row["Scale ID"]).strip() != "RL":
            continue
        code = _soc(row["O*NET-SOC Code"], f"{src}/Education", line)
        cat = _float(row["Category"], f"{src}/Education", line, "Category")
        if cat is None or int(cat) not in labels:
            raise SourceError(
                f"{src}/Education, Training, and Experience",
                f"unknown education category {cat!r}",
                line=line,
                column="Category",
            )
        suppressed = str(row["Recommend Suppress"]).strip() == "Y"
        value = None if suppressed else _float(row["Data Value"], f"{src}/Education", line, "Data Value")
        data.education.append({"onet_soc": code, "category": int(cat), "label": labels[int(cat)], "percent": value})

    for line, row in _rows(read, "Alternate Titles", ["O*NET-SOC Code", "Alternate Title", "Short Title"]):
        code = _soc(row["O*NET-SOC Code"], f"{src}/Alternate Titles", line)
        short = str(row["Short Title"]).strip()
        data.titles.append(
            {"onet_soc": code, "title": str(row["Alternate Title"]).strip(), "short_title": short or None}
        )

    # Row-count ranges (about 1,000 occupations) are the build's validation, which fixture-sized
    # releases skip; an empty table is wrong in any release.
    if not data.occupations:
        raise SourceError(f"{src}/Occupation Data", "no occupations")
    return data
