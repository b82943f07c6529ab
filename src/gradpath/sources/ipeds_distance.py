"""IPEDS distance-education enrollment, 2020–2024 — the share of an institution's students online.

This is an **institution-level** measure (all programs together), never a program's format.

Official release: ``https://nces.ed.gov/ipeds/datacenter/data/EF<YEAR>A_DIST.zip`` →
``ef<year>a_dist.csv`` with UNITID, EFDELEV (student level), EFDETOT (total enrollment),
EFDEEXC (exclusively distance education), EFDESOM (some distance education), EFDENON (none).
GradPath reads the graduate row (EFDELEV 12) when the file has one — the level that matters for
master's programs — and otherwise the all-students row (EFDELEV 1); the scope says which.

Mirror: ``ipeds-distance-ed/distanced.csv`` — a DERIVED custom export from the IPEDS Data Center
(third-party repository): one row per institution with TOTAL_ENROLL_<year>, DE_ENROLL_<year>
(exclusively distance) and SDE_ENROLL_<year> (some distance; the 2024 column is named
SDE_ENROLL_TOTAL), all students, all levels — so its scope is "all students".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceInfo, SourceMissing, SourceRead, parse_number, read_csv_rows

INFO = SourceInfo(
    id="ipeds-distance-ed",
    title="IPEDS Fall Enrollment: distance education status (EF_DIST), 2020–2024",
    publisher="U.S. Department of Education, National Center for Education Statistics (IPEDS)",
    vintage="Fall 2020 to Fall 2024",
    license="Public domain (U.S. federal government data); mirror export MIT-licensed repository",
    url="https://nces.ed.gov/ipeds/datacenter/DataFiles.aspx",
    mirror_folder="ipeds-distance-ed",
)
MIRROR_FILE = "distanced.csv"
YEARS = (2024, 2023, 2022, 2021, 2020)
GRADUATE_LEVEL = "12"
ALL_LEVEL = "1"


@dataclass(frozen=True)
class DistanceShare:
    unitid: int
    year: int
    total: int
    exclusive: int | None
    some: int | None
    scope: str  # "all students" | "graduate students"

    @property
    def exclusive_share(self) -> float | None:
        return None if self.exclusive is None or not self.total else self.exclusive / self.total

    @property
    def some_share(self) -> float | None:
        return None if self.some is None or not self.total else self.some / self.total


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """The mirror's export first, then downloaded EF<year>A_DIST files (any year present)."""
    if mirror is not None and (mirror / INFO.mirror_folder / MIRROR_FILE).is_file():
        return SourceRead(info=INFO, layout="mirror", root=mirror / INFO.mirror_folder)
    if downloads is not None:
        root = downloads / INFO.id
        if any((root / f"ef{y}a_dist.csv").is_file() for y in YEARS):
            return SourceRead(info=INFO, layout="official", root=root)
    raise SourceMissing(INFO.id, "distance-education enrollment not found (mirror distanced.csv or EF<year>A_DIST)")


def load(read: SourceRead) -> list[DistanceShare]:
    """The latest year with data for each institution."""
    return _load_mirror(read) if read.layout == "mirror" else _load_official(read)


def _int(value: str, path: Path, line: int, column: str) -> int | None:
    number = parse_number(value, path=path, line=line, column=column)
    return None if number is None else int(number)


def _load_mirror(read: SourceRead) -> list[DistanceShare]:
    path = read.root / MIRROR_FILE
    cols = {
        y: (f"TOTAL_ENROLL_{y}", f"DE_ENROLL_{y}", "SDE_ENROLL_TOTAL" if y == 2024 else f"SDE_ENROLL_{y}")
        for y in YEARS
    }
    required = ["UnitID", *[c for trio in cols.values() for c in trio]]
    out = []
    n = 0
    for line, row in read_csv_rows(path, required):
        n += 1
        unitid = _int(row["UnitID"], path, line, "UnitID")
        if unitid is None:
            continue
        for year in YEARS:
            total_col, exc_col, some_col = cols[year]
            total = _int(row[total_col], path, line, total_col)
            if not total:
                continue
            out.append(
                DistanceShare(
                    unitid=unitid,
                    year=year,
                    total=total,
                    exclusive=_int(row[exc_col], path, line, exc_col),
                    some=_int(row[some_col], path, line, some_col),
                    scope="all students",
                )
            )
            break
    read.record(path, rows=n)
    return out


def _load_official(read: SourceRead) -> list[DistanceShare]:
    latest: dict[int, DistanceShare] = {}
    for year in YEARS:
        path = read.root / f"ef{year}a_dist.csv"
        if not path.is_file():
            continue
        by_unit: dict[int, dict[str, DistanceShare]] = {}
        n = 0
        for line, row in read_csv_rows(path, ["UNITID", "EFDELEV", "EFDETOT", "EFDEEXC", "EFDESOM"]):
            n += 1
            level = row["EFDELEV"].strip()
            if level not in (GRADUATE_LEVEL, ALL_LEVEL):
                continue
            unitid = _int(row["UNITID"], path, line, "UNITID")
            total = _int(row["EFDETOT"], path, line, "EFDETOT")
            if unitid is None or not total:
                continue
            scope = "graduate students" if level == GRADUATE_LEVEL else "all students"
            by_unit.setdefault(unitid, {})[level] = DistanceShare(
                unitid=unitid,
                year=year,
                total=total,
                exclusive=_int(row["EFDEEXC"], path, line, "EFDEEXC"),
                some=_int(row["EFDESOM"], path, line, "EFDESOM"),
                scope=scope,
            )
        read.record(path, rows=n)
        for unitid, levels in by_unit.items():
            if unitid not in latest:
                latest[unitid] = levels.get(GRADUATE_LEVEL) or levels[ALL_LEVEL]
    return list(latest.values())
