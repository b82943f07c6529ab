"""IPEDS Completions C2020_A … C2024_A — awards by institution × 6-digit CIP × award level.

Official release: ``https://nces.ed.gov/ipeds/datacenter/data/C<YEAR>_A.zip`` → ``c<year>_a.csv``
(a revised ``c<year>_a_rv.csv`` is preferred by the fetcher and stored under the plain name).
Columns used: UNITID, CIPCODE, MAJORNUM, AWLEVEL, CTOTALT; CIPCODE ``99`` is the institution total;
AWLEVEL 7 is the master's degree. Only first majors (MAJORNUM = 1) are read, as in the mirror.

Mirror: ``ipeds-completions-2020-2024/c<year>_a.parquet`` — a DERIVED subset of the official CSV:
seven columns (UNITID, CIPCODE, MAJORNUM, AWLEVEL, CTOTALT/M/W), first majors only, CIPCODE
stripped. Nothing else was filtered, so the master's rows equal the official file's.

The award year is named by the year it ends: C2024_A covers July 2023–June 2024 → 2024.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceError, SourceInfo, SourceMissing, SourceRead, read_csv_rows

INFO = SourceInfo(
    id="ipeds-completions-2020-2024",
    title="IPEDS Completions by 6-digit CIP and award level (C2020_A–C2024_A)",
    publisher="U.S. Department of Education, National Center for Education Statistics (IPEDS)",
    vintage="Award years 2019-20 to 2023-24",
    license="Public domain (U.S. federal government data)",
    url="https://nces.ed.gov/ipeds/datacenter/DataFiles.aspx",
    mirror_folder="ipeds-completions-2020-2024",
)
YEARS = (2020, 2021, 2022, 2023, 2024)
MASTERS = 7
CIP_RE = re.compile(r"^(\d{1,2})\.(\d{1,4})$")


@dataclass(frozen=True)
class Completion:
    year: int
    unitid: int
    cip: str  # "51.2706"
    awards: int


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """The mirror's parquet files first, then the downloaded CSVs; every year must be present."""
    if mirror is not None:
        root = mirror / INFO.mirror_folder
        if all((root / f"c{y}_a.parquet").is_file() for y in YEARS):
            return SourceRead(info=INFO, layout="mirror", root=root)
    if downloads is not None:
        root = downloads / INFO.id
        if all((root / f"c{y}_a.csv").is_file() for y in YEARS):
            return SourceRead(info=INFO, layout="official", root=root)
    raise SourceMissing(INFO.id, "completions C2020_A–C2024_A not found (mirror parquet or downloaded CSV)")


def normalise_cip(raw: str) -> str | None:
    """'51.2706', '1.0101' or '51.27' → a zero-padded 6-digit code; totals and junk → None."""
    m = CIP_RE.match(raw.strip())
    if not m:
        return None
    return f"{int(m.group(1)):02d}.{m.group(2).ljust(4, '0')}"


def load(read: SourceRead, families: list[str]) -> list[Completion]:
    """Master's awards (first majors) in the given 4-digit CIP families, for every year."""
    fams = set(families)
    out: list[Completion] = []
    for year in YEARS:
        if read.layout == "mirror":
            out.extend(_load_parquet(read, read.root / f"c{year}_a.parquet", year, fams))
        else:
            out.extend(_load_csv(read, read.root / f"c{year}_a.csv", year, fams))
    return out


def _load_parquet(read: SourceRead, path: Path, year: int, fams: set[str]) -> list[Completion]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=["UNITID", "CIPCODE", "MAJORNUM", "AWLEVEL", "CTOTALT"])
    except Exception as exc:  # pyarrow raises several types for damaged or foreign files
        raise SourceError(path, f"not a readable completions parquet file: {exc}") from None
    cols = table.to_pydict()
    out = []
    for i, (unitid, cip, major, level, total) in enumerate(
        zip(cols["UNITID"], cols["CIPCODE"], cols["MAJORNUM"], cols["AWLEVEL"], cols["CTOTALT"], strict=True)
    ):
        if level != MASTERS or major != 1:
            continue
        code = normalise_cip(str(cip))
        if code is None or code[:5] not in fams:
            continue
        if unitid is None or total is None:
            raise SourceError(
                path,
                "UNITID or CTOTALT is empty in a master's row",
                line=i + 1,
                column="UNITID" if unitid is None else "CTOTALT",
            )
        out.append(Completion(year=year, unitid=int(unitid), cip=code, awards=int(total)))
    read.record(path, rows=table.num_rows)
    return out


def _load_csv(read: SourceRead, path: Path, year: int, fams: set[str]) -> list[Completion]:
    out = []
    n = 0
    for line, row in read_csv_rows(path, ["UNITID", "CIPCODE", "MAJORNUM", "AWLEVEL", "CTOTALT"]):
        n += 1
        if row["AWLEVEL"].strip() != str(MASTERS) or row["MAJORNUM"].strip() != "1":
            continue
        code = normalise_cip(row["CIPCODE"])
        if code is None or code[:5] not in fams:
            continue
        for col in ("UNITID", "CTOTALT"):
            if not row[col].strip().isdigit():
                raise SourceError(path, f"not a whole number: {row[col]!r}", line=line, column=col)
        out.append(Completion(year=year, unitid=int(row["UNITID"]), cip=code, awards=int(row["CTOTALT"])))
    read.record(path, rows=n)
    return out
