"""`gradpath review add|list|show|accept|reject` and `gradpath stats`: thin commands over
gradpath.review and gradpath.stats.

Only typer is imported at module level; the shared helpers come from gradpath.cli at call time,
because gradpath.cli imports this module to mount it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from gradpath.cli_common import JSON_OPTION

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

review_app = typer.Typer(
    help="The review queue: extracted program facts wait as proposed until a reviewer accepts or rejects them.",
    no_args_is_help=True,
)
NOTE_OPTION = typer.Option(None, "--note", help="The reviewer's note, kept with the decision.")


def _fail(message: str, code: int = 1, extra: Any = None) -> NoReturn:
    from gradpath.cli_common import fail

    fail(message, code, extra)


@contextmanager
def _queue() -> Iterator[Connection]:
    """One transaction on the catalog and the local store; review errors become exit codes."""
    from gradpath.config import get_settings
    from gradpath.db import CatalogMissing
    from gradpath.review import FactConflict, FactNotFound, ReviewError, review_engine

    try:
        engine = review_engine(get_settings())
    except CatalogMissing as exc:
        _fail(str(exc))
    try:
        with engine.begin() as conn:
            yield conn
    except ReviewError as exc:
        _fail(f"{exc.param}: {exc.message}", 2, {"candidates": exc.candidates} if exc.candidates else None)
    except FactNotFound as exc:
        _fail(str(exc), 1)
    except FactConflict as exc:
        _fail(str(exc), 3)
    finally:
        engine.dispose()


def _show(value: Any) -> str:
    return "—" if value in (None, []) else json.dumps(value, ensure_ascii=False)


def _emit(doc: Any, json_output: bool, render: Callable[[Any], None]) -> None:
    from gradpath.cli_common import emit_json

    if json_output:
        emit_json(doc)
    else:
        render(doc)


@review_app.command("add")
def review_add(
    source: str = typer.Argument(..., help="A PAGE.txt file (URL line, blank line, text) or an http(s) URL."),
    url: str | None = typer.Option(None, "--url", help="The page's URL when the PAGE.txt file has none."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="PAGE.txt only: the date the text was read (YYYY-MM-DD; default today)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Extract a page and queue its facts as proposed; a page extracted before shows a per-field diff."""
    from gradpath.config import get_settings
    from gradpath.extract import load_page
    from gradpath.extract.fetch import FetchError, fetch_page
    from gradpath.extract.text import PageFormatError
    from gradpath.extract.topics import TaxonomyError
    from gradpath.review import propose

    fetched_at = final_url = None
    try:
        if source.startswith(("http://", "https://")):
            page = fetch_page(source, get_settings())
            page_url, text, final_url, fetched_at = source, page.text, page.final_url, page.fetched_at
        else:
            page_url, text = load_page(Path(source))
    except FileNotFoundError:
        _fail(f"{source}: no such file")
    except (FetchError, PageFormatError, OSError) as exc:
        _fail(str(exc))
    page_url = url or page_url
    if not page_url:
        _fail(f"{source} names no URL on its first line: give --url (a fact must name its page)", 2)
    with _queue() as conn:
        try:
            doc = propose(conn, page_url, text, final_url=final_url, fetched_at=fetched_at, as_of=as_of)
        except TaxonomyError as exc:
            _fail(str(exc))
    _emit(doc, json_output, _render_proposal)


def _render_proposal(doc: dict[str, Any]) -> None:
    ext = doc["extraction"]
    typer.echo(f"extraction {ext['id']}  {ext['url']}  as of {ext['as_of']}  program: {doc['program'] or '(new)'}")
    if doc["unchanged_page"]:
        typer.echo("page and extractor unchanged since the last extraction: nothing new to review")
    for p in doc["proposals"]:
        typer.echo(f"  proposed #{p['id']:<5} {p['field']:26} {_show(p['value'])}")
    if doc["superseded"]:
        typer.echo(f"{doc['superseded']} older pending proposals superseded")
    changes = [d for d in doc["diff"] if d["change"] != "unchanged"]
    same = len(doc["diff"]) - len(changes)
    if doc["diff"] and not doc["unchanged_page"]:
        typer.echo(f"since the previous extraction: {len(changes)} fields changed, {same} unchanged")
    for d in changes:
        shown = f"{_show(d['old'])} → {_show(d['new'])}" if d["change"] == "changed" else _show(d["new"] or d["old"])
        decided = f"  (value already {d['decided']})" if d.get("decided") else ""
        typer.echo(f"  {d['change']:9} {d['field']:26} {shown}{decided}")


@review_app.command("list")
def review_list(
    status: str = typer.Option("proposed", "--status", help="proposed, accepted, rejected, superseded or all."),
    url: str | None = typer.Option(None, "--url", help="Only facts of this page."),
    limit: int = typer.Option(200, "--limit", help="Facts per page (1–1000)."),
    offset: int = typer.Option(0, "--offset", help="Facts to skip."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Facts in the queue with one status, newest first."""
    from gradpath.review import list_facts

    with _queue() as conn:
        doc = list_facts(conn, status, url, limit, offset)

    def render(d: dict[str, Any]) -> None:
        typer.echo(f"{d['count']} {d['status']} ({', '.join(f'{k} {v}' for k, v in d['counts'].items())})")
        for f in d["facts"]:
            typer.echo(f"  #{f['id']:<5} {f['status']:10} {f['field']:26} {_show(f['value'])}  {f['url']}")

    _emit(doc, json_output, render)


@review_app.command("show")
def review_show(fact_id: int = typer.Argument(..., help="Fact id."), json_output: bool = JSON_OPTION) -> None:
    """One fact: value, quote, page, as-of date, the catalog's current value and the previous proposal."""
    from gradpath.review import show_fact

    with _queue() as conn:
        doc = show_fact(conn, fact_id)
    _emit(doc, json_output, _render_fact)


def _render_fact(d: dict[str, Any]) -> None:
    typer.echo(f"fact #{d['id']} ({d['status']})  {d['field']} = {_show(d['value'])}")
    typer.echo(f"page:    {d['url']}  (as of {d['as_of']})")
    typer.echo(f"quote:   “{d['evidence']}”")
    program = d["program_detail"]["slug"] if d["program_detail"] else "(none yet: accept with --offering)"
    typer.echo(f"program: {program}")
    if d["catalog_value"]:
        c = d["catalog_value"]
        typer.echo(f"catalog: {_show(c['value'])} ({c['origin']}, as of {c['as_of']})")
    if d["previous"]:
        typer.echo(f"before:  {_show(d['previous']['value'])} (#{d['previous']['id']}, {d['previous']['status']})")
    if d["reviewer_note"]:
        typer.echo(f"note:    {d['reviewer_note']}")


def _render_decision(d: dict[str, Any]) -> None:
    fact = d["fact"]
    typer.echo(f"fact #{fact['id']} {fact['status']}: {fact['field']} = {_show(fact['value'])}")
    catalog = d["catalog"]
    typer.echo(f"catalog: {'written' if catalog['written'] else 'unchanged'} ({catalog['reason']})")


@review_app.command("accept")
def review_accept(
    fact_id: int = typer.Argument(..., help="Fact id."),
    note: str | None = NOTE_OPTION,
    offering: str | None = typer.Option(
        None, "--offering", help="UNITID-CIP6 of the IPEDS offering, when the page is no program yet."
    ),
    program_name: str | None = typer.Option(
        None, "--program-name", help="The program's name, when the page is no program yet and none was extracted."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Accept a fact: it becomes a verified program fact in the catalog (URL, quote, as-of date, note)."""
    from gradpath.review import accept_fact

    with _queue() as conn:
        doc = accept_fact(conn, fact_id, note, offering=offering, program_name=program_name)
    _emit(doc, json_output, _render_decision)


@review_app.command("reject")
def review_reject(
    fact_id: int = typer.Argument(..., help="Fact id."), note: str | None = NOTE_OPTION, json_output: bool = JSON_OPTION
) -> None:
    """Reject a fact; the decision is kept so the same value is not proposed again."""
    from gradpath.review import reject_fact

    with _queue() as conn:
        doc = reject_fact(conn, fact_id, note)
    _emit(doc, json_output, _render_decision)


def stats_command(json_output: bool = JSON_OPTION) -> None:
    """The market view over verified programs: topics, formats, GRE policies, credits (each with n)."""
    from gradpath.cli_common import catalog
    from gradpath.stats import market_stats

    with catalog() as conn:
        doc = market_stats(conn)

    def render(d: dict[str, Any]) -> None:
        typer.echo(f"{d['programs']} programs with verified facts. {d['note']}")
        for key in ("format", "formats_offered", "gre"):
            block = d[key]
            typer.echo(f"\n{block['what']} (n = {block['n']}):")
            for r in block["rows"]:
                typer.echo(f"  {r['value']:14} {r['programs']:>4}  {_pct(r['share'])}")
        topics = d["topics"]
        typer.echo(f"\n{topics['what']} (n = {topics['n']}):")
        for r in topics["rows"]:
            typer.echo(f"  {r['title'][:44]:44} {r['programs']:>4}  {_pct(r['share'])}")
        credits = d["credits"]
        typer.echo(f"\n{credits['what']} (n = {credits['n']}):")
        for g in credits["groups"]:
            quartiles = f"{g['p25']} / {g['median']} / {g['p75']}"
            typer.echo(f"  {g['label']}: n {g['n']}, min {g['min']}, quartiles {quartiles}, max {g['max']}")

    _emit(doc, json_output, render)


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.0f}%"
