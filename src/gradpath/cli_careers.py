"""`gradpath careers list|show` and `gradpath claims check`: thin commands over gradpath.careers and
gradpath.claims.

Only typer is imported at module level; the services, SQLAlchemy and rich load inside the commands
(``careers show`` has a 300 ms end-to-end budget). The shared helpers come from gradpath.cli at call
time, because gradpath.cli imports this module to mount it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

careers_app = typer.Typer(
    help="Career roles: wages where you live (OEWS May 2025), outlook (EP 2024–34), skills, certifications.",
    no_args_is_help=True,
)
claims_app = typer.Typer(
    help="Check third-party wage, growth and employment claims against BLS data.", no_args_is_help=True
)

AREA_HELP = "national, a state code (MA), a CBSA (14460), a name fragment (Boston) or unitid:NNNNNN."


def _money(block: dict[str, Any], key: str) -> str:
    value = block.get(key)
    if value is not None:
        return f"${value:,.0f}"
    if block.get(f"{key}_at_least") is not None:
        return f"≥ ${block[f'{key}_at_least']:,.0f}"
    return "n/a"


@careers_app.command("list")
def careers_list(
    area: str = typer.Option("national", "--area", help=AREA_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Every career role with its blended median wage in an area, growth and program count."""
    from gradpath.areas import AreaError
    from gradpath.careers import list_roles
    from gradpath.cli_common import catalog, emit_json, fail

    with catalog() as conn:
        try:
            doc = list_roles(conn, area)
        except AreaError as exc:
            fail(str(exc), 2, {"candidates": exc.candidates} if exc.candidates else None)
    if json_output:
        emit_json(doc)
        return
    from rich.console import Console
    from rich.table import Table

    area_doc = doc["area"]
    table = Table(
        "role",
        "title",
        "median (OEWS May 2025)",
        "growth 2024–34",
        "programs",
        title=f"Career roles — {area_doc['name']}",
    )
    for r in doc["roles"]:
        growth = f"{r['growth_percent']}%" if r["growth_percent"] is not None else "not projected"
        table.add_row(r["id"], r["title"], _money(r["median_annual"], "median"), growth, f"{r['programs_count']:,}")
    console = Console()
    if area_doc.get("fallback"):
        console.print(f"[yellow]{area_doc['fallback']}[/]")
    console.print(table)
    console.print(f"All occupations grow {doc['all_occupations_growth_percent']}% over 2024–34 (BLS EP).")


@careers_app.command("show")
def careers_show(
    role: str = typer.Argument(..., help="Role id, e.g. healthcare-ai-specialist (see `careers list`)."),
    area: str = typer.Option("national", "--area", help=AREA_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """A role's wages in an area (blend of its SOCs, each shown), outlook, skills and certifications."""
    from gradpath.areas import AreaError
    from gradpath.careers import RoleNotFound, show_role
    from gradpath.cli_common import catalog, emit_json, fail

    with catalog() as conn:
        try:
            doc = show_role(conn, role, area)
        except AreaError as exc:
            fail(str(exc), 2, {"candidates": exc.candidates} if exc.candidates else None)
        except RoleNotFound as exc:
            fail(str(exc), 1)
    if json_output:
        emit_json(doc)
        return
    _render_role(doc)


def _render_role(doc: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{doc['title']}[/] — {doc['area']['name']}")
    if doc["area"].get("fallback"):
        console.print(f"[yellow]{doc['area']['fallback']}[/]")
    keys = ("p10", "p25", "median", "p75", "p90", "mean")
    table = Table("", *keys, title="Annual wages, OEWS May 2025 (blend of the role's occupations)")
    table.add_row(doc["area"]["name"], *[_money(doc["wages"]["annual"], k) for k in keys])
    if doc["area"]["code"] != "national":
        table.add_row("National", *[_money(doc["national_wages"]["annual"], k) for k in keys])
    for s in doc["socs"]:
        table.add_row(
            f"{s['soc']} {s['title']} (share {s['weight']:g})", *[_money(s["wages"]["annual"], k) for k in keys]
        )
    console.print(table)
    for note in doc["wages"].get("notes", []):
        console.print(f"  [yellow]note:[/] {note}")
    o = doc["outlook"]
    growth = f"{o['growth_percent']}%" if o.get("growth_percent") is not None else "not projected"
    console.print(
        f"Outlook {o['period']}: {growth} (all occupations {o['all_occupations_growth_percent']}%), "
        f"share-weighted openings a year {o['openings_annual'] if o.get('openings_annual') is not None else 'n/a'}"
    )
    console.print("Skills: " + ", ".join(f"{s['title']} ({s['level']})" for s in doc["skills"]))
    for c in doc["certifications"]:
        console.print(f"Certification: {c['name']} — {c['when_label']}: {c['when_note']}")
    console.print(f"{doc['programs_count']:,} current master's offerings in the role's CIP families.")


@claims_app.command("check")
def claims_check(
    path: Path = typer.Argument(..., help="A claims YAML file, e.g. docs/claims/careers-article-claims.yaml."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Compare each claim with the official BLS figure: supported, close, unsupported or not_checkable."""
    from gradpath.claims import check_file
    from gradpath.cli_common import catalog, emit_json, fail
    from gradpath.sources.base import SourceError

    with catalog() as conn:
        try:
            report = check_file(conn, path)
        except SourceError as exc:
            fail(str(exc), 2)
    if json_output:
        emit_json(report)
        return
    from rich.console import Console

    console = Console()
    for r in report["claims"]:
        console.print(f"[bold]{r['id']}[/]: {r['verdict']}")
        console.print(f"  {r['explanation']}", highlight=False)
    console.print(", ".join(f"{v}: {n}" for v, n in report["summary"].items()))
