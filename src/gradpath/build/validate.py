"""Checks a finished build must pass before it may replace the live catalog.

Ranges are wide on purpose: they catch a truncated or foreign file (a third of the rows, the wrong
sheet), not a publisher's ordinary year-to-year change. Each failure names the check and the value.
"""

from __future__ import annotations

from sqlalchemy import func, select

from gradpath import schema
from gradpath.build.context import BuildContext


class ValidationFailed(RuntimeError):
    """The build produced a catalog that does not look right; it is discarded."""


# table → (minimum, maximum) rows expected from full sources.
EXPECTED_ROWS: dict[str, tuple[int, int]] = {
    "area": (500, 700),
    "occupation": (800, 1500),
    "wage": (150_000, 400_000),
    "outlook": (800, 1500),
    "onet_occupation": (900, 1300),
    "onet_task": (15_000, 25_000),
    "onet_title": (40_000, 80_000),
    "cip": (2_000, 3_500),
    "cip_soc": (4_000, 8_000),
    "institution": (5_000, 8_000),
}


def validate(ctx: BuildContext, *, minimal: bool = False) -> list[str]:
    """Run every check; raise ValidationFailed listing all failures. ``minimal`` skips row ranges
    (for catalogs built from small test fixtures) but keeps the integrity checks."""
    conn = ctx.conn
    failures: list[str] = []
    if not minimal:
        for name, (low, high) in EXPECTED_ROWS.items():
            table = schema.metadata.tables[name]
            n = conn.execute(select(func.count()).select_from(table)).scalar_one()
            if not low <= n <= high:
                failures.append(f"{name}: {n:,} rows, expected {low:,}–{high:,}")
    current = conn.execute(
        select(func.count()).select_from(schema.offering).where(schema.offering.c.current.is_(True))
    ).scalar_one()
    if current == 0:
        failures.append("offering: no current offerings (latest completions year empty?)")
    orphans = conn.execute(
        select(func.count())
        .select_from(
            schema.offering.outerjoin(schema.institution, schema.offering.c.unitid == schema.institution.c.unitid)
        )
        .where(schema.institution.c.unitid.is_(None))
    ).scalar_one()
    if orphans:
        failures.append(f"offering: {orphans} offerings point to no institution")
    national_total = conn.execute(
        select(schema.wage.c.annual_median).where(schema.wage.c.soc == "00-0000", schema.wage.c.area_code == "national")
    ).first()
    if national_total is None or national_total[0] is None:
        failures.append("wage: no national all-occupations median (OEWS cross-industry totals missing)")
    fos_rows = ctx.state.get("fos_rows", 0)
    if fos_rows and not minimal:
        share = ctx.state.get("fos_rows_in_ipeds", 0) / fos_rows
        if share < 0.95:
            failures.append(f"field_outcome: only {share:.1%} of Scorecard rows join IPEDS HD (expected ≥ 95%)")
    for read in ctx.reads.values():
        for f in read.files:
            if len(f.sha256) != 64:
                failures.append(f"ledger: no checksum for {f.path}")
    if failures:
        raise ValidationFailed("; ".join(failures))
    return failures
