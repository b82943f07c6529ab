"""What every source loader shares: the source record, file reading with checksums, and errors.

A loader reads one publisher's data set in one of two layouts:

* ``official`` — the publisher's own release as ``gradpath data fetch`` stores it under
  ``<data_dir>/<source id>/`` (file names exactly as the publisher ships them);
* ``mirror`` — the folder of the same name in a local mirror laid out like ``shared/data``
  (some mirror files are derived subsets or other formats; each loader says which).

Both layouts produce the same typed rows, and every file read is recorded (path, sha256, bytes)
so the catalog's source ledger can say exactly what a build read.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Layout = Literal["mirror", "official", "curated"]


class SourceError(Exception):
    """A source file is missing or malformed. Names the file, and the row and column when known."""

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.line = line
        self.column = column
        self.message = message
        where = self.file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


class SourceMissing(SourceError):
    """Neither the mirror nor the downloads hold this source."""


@dataclass(frozen=True)
class SourceInfo:
    """Who publishes a data set and under which terms; one per source module."""

    id: str
    title: str
    publisher: str
    vintage: str
    license: str
    url: str
    attribution: str = ""
    mirror_folder: str = ""
    notes: str = ""


@dataclass
class FileRead:
    """One file a build read, for the ledger."""

    path: Path
    sha256: str
    bytes: int
    rows: int | None = None


@dataclass
class SourceRead:
    """The outcome of locating a source: which layout, from where, and the files read."""

    info: SourceInfo
    layout: Layout
    root: Path
    files: list[FileRead] = field(default_factory=list)

    def record(self, path: Path, rows: int | None = None) -> FileRead:
        """Checksum a file and add it to the ledger (once per path)."""
        for existing in self.files:
            if existing.path == path:
                if rows is not None:
                    existing.rows = rows
                return existing
        digest, size = sha256_file(path)
        read = FileRead(path=path, sha256=digest, bytes=size, rows=rows)
        self.files.append(read)
        return read


def sha256_file(path: Path, chunk: int = 1 << 20) -> tuple[str, int]:
    """sha256 hex digest and size of a file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def locate(
    info: SourceInfo,
    mirror: Path | None,
    downloads: Path | None,
    *,
    mirror_files: Sequence[str],
    official_files: Sequence[str],
) -> SourceRead:
    """Find a source: the mirror first (when it has every file), then the official downloads."""
    if mirror is not None:
        root = mirror / (info.mirror_folder or info.id)
        if all((root / name).exists() for name in mirror_files):
            return SourceRead(info=info, layout="mirror", root=root)
    if downloads is not None:
        root = downloads / info.id
        if all((root / name).exists() for name in official_files):
            return SourceRead(info=info, layout="official", root=root)
    looked = []
    if mirror is not None:
        looked.append(f"mirror {mirror / (info.mirror_folder or info.id)} (needs {', '.join(mirror_files)})")
    if downloads is not None:
        looked.append(f"downloads {downloads / info.id} (needs {', '.join(official_files)})")
    raise SourceMissing(
        info.id,
        "not found in "
        + "; ".join(looked or ["any configured location"])
        + ". Set GRADPATH_DATA_MIRROR to a mirror, or run `gradpath data fetch`.",
    )


def decode_text(path: Path, *, delimiter: str = ",") -> str:
    """Text of a publisher's CSV: UTF-8 (with or without BOM), else Windows-1252 as NCES documents.

    Bytes that are neither (a damaged download) raise :class:`SourceError` naming the line and the
    column (by the header) where they sit.
    """
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252", errors="strict")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("cp1252", errors="replace")], delimiter=delimiter))
        before = raw[line_start : exc.start].decode("cp1252", errors="replace")
        index = len(next(csv.reader([before], delimiter=delimiter), [""])) - 1 if before else 0
        column = header[index].strip() if line > 1 and index < len(header) else None
        raise SourceError(
            path, f"byte 0x{raw[exc.start]:02x} is neither UTF-8 nor Windows-1252 text", line=line, column=column
        ) from None


def read_csv_rows(
    path: Path,
    required: Sequence[str],
    *,
    delimiter: str = ",",
    text: str | None = None,
    strip_header: bool = False,
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a delimited file, checking the header and row widths.

    A wrong header or a short (truncated) row raises :class:`SourceError` naming the line.
    """
    body = decode_text(path, delimiter=delimiter) if text is None else text
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, quoting=quoting)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(path, "file is empty (no header row)") from None
    if strip_header:
        header = [h.strip() for h in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise SourceError(
            path,
            f"header is missing column(s) {', '.join(missing)}; found {', '.join(header[:12])}",
            line=1,
            column=missing[0],
        )
    width = len(header)
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            # Short: the first column without a value; long: the first field beyond the header.
            column = header[len(row)] if len(row) < width else f"field {width + 1} (no such column)"
            raise SourceError(
                path,
                f"expected {width} fields, found {len(row)} (truncated or malformed row)",
                line=line,
                column=column,
            )
        yield line, dict(zip(header, row, strict=True))


def parse_number(
    value: object, *, path: Path | str, line: int | None, column: str, allow_blank: bool = True
) -> float | None:
    """A number from a cell; blank → None; anything else non-numeric is an error naming the cell."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return None if value != value else float(value)  # NaN → None
    text = str(value).strip().replace(",", "")
    if text == "":
        if allow_blank:
            return None
        raise SourceError(path, "empty value where a number is required", line=line, column=column)
    try:
        return float(text)
    except ValueError:
        raise SourceError(path, f"not a number: {str(value)[:40]!r}", line=line, column=column) from None
