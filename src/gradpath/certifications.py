"""Certifications: the curated professional credentials, their fees as stated, and which roles they fit.

Fees are shown exactly as a page stated them, each labelled verified only when the issuer's own page
states it; a credential with no real issuer is listed as not found, with real alternatives.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema

TIMING_LABELS = {
    "before_program": "Before the program",
    "during_program": "During the program",
    "after_program": "After the degree",
    "after_experience": "After years of work experience",
}


# ---------------------------------------------------------------------------------------
# Columns copied as they are into the JSON documents.
_FEE_FIELDS = ("amount_usd", "what", "who", "as_stated_by", "source_url", "as_of", "page_date", "note")
_CERT_FIELDS = ("id", "name", "short_name", "status", "issuer", "issuer_url", "eligibility", "fee_note",
                "exam_format", "renewal", "as_of", "notes", "source_id")  # fmt: skip


def _verification(fee: Any) -> str:
    if fee.verified:
        return "Verified: stated on the issuer's own page."
    return {
        "issuer": "Unverified: stated by the issuer, but not on its own site.",
        "issuer_copy": "Unverified: the issuer's text as copied on another site.",
    }.get(fee.as_stated_by, "Unverified: stated by a third party, not the issuer.")


def certifications(conn: Connection, ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Certifications (all, or ``ids`` in that order) with fees as stated, sources and alternatives."""
    cert, fee = schema.certification, schema.certification_fee
    query = select(cert).order_by(cert.c.position)
    if ids is not None:
        query = query.where(cert.c.id.in_(ids))
    rows = conn.execute(query).all()
    names: dict[str, str] = {r.id: r.name for r in conn.execute(select(cert.c.id, cert.c.name))}
    fees: dict[str, list[dict[str, Any]]] = {}
    for f in conn.execute(select(fee).where(fee.c.cert_id.in_([r.id for r in rows])).order_by(fee.c.id)):
        stated = {k: f._mapping[k] for k in _FEE_FIELDS}
        fees.setdefault(f.cert_id, []).append(stated | {"verified": bool(f.verified), "verification": _verification(f)})
    out = [
        {k: r._mapping[k] for k in _CERT_FIELDS}
        | {
            "fees": fees.get(r.id, []),
            "sources": json.loads(r.sources_json),
            "alternatives": [{"id": a, "name": names.get(a, a)} for a in json.loads(r.alternatives_json)],
        }
        for r in rows
    ]
    if ids is not None:
        out.sort(key=lambda c: ids.index(c["id"]))
    return out


def role_certifications(conn: Connection, role_id: str) -> list[dict[str, Any]]:
    """The certifications that fit the role, each with when in a career it fits and why."""
    rc = schema.role_certification
    links = conn.execute(select(rc).where(rc.c.role_id == role_id).order_by(rc.c.position)).all()
    certs = certifications(conn, [link.cert_id for link in links])
    for cert, link in zip(certs, links, strict=True):
        cert.update(when=link.timing, when_label=TIMING_LABELS.get(link.timing, link.timing), when_note=link.note)
    return certs
