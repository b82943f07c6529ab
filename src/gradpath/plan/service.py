"""The planner service: one profile against every current offering — eligibility, timeline, cost, ROI, rank.

:func:`run_plan` builds the ``gradpath plan`` / ``/plan.json`` document; :func:`plan_program` the
per-program page (``/plan/{id}``) with both paces side by side, online vs campus, the cash flows,
the sensitivity table and every assumption. A plan reads the catalog in a few queries (offerings
with their institutions, verified program facts, institution tuition rates, the target roles and
the current occupation), never per offering, so a whole-catalog plan stays within its time budget.

Facts come only from the catalog or the profile. A program without verified facts comes out with
requirements "unknown — verify", duration unknown and cost unknown (unless the person gives their
own figure, or its institution states a graduate rate the plan can multiply out) — never invented.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Result

from gradpath import schema
from gradpath.areas import Area, AreaError, resolve_area
from gradpath.careers import role_wages
from gradpath.catalog import OfferingNotFound
from gradpath.occupations import wage_block, wages_with_fallback
from gradpath.plan.assumptions import default_start_term, planner_defaults
from gradpath.plan.context import PACES, PlanContext, Role, is_local, plan_online
from gradpath.plan.document import assumptions_doc, cost_doc, program_doc, resolved_doc, roi_doc, timeline_doc
from gradpath.plan.economics import economics
from gradpath.plan.eligibility import Fact, OfferingFacts
from gradpath.plan.evaluate import Evaluated, evaluate
from gradpath.plan.profile import Profile, ProfileError, profile_echo, profile_to_query
from gradpath.plan.ranking import rank
from gradpath.plan.roi import WageBand, break_even_salary, sensitivity
from gradpath.plan.score import resolve_weights
from gradpath.plan.tuition import StatedRate

O, I = schema.offering, schema.institution  # noqa: E741 - short aliases keep the queries readable
PF, PO, P = schema.program_fact, schema.program_offering, schema.program
OFFERING_COLUMNS = (
    O.c.id, O.c.unitid, O.c.cip, O.c.cip4, O.c.cip_title, O.c.tier, O.c.current, O.c.last_reported_year,
    O.c.awards_latest, O.c.earnings_1yr, O.c.earnings_1yr_note, O.c.earnings_4yr, O.c.debt_median,
    I.c.name.label("institution"), I.c.city, I.c.state, I.c.cbsa, I.c.accreditor, I.c.accreditor_vintage,
    I.c.accreditor_note, I.c.distance_exclusive_share, I.c.distance_year,
)  # fmt: skip
_TITLES: dict[str, tuple[list[tuple[str, str]], list[str], dict[str, set[str]]]] = {}
_EXACT: dict[tuple[str, str], set[str]] = {}
_OFFERINGS: dict[tuple[str, int, str], list[dict[str, Any]]] = {}


# --- the person: current occupation and salary, target roles --------------------------------------------


def _titles(conn: Connection) -> tuple[list[tuple[str, str]], list[str], dict[str, set[str]]]:
    """O*NET occupation and alternate titles as (soc, title), the lower-cased titles, and lower-cased title →
    SOCs; built on the first fuzzy match and kept per catalog build (a rebuild replaces them)."""
    built = _built_at(conn)
    if built not in _TITLES:
        oo, ot = schema.onet_occupation, schema.onet_title
        own = select(oo.c.soc, oo.c.title)
        alternate = select(oo.c.soc, ot.c.title).select_from(ot.join(oo, oo.c.onet_soc == ot.c.onet_soc))
        titles = sorted({(soc, title) for soc, title in conn.execute(own.union(alternate)).all()})
        names = [title.lower() for _, title in titles]
        index: dict[str, set[str]] = {}
        for (soc, _), name in zip(titles, names, strict=True):
            index.setdefault(name, set()).add(soc)
        _TITLES.clear()
        _TITLES[built] = (titles, names, index)
    return _TITLES[built]


def _exact_socs(conn: Connection, wanted: str) -> set[str]:
    """SOCs whose O*NET title (or alternate title) is ``wanted`` or its plural, without loading every title
    (kept per catalog build, so a server answers a repeated job title from memory)."""
    key = (_built_at(conn), wanted)
    if key not in _EXACT:
        if len(_EXACT) >= 1024:
            _EXACT.clear()
        _EXACT[key] = _query_exact_socs(conn, wanted)
    return _EXACT[key]


def _query_exact_socs(conn: Connection, wanted: str) -> set[str]:
    oo, ot = schema.onet_occupation, schema.onet_title
    names = (wanted, wanted + "s")
    own = select(oo.c.soc).where(func.lower(oo.c.title).in_(names))
    alternate = (
        select(oo.c.soc)
        .select_from(ot.join(oo, oo.c.onet_soc == ot.c.onet_soc))
        .where(func.lower(ot.c.title).in_(names))
    )
    return set(conn.execute(own.union(alternate)).scalars())


def map_occupation(conn: Connection, text: str) -> dict[str, Any]:
    """Free-text occupation → SOC via O*NET titles: exact title first, then a clear fuzzy winner.

    ``soc`` is ``None`` when the text is ambiguous; ``candidates`` then lists the closest SOCs.
    """
    wanted = text.strip().lower()
    # most job titles are an O*NET title: a database lookup answers them without the fuzzy index
    exact = sorted(_exact_socs(conn, wanted))
    if len(exact) == 1:
        return {"text": text, "soc": exact[0], "method": "exact O*NET title", "candidates": []}
    titles, names, index = _titles(conn)
    exact = sorted(index.get(wanted, set()) | index.get(wanted + "s", set()))
    if len(exact) == 1:
        return {"text": text, "soc": exact[0], "method": "exact O*NET title", "candidates": []}
    best: dict[str, tuple[float, str]] = {}
    if len(wanted) >= 4 or exact:
        for _, score, i in process.extract(wanted, names, scorer=fuzz.WRatio, limit=25, score_cutoff=80):
            soc, title = titles[i]
            if (soc not in best or score > best[soc][0]) and (not exact or soc in exact):
                best[soc] = (score, title)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    candidates = [{"soc": soc, "title": title, "score": round(score, 1)} for soc, (score, title) in ranked[:6]]
    if not exact and ranked and ranked[0][1][0] >= 95 and (len(ranked) == 1 or ranked[1][1][0] < ranked[0][1][0] - 5):
        return {"text": text, "soc": ranked[0][0], "method": f"closest O*NET title: {ranked[0][1][1]}",
                "candidates": candidates}  # fmt: skip
    return {"text": text, "soc": None, "method": "ambiguous: set background.current_soc", "candidates": candidates}


def current_salary(conn: Connection, profile: Profile, area: Area) -> tuple[float | None, str, dict[str, Any]]:
    """The person's salary: their figure, else the OEWS median for their SOC in the area, else unknown."""
    bg = profile.background
    occupation: dict[str, Any] = {"soc": bg.current_soc, "method": "your SOC code" if bg.current_soc else None}
    if bg.current_soc is None and bg.current_occupation:
        occupation = map_occupation(conn, bg.current_occupation)
    soc = occupation["soc"]
    if soc is not None:
        title = conn.execute(select(schema.occupation.c.title).where(schema.occupation.c.soc == soc)).scalar()
        if title is None and bg.current_soc:
            raise ProfileError("background.current_soc", f"{soc} is not an occupation OEWS May 2025 publishes")
        occupation["title"] = title
    if bg.current_salary is not None:
        return bg.current_salary, "your figure", occupation
    if soc is None:
        return None, "unknown: no current_salary, and no current_soc (or occupation mapped to one)", occupation
    row, used = wages_with_fallback(conn, soc, area)
    median = None if row is None else row.annual_median
    if median is None:
        reason = wage_block(row, used)["annual"].get("median_reason", "not published")
        return None, f"unknown: the OEWS median for {soc} in {used.name} is not available ({reason})", occupation
    fallback = f" ({used.fallback})" if used.fallback else ""
    return float(median), f"OEWS May 2025 annual median for SOC {soc} in {used.name}{fallback}", occupation


def load_roles(conn: Connection, role_ids: tuple[str, ...], area_text: str) -> list[Role]:
    """The target roles with skills, CIP families and blended wages in the area (goals.roles errors)."""
    roles = []
    for role_id in role_ids:
        title = conn.execute(select(schema.role.c.title).where(schema.role.c.id == role_id)).scalar()
        if title is None:
            raise ProfileError("goals.roles", f"no role {role_id!r}; see `gradpath careers list`")
        rs, rc = schema.role_skill, schema.role_cip
        skills = {r.topic: r.level for r in conn.execute(select(rs.c.topic, rs.c.level).where(rs.c.role_id == role_id))}
        cips = frozenset(conn.execute(select(rc.c.cip4).where(rc.c.role_id == role_id)).scalars())
        doc = role_wages(conn, role_id, area_text)
        annual = doc["wages"]["annual"]
        reason = annual.get("median_reason")
        label = f"{title}: OEWS May 2025 blended wages in {doc['area']['name']}"
        band = WageBand(annual.get("median"), annual.get("p25"), annual.get("p75"), label, reason)
        roles.append(Role(role_id, title, skills, cips, band, doc["area"]))
    return roles


# --- the plan context: read once ---------------------------------------------------------------------------


def _built_at(conn: Connection) -> str:
    return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "built_at")).scalar() or ""


def _offerings(conn: Connection, offering_id: str | None = None) -> list[dict[str, Any]]:
    """Current offerings with their institutions (or one offering, current or not).

    Only ``gradpath build`` writes these tables, so the whole list is kept per catalog build: a
    rebuilt catalog has a new ``built_at`` and is read afresh.
    """
    stmt = select(*OFFERING_COLUMNS).select_from(O.join(I, O.c.unitid == I.c.unitid))
    if offering_id:
        return _dicts(conn.execute(stmt.where(O.c.id == offering_id)))
    key = (str(conn.engine.url), id(conn.engine), _built_at(conn))
    if key not in _OFFERINGS:
        _OFFERINGS.clear()
        _OFFERINGS[key] = _dicts(conn.execute(stmt.where(O.c.current.is_(True)).order_by(O.c.id)))
    return _OFFERINGS[key]


def _dicts(result: Result[Any]) -> list[dict[str, Any]]:
    """Rows as plain dicts: zipping the keys onto fetched tuples is about twice as fast as ``row._mapping``."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def program_key(name: str, degree: str | None) -> tuple[str, str]:
    """Which program a page describes: pages with the same name and degree (case and spacing aside) are one."""
    return " ".join(name.casefold().split()), " ".join((degree or "").casefold().split())


def _programs(conn: Connection, offering_id: str | None) -> dict[str, tuple[OfferingFacts, ...]]:
    """Offering id → its linked verified programs, each with the facts of all its pages (most facts first)."""
    stmt = (
        select(PO.c.offering_id, PF.c.field, PF.c.value_json, PF.c.source_url, PF.c.as_of, PF.c.slug, PF.c.origin,
               PF.c.evidence, P.c.program_name, P.c.degree)
        .select_from(PF.join(PO, PO.c.slug == PF.c.slug).join(P, P.c.slug == PF.c.slug))
        .order_by(PO.c.offering_id, PF.c.slug, PF.c.field)
    )  # fmt: skip
    if offering_id:
        stmt = stmt.where(PO.c.offering_id == offering_id)
    grouped: dict[str, dict[tuple[str, str], list[Fact]]] = {}
    for r in conn.execute(stmt):
        fact = Fact(
            r.field, json.loads(r.value_json), r.source_url, r.as_of, r.slug, r.program_name, r.origin, r.evidence
        )  # the quote exists only for facts accepted from the local review queue
        grouped.setdefault(r.offering_id, {}).setdefault(program_key(r.program_name, r.degree), []).append(fact)
    out: dict[str, tuple[OfferingFacts, ...]] = {}
    for oid, programs in grouped.items():
        # the program stating the most facts first: it is the default when programs fit equally well
        ordered = sorted(programs.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        out[oid] = tuple(OfferingFacts(tuple(_primary_first(facts))) for _, facts in ordered)
    return out


def _primary_first(facts: list[Fact]) -> list[Fact]:
    """Within one program, the page stating the most facts first: a field is read from it before other pages."""
    per_page: dict[str, int] = {}
    for f in facts:
        per_page[f.slug] = per_page.get(f.slug, 0) + 1
    return sorted(facts, key=lambda f: (-per_page[f.slug], f.slug))


def _rates(conn: Connection, unitid: int | None) -> dict[int, list[StatedRate]]:
    t = schema.tuition_rate
    stmt = select(t).where(t.c.unitid.is_not(None)).order_by(t.c.id)
    if unitid is not None:
        stmt = stmt.where(t.c.unitid == unitid)
    out: dict[int, list[StatedRate]] = {}
    for r in conn.execute(stmt):
        out.setdefault(r.unitid, []).append(
            StatedRate(r.amount_usd, r.per, r.residency, r.academic_year, r.source_url, r.scope)
        )
    return out


def _context(conn: Connection, profile: Profile, today: date | None, offering_id: str | None = None) -> PlanContext:
    today = today or date.today()
    try:
        area = resolve_area(conn, profile.location.area)
    except AreaError as exc:
        raise ProfileError("location.area", str(exc), exc.candidates) from None
    row = conn.execute(select(schema.area.c.state, schema.area.c.states).where(schema.area.c.code == area.code)).first()
    listed = "" if area.type == "national" or row is None else (row.states or row.state or area.code)
    for oid, _ in profile.money.own_tuition:
        if conn.execute(select(O.c.id).where(O.c.id == oid)).first() is None:
            raise ProfileError(f"money.own_tuition.{oid}", "no offering has this id")
    unitid = None
    if offering_id is not None:
        unitid = conn.execute(select(O.c.unitid).where(O.c.id == offering_id)).scalar()
        if unitid is None:
            raise OfferingNotFound(f"no offering {offering_id!r}")
    salary, salary_note, occupation = current_salary(conn, profile, area)
    start = profile.constraints.start_term or default_start_term(today)
    a = profile.assumptions
    return PlanContext(
        profile=profile, today=today, start_term=start,
        start_note="your start term" if profile.constraints.start_term else "planner default: the next fall term",
        defaults=planner_defaults(discount_rate=a.discount_rate, horizon_years=a.horizon_years,
                                  wage_growth=a.wage_growth, ramp_years=a.ramp_years,
                                  tax_rate_on_taxable_aid=a.tax_rate_on_taxable_aid),
        area=area, area_states=frozenset(s.strip() for s in listed.split(",") if s.strip()), salary=salary,
        salary_note=salary_note, occupation=occupation,
        roles=load_roles(conn, profile.goals.roles, profile.location.area),
        weights=resolve_weights(profile.ranking.weights), programs=_programs(conn, offering_id),
        rates=_rates(conn, unitid),
    )  # fmt: skip


def _sources(conn: Connection) -> list[dict[str, Any]]:
    s = schema.source
    rows = conn.execute(select(s.c.id, s.c.title, s.c.vintage, s.c.license, s.c.url).order_by(s.c.id))
    return [dict(r._mapping) for r in rows]


def run_plan(
    conn: Connection, profile: Profile, *, today: date | None = None, top: int | None = None
) -> dict[str, Any]:
    """The whole plan: every current offering evaluated, hard constraints applied, the top N ranked.

    ``{profile_echo, resolved, weights, counts, programs: [...], excluded: [...], assumptions, sources}``;
    raises :class:`ProfileError` naming the key when the profile does not fit the catalog.
    """
    ctx = _context(conn, profile, today)
    rows = _offerings(conn)
    shown, excluded, ranked = rank(ctx, rows, top or profile.ranking.top)
    return {
        "profile_echo": profile_echo(profile), "query": urlencode(profile_to_query(profile)),
        "resolved": resolved_doc(ctx), "weights": ctx.weights,
        "counts": {"candidates": len(rows), "verified": sum(1 for r in rows if r["id"] in ctx.programs),
                   "excluded": len(excluded), "ranked": ranked, "shown": len(shown)},
        "programs": [program_doc(ctx, e, i + 1) for i, e in enumerate(shown)],
        "excluded": [{"id": e.row["id"], "institution": e.row["institution"], "field": e.row["cip_title"],
                      "reasons": list(e.excluded_because)} for e in excluded],
        "assumptions": assumptions_doc(ctx), "sources": _sources(conn),
    }  # fmt: skip


def _scenario(ctx: PlanContext, ev: Evaluated, pace: str, online: bool | None, relocating: bool) -> dict[str, Any]:
    tl = ev.timelines[pace]
    roi, cost, _, why, _ = economics(ctx, ev.row, ev.facts, tl, len(ev.eligibility.bridge_courses), online=online,
                                  relocating=relocating)  # fmt: skip
    full = None if roi is None else roi.as_dict()
    return {"label": f"{'part-time' if pace == 'parttime' else 'full-time'}"
                     f"{'' if online is None else ', online' if online else ', campus'}",
            "timeline": timeline_doc(tl), "cost": cost_doc(pace, cost), "roi": roi_doc(ctx, pace, roi, why),
            "flows": [] if full is None else full["flows"], "loan": None if full is None else full["loan"]}  # fmt: skip


def plan_program(conn: Connection, profile: Profile, offering_id: str, *, today: date | None = None) -> dict[str, Any]:
    """One program in depth: full-time vs part-time, online vs campus, flows, sensitivity, break-even.

    Computed even when a hard constraint excludes the program (``excluded_because`` says why).
    Raises :class:`OfferingNotFound` for an unknown id.
    """
    ctx = _context(conn, profile, today, offering_id)
    ev = evaluate(ctx, _offerings(conn, offering_id)[0])
    doc = program_doc(ctx, ev, None)
    online = plan_online(ctx, ev.formats)
    relocating = "relocation" in " ".join(ev.flags)
    scenarios = {pace: _scenario(ctx, ev, pace, online, relocating) for pace in PACES}
    compared = None
    if ev.formats is not None and {"online", "campus"} <= ev.formats:
        moving = is_local(ctx, ev.row) is False
        compared = {"online": _scenario(ctx, ev, ev.pace, True, False),
                    "campus": _scenario(ctx, ev, ev.pace, False, moving)}  # fmt: skip
    rows = sensitivity(ev.inputs) if ev.inputs is not None and ev.roi is not None and ev.roi.npv is not None else []
    even = None if ev.inputs is None else break_even_salary(ev.inputs)
    doc.update({
        "profile_echo": profile_echo(profile), "query": urlencode(profile_to_query(profile)),
        "resolved": resolved_doc(ctx), "weights": ctx.weights, "scenarios": scenarios, "formats_compared": compared,
        "flows": scenarios[ev.pace]["flows"],
        "sensitivity": [{"assumption": r.assumption, "low_label": r.low_label, "high_label": r.high_label,
                         "npv_low": r.npv_low, "npv_high": r.npv_high, "delta_low": r.delta_low,
                         "delta_high": r.delta_high, "swing": r.swing} for r in rows],
        "break_even": None if even is None else asdict(even),
        "assumptions": {**assumptions_doc(ctx),
                        "roi_inputs": [] if ev.inputs is None else list(ev.inputs.assumptions())},
        "sources": _sources(conn),
    })  # fmt: skip
    return doc
