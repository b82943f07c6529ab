"""IPEDS HD2024 — the institutional directory (name, place, control, Carnegie, CBSA, web address).

Official release: ``https://nces.ed.gov/ipeds/datacenter/data/HD2024.zip`` → ``hd2024.csv``
(comma-separated, one row per institution, 72 columns; NCES documents Windows-1252 text, recent
files are UTF-8 — both are accepted). Dictionary: ``HD2024_Dict.zip``.

Mirror: ``ipeds-hd2024/hd2024.csv`` — a byte-for-byte copy of the official CSV, so both layouts
share one parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceError, SourceInfo, SourceRead, locate, parse_number, read_csv_rows

INFO = SourceInfo(
    id="ipeds-hd2024",
    title="IPEDS Institutional Characteristics: Directory information (HD2024)",
    publisher="U.S. Department of Education, National Center for Education Statistics (IPEDS)",
    vintage="2024-25 (HD2024, Release 1, September 2025)",
    license="Public domain (U.S. federal government data)",
    url="https://nces.ed.gov/ipeds/datacenter/data/HD2024.zip",
    mirror_folder="ipeds-hd2024",
)
FILE = "hd2024.csv"
REQUIRED = (
    "UNITID",
    "INSTNM",
    "CITY",
    "STABBR",
    "WEBADDR",
    "CONTROL",
    "HLOFFER",
    "CBSA",
    "CBSATYPE",
    "OPEID",
    "LATITUDE",
    "LONGITUD",
    "C21BASIC",
    "IALIAS",
    "ZIP",
    "COUNTYNM",
    "CYACTIVE",
)

CONTROL_LABELS = {1: "Public", 2: "Private nonprofit", 3: "Private for-profit"}


@dataclass(frozen=True)
class Institution:
    """One IPEDS institution as HD2024 describes it."""

    unitid: int
    name: str
    alias: str
    city: str
    state: str
    zip: str
    county: str
    website: str
    control: int | None
    hloffer: int | None
    carnegie_basic: int | None
    cbsa: str | None
    cbsa_type: str | None  # "metro" | "micro"
    opeid: str
    opeid6: str
    latitude: float | None
    longitude: float | None
    active: bool


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """Locate HD2024 in the mirror or the downloads (same file name in both layouts)."""
    return locate(INFO, mirror, downloads, mirror_files=[FILE], official_files=[FILE])


def _code(value: str) -> int | None:
    """IPEDS codes: negative values (-1 not reported, -2 not applicable) mean no value."""
    value = value.strip()
    if not value or (value.lstrip("-").isdigit() and int(value) < 0):
        return None
    return int(value) if value.isdigit() else None


def load(read: SourceRead) -> list[Institution]:
    """Parse ``hd2024.csv`` into :class:`Institution` rows (raises SourceError naming the cell)."""
    path = read.root / FILE
    out: list[Institution] = []
    for line, row in read_csv_rows(path, REQUIRED):
        unitid_text = row["UNITID"].strip()
        if not unitid_text.isdigit():
            raise SourceError(path, f"UNITID is not an integer: {unitid_text!r}", line=line, column="UNITID")
        cbsa = row["CBSA"].strip()
        cbsa_type = {"1": "metro", "2": "micro"}.get(row["CBSATYPE"].strip())
        opeid = row["OPEID"].strip()
        out.append(
            Institution(
                unitid=int(unitid_text),
                name=row["INSTNM"].strip(),
                alias=row["IALIAS"].strip(),
                city=row["CITY"].strip(),
                state=row["STABBR"].strip(),
                zip=row["ZIP"].strip(),
                county=row["COUNTYNM"].strip(),
                website=row["WEBADDR"].strip(),
                control=_code(row["CONTROL"]),
                hloffer=_code(row["HLOFFER"]),
                carnegie_basic=_code(row["C21BASIC"]),
                cbsa=cbsa if cbsa and not cbsa.startswith("-") else None,
                cbsa_type=cbsa_type if cbsa and not cbsa.startswith("-") else None,
                opeid=opeid,
                opeid6=opeid[:6] if len(opeid) >= 6 else opeid.zfill(8)[:6],
                latitude=parse_number(row["LATITUDE"], path=path, line=line, column="LATITUDE"),
                longitude=parse_number(row["LONGITUD"], path=path, line=line, column="LONGITUD"),
                active=row["CYACTIVE"].strip() == "1",
            )
        )
    if not out:
        raise SourceError(path, "no institution rows")
    read.record(path, rows=len(out))
    return out
