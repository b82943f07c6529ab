"""Careers: curated healthcare-AI roles, and their wages where the user lives.

A role is counted by BLS under several SOC occupations. Its wage figures blend the OEWS cells
of those occupations in the chosen area, each weighted by the team's share for that SOC times
the SOC's OEWS employment in the area::

    w_i = share_i × employment_i / Σ_j share_j × employment_j
    blended_x = Σ_i w_i × x_i          for x in p10, p25, median, p75, p90, mean

(a weighted average of published percentiles — an approximation of the pooled distribution's
percentiles, labelled as such). A SOC with no published wages or employment in a metro falls back
to its state, and says so. A SOC whose value BLS did not release even there is left out of that
figure and the remaining weights are renormalised — the output lists what was left out. When a
component's value is top-coded, the blend is not a number: it is ``null`` with ``at_least``
computed from the top-code bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.areas import Area, resolve_area
from gradpath.occupations import TOP_CODED_ANNUAL, TOP_CODED_HOURLY, wage_block, wages_with_fallback

BLEND_KEYS = ("p10", "p25", "median", "p75", "p90", "mean")
BLEND_METHOD = (
    "Employment-weighted blend: each SOC's weight is the team's share for the role times the SOC's OEWS "
    "employment in the area; percentiles are weighted averages of the published SOC percentiles (an "
    "approximation of the pooled distribution)."
)


class RoleNotFound(LookupError):
    """No curated role has this id."""


@dataclass(frozen=True)
class SocComponent:
    soc: str
    title: str
    share: float
    rationale: str
    area: Area
    wages: dict[str, Any]
    employment: int | None


def role_shares(conn: Connection, role_id: str) -> list[Any]:
    """The role's SOC shares (soc, weight, rationale, title), in file order; RoleNotFound if unknown."""
    exists = conn.execute(select(schema.role.c.id).where(schema.role.c.id == role_id)).first()
    if exists is None:
        raise RoleNotFound(f"no role {role_id!r}; see `gradpath careers list`")
    rs, occ = schema.role_soc, schema.occupation
    return list(
        conn.execute(
            select(rs.c.soc, rs.c.weight, rs.c.rationale, occ.c.title)
            .select_from(rs.outerjoin(occ, occ.c.soc == rs.c.soc))
            .where(rs.c.role_id == role_id)
            .order_by(rs.c.weight.desc(), rs.c.soc)
        )
    )


def soc_components(conn: Connection, role_id: str, area: Area) -> list[SocComponent]:
    """Each SOC of the role with its OEWS cell in ``area`` (state fallback per SOC, labelled)."""
    out = []
    for share in role_shares(conn, role_id):
        row, used = wages_with_fallback(conn, share.soc, area, need_employment=True)
        out.append(
            SocComponent(
                soc=share.soc,
                title=share.title or share.soc,
                share=share.weight,
                rationale=share.rationale,
                area=used,
                wages=wage_block(row, used),
                employment=int(row.employment) if row is not None and row.employment is not None else None,
            )
        )
    return out


def _blend_scale(components: list[SocComponent], weights: list[float], scale: str) -> dict[str, Any]:
    bound = TOP_CODED_ANNUAL if scale == "annual" else TOP_CODED_HOURLY
    out: dict[str, Any] = {}
    for key in BLEND_KEYS:
        parts: list[tuple[float, float]] = []
        top_coded = False
        left_out = []
        for comp, w in zip(components, weights, strict=True):
            if w == 0:
                continue
            value = comp.wages[scale].get(key)
            if value is None and comp.wages[scale].get(f"{key}_at_least") is not None:
                top_coded = True
                value = bound
            if value is None:
                left_out.append(comp.soc)
                continue
            parts.append((w, value))
        weight = sum(w for w, _ in parts)
        if not parts:
            out[key] = None
            out[f"{key}_reason"] = "Not published for any of the role's occupations in this area."
            continue
        total = sum(w * v for w, v in parts) / weight
        if left_out:
            out[f"{key}_left_out"] = left_out
        if top_coded:
            out[key] = None
            out[f"{key}_reason"] = "A component occupation's value is top-coded; the blend is only a lower bound."
            out[f"{key}_at_least"] = round(total, 2)
        else:
            out[key] = round(total, 2) if scale == "hourly" else round(total)
    return out


def blend(components: list[SocComponent]) -> dict[str, Any]:
    """The blended wage block of a role from its SOC components."""
    raw = [c.share * c.employment if c.employment else 0.0 for c in components]
    total = sum(raw)
    if total == 0:
        reason = "No component occupation has published employment in this area, so no blend can be weighted."
        empty = {k: None for k in BLEND_KEYS} | {f"{k}_reason": reason for k in BLEND_KEYS}
        return {"annual": dict(empty), "hourly": dict(empty), "weights": {}, "method": BLEND_METHOD}
    weights = [r / total for r in raw]
    return {
        "annual": _blend_scale(components, weights, "annual"),
        "hourly": _blend_scale(components, weights, "hourly"),
        "weights": {c.soc: round(w, 4) for c, w in zip(components, weights, strict=True)},
        "method": BLEND_METHOD,
        "source": {"id": "bls-oews-2025", "vintage": "May 2025"},
    }


def role_wages(conn: Connection, role_id: str, area_text: str | None = None) -> dict[str, Any]:
    """``{role, area, wages, socs}``: the role's blended wages in an area, with each SOC's figures."""
    area = resolve_area(conn, area_text)
    components = soc_components(conn, role_id, area)
    return {
        "role": role_id,
        "area": area.to_json(),
        "wages": blend(components),
        "socs": [
            {
                "soc": c.soc,
                "title": c.title,
                "weight": c.share,
                "rationale": c.rationale,
                "area": c.area.to_json(),
                "wages": c.wages,
            }
            for c in components
        ],
    }
