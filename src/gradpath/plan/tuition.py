"""Tuition: the program's price from the best available source, always labelled.

Tuition sources are ranked (see :func:`choose_tuition`): a verified program fact (stated total, else
per-credit rate x credits) beats an institution-level graduate rate (its scope, residency and year
shown, a stale year flagged), which beats the user's own figure; with none of them the quote is
"cost unknown" with ``amount=None`` — never an invented estimate and never 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gradpath.plan.assumptions import DEFAULTS

if TYPE_CHECKING:
    from gradpath.plan.eligibility import OfferingFacts

TuitionBasis = Literal["program_total", "per_credit_x_credits", "institution_rate", "user", "unknown"]
Residency = Literal["resident", "nonresident", "all", "online"]
Per = Literal["program", "credit", "term", "semester", "year", "course"]


@dataclass(frozen=True)
class StatedRate:
    """One tuition rate as a page states it: a program fact or an institution-level rate."""

    amount: float
    per: Per
    residency: Residency | None = None
    year: str | None = None
    source_url: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class TuitionQuote:
    """The tuition the plan uses, with where it came from. ``amount=None`` means unknown."""

    amount: float | None
    basis: TuitionBasis
    label: str
    residency: Residency | None = None
    year: str | None = None
    year_start: int | None = None
    stale: bool | None = None
    source_url: str | None = None
    scope: str | None = None


def parse_academic_year(text: str | None) -> int | None:
    """The calendar year an academic year starts in: "2023-2024" → 2023, "Spring 2024" → 2023.

    Fall/autumn terms start their academic year; spring, summer and winter terms belong to the year
    that started the previous fall. Returns ``None`` when no year is stated.
    """
    if not text or text.strip().lower() in {"null", "none", "n/a"}:
        return None
    low = text.lower()
    span = re.search(r"\b((?:19|20)\d{2})\s*[-–/]\s*\d{2,4}\b", low)
    if span:
        return int(span.group(1))
    single = re.search(r"\b((?:19|20)\d{2})\b", low)
    if single is None:
        return None
    year = int(single.group(1))
    return year - 1 if re.search(r"\b(spring|summer|winter)\b", low) else year


def is_stale(year_start: int | None, as_of_year: int, stale_after_years: int) -> bool | None:
    """Whether a rate's academic year is too old; ``None`` (unknown) when the year is not stated."""
    return None if year_start is None else as_of_year - year_start > stale_after_years


def _residency_rank(rate: Residency | None, person: Residency | None, online: bool | None) -> int | None:
    """0 exact match, 1 applies to everyone, 2 residency unknown; ``None`` when it does not apply."""
    if rate is None or rate == "all":
        return 1
    if rate == "online":
        return 0 if online is True else None  # an unknown format never counts as online
    if person is None:
        return 2
    return 0 if rate == person else None


_COUNT_FOR: dict[str, str] = {"credit": "credits", "term": "terms", "semester": "terms", "year": "years",
                              "course": "courses"}  # fmt: skip


def _quantity(rate: StatedRate, counts: dict[str, float | None]) -> tuple[float | None, str]:
    if rate.per == "program":
        return 1.0, ""
    key = _COUNT_FOR[rate.per]
    value = counts[key]
    return value, f" x {value:g} {key}" if value is not None else ""


def _describe(rate: StatedRate, quantity_text: str, stale: bool | None) -> str:
    parts = [p for p in (rate.residency, rate.year or "year not stated", rate.scope) if p]
    flag = "; STALE year" if stale else "; year unknown" if stale is None and rate.year else ""
    return f"${rate.amount:,.2f} per {rate.per}{quantity_text} ({'; '.join(parts)}{flag})"


def choose_tuition(
    *,
    program_rates: Sequence[StatedRate] = (),
    institution_rates: Sequence[StatedRate] = (),
    user_amount: float | None = None,
    credits: float | None = None,
    terms: float | None = None,
    years: float | None = None,
    courses: float | None = None,
    residency: Residency | None = None,
    online: bool | None = None,
    as_of_year: int,
    stale_after_years: int = DEFAULTS.tuition_stale_after_years,
) -> TuitionQuote:
    """Pick the program's tuition from the best available source, labelled.

    Order: program total; program per-credit rate x ``credits``; institution-level rate x the
    matching count (credits, terms, years or courses); the user's figure; else unknown. Within a
    tier, a rate for the person's residency beats one for everyone; newer years beat older; when
    the residency is not given the higher rate is used (never the flattering one). Program rates
    must be stated per program or per credit.
    """
    counts: dict[str, float | None] = {"credits": credits, "terms": terms, "years": years, "courses": courses}
    tiers: list[tuple[TuitionBasis, list[StatedRate]]] = [
        ("program_total", [r for r in program_rates if r.per == "program"]),
        ("per_credit_x_credits", [r for r in program_rates if r.per == "credit"]),
        ("institution_rate", list(institution_rates)),
    ]
    if any(r.per not in ("program", "credit") for r in program_rates):
        raise ValueError("program tuition facts must be stated per program or per credit")
    for basis, rates in tiers:
        usable: list[tuple[tuple[int, float, int, float], StatedRate, float, str]] = []
        for rate in rates:
            rank = _residency_rank(rate.residency, residency, online)
            quantity, quantity_text = _quantity(rate, counts)
            if rank is None or quantity is None:
                continue
            year = parse_academic_year(rate.year)
            # unknown residency: the higher rate first, so the plan never shows the flattering price
            total = rate.amount * quantity
            key = (rank, -total if rank == 2 else 0.0, -(year if year is not None else -1), -total)
            usable.append((key, rate, quantity, quantity_text))
        if not usable:
            continue
        _, rate, quantity, quantity_text = min(usable, key=lambda item: item[0])
        year_start = parse_academic_year(rate.year)
        stale = is_stale(year_start, as_of_year, stale_after_years)
        what = _describe(rate, quantity_text, stale)
        label = {
            "program_total": f"program tuition as stated: {what}",
            "per_credit_x_credits": f"program per-credit rate: {what}",
            "institution_rate": f"institution-level graduate rate, not this program's own price: {what}",
        }[basis]
        return TuitionQuote(
            rate.amount * quantity, basis, label, rate.residency, rate.year, year_start, stale,
            rate.source_url, rate.scope,
        )  # fmt: skip
    if user_amount is not None:
        if user_amount < 0:
            raise ValueError("user tuition must not be negative")
        return TuitionQuote(user_amount, "user", f"your own figure: ${user_amount:,.0f}")
    return unknown_tuition("cost unknown: no program tuition, usable institution rate or own figure")


# Institution rates for another population or pace are not this plan's price (summer sessions,
# non-degree and certificate students, worked examples, MBA rates, the other study pace).
_RATE_SKIP = re.compile(
    r"summer|non-degree|certificate|example|\bmba\b|\bmph\b|architecture|genetic counsel|\blaw\b|\bdnp\b|dental"
)
RATE_RULE = ("institution-level rates whose scope names summer sessions, non-degree or certificate students, worked "
             "examples, another professional degree (MBA, MPH, architecture, law, genetic counseling, DNP, dental), "
             "the other study pace (full-time vs part-time), or a whole-program price, are not used")  # fmt: skip


def stated_program_rates(facts: OfferingFacts | None) -> list[StatedRate]:
    """A program's verified tuition facts as rates: totals per program, per-credit rates, each variant (residency
    read from its wording), with the stated tuition year."""
    year_fact = facts.first("tuition_year") if facts else None
    year = None if year_fact is None else str(year_fact.value)
    rates = []
    for name, per in (("tuition_total_usd", "program"), ("tuition_per_credit_usd", "credit")):
        for f in facts.all(name) if facts else []:
            for label, amount in f.value.items() if isinstance(f.value, dict) else [(None, f.value)]:
                low = (label or "").lower()
                residency = "nonresident" if re.search(r"non.?resident|out.of.state", low) else (
                    "resident" if re.search(r"resident|in.state", low) else None)  # fmt: skip
                rates.append(StatedRate(float(amount), per, residency, year, f.source_url, label))  # type: ignore[arg-type]
    return rates


def rate_applies(rate: StatedRate, part_time: bool) -> bool:
    """Whether an institution-level rate can stand in for this plan's price (see :data:`RATE_RULE`)."""
    scope = (rate.scope or "").lower()
    other_pace = r"full.?time|\b9\+|12\+" if part_time else r"part.?time"
    return rate.per != "program" and not _RATE_SKIP.search(scope) and not re.search(other_pace, scope)


def unknown_tuition(reason: str) -> TuitionQuote:
    """A tuition quote that says what is missing (amount ``None``)."""
    return TuitionQuote(None, "unknown", reason)
