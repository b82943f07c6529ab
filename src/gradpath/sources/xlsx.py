"""Reading Excel workbooks fast (python-calamine), with errors that name the file and sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gradpath.sources.base import SourceError


def sheet_names(path: Path) -> list[str]:
    """Sheet names of a workbook."""
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise SourceError(path, f"not a readable Excel workbook: {exc}") from None


def read_sheet(path: Path, sheet: str | int = 0) -> list[list[Any]]:
    """All rows of one sheet as Python values (numbers as float, text as str, empty as '')."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise SourceError(path, f"not a readable Excel workbook: {exc}") from None
    try:
        ws = book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
    except Exception:
        raise SourceError(path, f"sheet {sheet!r} not found; sheets are {', '.join(book.sheet_names)}") from None
    rows: list[list[Any]] = ws.to_python(skip_empty_area=False)
    return rows
