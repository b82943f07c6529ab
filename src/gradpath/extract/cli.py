"""CLI commands of the extractor; registered on the main Typer app by ``gradpath.cli``.

Thin: parse arguments, call the extract service, print. Errors go to stderr with exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _print_fields(doc: dict[str, Any]) -> None:
    typer.echo(f"url: {doc['url'] or '(unknown)'}")
    for name, fv in doc["fields"].items():
        value = fv["value"]
        shown = "—" if value in (None, []) else json.dumps(value, ensure_ascii=False)
        typer.echo(f"{name:26} {shown}" + (f"   [{fv['confidence']:.2f}]" if value not in (None, []) else ""))


def extract_command(
    source: str = typer.Argument(..., help="A PAGE.txt file (URL line, blank line, text) or an http(s) URL."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Read a program page and print its facts, each with the quote that supports it."""
    from gradpath.config import get_settings
    from gradpath.extract import extract_text, load_page
    from gradpath.extract.fetch import FetchError, fetch_page
    from gradpath.extract.text import PageFormatError
    from gradpath.extract.topics import TaxonomyError

    url: str | None
    try:
        if source.startswith(("http://", "https://")):
            page = fetch_page(source, get_settings())
            url, text = page.final_url, page.text
        else:
            url, text = load_page(Path(source))
        doc = extract_text(url, text).to_json()
    except FileNotFoundError:
        _fail(f"{source}: no such file")
    except (FetchError, PageFormatError, TaxonomyError, OSError) as exc:
        _fail(str(exc))
    else:
        if json_output:
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            _print_fields(doc)


def extract_eval_command(
    labels: Path = typer.Argument(..., help="labels.jsonl (one labelled page per line, with `slug`)."),
    pages_dir: Path = typer.Argument(..., help="Directory of <slug>.txt pages in the PAGE.txt format."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Score the extractor on labelled pages: per-field P/R/F1, invented values, evidence, speed."""
    from gradpath.extract.evaluate import LabelsError, evaluate
    from gradpath.extract.text import PageFormatError
    from gradpath.extract.topics import TaxonomyError

    try:
        report = evaluate(labels, pages_dir).to_json()
    except (LabelsError, PageFormatError, TaxonomyError, OSError) as exc:
        _fail(str(exc))
    else:
        if json_output:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
            return
        micro = report["scalar_micro"]
        typer.echo(f"pages {report['pages']}  ({len(report['missing_pages'])} labelled pages missing)")
        typer.echo(f"scalar micro P/R/F1  {micro['precision']} / {micro['recall']} / {micro['f1']}")
        typer.echo(f"curriculum_topics F1 {report['curriculum_topics_f1']}")
        typer.echo(f"invented-value rate  {report['invented_rate']}   evidence validity {report['evidence_validity']}")
        typer.echo(f"pages/second         {report['pages_per_second']}")
        for name, s in report["fields"].items():
            typer.echo(
                f"  {name:26} P {s['precision']}  R {s['recall']}  F1 {s['f1']}"
                f"  (tp {s['tp']} fp {s['fp']} fn {s['fn']})"
            )
