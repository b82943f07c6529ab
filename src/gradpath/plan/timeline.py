"""Timeline: how long a program takes at a chosen pace, when it ends, and the weekly study load.

Duration comes from the best available basis, in this order:

1. ``stated`` — the program's own stated duration for that pace (months, or a [min, max] range);
2. ``fulltime_scaled_by_load`` — part-time only, when the page states only a full-time duration and
   no credit total: the full-time months stretched by the ratio of full-time to part-time credits
   a year (an assumption, shown as such);
3. ``credits_divided_by_load`` — required credits ÷ credits a term gives whole terms, laid on the
   term calendar below;
4. ``unknown`` — no stated duration and no credit total: months and graduation stay ``None``.

Ranges: a full-time plan uses the **lower** end of a stated full-time range (the program's standard
full-time sequence); a part-time plan uses the **upper** end of a stated part-time range (working
students tend toward the longer end, and the longer end never flatters payback). Both ends are
returned in ``months_range``. A part-time figure scaled from a full-time range scales the lower end
(so part-time / full-time equals the load ratio) and returns both scaled ends.

Part-time never finishes before full-time: when the part-time figure comes out shorter (odd page
statements or loads), the full-time result is used and the assumption says so.

Term calendar (a convention, not any school's calendar): spring runs 15 January–10 May, summer 15
May–10 August, fall 25 August–15 December. Two terms a year means fall and spring; three adds
summer. A stated duration ends at the term end nearest to start + months. Bridge (prerequisite)
terms come first, at the same pace, and add to the total.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from gradpath.plan.assumptions import LoadAssumptions, Loads

Season = Literal["spring", "summer", "fall"]
Basis = Literal["stated", "fulltime_scaled_by_load", "credits_divided_by_load", "unknown"]
CreditUnit = Literal["semester", "quarter"]
StatedMonths = float | int | tuple[float, float] | list[float] | None

TERM_START: dict[Season, tuple[int, int]] = {"spring": (1, 15), "summer": (5, 15), "fall": (8, 25)}
TERM_END: dict[Season, tuple[int, int]] = {"spring": (5, 10), "summer": (8, 10), "fall": (12, 15)}
_CYCLE: dict[int, tuple[Season, ...]] = {2: ("spring", "fall"), 3: ("spring", "summer", "fall")}
_ORDER: tuple[Season, ...] = ("spring", "summer", "fall")
_DAYS_PER_MONTH = 365.25 / 12
QUARTER_TO_SEMESTER = 2.0 / 3.0  # a quarter credit is two thirds of a semester credit
_SEASON_WORDS: dict[str, Season] = {
    "spring": "spring", "summer": "summer", "fall": "fall", "autumn": "fall", "winter": "spring",
    "january": "spring", "february": "spring", "march": "spring", "april": "spring",
    "may": "summer", "june": "summer", "july": "summer",
    "august": "fall", "september": "fall", "october": "fall", "november": "fall", "december": "fall",
}  # fmt: skip


@dataclass(frozen=True)
class Term:
    """One academic term on the planner's calendar."""

    season: Season
    year: int

    @property
    def starts(self) -> date:
        """First day of the term."""
        month, day = TERM_START[self.season]
        return date(self.year, month, day)

    @property
    def ends(self) -> date:
        """Last day of the term."""
        month, day = TERM_END[self.season]
        return date(self.year, month, day)

    def next(self, terms_per_year: int) -> Term:
        """The following term in a 2- or 3-term year."""
        cycle = _CYCLE[terms_per_year]
        after = [s for s in _ORDER[_ORDER.index(self.season) + 1 :] if s in cycle]
        return Term(after[0], self.year) if after else Term(cycle[0], self.year + 1)


@dataclass(frozen=True)
class Timeline:
    """When a plan starts and ends, how long it takes and what it asks of a week.

    ``months`` includes bridge terms; ``program_months`` does not. ``None`` means unknown.
    """

    part_time: bool
    basis: Basis
    months: float | None
    program_months: float | None
    bridge_months: float
    months_range: tuple[float, float] | None
    terms: int | None
    start: date | None
    program_start: date | None
    graduation: date | None
    weekly_hours: float
    credits_per_term: float
    assumption: str

    @property
    def years(self) -> float | None:
        """Duration in years, or ``None`` when unknown."""
        return None if self.months is None else self.months / 12.0


def parse_start_term(value: str | date) -> Term:
    """Read "Fall 2026", "autumn 2026", "2027 spring", "September 2026" or a date into a term.

    A date maps to the term whose season holds its month (January–April spring, May–July summer,
    August–December fall). Raises ``ValueError`` when no season and four-digit year can be read.
    """
    if isinstance(value, date):
        season: Season = "spring" if value.month <= 4 else "summer" if value.month <= 7 else "fall"
        return Term(season, value.year)
    text = value.strip().lower()
    year_match = re.search(r"\b(19|20)\d{2}\b", text)
    word = next((w for w in re.findall(r"[a-z]+", text) if w in _SEASON_WORDS), None)
    if year_match is None or word is None:
        raise ValueError(f"cannot read a start term from {value!r}; use e.g. 'Fall 2026' or a date")
    return Term(_SEASON_WORDS[word], int(year_match.group(0)))


def _ends(value: StatedMonths) -> tuple[float, float] | None:
    """A stated duration as (min, max) months; ``None`` when not stated."""
    if value is None:
        return None
    if isinstance(value, int | float):
        low = high = float(value)
    else:
        if len(value) != 2:
            raise ValueError(f"a duration range needs two ends, got {value!r}")
        low, high = float(min(value)), float(max(value))
    if low <= 0:
        raise ValueError(f"a stated duration must be positive, got {value!r}")
    return (low, high)


def _months_between(start: date, end: date) -> float:
    return round((end - start).days / _DAYS_PER_MONTH, 1)


def _add_months(start: date, months: float) -> date:
    whole = math.floor(months)
    month_index = start.month - 1 + whole
    year, month = start.year + month_index // 12, month_index % 12 + 1
    anchor = date(year, month, min(start.day, 28))
    return date.fromordinal(anchor.toordinal() + round((months - whole) * _DAYS_PER_MONTH))


def _nearest_term_end(target: date) -> date:
    years = (target.year - 1, target.year, target.year + 1)
    candidates = [Term(season, year).ends for year in years for season in _ORDER]
    # ties go to the earlier end, which keeps the choice monotone in ``target``
    return min(candidates, key=lambda end: (abs((end - target).days), end))


@dataclass(frozen=True)
class _Pace:
    basis: Basis
    program_months: float | None
    months_range: tuple[float, float] | None
    terms: int | None
    graduation: date | None
    assumption: str


def _pace(
    part_time: bool,
    stated_ft: tuple[float, float] | None,
    stated_pt: tuple[float, float] | None,
    credits: float | None,
    loads: Loads,
    program_start: Term | None,
) -> _Pace:
    load = loads.part_time if part_time else loads.full_time
    mine, other = (stated_pt, stated_ft) if part_time else (stated_ft, stated_pt)
    pace = "part-time" if part_time else "full-time"
    start_date = program_start.starts if program_start else None

    def stated(ends: tuple[float, float], months: float, text: str) -> _Pace:
        graduation = _nearest_term_end(_add_months(start_date, months)) if start_date else None
        return _Pace("stated", months, ends, None, graduation, text)

    if mine is not None:
        months = mine[1] if part_time else mine[0]
        end = "upper" if part_time else "lower"
        text = f"{pace} duration as the program states it: {months:g} months"
        if mine[0] != mine[1]:
            text += f" ({end} end of the stated {mine[0]:g}-{mine[1]:g} months)"
        return stated(mine, months, text)
    if not part_time and other is not None:
        return stated(other, other[0], f"the program states only a part-time duration; full-time "
                      f"uses its lower end, {other[0]:g} months")  # fmt: skip
    if credits is not None:
        terms = max(1, math.ceil(credits / load.credits_per_term - 1e-9))
        text = (f"{credits:g} credits / {load.credits_per_term:g} credits a term = {terms} terms "
                f"({load.terms_per_year} terms a year)")  # fmt: skip
        if program_start is None:
            months = round(terms * 12.0 / load.terms_per_year, 1)
            return _Pace("credits_divided_by_load", months, None, terms, None, text)
        last = program_start
        for _ in range(terms - 1):
            last = last.next(load.terms_per_year)
        months = _months_between(program_start.starts, last.ends)
        return _Pace("credits_divided_by_load", months, None, terms, last.ends, text)
    if part_time and other is not None:
        ratio = loads.full_time.credits_per_year / loads.part_time.credits_per_year
        months = round(other[0] * ratio, 1)
        text = (f"the program states only a full-time duration ({other[0]:g} months); part-time "
                f"stretches it by the load ratio {ratio:.2f} to {months:g} months")  # fmt: skip
        graduation = _nearest_term_end(_add_months(start_date, months)) if start_date else None
        scaled = (months, round(other[1] * ratio, 1))
        return _Pace("fulltime_scaled_by_load", months, scaled, None, graduation, text)
    return _Pace("unknown", None, None, None, None, "no stated duration and no credit total: unknown")


def _finishes_sooner(part: Timeline, full: Timeline) -> bool:
    """Whether the part-time plan ends before the full-time one (by months or by date)."""
    if full.months is None:
        return False
    if part.months is None or part.months < full.months:
        return True
    return part.graduation is not None and full.graduation is not None and part.graduation < full.graduation


def plan_timeline(
    stated_months_fulltime: StatedMonths,
    stated_months_parttime: StatedMonths,
    credits: float | None,
    start_term: str | date | None,
    *,
    part_time: bool,
    loads: Loads | None = None,
    bridge_terms: int = 0,
    credit_unit: CreditUnit = "semester",
) -> Timeline:
    """Plan the timeline of one program at one pace.

    ``stated_months_*`` are the program's stated durations (a number, a [min, max] pair, or
    ``None``); ``credits`` the required credits (quarter credits are converted at 2/3 when
    ``credit_unit="quarter"``); ``start_term`` a term such as "Fall 2026" or a date (``None``
    leaves dates unknown). Bridge terms are taken first at the chosen pace. Unknown duration and
    unknown credits give ``months=None`` with basis ``"unknown"`` — never a guess.
    """
    loads = loads or Loads()
    if bridge_terms < 0:
        raise ValueError("bridge_terms must not be negative")
    if credits is not None and credits <= 0:
        raise ValueError("credits must be positive")
    args = (_ends(stated_months_fulltime), _ends(stated_months_parttime), credits, start_term, loads,
            bridge_terms, credit_unit)  # fmt: skip
    plan = _plan_one(part_time, *args)
    if part_time:
        full = _plan_one(False, *args)
        if _finishes_sooner(plan, full):
            base = plan.assumption if plan.months is not None else "no part-time figure"
            note = "part-time cannot finish before full-time, so the full-time timeline is used"
            plan = replace(full, part_time=True, assumption=f"{base}; {note}: {full.assumption}")
    return plan


def _plan_one(
    part_time: bool,
    stated_ft: tuple[float, float] | None,
    stated_pt: tuple[float, float] | None,
    credits: float | None,
    start_term: str | date | None,
    loads: Loads,
    bridge_terms: int,
    credit_unit: CreditUnit,
) -> Timeline:
    load: LoadAssumptions = loads.part_time if part_time else loads.full_time
    factor = QUARTER_TO_SEMESTER if credit_unit == "quarter" else 1.0
    semester_credits = None if credits is None else credits * factor

    first = parse_start_term(start_term) if start_term is not None else None
    program_start = first
    for _ in range(bridge_terms):
        program_start = program_start.next(load.terms_per_year) if program_start else None
    bridge_months = (
        _months_between(first.starts, program_start.starts) if first and program_start and bridge_terms
        else round(bridge_terms * 12.0 / load.terms_per_year, 1)
    )  # fmt: skip

    chosen = _pace(part_time, stated_ft, stated_pt, semester_credits, loads, program_start)
    assumption = chosen.assumption
    if credit_unit == "quarter" and credits is not None:
        assumption += f"; {credits:g} quarter credits counted as {semester_credits:g} semester credits"
    if bridge_terms:
        assumption = f"{bridge_terms} bridge term(s) first ({bridge_months:g} months); {assumption}"
    months = None if chosen.program_months is None else round(chosen.program_months + bridge_months, 1)
    weekly = load.credits_per_term * load.hours_per_credit_per_week
    return Timeline(
        part_time=part_time,
        basis=chosen.basis,
        months=months,
        program_months=chosen.program_months,
        bridge_months=bridge_months,
        months_range=chosen.months_range,
        terms=chosen.terms,
        start=first.starts if first else None,
        program_start=program_start.starts if program_start else None,
        graduation=chosen.graduation,
        weekly_hours=weekly,
        credits_per_term=load.credits_per_term,
        assumption=f"{assumption}; about {weekly:g} study hours a week during terms "
        f"({load.credits_per_term:g} credits x {load.hours_per_credit_per_week:g} h, a rule of thumb)",
    )
