"""Build steps for fields of study, institutions and master's offerings."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from gradpath import schema
from gradpath.build.context import BuildContext
from gradpath.db import bulk_insert
from gradpath.sources import accreditation, cip, ipeds_completions, ipeds_distance, ipeds_hd, scorecard_fos
from gradpath.sources.base import SourceError

NOTE_NO_RECORD = (
    "No College Scorecard field-of-study record for this institution and CIP family at the master's level "
    "(the program may be new, small, or not reported)."
)
NOTE_MIRROR_NULL = (
    "Not published by the College Scorecard: the cohort is too small to publish (privacy suppression) "
    "or no data were reported."
)
NOTE_SUPPRESSED = "Privacy-suppressed by the College Scorecard: too few graduates in the cohort to publish."
NOTE_MISSING = "Not reported in the College Scorecard for this cohort."


def load_fields(ctx: BuildContext) -> None:
    """CIP 2020 codes and the CIP→SOC crosswalk."""
    read = ctx.reads[cip.INFO.id]
    ctx.reporter.stage("CIP 2020 and CIP→SOC crosswalk")
    codes = cip.load_codes(read)
    ctx.state["cip_titles"] = {c.code: c.title for c in codes}
    ctx.count(
        "cip_codes",
        bulk_insert(
            ctx.conn,
            schema.cip,
            (
                {
                    "code": c.code,
                    "family": c.family,
                    "level": c.level,
                    "title": c.title,
                    "definition": c.definition,
                    "action": c.action,
                    "source_id": read.info.id,
                }
                for c in codes
            ),
        ),
    )
    pairs = cip.load_crosswalk(read)
    ctx.count(
        "cip_soc",
        bulk_insert(ctx.conn, schema.cip_soc, ({"cip": c, "soc": s, "source_id": read.info.id} for c, s in pairs)),
    )


def load_institutions(ctx: BuildContext) -> None:
    """IPEDS HD2024 joined with the accreditor and distance-education share; CBSAs."""
    hd_read = ctx.reads[ipeds_hd.INFO.id]
    ctx.reporter.stage("IPEDS institutions, accreditors, distance education")
    institutions = ipeds_hd.load(hd_read)
    acc_read = ctx.reads[accreditation.INFO.id]
    acc = accreditation.load(acc_read)
    dist_read = ctx.reads[ipeds_distance.INFO.id]
    distance = {d.unitid: d for d in ipeds_distance.load(dist_read)}

    rows = []
    for inst in institutions:
        row: dict[str, Any] = {
            "unitid": inst.unitid,
            "name": inst.name,
            "alias": inst.alias,
            "city": inst.city,
            "state": inst.state,
            "zip": inst.zip,
            "county": inst.county,
            "website": inst.website,
            "control": inst.control,
            "control_label": ipeds_hd.CONTROL_LABELS.get(inst.control or 0),
            "hloffer": inst.hloffer,
            "carnegie_basic": inst.carnegie_basic,
            "cbsa": inst.cbsa,
            "cbsa_type": inst.cbsa_type,
            "opeid": inst.opeid,
            "opeid6": inst.opeid6,
            "latitude": inst.latitude,
            "longitude": inst.longitude,
            "active": inst.active,
            "source_id": hd_read.info.id,
        }
        found = acc.by_unitid.get(inst.unitid) or acc.by_opeid6_2018.get(inst.opeid6)
        if found is not None:
            row.update(
                accreditor=found.name,
                accreditor_source_id=acc_read.info.id,
                accreditor_vintage=found.vintage,
                accreditor_note=None
                if found.unitid is not None
                else "From the 2018 file (matched on OPEID6): no accreditor in the newer extract.",
            )
        else:
            row.update(
                accreditor=None,
                accreditor_source_id=acc_read.info.id,
                accreditor_vintage=None,
                accreditor_note="No institutional accreditor on file in the sources GradPath reads "
                "(Scorecard extract ~2022, ED file 2018); check the Department of Education's DAPIP.",
            )
        d = distance.get(inst.unitid)
        row.update(
            distance_exclusive_share=d.exclusive_share if d else None,
            distance_some_share=d.some_share if d else None,
            distance_enrollment=d.total if d else None,
            distance_year=d.year if d else None,
            distance_scope=d.scope if d else None,
            distance_source_id=dist_read.info.id if d else None,
        )
        rows.append(row)
    ctx.count("institutions", bulk_insert(ctx.conn, schema.institution, rows))
    ctx.state["institutions"] = {r["unitid"]: r for r in rows}
    ctx.state["hd_rows"] = institutions

    # CBSAs where institutions are; OEWS publishes only the metropolitan ones.
    states_by_cbsa: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, str] = {}
    for inst in institutions:
        if inst.cbsa:
            states_by_cbsa[inst.cbsa][inst.state] += 1
            types[inst.cbsa] = inst.cbsa_type or "metro"
    metros = ctx.state.get("oews_metros", set())
    ctx.count(
        "cbsas",
        bulk_insert(
            ctx.conn,
            schema.cbsa,
            (
                {
                    "code": code,
                    "type": types[code],
                    "state": states.most_common(1)[0][0],
                    "oews_area": code if code in metros else None,
                    "source_id": hd_read.info.id,
                }
                for code, states in states_by_cbsa.items()
            ),
        ),
    )

    prog = [
        {
            "id": i,
            "institution": s.institution,
            "unitid": None,
            "program": s.program,
            "degree_level": s.degree_level,
            "accreditor": s.accreditor,
            "status": s.status,
            "accredited": s.accredited,
            "as_of": s.as_of,
            "source_url": s.source_url,
            "note": s.note or None,
            "source_id": acc_read.info.id,
        }
        for i, s in enumerate(acc.programmatic, start=1)
    ]
    ctx.count("programmatic_accreditation", bulk_insert(ctx.conn, schema.programmatic_accreditation, prog))


def load_offerings(ctx: BuildContext, tiers: dict[str, tuple[str, str]]) -> None:
    """Master's offerings (institution × 6-digit CIP) with award trends and field-level outcomes.

    ``tiers`` maps each 6-digit CIP code to (tier, rationale) for healthcare AI.
    """
    families = ctx.settings.cip_families
    comp_read = ctx.reads[ipeds_completions.INFO.id]
    ctx.reporter.stage("IPEDS completions → offerings")
    completions = ipeds_completions.load(comp_read, families)
    fos_read = ctx.reads[scorecard_fos.INFO.id]
    outcomes = scorecard_fos.load(fos_read, families)
    institutions: dict[int, dict[str, Any]] = ctx.state["institutions"]
    titles: dict[str, str] = ctx.state["cip_titles"]

    by_key: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for c in completions:
        by_key[(c.unitid, c.cip)][c.year] = by_key[(c.unitid, c.cip)].get(c.year, 0) + c.awards
    latest_year = max(ipeds_completions.YEARS)

    fos_by_key: dict[tuple[int, str], scorecard_fos.FieldOutcome] = {}
    for o in outcomes:
        if o.unitid is not None:
            fos_by_key[(o.unitid, o.cip4)] = o
    ctx.count(
        "field_outcomes",
        bulk_insert(
            ctx.conn,
            schema.field_outcome,
            (
                {
                    "unitid": o.unitid,
                    "cip4": o.cip4,
                    "institution_name": o.institution_name,
                    "cip4_title": o.cip4_title,
                    "completers": o.completers,
                    "earnings_1yr": o.earnings_1yr,
                    "earnings_4yr": o.earnings_4yr,
                    "debt_median": o.debt_median,
                    "in_ipeds": o.unitid in institutions,
                    "source_id": fos_read.info.id,
                }
                for o in fos_by_key.values()
            ),
        ),
    )
    ctx.state["fos_rows_without_unitid"] = sum(1 for o in outcomes if o.unitid is None)
    ctx.state["fos_rows"] = len(fos_by_key)
    ctx.state["fos_rows_in_ipeds"] = sum(1 for k in fos_by_key if k[0] in institutions)

    offering_rows = []
    award_rows: list[dict[str, Any]] = []
    dropped = 0
    for (unitid, code), years in sorted(by_key.items()):
        if unitid not in institutions:
            dropped += 1  # reported in an earlier year by an institution gone from HD2024 (closed/merged)
            continue
        if code not in tiers:
            raise SourceError(
                ctx.settings.curated_dir / "cip_relevance.yaml",
                f"no relevance tier for CIP {code} (reported by UNITID {unitid})",
                column=code,
            )
        last = max(years)
        oid = f"{unitid}-{code}"
        tier, rationale = tiers[code]
        fos = fos_by_key.get((unitid, code[:5]))
        row: dict[str, Any] = {
            "id": oid,
            "unitid": unitid,
            "cip": code,
            "cip4": code[:5],
            "cip_title": titles.get(code, f"CIP {code} (not in CIP 2020)"),
            "current": last == latest_year,
            "last_reported_year": last,
            "awards_latest": years[last],
            "tier": tier,
            "tier_rationale": rationale,
            "fos_source_id": fos_read.info.id,
            "source_id": comp_read.info.id,
        }
        row.update(_outcome_columns(fos, fos_read.layout))
        offering_rows.append(row)
        award_rows.extend(
            {"offering_id": oid, "year": y, "awards": n, "source_id": comp_read.info.id}
            for y, n in sorted(years.items())
        )
    ctx.count("offerings", bulk_insert(ctx.conn, schema.offering, offering_rows))
    ctx.count("awards", bulk_insert(ctx.conn, schema.award, award_rows))
    ctx.state["offerings_dropped_closed"] = dropped
    ctx.state["current_offering_keys"] = [(r["unitid"], r["cip"]) for r in offering_rows if r["current"]]
    if dropped:
        ctx.warn(f"{dropped} offerings reported only before 2024 by institutions absent from HD2024 were left out")


def _outcome_columns(fos: scorecard_fos.FieldOutcome | None, layout: str) -> dict[str, Any]:
    if fos is None:
        return {
            "fos_status": "no_record",
            "fos_completers": None,
            "earnings_1yr": None,
            "earnings_4yr": None,
            "debt_median": None,
            "earnings_1yr_note": NOTE_NO_RECORD,
            "earnings_4yr_note": NOTE_NO_RECORD,
            "debt_note": NOTE_NO_RECORD,
        }

    def note(status: str) -> str | None:
        if status == "published":
            return None
        if layout == "mirror":
            return NOTE_MIRROR_NULL
        return NOTE_SUPPRESSED if status == "suppressed" else NOTE_MISSING

    statuses = [fos.earnings_1yr_status, fos.earnings_4yr_status, fos.debt_status]
    published = sum(s == "published" for s in statuses)
    overall = "published" if published == 3 else "partial" if published else "suppressed"
    return {
        "fos_status": overall,
        "fos_completers": fos.completers,
        "earnings_1yr": fos.earnings_1yr,
        "earnings_4yr": fos.earnings_4yr,
        "debt_median": fos.debt_median,
        "earnings_1yr_note": note(fos.earnings_1yr_status),
        "earnings_4yr_note": note(fos.earnings_4yr_status),
        "debt_note": note(fos.debt_status),
    }
