"""Reviewed program facts in the catalog: what accepting a fact writes, and what a rebuild re-applies.

Accepting a fact in the review queue (:func:`gradpath.review.accept_fact`) writes it into the live
catalog at once through the functions here; a rebuild starts from scratch, so the build step
:func:`apply_reviewed_facts` copies every accepted fact from the local store into ``program_fact``
again, after the curated facts. Both go through :func:`write_catalog_fact`, so one rule decides: a
reviewed fact replaces a curated one only when its as-of date is newer. The step also recreates the
programs the queue made (pages that are no curated program) and records the queue in the source
ledger with a digest of what it applied; a fact whose program is gone is skipped with a warning.

The build reads the local store through its own short-lived connection: the build's connection runs
without a journal (its file is thrown away on failure), so it must never write the local store, and
holding a read lock there for the whole build would block reviewers.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.build.context import BuildContext
from gradpath.local_schema import ensure_local_store, extraction, local_store_engine, proposed_fact, reviewed_program
from gradpath.review import REVIEW_SOURCE_ID, ReviewError

REVIEW_SOURCE: dict[str, str] = {
    "id": REVIEW_SOURCE_ID,
    "title": "Program facts accepted in this instance's review queue",
    "publisher": "Reviewers of this GradPath instance",
    "vintage": "each fact's as-of date (the day its page was read)",
    "license": "Facts as stated on each program page; quotes stay in this instance's database",
    "attribution": "Each fact names its page URL and as-of date.",
    "url": "https://github.com/gradpath/gradpath/blob/main/docs/review.md",
    "layout": "local",
    "notes": "Extracted by GradPath's rule-based extractor and accepted by a reviewer; kept in the local store.",
}
_OFFERING_ID = re.compile(r"^\d{6}-\d{2}\.\d{4}$")


# --- the build step -------------------------------------------------------------------------------


def apply_reviewed_facts(ctx: BuildContext) -> None:
    """Copy accepted facts (and the programs the review queue created) into the catalog being built."""
    ctx.reporter.stage("Reviewed program facts")
    programs, accepted = _read_local(ctx)
    conn = ctx.conn
    p, po, o = schema.program, schema.program_offering, schema.offering
    slug_by_url = {r.url: r.slug for r in conn.execute(select(p.c.url, p.c.slug))}
    offerings = set(conn.execute(select(o.c.id)).scalars())
    programs_added = 0
    for rp in programs:
        if rp.url in slug_by_url:
            continue  # the team has since curated this page: its facts attach to the curated program
        conn.execute(insert(p).values(**program_row(rp)))
        slug_by_url[rp.url] = rp.slug
        programs_added += 1
        for offering_id in (i for i in rp.offering_ids.split(",") if i):
            if offering_id in offerings:
                conn.execute(insert(po).values(slug=rp.slug, offering_id=offering_id, source_id=REVIEW_SOURCE_ID))
            else:
                ctx.warn(f"reviewed program {rp.slug}: offering {offering_id} is no longer in IPEDS; left unlinked")

    applied: list[dict[str, Any]] = []
    kept = 0
    for r in accepted:
        slug = slug_by_url.get(r.url)
        if slug is None:
            ctx.warn(f"accepted fact {r.id} ({r.field}): no program has the page {r.url} any more; not applied")
            continue
        fact = {"slug": slug, "field": r.field, "value_json": r.value_json, "source_url": r.url,
                "as_of": r.as_of, "evidence": r.evidence, "reviewer_note": r.reviewer_note}  # fmt: skip
        written, _ = write_catalog_fact(conn, fact)
        if written:
            applied.append(fact)
        else:
            kept += 1
    ctx.count("programs_reviewed", programs_added)
    ctx.count("program_facts_reviewed", len(applied))
    if kept:
        ctx.warn(f"{kept} accepted facts are not newer than the curated fact of their program and field: kept curated")
    if applied or programs_added:
        _record_source(ctx, applied)


def _read_local(ctx: BuildContext) -> tuple[list[Any], list[Any]]:
    """Reviewed programs and accepted facts (oldest decision first), read in one short transaction."""
    engine = local_store_engine(ctx.settings)
    try:
        ensure_local_store(engine, ctx.settings)
        f, e = proposed_fact, extraction
        with engine.connect() as local:
            programs = local.execute(select(reviewed_program).order_by(reviewed_program.c.slug)).all()
            accepted = local.execute(
                select(f.c.id, f.c.url, f.c.field, f.c.value_json, f.c.evidence, f.c.reviewer_note, e.c.as_of)
                .select_from(f.join(e, e.c.id == f.c.extraction_id))
                .where(f.c.status == "accepted")
                .order_by(f.c.reviewed_at, f.c.id)
            ).all()
    finally:
        engine.dispose()
    return list(programs), list(accepted)


def _record_source(ctx: BuildContext, applied: list[dict[str, Any]]) -> None:
    """The ledger row of the review queue, with a digest of the facts applied (the queue is no file)."""
    lines = sorted(json.dumps({k: v for k, v in fact.items() if k != "evidence"}, sort_keys=True) for fact in applied)
    blob = "\n".join(lines).encode("utf-8")
    ctx.conn.execute(insert(schema.source).values(**REVIEW_SOURCE))
    ctx.conn.execute(
        insert(schema.source_file).values(
            source_id=REVIEW_SOURCE_ID,
            path="local store: accepted program facts",
            sha256=hashlib.sha256(blob).hexdigest(),
            bytes=len(blob),
            rows=len(applied),
        )
    )


# --- writing one accepted fact ----------------------------------------------------------------------


def write_catalog_fact(conn: Connection, fact: dict[str, Any]) -> tuple[bool, str]:
    """Upsert one reviewed fact into ``program_fact`` unless a curated fact is as new or newer.

    Returns (written, reason).
    """
    pf = schema.program_fact
    key = (pf.c.slug == fact["slug"], pf.c.field == fact["field"])
    existing = conn.execute(select(pf.c.origin, pf.c.as_of).where(*key)).first()
    if existing is not None and existing.origin == "curated" and existing.as_of >= fact["as_of"]:
        return False, f"the curated fact (as of {existing.as_of}) is not older than this one (as of {fact['as_of']})"
    conn.execute(delete(pf).where(*key))
    conn.execute(insert(pf).values(**fact, origin="review", source_id=REVIEW_SOURCE_ID))
    replaced = f"replaced the {existing.origin} fact as of {existing.as_of}" if existing is not None else "new fact"
    return True, replaced


def record_accepted(conn: Connection, fact: dict[str, Any], now: str) -> tuple[bool, str]:
    """Write an accepted fact into the live catalog, with the ledger row and a change stamp."""
    written, reason = write_catalog_fact(conn, fact)
    if written:
        s, m = schema.source, schema.meta
        if conn.execute(select(s.c.id).where(s.c.id == REVIEW_SOURCE_ID)).first() is None:
            conn.execute(insert(s).values(**REVIEW_SOURCE))
        # Caches of program facts (search facets) can key on this to notice accepted facts between builds.
        conn.execute(delete(m).where(m.c.key == "program_facts_changed_at"))
        conn.execute(insert(m).values(key="program_facts_changed_at", value=now))
    return written, reason


# --- programs made by the review queue ------------------------------------------------------------


@dataclass(frozen=True)
class PageLink:
    """Where a page that is no curated program sits in IPEDS."""

    unitid: int
    institution: str  # the IPEDS name, for pages whose own name the extractor did not find
    cip4: str
    offering_ids: tuple[str, ...]
    method: str  # reviewer | host
    reason: str


def program_row(rp: Any) -> dict[str, Any]:
    """The catalog ``program`` row of a reviewed program (a local ``reviewed_program`` row)."""
    return {
        "slug": rp.slug,
        "url": rp.url,
        "institution": rp.institution,
        "program_name": rp.program_name,
        "degree": rp.degree,
        "cip4": rp.cip4,
        "country": "US",  # every reviewed program is linked to an IPEDS institution, and IPEDS is U.S.-only
        "reviewed": rp.created_at[:10],
        "catalog_year": None,
        "note": None,
        "unitid": rp.unitid,
        "link_method": rp.link_method,
        "link_score": 100.0,
        "link_flags": "",
        "link_reason": rp.link_reason,
        "source_id": REVIEW_SOURCE_ID,
    }


def ensure_catalog_program(conn: Connection, slug: str) -> None:
    """Make sure the live catalog has the program row (and offering links) of a reviewed program."""
    p, po, o = schema.program, schema.program_offering, schema.offering
    if conn.execute(select(p.c.slug).where(p.c.slug == slug)).first() is not None:
        return
    rp = conn.execute(select(reviewed_program).where(reviewed_program.c.slug == slug)).first()
    if rp is None:
        raise ReviewError("program", f"program {slug!r} is neither in the catalog nor a reviewed program")
    conn.execute(insert(p).values(**program_row(rp)))
    ids = [i for i in rp.offering_ids.split(",") if i]
    known = set(conn.execute(select(o.c.id).where(o.c.id.in_(ids))).scalars()) if ids else set()
    for offering_id in ids:
        if offering_id in known:
            conn.execute(insert(po).values(slug=slug, offering_id=offering_id, source_id=REVIEW_SOURCE_ID))


def link_page(conn: Connection, url: str, offering: str | None) -> PageLink:
    """The IPEDS offering of a new program: the reviewer's, else the only current offering of the one
    institution whose web address is the page's host. Raises ReviewError naming ``offering``."""
    o, i = schema.offering, schema.institution
    if offering:
        offering = offering.strip()
        if not _OFFERING_ID.match(offering):
            raise ReviewError("offering", f"{offering!r} is not an offering id like 166683-11.0102 (UNITID-CIP6)")
        found = conn.execute(
            select(o.c.unitid, o.c.cip4, i.c.name).join(i, i.c.unitid == o.c.unitid).where(o.c.id == offering)
        ).first()
        if found is None:
            raise ReviewError("offering", f"no offering {offering} in the catalog")
        return PageLink(found.unitid, found.name, found.cip4, (offering,), "reviewer", "chosen by the reviewer")
    from gradpath.sources.curated_programs import host_suffixes, normalise_host

    by_host: dict[str, set[int]] = {}
    for r in conn.execute(select(i.c.unitid, i.c.website).where(i.c.website != "")):
        by_host.setdefault(normalise_host(r.website), set()).add(r.unitid)
    suffixes = host_suffixes(urlsplit(url).hostname or "")
    unitids = next((by_host[s] for s in suffixes if s in by_host), set())
    if len(unitids) != 1:
        why = "matches no IPEDS institution" if not unitids else "is shared by several IPEDS institutions"
        raise ReviewError("offering", f"the page's host {why}: give the offering (UNITID-CIP6) it belongs to")
    unitid = next(iter(unitids))
    rows = conn.execute(
        select(o.c.id, o.c.cip4, o.c.cip_title, i.c.name)
        .join(i, i.c.unitid == o.c.unitid)
        .where(o.c.unitid == unitid, o.c.current.is_(True))
        .order_by(o.c.id)
    ).all()
    if len(rows) != 1:
        raise ReviewError(
            "offering",
            f"the page's institution (UNITID {unitid}) has {len(rows)} current offerings: give the one it belongs to",
            [f"{r.id} {r.cip_title}" for r in rows],
        )
    only = rows[0]
    reason = "page host is the institution's IPEDS web address; its only current offering"
    return PageLink(unitid, only.name, only.cip4, (only.id,), "host", reason)


def new_slug(conn: Connection, text: str) -> str:
    """A program slug from a name, unique among catalog and reviewed programs."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-") or "program"
    slug, n = base, 1
    while (
        conn.execute(select(schema.program.c.slug).where(schema.program.c.slug == slug)).first() is not None
        or conn.execute(select(reviewed_program.c.slug).where(reviewed_program.c.slug == slug)).first() is not None
    ):
        n += 1
        slug = f"{base}-{n}"
    return slug
