"""Provenance: which sources the live catalog was built from, and what it holds.

Reads the build's ledger (``source``, ``source_file``, ``meta``) so every page and export can
credit its sources with their vintage and licence.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from gradpath import schema
from gradpath.db import CatalogMissing


def list_sources(conn: Connection) -> list[dict[str, Any]]:
    """Every source with its vintage, licence, attribution and the files read (sha256 each).

    ``sha256`` is the file's digest when a source is one file; for several files it is the digest
    of their ``name  digest`` lines, sorted — the ``files`` list gives each one.
    """
    try:
        sources = conn.execute(select(schema.source).order_by(schema.source.c.id)).all()
        files = conn.execute(select(schema.source_file).order_by(schema.source_file.c.path)).all()
    except (OperationalError, ProgrammingError) as exc:
        raise CatalogMissing("no catalog: run `gradpath build`") from exc
    by_source: dict[str, list[Any]] = {}
    for f in files:
        by_source.setdefault(f.source_id, []).append(f)
    out = []
    for s in sources:
        fs = by_source.get(s.id, [])
        if len(fs) == 1:
            digest = fs[0].sha256
        else:
            lines = "".join(f"{f.path.rsplit('/', 1)[-1]}  {f.sha256}\n" for f in sorted(fs, key=lambda f: f.path))
            digest = hashlib.sha256(lines.encode()).hexdigest()
        out.append(
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "vintage": s.vintage,
                "license": s.license,
                "attribution": s.attribution or None,
                "url": s.url,
                "layout": s.layout,
                "sha256": digest,
                "files": [
                    {"name": f.path.rsplit("/", 1)[-1], "sha256": f.sha256, "bytes": f.bytes, "rows": f.rows}
                    for f in fs
                ],
            }
        )
    return out


def catalog_meta(conn: Connection) -> dict[str, str]:
    """The build's metadata (schema version, build time, families …)."""
    try:
        return {r.key: r.value for r in conn.execute(select(schema.meta))}
    except (OperationalError, ProgrammingError) as exc:
        raise CatalogMissing("no catalog: run `gradpath build`") from exc


def catalog_counts(conn: Connection) -> dict[str, int]:
    """Headline counts for the home page."""
    o = schema.offering
    current = o.c.current.is_(True)
    return {
        "offerings": conn.execute(select(func.count()).select_from(o).where(current)).scalar_one(),
        "institutions": conn.execute(select(func.count(func.distinct(o.c.unitid))).where(current)).scalar_one(),
        "offerings_with_earnings": conn.execute(
            select(func.count()).select_from(o).where(current, o.c.earnings_1yr.is_not(None))
        ).scalar_one(),
        "offerings_past": conn.execute(select(func.count()).select_from(o).where(o.c.current.is_(False))).scalar_one(),
        "occupations": conn.execute(select(func.count()).select_from(schema.occupation)).scalar_one(),
        "areas": conn.execute(select(func.count()).select_from(schema.area)).scalar_one(),
        "sources": conn.execute(select(func.count()).select_from(schema.source)).scalar_one(),
    }
