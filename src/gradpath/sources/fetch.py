"""Downloads of the publishers' official releases: the fetcher and its FETCHED.json ledger.

Every artifact is streamed to ``<name>.part`` (resumed with HTTP Range after an interruption),
hashed while it streams, checked (size, sha256 when the registry pins one, header row or
sheet names, zip members) and only then renamed into place, so a final file is never half
written. Each stored file is recorded in ``<downloads>/<source id>/FETCHED.json``; a later
fetch skips files whose recorded sha256 still matches.

What to download is defined in gradpath.sources.registry and the ``status`` report lives in
gradpath.sources.fetch_status; both are re-exported here, so ``gradpath.sources.fetch`` stays
the one module callers import (and the one tests patch ``registry`` on).
"""

from __future__ import annotations

import hashlib
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
from gradpath.sources.fetch_status import SourceStatus, StatusReport, status
from gradpath.sources.registry import (
    BLS_OE,
    IPEDS,
    IPEDS_YEARS,
    OEWS_WHEEL_URL,
    ONET_VERSION,
    SCORECARD,
    SCORECARD_STAMP,
    Artifact,
    Check,
    Member,
    OewsRoute,
    Source,
    registry,
)

__all__ = [
    "BLS_OE",
    "IPEDS",
    "IPEDS_YEARS",
    "LEDGER",
    "OEWS_WHEEL_URL",
    "ONET_VERSION",
    "SCORECARD",
    "SCORECARD_STAMP",
    "Artifact",
    "Check",
    "ChecksumMismatch",
    "FetchBlocked",
    "FetchError",
    "FetchedFile",
    "Fetcher",
    "Member",
    "OewsRoute",
    "ProgressCallback",
    "ProgressEvent",
    "Source",
    "SourceOutcome",
    "SourceStatus",
    "StatusReport",
    "fetch_sources",
    "read_ledger",
    "registry",
    "status",
]

LEDGER = "FETCHED.json"

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
