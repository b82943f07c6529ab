"""The catalog of master's offerings: search with filters, and one offering's profile.

An offering is an institution × 6-digit CIP code with master's awards in IPEDS completions.
"Current" offerings are those in the latest year (C2024_A), zero-award rows included; offerings
last reported earlier are kept as "not reported since YEAR" and hidden unless asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Connection

from gradpath import schema

CIP_FILTER_RE = re.compile(r"^\d{2}\.\d{2}(\d{2})?$")
MAX_LIMIT = 500


class QueryError(ValueError):
    """A search parameter is invalid; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class OfferingNotFound(LookupError):
    """No offering has this id."""


@dataclass
class OfferingQuery:
    """Filters of an offerings search."""

    cip: str | None = None
    state: str | None = None
    q: str | None = None
    limit: int = 20
    offset: int = 0
    include_past: bool = False

    def validate(self) -> OfferingQuery:
        """Check every parameter; raise QueryError naming the first bad one."""
        if self.cip is not None and not CIP_FILTER_RE.match(self.cip.strip()):
            raise QueryError("cip", f"{self.cip!r} is not a 4-digit family (51.27) or 6-digit code (11.0102)")
        if self.state is not None and not re.fullmatch(r"[A-Za-z]{2}", self.state.strip()):
            raise QueryError("state", f"{self.state!r} is not a two-letter state code")
        if not 0 <= self.limit <= MAX_LIMIT:
            raise QueryError("limit", f"must be between 0 and {MAX_LIMIT}")
        if self.offset < 0:
            raise QueryError("offset", "must be 0 or more")
        if self.q is not None and len(self.q) > 200:
            raise QueryError("q", "at most 200 characters")
        return self


O = schema.offering  # noqa: E741 - short aliases keep the queries readable
I = schema.institution  # noqa: E741


def _filtered(query: OfferingQuery, base: Select[Any]) -> Select[Any]:
    stmt = base.select_from(O.join(I, O.c.unitid == I.c.unitid))
    if not query.include_past:
        stmt = stmt.where(O.c.current.is_(True))
    if query.cip:
        code = query.cip.strip()
        stmt = stmt.where(O.c.cip == code) if len(code) == 7 else stmt.where(O.c.cip4 == code)
    if query.state:
        stmt = stmt.where(I.c.state == query.state.strip().upper())
    if query.q and query.q.strip():
        for word in query.q.strip().split():
            like = f"%{word.lower()}%"
            stmt = stmt.where(
                or_(
                    func.lower(I.c.name).like(like),
                    func.lower(I.c.alias).like(like),
                    func.lower(I.c.city).like(like),
                    func.lower(O.c.cip_title).like(like),
                    O.c.cip.like(like),
                )
            )
    return stmt


def offering_summary(m: Any) -> dict[str, Any]:
    """The list-item shape of one offering (contract of ``offerings search``)."""
    out = {
        "id": m["id"],
        "unitid": m["unitid"],
        "institution": m["institution"],
        "city": m["city"],
        "state": m["state"],
        "cip": m["cip"],
        "field": m["cip_title"],
        "tier": m["tier"],
        "current": bool(m["current"]),
        "last_reported_year": m["last_reported_year"],
        "awards_latest": m["awards_latest"],
        "earnings_1yr": m["earnings_1yr"],
        "earnings_4yr": m["earnings_4yr"],
        "debt_median": m["debt_median"],
        "outcomes_level": "field (institution × 4-digit CIP)",
        "accreditor": m["accreditor"],
    }
    for key in ("earnings_1yr", "earnings_4yr"):
        if m[key] is None:
            out[f"{key}_reason"] = m[f"{key}_note"]
    if m["debt_median"] is None:
        out["debt_median_reason"] = m["debt_note"]
    if m["accreditor"] is None:
        out["accreditor_reason"] = m["accreditor_note"]
    return out


SUMMARY_COLUMNS = (
    O.c.id,
    O.c.unitid,
    I.c.name.label("institution"),
    I.c.city,
    I.c.state,
    O.c.cip,
    O.c.cip_title,
    O.c.tier,
    O.c.current,
    O.c.last_reported_year,
    O.c.awards_latest,
    O.c.earnings_1yr,
    O.c.earnings_4yr,
    O.c.debt_median,
    O.c.earnings_1yr_note,
    O.c.earnings_4yr_note,
    O.c.debt_note,
    I.c.accreditor,
    I.c.accreditor_note,
)


def search_offerings(conn: Connection, query: OfferingQuery) -> dict[str, Any]:
    """``{count, results}``: the total matching and one page, ordered by institution then CIP."""
    query.validate()
    total = conn.execute(_filtered(query, select(func.count()))).scalar_one()
    stmt = (
        _filtered(query, select(*SUMMARY_COLUMNS)).order_by(I.c.name, O.c.cip).limit(query.limit).offset(query.offset)
    )
    results = [offering_summary(r._mapping) for r in conn.execute(stmt)]
    return {"count": total, "limit": query.limit, "offset": query.offset, "results": results}
