"""``gradpath build``: sources → catalog, atomically.

The build locates every source (mirror first, then the official downloads), loads them into a
fresh database, validates the result, records a ledger of every file read (path, sha256, rows,
layout), and only then replaces the live catalog. Any error — a missing file, a malformed row,
a failed check — discards the new database and leaves the previous catalog as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gradpath import schema
from gradpath.build.context import BuildContext, Reporter, SilentReporter
from gradpath.build.target import build_lock, new_target
from gradpath.build.validate import ValidationFailed, validate
from gradpath.config import Settings
from gradpath.db import bulk_insert
from gradpath.sources import (
    accreditation,
    cip,
    ep,
    ipeds_completions,
    ipeds_distance,
    ipeds_hd,
    oews,
    onet,
    scorecard_fos,
)
from gradpath.sources.base import SourceError, SourceMissing, SourceRead

__all__ = ["BuildReport", "SourceError", "ValidationFailed", "build_catalog", "locate_sources"]

SOURCE_MODULES: tuple[Any, ...] = (
    oews,
    ep,
    onet,
    cip,
    ipeds_hd,
    ipeds_completions,
    ipeds_distance,
    scorecard_fos,
    accreditation,
)


@dataclass
class BuildReport:
    """What a build did: where it wrote, which sources and files it read, counts, warnings, time."""

    catalog: str
    seconds: float
    sources: list[SourceRead]
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "catalog": self.catalog,
            "seconds": round(self.seconds, 2),
            "counts": self.counts,
            "warnings": self.warnings,
            "sources": [
                {
                    "id": r.info.id,
                    "layout": r.layout,
                    "root": str(r.root),
                    "files": [
                        {"path": str(f.path), "sha256": f.sha256, "bytes": f.bytes, "rows": f.rows} for f in r.files
                    ],
                }
                for r in self.sources
            ],
        }


def locate_sources(settings: Settings) -> dict[str, SourceRead]:
    """Find every source; one error lists all that are missing."""
    found: dict[str, SourceRead] = {}
    missing: list[str] = []
    for module in SOURCE_MODULES:
        try:
            found[module.INFO.id] = module.find(settings.data_mirror, settings.downloads_dir)
        except SourceMissing as exc:
            missing.append(str(exc))
    if missing:
        raise SourceMissing("sources", "missing data:\n  " + "\n  ".join(missing))
    return found


def build_catalog(
    settings: Settings, reporter: Reporter | None = None, *, expect_full_sources: bool = True
) -> BuildReport:
    """Build the catalog from the sources and swap it in; raise on any error, changing nothing.

    ``expect_full_sources=False`` keeps every integrity check but skips the row-count ranges that
    catch truncated releases — for catalogs built from small fixture releases in tests.
    """
    from gradpath.build.curated import load_curated, load_relevance_tiers
    from gradpath.build.education import load_fields, load_institutions, load_offerings
    from gradpath.build.labor import load_labor
    from gradpath.build.reviewed import apply_reviewed_facts
    from gradpath.build.search_index import build_search_index

    started = time.perf_counter()
    reporter = reporter or SilentReporter()
    with build_lock(settings):
        reads = locate_sources(settings)
        tiers = load_relevance_tiers(settings)
        target = new_target(settings)
        workdir = Path(tempfile.mkdtemp(prefix="gradpath-build-", dir=settings.home))
        try:
            with target.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    # The file is thrown away on failure, so durability during the build buys nothing.
                    conn.exec_driver_sql("PRAGMA journal_mode=OFF")
                    conn.exec_driver_sql("PRAGMA synchronous=OFF")
                schema.metadata.create_all(conn)
                ctx = BuildContext(settings=settings, conn=conn, reporter=reporter, workdir=workdir, reads=reads)
                load_labor(ctx)
                load_fields(ctx)
                load_institutions(ctx)
                load_offerings(ctx, tiers)
                load_curated(ctx)
                apply_reviewed_facts(ctx)
                build_search_index(ctx)
                reporter.stage("Validating")
                validate(ctx, minimal=not expect_full_sources)
                _write_ledger(ctx)
                _write_meta(ctx)
            if target.sqlite_path is not None:
                with target.engine.connect() as conn:
                    conn.exec_driver_sql("ANALYZE")
            else:
                with target.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
            target.publish()
        except BaseException:
            target.discard()
            raise
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return BuildReport(
        catalog=_display_url(settings),
        seconds=time.perf_counter() - started,
        sources=list(reads.values()),
        counts=ctx.counts,
        warnings=ctx.warnings,
    )


def _display_url(settings: Settings) -> str:
    url = settings.catalog_url
    if "@" in url:  # hide credentials
        scheme, rest = url.split("://", 1)
        url = f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def _write_ledger(ctx: BuildContext) -> None:
    rows = []
    files: list[dict[str, Any]] = []
    for read in ctx.reads.values():
        info = read.info
        rows.append(
            {
                "id": info.id,
                "title": info.title,
                "publisher": info.publisher,
                "vintage": info.vintage,
                "license": info.license,
                "attribution": info.attribution,
                "url": info.url,
                "layout": read.layout,
                "notes": info.notes,
            }
        )
        files.extend(
            {"source_id": info.id, "path": str(f.path), "sha256": f.sha256, "bytes": f.bytes, "rows": f.rows}
            for f in read.files
        )
    bulk_insert(ctx.conn, schema.source, rows)
    bulk_insert(ctx.conn, schema.source_file, files)


def _write_meta(ctx: BuildContext) -> None:
    meta = {
        "schema_version": str(schema.CATALOG_SCHEMA_VERSION),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cip_families": ",".join(ctx.settings.cip_families),
        "offerings_dropped_closed": str(ctx.state.get("offerings_dropped_closed", 0)),
        "fos_rows_without_unitid": str(ctx.state.get("fos_rows_without_unitid", 0)),
        "warnings": "\n".join(ctx.warnings),
    }
    bulk_insert(ctx.conn, schema.meta, ({"key": k, "value": v} for k, v in meta.items()))
