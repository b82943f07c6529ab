"""NCES Classification of Instructional Programs (CIP) 2020 and the CIP 2020 → SOC 2018 crosswalk.

Official release:
* ``https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv`` — 2-, 4- and 6-digit rows mixed;
  codes are Excel-quoted (``="11.0102"``); columns CIPFamily, CIPCode, Action, TextChange,
  CIPTitle, CIPDefinition, CrossReferences, Examples.
* ``https://nces.ed.gov/ipeds/cipcode/Files/CIP2020_SOC2018_Crosswalk.xlsx`` — sheet "CIP-SOC"
  with CIP2020Code, CIP2020Title, SOC2018Code, SOC2018Title; ``99-9999`` marks "no match".

Mirror: ``nces-cip2020/`` holds both official files byte for byte (plus a CSV export of the
CIP-SOC sheet, which GradPath does not need), so both layouts share one parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceError, SourceInfo, SourceRead, locate, read_csv_rows
from gradpath.sources.xlsx import read_sheet

INFO = SourceInfo(
    id="nces-cip2020",
    title="Classification of Instructional Programs (CIP) 2020 and CIP 2020–SOC 2018 crosswalk",
    publisher="U.S. Department of Education, National Center for Education Statistics; U.S. Bureau of Labor "
    "Statistics (crosswalk)",
    vintage="CIP 2020 (crosswalk 2020)",
    license="Public domain (U.S. federal government data)",
    url="https://nces.ed.gov/ipeds/cipcode/",
    mirror_folder="nces-cip2020",
)
CODES = "CIPCode2020.csv"
CROSSWALK = "CIP2020_SOC2018_Crosswalk.xlsx"
CIP_RE = re.compile(r"^\d{2}(\.\d{2}(\d{2})?)?$")
SOC_RE = re.compile(r"^\d{2}-\d{4}$")
NO_MATCH = "99-9999"


@dataclass(frozen=True)
class CipCode:
    code: str
    family: str  # the 4-digit family ("11.01"), or the 2-digit series for 2-digit rows
    level: int
    title: str
    definition: str
    action: str


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """Locate the code list and the crosswalk workbook (same names in both layouts)."""
    return locate(INFO, mirror, downloads, mirror_files=[CODES, CROSSWALK], official_files=[CODES, CROSSWALK])


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    return value.strip()


def load_codes(read: SourceRead) -> list[CipCode]:
    """Every CIP 2020 code with its title and definition."""
    path = read.root / CODES
    out = []
    for line, row in read_csv_rows(path, ["CIPCode", "CIPTitle", "CIPDefinition", "Action"]):
        code = _unquote(row["CIPCode"])
        if not CIP_RE.match(code):
            raise SourceError(path, f"not a CIP code: {code!r}", line=line, column="CIPCode")
        level = 2 if len(code) == 2 else 4 if len(code) == 5 else 6
        out.append(
            CipCode(
                code=code,
                family=code[:5],
                level=level,
                title=row["CIPTitle"].strip().rstrip("."),
                definition=row["CIPDefinition"].strip(),
                action=row["Action"].strip(),
            )
        )
    # The range (about 2,800 codes) is checked by the build's validation, which fixture-sized releases skip.
    if not out:
        raise SourceError(path, "no CIP codes")
    read.record(path, rows=len(out))
    return out


def load_crosswalk(read: SourceRead) -> list[tuple[str, str]]:
    """(CIP 6-digit, SOC) pairs of the crosswalk, without the "no match" rows."""
    path = read.root / CROSSWALK
    rows = read_sheet(path, "CIP-SOC")
    expected = ["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"]
    found = [str(c).strip() for c in rows[0][:4]] if rows else []
    if found != expected:
        wrong = next(name for i, name in enumerate(expected) if i >= len(found) or found[i] != name)
        raise SourceError(
            path,
            "sheet 'CIP-SOC': unexpected header; expected CIP2020Code, CIP2020Title, SOC2018Code, SOC2018Title",
            line=1,
            column=wrong,
        )
    pairs: set[tuple[str, str]] = set()
    for i, row in enumerate(rows[1:], start=2):
        if not row or all(v in ("", None) for v in row):
            continue
        cip, soc = str(row[0]).strip(), str(row[2]).strip()
        if not CIP_RE.match(cip):
            raise SourceError(path, f"sheet 'CIP-SOC': not a CIP code {cip!r}", line=i, column="CIP2020Code")
        if soc == NO_MATCH:
            continue
        if not SOC_RE.match(soc):
            raise SourceError(path, f"sheet 'CIP-SOC': not a SOC code {soc!r}", line=i, column="SOC2018Code")
        pairs.add((cip, soc))
    read.record(path, rows=len(pairs))
    return sorted(pairs)
