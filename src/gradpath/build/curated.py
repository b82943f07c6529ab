"""Build steps for the team's curated facts (``data/curated``): relevance tiers, roles, certifications,
curriculum topics, verified program facts and institution tuition rates — with the ledger entry."""

from __future__ import annotations

import json
import re
from typing import Any

from gradpath import schema
from gradpath.build.context import BuildContext
from gradpath.config import Settings
from gradpath.db import bulk_insert
from gradpath.sources.base import SourceError, SourceRead

FACT_FIELDS = (
    "format",
    "formats_offered",
    "credits",
    "credits_unit",
    "duration_months_fulltime",
    "duration_months_parttime",
    "tuition_total_usd",
    "tuition_per_credit_usd",
    "tuition_year",
    "gre",
    "min_gpa",
    "prerequisites",
    "accreditation",
    "curriculum_topics",
    "capstone_or_practicum",
    "thesis",
    "start_terms",
)


def load_relevance_tiers(settings: Settings) -> dict[str, tuple[str, str]]:
    """6-digit CIP → (tier, rationale) for healthcare AI, from ``cip_relevance.yaml``."""
    from gradpath.sources.curated_careers import load_cip_relevance

    relevance = load_cip_relevance(settings.curated_dir, families=settings.cip_families)
    return {code: (r.tier, r.rationale) for code, r in relevance.items()}


def load_curated(ctx: BuildContext) -> None:
    """Roles, certifications, topics, programs and tuition into the catalog; every file in the ledger."""
    from gradpath.sources.curated_careers import CURATED_FILES, INFO

    read = SourceRead(info=INFO, layout="curated", root=ctx.settings.curated_dir)
    ctx.reporter.stage("Curated roles, certifications, programs, tuition")
    sid = INFO.id
    _load_topics(ctx, sid)
    _load_careers(ctx, sid)
    _load_programs(ctx, sid)
    for name in sorted({*CURATED_FILES, "topics.yaml", "programs.yaml", "tuition.yaml", "program_links.yaml"}):
        path = ctx.settings.curated_dir / name
        if path.is_file():
            read.record(path)
    ctx.reads[sid] = read


def _load_topics(ctx: BuildContext, sid: str) -> None:
    from gradpath.extract.topics import load_topics

    topics = load_topics(ctx.settings.curated_dir)
    ctx.state["topics"] = {t.id for t in topics}
    ctx.count(
        "topics",
        bulk_insert(
            ctx.conn,
            schema.topic,
            (
                {"id": t.id, "position": i, "title": t.label, "definition": t.definition, "source_id": sid}
                for i, t in enumerate(topics)
            ),
        ),
    )


def _load_careers(ctx: BuildContext, sid: str) -> None:
    from gradpath.sources.curated_careers import load_certifications, load_roles

    certs = load_certifications(ctx.settings.curated_dir)
    roles = load_roles(ctx.settings.curated_dir, families=ctx.settings.cip_families)
    conn = ctx.conn
    ctx.count(
        "certifications",
        bulk_insert(
            conn,
            schema.certification,
            (
                {
                    "id": c.id,
                    "position": i,
                    "name": c.name,
                    "short_name": c.short_name,
                    "status": c.status,
                    "issuer": c.issuer,
                    "issuer_url": c.issuer_url,
                    "eligibility": c.eligibility,
                    "fee_note": c.fee_note,
                    "exam_format": c.exam_format,
                    "renewal": c.renewal,
                    "sources_json": json.dumps(list(c.sources)),
                    "alternatives_json": json.dumps(list(c.alternatives)),
                    "as_of": c.as_of.isoformat(),
                    "notes": c.notes,
                    "source_id": sid,
                }
                for i, c in enumerate(certs)
            ),
        ),
    )
    fees = [
        {
            "cert_id": c.id,
            "amount_usd": f.amount_usd,
            "what": f.what,
            "who": f.who,
            "as_stated_by": f.as_stated_by,
            "verified": f.verified,
            "source_url": f.source_url,
            "as_of": f.as_of.isoformat(),
            "page_date": f.page_date,
            "note": f.note,
            "source_id": sid,
        }
        for c in certs
        for f in c.fees
    ]
    ctx.count("certification_fees", bulk_insert(conn, schema.certification_fee, fees))

    known_tasks = {r.task_id for r in conn.execute(schema.onet_task.select())}
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("role", "soc", "skill", "cip", "task", "tech", "cert")}
    for i, r in enumerate(roles):
        rows["role"].append(
            {"id": r.id, "position": i, "title": r.title, "description": r.description, "source_id": sid}
        )
        rows["soc"].extend(
            {
                "role_id": r.id,
                "soc": s.soc,
                "weight": s.weight,
                "rationale": s.rationale,
                "onet_codes": ",".join(s.onet_codes),
                "source_id": sid,
            }
            for s in r.socs
        )
        rows["skill"].extend(
            {"role_id": r.id, "topic": t, "level": lvl, "source_id": sid} for t, lvl in r.skills.items()
        )
        rows["cip"].extend(
            {"role_id": r.id, "cip4": c.cip, "via": c.via, "note": c.note, "source_id": sid} for c in r.cip_families
        )
        for j, task_id in enumerate(r.onet_tasks):
            if task_id not in known_tasks:
                raise SourceError(
                    ctx.settings.curated_dir / "roles.yaml",
                    f"role {r.id}: O*NET task {task_id} is not in the O*NET tables",
                    column="onet_tasks",
                )
            rows["task"].append({"role_id": r.id, "task_id": task_id, "position": j, "source_id": sid})
        rows["tech"].extend(
            {"role_id": r.id, "example": t, "position": j, "source_id": sid} for j, t in enumerate(r.hot_technologies)
        )
        rows["cert"].extend(
            {"role_id": r.id, "cert_id": c.id, "timing": c.when, "note": c.note, "position": j, "source_id": sid}
            for j, c in enumerate(r.certifications)
        )
    for key, table in (
        ("role", schema.role),
        ("soc", schema.role_soc),
        ("skill", schema.role_skill),
        ("cip", schema.role_cip),
        ("task", schema.role_task),
        ("tech", schema.role_technology),
        ("cert", schema.role_certification),
    ):
        ctx.count(table.name, bulk_insert(conn, table, rows[key]))


def _start_year(academic_year: str | None) -> int | None:
    """'2024-2025', '2024–25', 'Fall 2023' → the first calendar year named."""
    if not academic_year:
        return None
    m = re.search(r"(19|20)\d{2}", academic_year)
    return int(m.group(0)) if m else None


def _load_programs(ctx: BuildContext, sid: str) -> None:
    from gradpath.sources import ipeds_hd
    from gradpath.sources.curated_programs import (
        link_programs,
        link_tuition,
        load_link_overrides,
        load_programs,
        load_tuition,
    )

    curated = ctx.settings.curated_dir
    programs = load_programs(curated)
    rates = load_tuition(curated)
    overrides = load_link_overrides(curated)
    institutions: list[ipeds_hd.Institution] = ctx.state["hd_rows"]
    offering_keys: list[tuple[int, str]] = ctx.state["current_offering_keys"]
    titles: dict[str, str] = ctx.state["cip_titles"]  # sibling codes whose title names another field get no link
    links = {link.slug: link for link in link_programs(programs, institutions, offering_keys, overrides, titles)}

    program_rows: list[dict[str, Any]] = []
    fact_rows: list[dict[str, Any]] = []
    link_rows: list[dict[str, Any]] = []
    for p in programs:
        link = links[p.slug]
        program_rows.append(
            {
                "slug": p.slug,
                "url": p.url,
                "institution": p.institution,
                "program_name": p.program_name,
                "degree": p.degree,
                "cip4": p.cip4,
                "country": p.country,
                "reviewed": p.as_of.reviewed.isoformat(),
                "catalog_year": p.as_of.catalog_year,
                "note": p.note,
                "unitid": link.unitid,
                "link_method": link.method,
                "link_score": link.score,
                "link_flags": ",".join(link.flags),
                "link_reason": link.reason,
                "source_id": sid,
            }
        )
        facts = p.facts.model_dump(exclude_none=True)
        for field in FACT_FIELDS:
            value = facts.get(field)
            if value is None or value == []:
                continue  # a fact the page does not state is absent, never an empty "known" value
            fact_rows.append(
                {
                    "slug": p.slug,
                    "field": field,
                    "value_json": json.dumps(value),
                    "source_url": p.url,
                    "as_of": p.as_of.reviewed.isoformat(),
                    "origin": "curated",
                    "source_id": sid,
                }
            )
        if link.unitid is not None:
            link_rows.extend(
                {"slug": p.slug, "offering_id": f"{link.unitid}-{cip6}", "source_id": sid}
                for cip6 in link.offering_cip6
            )
    ctx.count("programs", bulk_insert(ctx.conn, schema.program, program_rows))
    ctx.count("program_facts", bulk_insert(ctx.conn, schema.program_fact, fact_rows))
    ctx.count("program_offerings", bulk_insert(ctx.conn, schema.program_offering, link_rows))
    ctx.state["programs_linked"] = sum(1 for link in links.values() if link.unitid is not None)

    tuition_links = {t.index: t for t in link_tuition(rates, institutions, overrides)}
    ctx.count(
        "tuition_rates",
        bulk_insert(
            ctx.conn,
            schema.tuition_rate,
            (
                {
                    "id": i + 1,
                    "institution": r.institution,
                    "unitid": r.unitid if r.unitid is not None else tuition_links[i].unitid,
                    "link_method": "curated" if r.unitid is not None else tuition_links[i].method,
                    "scope": r.scope,
                    "residency": r.residency,
                    "amount_usd": r.amount_usd,
                    "per": r.per,
                    "academic_year": r.academic_year,
                    "start_year": _start_year(r.academic_year),
                    "note": r.note,
                    "source_url": r.source_url,
                    "source_id": sid,
                }
                for i, r in enumerate(rates)
            ),
        ),
    )
