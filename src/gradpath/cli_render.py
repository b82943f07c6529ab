"""Human-readable terminal output for the CLI (the JSON output is the contract; this is for people)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def money(value: float | None, reason: str | None = None, at_least: float | None = None) -> str:
    """$1,234 — or why there is no number (never 0)."""
    if value is not None:
        return f"${value:,.0f}"
    if at_least is not None:
        return f"≥ ${at_least:,.0f}"
    return "—" if reason is None else "n/a"


def render_occupation(doc: dict[str, Any]) -> None:
    """An occupation's wages and outlook as a small report."""
    console = Console()
    area = doc["area"]
    console.print(f"[bold]{doc['soc']} {doc['title']}[/] — {area['name']} ({area['type']})")
    if area.get("fallback"):
        console.print(f"[yellow]{area['fallback']}[/]")
    annual = doc["wages"]["annual"]
    table = Table("p10", "p25", "median", "p75", "p90", "mean", title="Annual wages, OEWS May 2025")
    keys = ("p10", "p25", "median", "p75", "p90", "mean")
    table.add_row(*[money(annual[k], annual.get(f"{k}_reason"), annual.get(f"{k}_at_least")) for k in keys])
    console.print(table)
    for k in keys:
        if annual.get(f"{k}_reason"):
            console.print(f"  {k}: {annual[f'{k}_reason']}")
    emp = doc["wages"]["employment"]
    console.print(f"Employment: {emp:,}" if emp is not None else f"Employment: {doc['wages'].get('employment_reason')}")
    o = doc["outlook"]
    growth = f"{o['growth_percent']}%" if o.get("growth_percent") is not None else "not projected"
    console.print(
        f"Outlook {o['period']}: {growth} (all occupations {o['all_occupations_growth_percent']}%), "
        f"openings/yr {o.get('openings_annual') or '—'}, entry education: {o.get('entry_education') or '—'}"
    )


def render_offerings(doc: dict[str, Any]) -> None:
    """A page of offerings as a table."""
    console = Console()
    table = Table(
        "id",
        "institution",
        "state",
        "cip",
        "field",
        "awards",
        "earn 1y",
        "debt",
        title=f"{doc['count']:,} offerings (showing {len(doc['results'])} from {doc['offset']})",
    )
    for r in doc["results"]:
        table.add_row(
            r["id"],
            r["institution"],
            r["state"],
            r["cip"],
            r["field"],
            str(r["awards_latest"]) if r["awards_latest"] is not None else "—",
            money(r["earnings_1yr"], r.get("earnings_1yr_reason")),
            money(r["debt_median"], r.get("debt_median_reason")),
        )
    console.print(table)
