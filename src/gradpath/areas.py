"""Areas: turn what a user types ("Boston", "MA", "14460", "national") into an OEWS area.

OEWS publishes wages for the nation, states and metropolitan areas. A micropolitan CBSA (or a
metro OEWS does not publish) falls back to its state, and the answer says so.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema

NATIONAL_WORDS = {"national", "us", "usa", "united states", "u.s.", "nation"}


class AreaError(ValueError):
    """The area text matched nothing, or more than one area."""

    def __init__(self, message: str, candidates: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Area:
    """A resolved area. ``fallback`` explains why it differs from what was asked, when it does."""

    code: str
    name: str
    type: str
    requested: str
    fallback: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract shape: code, name, type (+ requested and fallback)."""
        return asdict(self)


def _area(conn: Connection, code: str) -> Any:
    return conn.execute(select(schema.area).where(schema.area.c.code == code)).first()


def resolve_area(conn: Connection, text: str | None) -> Area:
    """Resolve ``national``, a state code or name, a CBSA, an OEWS area code, ``unitid:N`` or a
    name fragment. Raises :class:`AreaError` (with candidates when ambiguous)."""
    requested = (text or "national").strip()
    key = requested.lower()
    if not key or key in NATIONAL_WORDS:
        row = _area(conn, "national")
        return Area(code=row.code, name=row.name, type=row.type, requested=requested)

    m = re.fullmatch(r"(?:unitid|institution)[:= ]?(\d{5,7})", key)
    if m:
        return _institution_area(conn, int(m.group(1)), requested)

    if re.fullmatch(r"[a-z]{2}", key):
        row = _area(conn, key.upper())
        if row is not None and row.type == "state":
            return Area(code=row.code, name=row.name, type=row.type, requested=requested)
        raise AreaError(f"{requested!r} is not a state code OEWS publishes")

    if re.fullmatch(r"\d{5}", key):
        return _cbsa_area(conn, key, requested)

    if re.fullmatch(r"\d{7}", key):
        row = conn.execute(select(schema.area).where(schema.area.c.oews_code == key)).first()
        if row is None:
            raise AreaError(f"no OEWS area has the code {requested!r}")
        return Area(code=row.code, name=row.name, type=row.type, requested=requested)

    return _by_name(conn, requested)


def _cbsa_area(conn: Connection, code: str, requested: str) -> Area:
    row = _area(conn, code)
    if row is not None:
        return Area(code=row.code, name=row.name, type=row.type, requested=requested)
    cbsa = conn.execute(select(schema.cbsa).where(schema.cbsa.c.code == code)).first()
    if cbsa is None or cbsa.state is None:
        raise AreaError(f"CBSA {code} is neither an OEWS metropolitan area nor a CBSA with institutions in IPEDS")
    state = _area(conn, cbsa.state)
    kind = "micropolitan" if cbsa.type == "micro" else "metropolitan"
    return Area(
        code=state.code,
        name=state.name,
        type=state.type,
        requested=requested,
        fallback=f"CBSA {code} is a {kind} area OEWS does not publish; showing {state.name} statewide figures.",
    )


def _institution_area(conn: Connection, unitid: int, requested: str) -> Area:
    inst = conn.execute(
        select(schema.institution.c.name, schema.institution.c.cbsa, schema.institution.c.state).where(
            schema.institution.c.unitid == unitid
        )
    ).first()
    if inst is None:
        raise AreaError(f"no institution with UNITID {unitid} in IPEDS HD2024")
    if inst.cbsa:
        area = _cbsa_area(conn, inst.cbsa, requested)
        if area.fallback:
            area = Area(
                code=area.code,
                name=area.name,
                type=area.type,
                requested=requested,
                fallback=f"{inst.name}: {area.fallback}",
            )
        return area
    state = _area(conn, inst.state)
    if state is None:
        raise AreaError(f"{inst.name} is in {inst.state}, for which OEWS publishes no state figures")
    return Area(
        code=state.code,
        name=state.name,
        type=state.type,
        requested=requested,
        fallback=f"{inst.name} is outside any CBSA; showing {state.name} statewide figures.",
    )


def _by_name(conn: Connection, text: str) -> Area:
    needle = text.lower()
    rows = conn.execute(select(schema.area.c.code, schema.area.c.name, schema.area.c.type)).all()
    exact = [r for r in rows if r.name.lower() == needle]
    if len(exact) == 1:
        r = exact[0]
        return Area(code=r.code, name=r.name, type=r.type, requested=text)
    # Match the fragment at word starts ("Boston", "san jose"), not inside words ("ton").
    pattern = re.compile(r"(?:^|[\s,\-/(])" + re.escape(needle))
    hits = [r for r in rows if pattern.search(r.name.lower()) and r.type != "national"]
    if len(hits) == 1:
        r = hits[0]
        return Area(code=r.code, name=r.name, type=r.type, requested=text)
    if not hits:
        raise AreaError(f"no area matches {text!r}; try a state code (MA), a CBSA code (14460) or 'national'")
    candidates = [{"code": r.code, "name": r.name, "type": r.type} for r in sorted(hits, key=lambda r: r.name)]
    raise AreaError(f"{text!r} matches {len(hits)} areas; pick one by code", candidates)


def area_choices(conn: Connection) -> list[dict[str, str]]:
    """Areas with OEWS wages (national, states, metros, nonmetro areas) for an area picker, by name."""
    a = schema.area
    order = {"national": 0, "state": 1, "metro": 2}
    rows = [{"code": c, "name": n, "type": t} for c, n, t in conn.execute(select(a.c.code, a.c.name, a.c.type))]
    return sorted(rows, key=lambda r: (order.get(r["type"], 3), r["name"]))
