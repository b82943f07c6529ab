"""What every ``gradpath`` command shares: one JSON document on stdout, errors on stderr with an exit
code, and a connection to the live catalog. Only typer and the standard library load here."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def fail(message: str, code: int = 1, extra: Any = None) -> NoReturn:
    """Print an error to stderr and exit with ``code``."""
    sys.stderr.write(f"error: {message}\n")
    if extra:
        sys.stderr.write(json.dumps(extra, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(code)


@contextmanager
def catalog() -> Iterator[Connection]:
    """A connection to the live catalog, or a clear error when there is none."""
    from gradpath.config import get_settings
    from gradpath.db import CatalogMissing, open_catalog

    try:
        engine = open_catalog(get_settings())
    except CatalogMissing as exc:
        fail(str(exc))
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
