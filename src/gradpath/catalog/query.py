"""The offerings query model: filters, facets, ranges, sort and page, and how each is validated.

:class:`OfferingQuery` is what every interface builds (CLI options, URL parameters); ``validate``
names the first bad parameter in a :class:`QueryError`, which the web answers with a 422 and the
CLI with an error on stderr.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gradpath.catalog.text import parse_text_query

CIP_FILTER_RE = re.compile(r"^\d{2}\.\d{2}(\d{2})?$")
OFFERING_ID_RE = re.compile(r"^\d{5,7}-\d{2}\.\d{4}$")
MAX_LIMIT = 500
MAX_VALUES = 60  # values of one multi-valued parameter
MAX_AMOUNT = 10_000_000
SORTS = ("relevance", "name", "earnings", "debt", "completers")
# fmt: off
CONTROLS = {1: "public", 2: "private-nonprofit", 3: "private-for-profit"}
LABELS: dict[str, dict[str, str]] = {
    "control": {"public": "Public", "private-nonprofit": "Private nonprofit",
                "private-for-profit": "Private for-profit"},
    "tier": {"core": "Core: AI, health informatics, health data science",
             "adjacent": "Adjacent: the methods, or a health-data specialty",
             "context": "Context: the health-care setting"},
    "format": {"online": "Online", "hybrid": "Hybrid", "campus": "On campus"},
    "gre": {"not required": "Not required", "optional": "Optional", "waivable": "Waivable", "required": "Required"},
    "earnings_data": {"published": "Published", "not_published": "Not published by the Scorecard",
                      "no_record": "No Scorecard record"},
    "distance": {"under-10": "Under 10%", "10-49": "10–49%", "50-89": "50–89%", "90-plus": "90% or more",
                 "unknown": "Not reported"},
}
DISTANCE_CUTS = ((0.1, "under-10"), (0.5, "10-49"), (0.9, "50-89"), (math.inf, "90-plus"))
PATTERNS = {
    "cip": (CIP_FILTER_RE, "is not a 4-digit family (51.27) or 6-digit code (11.0102)"),
    "state": (re.compile(r"^[A-Z]{2}$"), "is not a two-letter state code"),
    "metro": (re.compile(r"^\d{5}$"), "is not a 5-digit CBSA code"),
    "topic": (re.compile(r"^[a-z0-9_]{1,40}$"), "is not a topic id"),
    "accreditor": (re.compile(r"^.{1,200}$", re.S), "is longer than 200 characters"),
}
# fmt: on
VERIFIED_NOTE = "Only offerings linked to a program page the team reviewed have verified facts; the rest are unknown."


@dataclass(frozen=True)
class FacetSpec:
    """A multi-valued filter: ``any`` keeps offerings with one of the values, ``all`` with every one."""

    name: str
    label: str
    mode: str = "any"
    order: str = "count"  # count | fixed | value
    note: str | None = None


@dataclass(frozen=True)
class RangeSpec:
    """A numeric filter (``<name>_min``/``<name>_max``, both inclusive) with bucket counts."""

    name: str
    label: str
    column: str
    buckets: tuple[tuple[float | None, float | None], ...]
    money: bool = True
    unknown_label: str = "Not published"


# fmt: off
FACETS = (
    FacetSpec("cip", "Field (CIP family)", order="value"),
    FacetSpec("tier", "Healthcare-AI relevance of the CIP code (GradPath's tiers)", order="fixed"),
    FacetSpec("state", "State"),
    FacetSpec("metro", "Metro or micro area (CBSA)"),
    FacetSpec("control", "Control", order="fixed"),
    FacetSpec("accreditor", "Institutional accreditor",
              note="Institution-level: Scorecard extract ~2022 or ED file 2018."),
    FacetSpec("distance", "Students exclusively in distance education", order="fixed",
              note="Institution-level share of all students (IPEDS, latest fall reported 2020–2024), "
                   "not a program format."),
    FacetSpec("format", "Program format (verified)", order="fixed", note=VERIFIED_NOTE),
    FacetSpec("gre", "GRE policy (verified)", order="fixed", note=VERIFIED_NOTE),
    FacetSpec("topic", "Curriculum topics (verified; every one selected must be taught)", mode="all",
              note=VERIFIED_NOTE),
    FacetSpec("earnings_data", "Earnings data (College Scorecard)", order="fixed",
              note="Field-level: institution × 4-digit CIP, shared by sibling programs."),
)
RANGES = (
    RangeSpec("earnings", "Median earnings 1 year after completion (Scorecard, field-level)", "earnings_1yr",
              ((None, 39999), (40000, 59999), (60000, 79999), (80000, 99999), (100000, 129999), (130000, None))),
    RangeSpec("debt", "Median debt at completion (Scorecard, field-level)", "debt_median",
              ((None, 19999), (20000, 39999), (40000, 59999), (60000, 79999), (80000, None))),
    RangeSpec("awards", "Master's awards 2023-24 (IPEDS completions)", "awards_latest",
              ((0, 0), (1, 9), (10, 29), (30, 99), (100, None)), money=False, unknown_label="Not reported"),
)
# fmt: on
FACET_NAMES = tuple(f.name for f in FACETS)


class QueryError(ValueError):
    """A search parameter is invalid; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class OfferingNotFound(LookupError):
    """No offering has this id (``missing`` lists the unknown ids)."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = list(missing)


Values = str | Sequence[str] | None


@dataclass
class OfferingQuery:
    """Filters, sort and page of an offerings search. Multi-valued filters take a string or a list."""

    q: str | None = None
    cip: Values = None
    state: Values = None
    metro: Values = None
    control: Values = None
    accreditor: Values = None
    distance: Values = None
    format: Values = None
    gre: Values = None
    topic: Values = None
    tier: Values = None
    earnings_data: Values = None
    earnings_min: float | None = None
    earnings_max: float | None = None
    debt_min: float | None = None
    debt_max: float | None = None
    awards_min: float | None = None
    awards_max: float | None = None
    include_past: bool = False
    sort: str | None = None
    limit: int = 20
    offset: int = 0
    facets: bool = False

    def values(self, name: str) -> tuple[str, ...]:
        """The non-empty values of a multi-valued filter, normalised (state codes upper-case)."""
        raw = getattr(self, name)
        items = [raw] if isinstance(raw, str) else list(raw or [])
        out = tuple(dict.fromkeys(v.strip() for v in items if v and v.strip()))
        return tuple(v.upper() for v in out) if name == "state" else out

    def bounds(self, name: str) -> tuple[float | None, float | None]:
        """(min, max) of a range filter."""
        return getattr(self, f"{name}_min"), getattr(self, f"{name}_max")

    def applied_sort(self) -> str:
        """The sort in effect: relevance needs text to rank, so without ``q`` it is by name."""
        has_text = bool(parse_text_query(self.q))
        if self.sort in (None, "relevance"):
            return "relevance" if has_text else "name"
        return self.sort

    def validate(self) -> OfferingQuery:
        """Check every parameter; raise QueryError naming the first bad one."""
        for name in FACET_NAMES:
            vals = self.values(name)
            if len(vals) > MAX_VALUES:
                raise QueryError(name, f"at most {MAX_VALUES} values")
            for v in vals:
                if name in PATTERNS:
                    pattern, why = PATTERNS[name]
                    if not pattern.match(v):
                        raise QueryError(name, f"{v!r} {why}")
                elif v not in LABELS[name]:
                    raise QueryError(name, f"{v!r} is not one of: {', '.join(LABELS[name])}")
        for spec in RANGES:
            lo, hi = self.bounds(spec.name)
            bounds: tuple[tuple[str, float | None], ...] = (("min", lo), ("max", hi))
            for suffix, amount in bounds:
                if amount is not None and not (math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT):
                    raise QueryError(f"{spec.name}_{suffix}", f"must be a number between 0 and {MAX_AMOUNT:,}")
            if lo is not None and hi is not None and lo > hi:
                raise QueryError(f"{spec.name}_max", f"is below {spec.name}_min")
        if self.sort is not None and self.sort not in SORTS:
            raise QueryError("sort", f"{self.sort!r} must be one of {', '.join(SORTS)}")
        if not 0 <= self.limit <= MAX_LIMIT:
            raise QueryError("limit", f"must be between 0 and {MAX_LIMIT}")
        if self.offset < 0:
            raise QueryError("offset", "must be 0 or more")
        if self.q is not None and len(self.q) > 200:
            raise QueryError("q", "at most 200 characters")
        return self

    def to_params(self) -> list[tuple[str, str]]:
        """The filters and sort as URL parameters, in a stable order, defaults left out."""
        out: list[tuple[str, str]] = []
        if self.q and self.q.strip():
            out.append(("q", self.q.strip()))
        for name in FACET_NAMES:
            out.extend((name, v) for v in self.values(name))
        for spec in RANGES:
            for suffix, v in zip(("min", "max"), self.bounds(spec.name), strict=True):
                if v is not None:
                    out.append((f"{spec.name}_{suffix}", f"{v:g}"))
        if self.include_past:
            out.append(("include_past", "true"))
        if self.sort and self.sort != "relevance":
            out.append(("sort", self.sort))
        return out

    def is_filtered(self) -> bool:
        """True when any filter or text narrows the search."""
        return any(k != "sort" for k, _ in self.to_params())
