"""``gradpath plan PROFILE``: rank every current offering for one person, or plan one program in depth.

Thin: read the profile file, call :mod:`gradpath.plan.service`, print. ``--json`` prints one JSON
document on stdout; an invalid profile is an error naming the key, on stderr, with exit code 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

PROFILE_ARGUMENT = typer.Argument(..., help="Profile file (.toml or .json); see docs/plan.md.", exists=False)


def plan_command(
    profile: Path = PROFILE_ARGUMENT,
    top: int | None = typer.Option(None, "--top", min=1, max=500, help="Programs to show (default: the profile's)."),
    program: str | None = typer.Option(None, "--program", help="Plan one offering in depth, e.g. 166027-51.2706."),
    pdf: Path | None = typer.Option(None, "--pdf", help="With --program: also write the printable plan as a PDF."),
    as_of: str | None = typer.Option(None, "--as-of", help="Plan as of this date (YYYY-MM-DD); default today."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Eligibility, timeline, cost and ROI of every current offering for PROFILE, ranked by fit."""
    from gradpath.catalog import OfferingNotFound
    from gradpath.cli_common import catalog, emit_json, fail
    from gradpath.plan.profile import ProfileError, load_profile
    from gradpath.plan.service import plan_program, run_plan

    if pdf is not None and program is None:
        fail("--pdf needs --program ID", 2)
    try:
        today = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(f"--as-of: {as_of!r} is not a date like 2026-11-27", 2)
    try:
        person = load_profile(profile)
    except ProfileError as exc:
        fail(str(exc), 2)
    with catalog() as conn:
        try:
            doc = plan_program(conn, person, program, today=today) if program else run_plan(
                conn, person, today=today, top=top)  # fmt: skip
        except ProfileError as exc:
            fail(str(exc), 2, {"candidates": exc.candidates} if exc.candidates else None)
        except OfferingNotFound as exc:
            fail(str(exc), 1)
    if pdf is not None:
        from gradpath.plan.pdf import plan_pdf

        pdf.write_bytes(plan_pdf(doc))
    if json_output:
        emit_json(doc)
        return
    _render(doc, program is not None, pdf)


def _money(value: float | None) -> str:
    if value is None:
        return "unknown"
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def _months(value: float | None) -> str:
    return "unknown" if value is None else f"{value:g} mo"


def _render(doc: dict[str, Any], one: bool, pdf: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    resolved = doc["resolved"]
    console.print(f"[bold]Area:[/] {resolved['area']['name']}   [bold]Current salary:[/] "
                  f"{_money(resolved['current_salary']['amount'])} ({resolved['current_salary']['note']})")  # fmt: skip
    if one:
        console.print(f"[bold]{doc['institution']}[/] — {doc['field']} ({doc['id']}): score {doc['score']:g}")
        if doc["program"]:
            console.print(f"  program: {doc['program']['name']} — {doc['program']['note']}")
        for lp in doc["linked_programs"]:
            if not lp["used"]:
                status = (
                    "excluded: " + "; ".join(lp["excluded_because"]) if lp["excluded"] else f"score {lp['score']:g}"
                )
                console.print(f"  also linked: {lp['name']} ({status})")
        for reason in doc["excluded_because"]:
            console.print(f"  [red]excluded:[/] {reason}")
        table = Table("component", "points", "weight", "how")
        for name, c in doc["components"].items():
            table.add_row(name, f"{c['points']:g}", f"{c['weight']:g}", c["note"])
        console.print(table)
        for s in doc["scenarios"].values():
            console.print(f"{s['label']}: {_months(s['timeline']['months'])}, net cost {_money(s['cost']['total'])}, "
                          f"NPV {_money(s['roi']['npv'])}")  # fmt: skip
        if pdf is not None:
            console.print(f"PDF written to {pdf}")
        return
    counts = doc["counts"]
    console.print(f"{counts['candidates']:,} current offerings, {counts['verified']} with verified facts; "
                  f"{counts['excluded']} excluded by hard constraints; showing {counts['shown']}.")  # fmt: skip
    table = Table("#", "score", "program", "part-time", "full-time", "net cost", "NPV", "flags")
    for p in doc["programs"]:
        tl = p["timeline"]
        table.add_row(str(p["rank"]), f"{p['score']:g}", f"{p['institution']} — {p['field']} ({p['id']})",
                      _months(tl["parttime"]["months"]), _months(tl["fulltime"]["months"]), _money(p["cost"]["total"]),
                      _money(p["roi"]["npv"]), str(len(p["flags"])))  # fmt: skip
    console.print(table)
