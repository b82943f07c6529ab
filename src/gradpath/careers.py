"""Careers: curated healthcare-AI roles — their wages where the user lives, outlook, skills,
certifications and the programs that lead there.

**Wages.** A role is counted by BLS under several SOC occupations. Its wage figures blend the OEWS
May 2025 cells of those occupations in the chosen area, each weighted by the team's share for that
SOC times the SOC's employment in the area::

    w_i = share_i × employment_i / Σ_j share_j × employment_j
    blended_x = Σ_i w_i × x_i          for x in p10, p25, median, p75, p90, mean

(a weighted average of published percentiles — an approximation of the pooled distribution's
percentiles, labelled as such). A SOC whose wages a metro does not publish takes its state's wages,
and says so. Its weight still uses the metro's own employment when BLS publishes it; when that is
not published either, the weight uses the state's employment scaled by the metro's share of the
state's jobs (all occupations), and the output says the weight was estimated. A SOC whose value BLS
did not release even there is left out of that figure and the remaining weights are renormalised —
the output lists what was left out. When a component's value is top-coded, the blend is not a
number: it is ``null`` with ``at_least`` computed from the top-code bound.

**Outlook.** The role's EP 2024–34 growth is the growth of its share-weighted employment: the SOCs'
growth rates averaged with weights share × 2024 employment. Openings are the share-weighted sum of
the SOCs' annual openings. The all-occupations rate is read from the outlook table (00-0000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from gradpath import schema
from gradpath.areas import Area, resolve_area
from gradpath.certifications import certifications, role_certifications
from gradpath.occupations import (
    ALL_OCCUPATIONS,
    OUTLOOK_PERIOD,
    TOP_CODED_ANNUAL,
    TOP_CODED_HOURLY,
    outlook_block,
    wage_block,
    wage_row,
    wages_with_fallback,
)

BLEND_KEYS = ("p10", "p25", "median", "p75", "p90", "mean")
BLEND_METHOD = (
    "Employment-weighted blend: each SOC's weight is the team's share for the role times the SOC's OEWS "
    "employment in the area; percentiles are weighted averages of the published SOC percentiles (an "
    "approximation of the pooled distribution)."
)
GROWTH_METHOD = (
    "Growth of the role's occupations over 2024–34, each weighted by the team's share times its 2024 "
    "employment (BLS Employment Projections, national)."
)
OPENINGS_METHOD = (
    "Sum over the role's occupations of the team's share times the occupation's projected openings a year: "
    "a scale indicator, not a BLS count of openings for this role."
)
WAGE_SOURCE = {"id": "bls-oews-2025", "vintage": "May 2025"}
OUTLOOK_SOURCE = {"id": "bls-ep-2024-34", "vintage": "2024–34 projections"}
_NEAR_AREA_TYPES = ("metro", "nonmetro")


class RoleNotFound(LookupError):
    """No curated role has this id."""


@dataclass(frozen=True)
class SocComponent:
    """One SOC of a role in one area: its wages (maybe the state's) and the employment that weights it."""

    soc: str
    title: str
    share: float
    rationale: str
    area: Area
    wages: dict[str, Any]
    employment: int | None
    weight_employment: float | None = None
    weight_basis: str | None = None


def role_shares(conn: Connection, role_id: str) -> list[Any]:
    """The role's SOC shares (soc, weight, rationale, title), in file order; RoleNotFound if unknown."""
    _role_row(conn, role_id)
    rs, occ = schema.role_soc, schema.occupation
    return list(
        conn.execute(
            select(rs.c.soc, rs.c.weight, rs.c.rationale, occ.c.title)
            .select_from(rs.outerjoin(occ, occ.c.soc == rs.c.soc))
            .where(rs.c.role_id == role_id)
            .order_by(rs.c.weight.desc(), rs.c.soc)
        )
    )


def _role_row(conn: Connection, role_id: str) -> Row[Any]:
    row = conn.execute(select(schema.role).where(schema.role.c.id == role_id)).first()
    if row is None:
        raise RoleNotFound(f"no role {role_id!r}; see `gradpath careers list`")
    return row


class _AreaJobs:
    """All-occupations employment of areas, read once per call (for estimated weights)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache: dict[str, float | None] = {}

    def share_of_state(self, area: Area, state: str) -> float | None:
        for code in (area.code, state):
            if code not in self.cache:
                row = wage_row(self.conn, ALL_OCCUPATIONS, code)
                self.cache[code] = row.employment if row is not None else None
        area_jobs, state_jobs = self.cache[area.code], self.cache[state]
        return area_jobs / state_jobs if area_jobs and state_jobs else None


def _weight_employment(
    conn: Connection, soc: str, area: Area, own: Row[Any] | None, jobs: _AreaJobs
) -> tuple[float | None, str]:
    """The employment that weights ``soc`` in ``area``, and how it was obtained."""
    if own is not None and own.employment is not None:
        return float(own.employment), f"{area.name} employment (OEWS May 2025)"
    state = conn.execute(select(schema.area.c.state).where(schema.area.c.code == area.code)).scalar()
    if area.type not in _NEAR_AREA_TYPES or not state:
        return None, f"Employment not published for {area.name}: left out of the weights."
    state_row = wage_row(conn, soc, state)
    ratio = jobs.share_of_state(area, state)
    if state_row is None or state_row.employment is None or ratio is None:
        return None, f"Employment not published for {area.name} nor its state: left out of the weights."
    return (
        state_row.employment * ratio,
        f"Estimated: {area.name} does not publish this occupation's employment, so the weight uses the "
        f"{state} employment scaled by the area's share of all {state} jobs.",
    )


def soc_components(conn: Connection, role_id: str, area: Area) -> list[SocComponent]:
    """Each SOC of the role with its OEWS cell in ``area`` (state fallback per SOC, labelled)."""
    out = []
    jobs = _AreaJobs(conn)
    for share in role_shares(conn, role_id):
        row, used = wages_with_fallback(conn, share.soc, area)
        own = row if used.code == area.code else wage_row(conn, share.soc, area.code)
        weight_emp, basis = _weight_employment(conn, share.soc, area, own, jobs)
        out.append(
            SocComponent(
                soc=share.soc,
                title=share.title or share.soc,
                share=share.weight,
                rationale=share.rationale,
                area=used,
                wages=wage_block(row, used),
                employment=int(row.employment) if row is not None and row.employment is not None else None,
                weight_employment=weight_emp,
                weight_basis=basis,
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


def _component_weight(c: SocComponent) -> float:
    # Components built before weight_employment existed carry only their row's employment.
    emp = c.weight_employment if c.weight_basis is not None else c.employment
    return c.share * emp if emp else 0.0


def blend(components: list[SocComponent], area: Area | None = None) -> dict[str, Any]:
    """The blended wage block of a role from its SOC components; ``notes`` lists each SOC's state
    fallback (other than the whole ``area``'s own, which the area states) and each estimated weight."""
    raw = [_component_weight(c) for c in components]
    total = sum(raw)
    area_note = area.fallback if area is not None else None
    notes = [f"{c.soc}: {c.area.fallback}" for c in components if c.area.fallback and c.area.fallback != area_note]
    notes += [f"{c.soc}: {c.weight_basis}" for c in components if (c.weight_basis or "").startswith("Estimated")]
    if total == 0:
        reason = "No component occupation has published employment in this area, so no blend can be weighted."
        empty = {k: None for k in BLEND_KEYS} | {f"{k}_reason": reason for k in BLEND_KEYS}
        return {
            "annual": dict(empty),
            "hourly": dict(empty),
            "weights": {},
            "method": BLEND_METHOD,
            "source": WAGE_SOURCE,
            "notes": notes,
        }
    weights = [r / total for r in raw]
    return {
        "annual": _blend_scale(components, weights, "annual"),
        "hourly": _blend_scale(components, weights, "hourly"),
        "weights": {c.soc: round(w, 4) for c, w in zip(components, weights, strict=True)},
        "method": BLEND_METHOD,
        "source": WAGE_SOURCE,
        "notes": notes,
    }


def _soc_json(c: SocComponent, weights: dict[str, float]) -> dict[str, Any]:
    emp = c.weight_employment
    return {
        "soc": c.soc,
        "title": c.title,
        "weight": c.share,
        "rationale": c.rationale,
        "blend_weight": weights.get(c.soc),
        "employment_for_weight": round(emp) if emp is not None else None,
        "weight_basis": c.weight_basis,
        "area": c.area.to_json(),
        "wages": c.wages,
    }


def role_wages(conn: Connection, role_id: str, area_text: str | None = None) -> dict[str, Any]:
    """``{role, area, wages, socs}``: the role's blended wages in an area, with each SOC's figures."""
    area = resolve_area(conn, area_text)
    components = soc_components(conn, role_id, area)
    wages = blend(components, area)
    return {
        "role": role_id,
        "area": area.to_json(),
        "wages": wages,
        "socs": [_soc_json(c, wages["weights"]) for c in components],
    }


# Outlook --------------------------------------------------------------------------------------------
def role_outlook(shares: list[tuple[str, float]], outlooks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The role's 2024–34 outlook from its (soc, share) pairs and each SOC's ``outlook_block``."""
    grow_parts, openings, left_out = [], 0.0, []
    education: dict[str, dict[str, Any]] = {}
    all_occ = None
    for soc, share in shares:
        o = outlooks[soc]
        all_occ = o.get("all_occupations_growth_percent")
        if o.get("growth_percent") is None or not o.get("employment_2024"):
            left_out.append(soc)
            continue
        grow_parts.append((share * o["employment_2024"], o["growth_percent"]))
        openings += share * (o.get("openings_annual") or 0)
        if o.get("entry_education"):
            entry = education.setdefault(
                o["entry_education"], {"education": o["entry_education"], "share": 0.0, "socs": []}
            )
            entry["share"] = round(entry["share"] + share, 4)
            entry["socs"].append(soc)
    out: dict[str, Any] = {
        "period": OUTLOOK_PERIOD,
        "all_occupations_growth_percent": all_occ,
        "growth_method": GROWTH_METHOD,
        "openings_method": OPENINGS_METHOD,
        "entry_education": sorted(education.values(), key=lambda e: -e["share"]),
        "source": OUTLOOK_SOURCE,
    }
    if left_out:
        out["left_out"] = left_out
    weight = sum(w for w, _ in grow_parts)
    if not grow_parts or weight == 0:
        reason = "BLS Employment Projections publish none of the role's occupations separately."
        return out | {"growth_percent": None, "growth_percent_reason": reason, "openings_annual": None}
    return out | {
        "growth_percent": round(sum(w * g for w, g in grow_parts) / weight, 1),
        "openings_annual": round(openings),
    }


# Skills, tasks, technologies, programs ----------------------------------------------------------------
def role_skills(conn: Connection, role_id: str) -> list[dict[str, Any]]:
    """The curriculum topics the role needs (core) or benefits from (useful), core first."""
    rs, t = schema.role_skill, schema.topic
    rows = conn.execute(
        select(rs.c.topic, rs.c.level, t.c.title, t.c.position)
        .select_from(rs.outerjoin(t, t.c.id == rs.c.topic))
        .where(rs.c.role_id == role_id)
    ).all()
    rows = sorted(rows, key=lambda r: (r.level != "core", r.position if r.position is not None else 99, r.topic))
    return [{"topic": r.topic, "title": r.title or r.topic, "level": r.level} for r in rows]


def role_tasks(conn: Connection, role_id: str) -> list[dict[str, Any]]:
    """The O*NET 29.3 task statements the team picked for the role, in its order."""
    rt, task = schema.role_task, schema.onet_task
    rows = conn.execute(
        select(rt.c.task_id, task.c.onet_soc, task.c.task)
        .select_from(rt.join(task, task.c.task_id == rt.c.task_id))
        .where(rt.c.role_id == role_id)
        .order_by(rt.c.position, task.c.onet_soc)
    ).all()
    seen: set[int] = set()
    out = []
    for r in rows:
        if r.task_id not in seen:
            seen.add(r.task_id)
            out.append({"task_id": r.task_id, "onet_soc": r.onet_soc, "task": r.task, "source_id": "onet-29.3"})
    return out


def role_technologies(conn: Connection, role_id: str) -> list[str]:
    """O*NET hot technologies of the role's occupations, in the team's order."""
    rt = schema.role_technology
    return list(conn.execute(select(rt.c.example).where(rt.c.role_id == role_id).order_by(rt.c.position)).scalars())


def role_programs(conn: Connection, role_id: str) -> list[dict[str, Any]]:
    """The role's CIP families with the number of current master's offerings in each."""
    return _programs(conn, role_id).get(role_id, [])


def _programs(conn: Connection, role_id: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Role id → its CIP families with current offerings, for one role or (None) every role."""
    rc, cip, off = schema.role_cip, schema.cip, schema.offering
    families = select(rc.c.cip4) if role_id is None else select(rc.c.cip4).where(rc.c.role_id == role_id)
    counted = (
        select(off.c.cip4, func.count())
        .where(off.c.current.is_(True), off.c.cip4.in_(families.scalar_subquery()))
        .group_by(off.c.cip4)
    )
    counts: dict[str, int] = {cip4: n for cip4, n in conn.execute(counted)}
    query = select(rc.c.role_id, rc.c.cip4, rc.c.via, rc.c.note, cip.c.title).select_from(
        rc.outerjoin(cip, cip.c.code == rc.c.cip4)
    )
    if role_id is not None:
        query = query.where(rc.c.role_id == role_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(query.order_by(rc.c.role_id, rc.c.cip4)):
        out.setdefault(r.role_id, []).append(
            {
                "cip": r.cip4,
                "title": r.title or r.cip4,
                "via": r.via,
                "note": r.note,
                "offerings": int(counts.get(r.cip4, 0)),
                "url": f"/programs?cip={r.cip4}",
            }
        )
    return out


# Documents -------------------------------------------------------------------------------------------
def show_role(conn: Connection, role_id: str, area_text: str | None = None) -> dict[str, Any]:
    """The ``careers show`` document: a role's wages in an area (and nationally), outlook, skills,
    tasks, technologies, certifications and the programs that lead there.

    Raises :class:`RoleNotFound` or :class:`gradpath.areas.AreaError`."""
    role = _role_row(conn, role_id)
    area = resolve_area(conn, area_text)
    components = soc_components(conn, role_id, area)
    wages = blend(components, area)
    if area.code == "national":
        national = wages
    else:
        national = blend(soc_components(conn, role_id, resolve_area(conn, "national")))
    outlooks = {c.soc: outlook_block(conn, c.soc) for c in components}
    socs = [_soc_json(c, wages["weights"]) | {"outlook": outlooks[c.soc]} for c in components]
    families = role_programs(conn, role_id)
    return {
        "role": role.id,
        "title": role.title,
        "description": role.description,
        "area": area.to_json(),
        "socs": socs,
        "wages": wages,
        "national_wages": {"annual": national["annual"], "weights": national["weights"], "source": WAGE_SOURCE},
        "outlook": role_outlook([(c.soc, c.share) for c in components], outlooks),
        "skills": role_skills(conn, role_id),
        "tasks": role_tasks(conn, role_id),
        "technologies": role_technologies(conn, role_id),
        "certifications": role_certifications(conn, role_id),
        "programs_count": sum(f["offerings"] for f in families),
        "cip_families": families,
        "weights_note": "The SOC shares are the GradPath team's judgement, not a BLS statistic.",
        "sources": ["bls-oews-2025", "bls-ep-2024-34", "onet-29.3", "ipeds-completions-2020-2024", role.source_id],
    }


def list_roles(conn: Connection, area_text: str | None = None) -> dict[str, Any]:
    """The ``careers list`` document: every role with its blended median wage in an area, its growth
    and its program count, plus every certification (including names with no real issuer)."""
    area = resolve_area(conn, area_text)
    roles = conn.execute(select(schema.role).order_by(schema.role.c.position)).all()
    outlooks: dict[str, dict[str, Any]] = {}
    programs = _programs(conn)
    out = []
    for role in roles:
        components = soc_components(conn, role.id, area)
        for c in components:
            if c.soc not in outlooks:
                outlooks[c.soc] = outlook_block(conn, c.soc)
        annual = blend(components)["annual"]
        outlook = role_outlook([(c.soc, c.share) for c in components], outlooks)
        families = programs.get(role.id, [])
        median = {k: v for k, v in annual.items() if k.startswith("median")}
        out.append(
            {
                "id": role.id,
                "title": role.title,
                "description": role.description,
                "socs": [{"soc": c.soc, "title": c.title, "weight": c.share} for c in components],
                "median_annual": median,
                "growth_percent": outlook["growth_percent"],
                "programs_count": sum(f["offerings"] for f in families),
                "url": f"/careers/{role.id}",
            }
        )
    all_occ = next(iter(outlooks.values()), {}).get("all_occupations_growth_percent")
    return {
        "area": area.to_json(),
        "count": len(out),
        "roles": out,
        "all_occupations_growth_percent": all_occ,
        "wage_source": WAGE_SOURCE,
        "outlook_source": OUTLOOK_SOURCE,
        "certifications": certifications(conn),
    }
