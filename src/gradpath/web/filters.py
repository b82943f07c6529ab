"""Template filters: money, numbers and percentages that never show unknown as 0."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def money(value: float | None, unknown: str = "not available") -> str:
    """$120,230 — or the word for unknown."""
    return unknown if value is None else f"${value:,.0f}"


def number(value: float | None, unknown: str = "not available") -> str:
    """12,345 — or the word for unknown."""
    if value is None:
        return unknown
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def percent(value: float | None, unknown: str = "not available", share: bool = False) -> str:
    """33.5% (``share`` multiplies a 0–1 share by 100)."""
    if value is None:
        return unknown
    return f"{value * 100 if share else value:.1f}%"


FILTERS: dict[str, Callable[..., Any]] = {"money": money, "number": number, "percent": percent}
