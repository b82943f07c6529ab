"""The review queue: extracted page facts wait as ``proposed`` until a reviewer accepts or rejects them.

Flow: :func:`propose` runs the extractor over a page and stores the run (``extraction``) and each
non-null fact with its quote (``proposed_fact``) in the local store; a re-extraction of the same URL
returns a per-field diff and marks the older pending proposals ``superseded``. :func:`accept_fact`
records the decision and writes the fact into the catalog's ``program_fact`` (origin ``review``, with
URL, quote, as-of date and note), creating the program when the page is not a curated one;
:func:`reject_fact` records the decision only. The catalog writes live in :mod:`gradpath.build.reviewed`,
whose build step re-applies accepted facts after every rebuild (the catalog is rebuilt from scratch).

Functions take a connection inside a transaction (``engine.begin()``); :func:`review_engine` opens
the catalog and makes sure the local store exists. Nothing here prints or reads argv.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from gradpath import __version__, schema
from gradpath.config import Settings
from gradpath.local_schema import STATUSES, extraction, proposed_fact, reviewed_program

#: Fields that name the program rather than state a fact about it: kept with the extraction, used
#: to create a program row, never proposed as facts.
IDENTITY_FIELDS = ("institution", "program_name", "degree")
#: The source id of facts and programs the review queue put into the catalog (see gradpath.build.reviewed).
REVIEW_SOURCE_ID = "gradpath-review"
#: Ids are 32-bit INTEGER columns on both databases.
MAX_ID = 2**31 - 1


class ReviewError(ValueError):
    """A request the queue cannot carry out, naming the parameter at fault (and candidates, if any)."""

    def __init__(self, param: str, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.candidates = candidates or []


class FactNotFound(LookupError):
    """No proposed fact has this id."""


class FactConflict(RuntimeError):
    """The fact was decided or superseded already; only pending facts can be decided."""


def review_engine(settings: Settings) -> Engine:
    """The catalog engine with the local store created or upgraded (raises CatalogMissing)."""
    from gradpath.db import open_catalog
    from gradpath.local_schema import ensure_local_store

    engine = open_catalog(settings)
    ensure_local_store(engine, settings)
    return engine


def proposable_fields() -> tuple[str, ...]:
    """The extractor's fields that become proposed facts (all but the identity fields)."""
    from gradpath.extract import FIELD_NAMES

    return tuple(f for f in FIELD_NAMES if f not in IDENTITY_FIELDS)


def extractor_version() -> str:
    """GradPath's version plus a digest of the extractor's rules, so a diff can tell new rules from a new page."""
    folder = Path(__file__).resolve().parent / "extract"
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _empty(value: Any) -> bool:
    return value is None or value == []


# --- propose --------------------------------------------------------------------------------------


def propose(
    conn: Connection,
    url: str,
    text: str,
    *,
    final_url: str | None = None,
    fetched_at: str | None = None,
    as_of: str | None = None,
    now: str | None = None,
) -> dict[str, Any]:
    """Extract ``text`` (the page at ``url``) into proposed facts; return them with a diff against the
    previous extraction of the same URL.

    ``fetched_at`` is set when this instance fetched the page (its date becomes the facts' as-of date);
    for a page file ``as_of`` may name the date the text was read (default: today). An unchanged page
    read by unchanged rules stores nothing and says so (``unchanged_page``).
    """
    from gradpath.extract import extract_text

    url = url.strip()
    if not re.match(r"^https?://\S+$", url):
        raise ReviewError("url", f"{url!r} is not an http(s) URL: a proposed fact must name its page")
    now = now or _now()
    as_of = _as_of(fetched_at, as_of, now)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    version = extractor_version()
    previous = conn.execute(select(extraction).where(extraction.c.url == url).order_by(extraction.c.id.desc())).first()
    old_fields: dict[str, Any] = json.loads(previous.fields_json) if previous else {}
    if previous is not None and previous.content_sha256 == sha and previous.extractor_version == version:
        diff = _diff(old_fields, old_fields, {})
        return _propose_doc(previous, _slug_for_url(conn, url, final_url), [], diff, 0, unchanged=True)

    fields = extract_text(final_url or url, text).to_json()["fields"]
    ext_id = _insert_id(
        conn,
        insert(extraction).values(
            url=url,
            final_url=final_url,
            source_kind="url" if fetched_at else "file",
            fetched_at=fetched_at,
            as_of=as_of,
            content_sha256=sha,
            extractor_version=version,
            fields_json=json.dumps(fields, ensure_ascii=False),
            created_at=now,
        ),
    )
    f = proposed_fact
    superseded = conn.execute(
        update(f)
        .where(f.c.url == url, f.c.status == "proposed", f.c.extraction_id != ext_id)
        .values(status="superseded", reviewed_at=now)
    ).rowcount
    slug = _slug_for_url(conn, url, final_url)
    decided = _latest_decisions(conn, url)
    proposals: list[dict[str, Any]] = []
    created: dict[str, int] = {}
    for name in proposable_fields():
        fv = fields[name]
        if _empty(fv["value"]) or not fv["evidence"]:
            continue
        last = decided.get(name)
        if last is not None and json.loads(last.value_json) == fv["value"]:
            continue  # the reviewer already decided on this very value: asking again is noise
        row = {
            "extraction_id": ext_id,
            "url": url,
            "slug": slug,
            "field": name,
            "value_json": json.dumps(fv["value"], ensure_ascii=False),
            "evidence": fv["evidence"],
            "confidence": float(fv["confidence"]),
            "status": "proposed",
            "created_at": now,
        }
        fact_id = _insert_id(conn, insert(proposed_fact).values(**row))
        created[name] = fact_id
        proposals.append({"id": int(fact_id), "field": name, "value": fv["value"], "evidence": fv["evidence"],
                          "confidence": fv["confidence"]})  # fmt: skip
    diff = _diff(old_fields, fields, created, {k: v.status for k, v in decided.items()}) if previous else []
    current = conn.execute(select(extraction).where(extraction.c.id == ext_id)).one()
    return _propose_doc(current, slug, proposals, diff, superseded, unchanged=False, first=previous is None)


def _insert_id(conn: Connection, stmt: Any) -> int:
    key = conn.execute(stmt).inserted_primary_key
    assert key is not None
    return int(key[0])


def _as_of(fetched_at: str | None, as_of: str | None, now: str) -> str:
    if fetched_at:
        return fetched_at[:10]
    if as_of is None:
        return now[:10]
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise ReviewError("as_of", f"{as_of!r} is not a date like 2026-11-27") from None
    if day.isoformat() > now[:10]:
        raise ReviewError("as_of", f"{as_of} is in the future: give the date the page text was read")
    return day.isoformat()


def _diff(
    old: dict[str, Any], new: dict[str, Any], created: dict[str, int], decided: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Per field: added, changed (old → new), unchanged or removed; fields empty in both are left out."""
    out = []
    for name in proposable_fields():
        before = (old.get(name) or {}).get("value")
        after = (new.get(name) or {}).get("value")
        if _empty(before) and _empty(after):
            continue
        if _empty(before):
            change = "added"
        elif _empty(after):
            change = "removed"
        else:
            change = "unchanged" if before == after else "changed"
        entry: dict[str, Any] = {"field": name, "change": change, "old": before, "new": after,
                                 "proposal_id": created.get(name)}  # fmt: skip
        if decided and name in decided and created.get(name) is None and not _empty(after):
            entry["decided"] = decided[name]
        out.append(entry)
    return out


def _propose_doc(
    ext: Row[Any],
    slug: str | None,
    proposals: list[dict[str, Any]],
    diff: list[dict[str, Any]],
    superseded: int,
    *,
    unchanged: bool,
    first: bool = False,
) -> dict[str, Any]:
    return {
        "extraction": _extraction_doc(ext),
        "program": slug,
        "first_extraction": first,
        "unchanged_page": unchanged,
        "proposals": proposals,
        "superseded": superseded,
        "diff": diff,
    }


def _extraction_doc(ext: Row[Any]) -> dict[str, Any]:
    fields = json.loads(ext.fields_json)
    return {
        "id": ext.id,
        "url": ext.url,
        "final_url": ext.final_url,
        "source_kind": ext.source_kind,
        "fetched_at": ext.fetched_at,
        "as_of": ext.as_of,
        "content_sha256": ext.content_sha256,
        "extractor_version": ext.extractor_version,
        "created_at": ext.created_at,
        "identity": {name: fields.get(name, {}).get("value") for name in IDENTITY_FIELDS},
    }


def _latest_decisions(conn: Connection, url: str) -> dict[str, Row[Any]]:
    """Per field, the newest accepted or rejected fact of the URL."""
    rows = conn.execute(
        select(proposed_fact)
        .where(proposed_fact.c.url == url, proposed_fact.c.status.in_(("accepted", "rejected")))
        .order_by(proposed_fact.c.reviewed_at, proposed_fact.c.id)
    ).all()
    return {r.field: r for r in rows}


def _url_variants(*urls: str | None) -> list[str]:
    out: list[str] = []
    for url in urls:
        if url:
            base = url.split("#", 1)[0]
            out.extend({base, base.rstrip("/"), base.rstrip("/") + "/"})
    return out


def _slug_for_url(conn: Connection, url: str, final_url: str | None = None) -> str | None:
    """The program a page belongs to: a catalog program with this URL, else a reviewed program."""
    variants = _url_variants(url, final_url)
    p = schema.program
    slug = conn.execute(select(p.c.slug).where(p.c.url.in_(variants)).order_by(p.c.slug)).scalar()
    if slug is None:
        slug = conn.execute(select(reviewed_program.c.slug).where(reviewed_program.c.url.in_(variants))).scalar()
    return slug


# --- list and show --------------------------------------------------------------------------------


def list_facts(
    conn: Connection, status: str = "proposed", url: str | None = None, limit: int = 200, offset: int = 0
) -> dict[str, Any]:
    """Facts with one status (or ``all``), newest first: ``{status, count, counts, limit, offset, facts}``."""
    if status != "all" and status not in STATUSES:
        raise ReviewError("status", f"{status!r} is not a status ({', '.join(STATUSES)} or all)")
    if not 1 <= limit <= 1000:
        raise ReviewError("limit", "limit must be between 1 and 1000")
    if offset < 0:
        raise ReviewError("offset", "offset must not be negative")
    f, e = proposed_fact, extraction
    cond = [] if status == "all" else [f.c.status == status]
    if url:
        cond.append(f.c.url == url)
    where = and_(*cond) if cond else None
    count_stmt = select(func.count()).select_from(f)
    stmt = select(f, e.c.as_of).select_from(f.join(e, e.c.id == f.c.extraction_id))
    if where is not None:
        count_stmt, stmt = count_stmt.where(where), stmt.where(where)
    rows = conn.execute(stmt.order_by(f.c.id.desc()).limit(limit).offset(offset)).all()
    counts = {s: 0 for s in STATUSES} | {
        r.status: r.n for r in conn.execute(select(f.c.status, func.count().label("n")).group_by(f.c.status))
    }
    return {
        "status": status,
        "url": url,
        "count": conn.execute(count_stmt).scalar_one(),
        "counts": counts,
        "limit": limit,
        "offset": offset,
        "facts": [_fact_summary(r) for r in rows],
    }


def _fact_summary(r: Row[Any]) -> dict[str, Any]:
    return {
        "id": r.id,
        "url": r.url,
        "program": r.slug,
        "field": r.field,
        "value": json.loads(r.value_json),
        "evidence": r.evidence,
        "confidence": r.confidence,
        "status": r.status,
        "as_of": r.as_of,
        "reviewer_note": r.reviewer_note,
        "reviewed_at": r.reviewed_at,
        "created_at": r.created_at,
    }


def _fact_row(conn: Connection, fact_id: int) -> Row[Any]:
    if not 1 <= fact_id <= MAX_ID:  # PostgreSQL refuses to compare an INTEGER column with a larger number
        raise FactNotFound(f"no proposed fact {fact_id}")
    f, e = proposed_fact, extraction
    row = conn.execute(
        select(f, e.c.as_of, e.c.final_url).select_from(f.join(e, e.c.id == f.c.extraction_id)).where(f.c.id == fact_id)
    ).first()
    if row is None:
        raise FactNotFound(f"no proposed fact {fact_id}")
    return row


def show_fact(conn: Connection, fact_id: int) -> dict[str, Any]:
    """One fact with its extraction, its program, the catalog's current value and the previous proposal."""
    row = _fact_row(conn, fact_id)
    ext = conn.execute(select(extraction).where(extraction.c.id == row.extraction_id)).one()
    slug = row.slug or _slug_for_url(conn, row.url, row.final_url)
    program = None
    catalog_value = None
    if slug is not None:
        p, pf = schema.program, schema.program_fact
        prow = conn.execute(select(p.c.slug, p.c.institution, p.c.program_name, p.c.source_id)
                            .where(p.c.slug == slug)).first()  # fmt: skip
        if prow is not None:
            program = {"slug": prow.slug, "institution": prow.institution, "program_name": prow.program_name,
                       "origin": "review" if prow.source_id == REVIEW_SOURCE_ID else "curated"}  # fmt: skip
        frow = conn.execute(select(pf).where(pf.c.slug == slug, pf.c.field == row.field)).first()
        if frow is not None:
            catalog_value = {"value": json.loads(frow.value_json), "origin": frow.origin, "as_of": frow.as_of,
                             "source_url": frow.source_url}  # fmt: skip
    previous = conn.execute(
        select(proposed_fact)
        .where(proposed_fact.c.url == row.url, proposed_fact.c.field == row.field, proposed_fact.c.id < row.id)
        .order_by(proposed_fact.c.id.desc())
    ).first()
    return _fact_summary(row) | {
        "extraction": _extraction_doc(ext),
        "program_detail": program,
        "needs_link": program is None,
        "catalog_value": catalog_value,
        "previous": None
        if previous is None
        else {"id": previous.id, "value": json.loads(previous.value_json), "status": previous.status},
    }


# --- decide ---------------------------------------------------------------------------------------


def _pending(conn: Connection, fact_id: int) -> Row[Any]:
    row = _fact_row(conn, fact_id)
    if row.status != "proposed":
        raise FactConflict(f"fact {fact_id} is {row.status}; only proposed facts can be accepted or rejected")
    return row


def _check_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    if len(note) > 2000:
        raise ReviewError("note", "a reviewer note is at most 2000 characters")
    return note.strip()


def reject_fact(conn: Connection, fact_id: int, note: str | None = None, *, now: str | None = None) -> dict[str, Any]:
    """Record that the fact is wrong (or not worth keeping); the catalog is not touched."""
    note = _check_note(note)
    _pending(conn, fact_id)
    conn.execute(
        update(proposed_fact)
        .where(proposed_fact.c.id == fact_id)
        .values(status="rejected", reviewer_note=note, reviewed_at=now or _now())
    )
    return {"fact": show_fact(conn, fact_id), "catalog": {"written": False, "reason": "rejected facts stay local"}}


def accept_fact(
    conn: Connection,
    fact_id: int,
    note: str | None = None,
    *,
    offering: str | None = None,
    program_name: str | None = None,
    now: str | None = None,
) -> dict[str, Any]:
    """Accept a fact: record the decision and write it into the catalog as a verified program fact.

    A page that is no program yet becomes one, linked to ``offering`` (``UNITID-CIP6``) or, when the
    page's host is one institution's with one current offering, to that offering. A curated fact stays
    when its as-of date is not older than the reviewed one (the decision is recorded either way).
    """
    from gradpath.build.reviewed import ensure_catalog_program, record_accepted

    now = now or _now()
    note = _check_note(note)
    row = _pending(conn, fact_id)
    slug = _slug_for_url(conn, row.url, row.final_url)
    created = False
    if slug is None:
        slug = _create_reviewed_program(conn, row, offering, program_name, now)
        created = True
    ensure_catalog_program(conn, slug)
    conn.execute(
        update(proposed_fact)
        .where(proposed_fact.c.url == row.url, proposed_fact.c.field == row.field, proposed_fact.c.status == "accepted")
        .values(status="superseded")
    )
    conn.execute(
        update(proposed_fact)
        .where(proposed_fact.c.id == fact_id)
        .values(status="accepted", slug=slug, reviewer_note=note, reviewed_at=now)
    )
    fact = {"slug": slug, "field": row.field, "value_json": row.value_json, "source_url": row.url,
            "as_of": row.as_of, "evidence": row.evidence, "reviewer_note": note}  # fmt: skip
    written, reason = record_accepted(conn, fact, now)
    return {
        "fact": show_fact(conn, fact_id),
        "program": {"slug": slug, "created": created},
        "catalog": {"written": written, "reason": reason},
    }


def _create_reviewed_program(
    conn: Connection, row: Row[Any], offering: str | None, program_name: str | None, now: str
) -> str:
    from gradpath.build.reviewed import link_page, new_slug

    ext = conn.execute(select(extraction.c.fields_json).where(extraction.c.id == row.extraction_id)).scalar_one()
    identity = {name: (json.loads(ext).get(name) or {}).get("value") for name in IDENTITY_FIELDS}
    name = (program_name or "").strip() or identity["program_name"]
    if not name:
        raise ReviewError("program_name", "the extractor found no program name on this page: give one")
    link = link_page(conn, row.final_url or row.url, offering)
    institution = identity["institution"] or link.institution
    slug = new_slug(conn, f"{institution} {name}")
    conn.execute(
        insert(reviewed_program).values(
            slug=slug,
            url=row.url,
            institution=institution,
            program_name=name,
            degree=identity["degree"],
            cip4=link.cip4,
            unitid=link.unitid,
            offering_ids=",".join(link.offering_ids),
            link_method=link.method,
            link_reason=link.reason,
            created_at=now,
        )
    )
    return slug
