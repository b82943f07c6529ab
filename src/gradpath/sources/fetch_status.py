"""The ``gradpath data status`` report: per source, what the mirror and the downloads hold.

For every source in the registry: is it in the mirror, is it complete in the downloads
(recorded in ``<downloads>/<source id>/FETCHED.json``), which copy a build would read, its
vintage, and how much a machine without the mirror has to download.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gradpath.sources.base import SourceError
from gradpath.sources.registry import OewsRoute, Source

if TYPE_CHECKING:
    from gradpath.sources.fetch import FetchedFile


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
    # The registry and the ledger reader are looked up on gradpath.sources.fetch at call time, as
    # fetch_sources does: that module re-exports this one, so importing it here at the top would be
    # a cycle, and a registry patched there (as the tests do) reaches both commands.
    from gradpath.sources import fetch

    known = dict(sources) if sources is not None else fetch.registry(oews_from)
    every_route = [fetch.registry("pypi"), fetch.registry("bls")]  # downloads by either OEWS route count
    rows: list[SourceStatus] = []
    for source in known.values():
        module, loader = _load_loader(source.module)
        folder = downloads / source.id
        ledger = fetch.read_ledger(folder)
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
