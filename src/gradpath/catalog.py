"""The catalog of master's offerings: search with facets, and the records behind profiles and comparisons.

An offering is an institution × 6-digit CIP code with master's awards in IPEDS completions.
"Current" offerings are those in the latest year (C2024_A), zero-award rows included; offerings
last reported earlier are kept as "not reported since YEAR" and hidden unless asked for.

Search is one path for the CLI, the HTML page, its JSON twin and the CSV export. The catalog is a
build artefact that changes only when it is rebuilt and holds a few thousand offerings, so their
filterable attributes are loaded once per catalog build into an in-memory :class:`SearchIndex`
holding one bitmask of offerings per facet value: filters, disjunctive facet counts and sorting
are then integer operations instead of a dozen GROUP BY queries per request. The text part of a
query goes to the database's full-text index (SQLite FTS5 or PostgreSQL tsvector; see
:mod:`gradpath.build.search_index`), which also ranks by relevance.
"""

from __future__ import annotations

import json
import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from gradpath import schema
from gradpath.db import CatalogMissing

CIP_FILTER_RE = re.compile(r"^\d{2}\.\d{2}(\d{2})?$")
OFFERING_ID_RE = re.compile(r"^\d{5,7}-\d{2}\.\d{4}$")
MAX_LIMIT = 500
MAX_VALUES = 60  # values of one multi-valued parameter
MAX_AMOUNT = 10_000_000
TEXT_CACHE_SIZE = 512
MEMO_SIZE = 256
T = TypeVar("T")
VERSION_SQL = "SELECT key, value FROM meta WHERE key IN ('built_at', 'program_facts_changed_at')"
SPARSE = 400  # below this many matches a page is cut from the sorted matches, above it from a walk of the order
SORTS = ("relevance", "name", "earnings", "debt", "completers")
OUTCOMES_LEVEL = "field (institution × 4-digit CIP)"
# fmt: off
EXPORT_SOURCE_IDS = ("ipeds-completions-2020-2024", "ipeds-hd2024", "nces-cip2020", "scorecard-fos-truewise",
                     "accreditation", "ipeds-distance-ed", "gradpath-curated")
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
VERIFIED_NOTE = "Only offerings linked to a program page the team reviewed have verified facts; the rest are unknown."
FACT_LABELS = {
    "format": "Format", "formats_offered": "Formats offered", "credits": "Credits", "credits_unit": "Credit unit",
    "duration_months_fulltime": "Duration, full-time (months)",
    "duration_months_parttime": "Duration, part-time (months)",
    "tuition_total_usd": "Total tuition (USD)", "tuition_per_credit_usd": "Tuition per credit (USD)",
    "tuition_year": "Tuition year", "gre": "GRE", "min_gpa": "Minimum GPA", "prerequisites": "Prerequisites",
    "accreditation": "Programmatic accreditation", "curriculum_topics": "Curriculum topics",
    "capstone_or_practicum": "Capstone or practicum", "thesis": "Thesis", "start_terms": "Start terms",
}
INSTITUTION_KEYS = ("unitid", "name", "alias", "city", "state", "zip", "county", "website", "control_label", "cbsa",
                    "cbsa_type", "accreditor", "accreditor_vintage", "accreditor_source_id", "accreditor_note",
                    "distance_exclusive_share", "distance_some_share", "distance_enrollment", "distance_year",
                    "distance_scope", "active")
# fmt: on


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


# --- text: the full-text index built by gradpath.build.search_index ------------------------------------

#: Words every offering shares (all are master's programs) or that carry no meaning on their own:
#: requiring them would only drop documents that happen not to spell them out.
_STOP = "a s an and at for in of on or the to with master masters ms msc degree degrees program programs graduate grad"
STOP_WORDS = frozenset(_STOP.split())
#: Words that name a filter rather than text in a document: dropped from the text, with a hint.
FILTER_WORDS = {
    "online": "format",
    "hybrid": "format",
    "campus": "format",
    "remote": "format",
    "gre": "gre",
}
#: Abbreviations people type for words the documents spell out.
SYNONYMS = {
    "ai": ("artificial", "intelligence"),
    "ml": ("machine", "learning"),
    "nlp": ("natural", "language", "processing"),
    "cs": ("computer", "science"),
    "ds": ("data", "science"),
    "bme": ("biomedical", "engineering"),
    "mph": ("public", "health"),
    "mha": ("health", "administration"),
    "mhi": ("health", "informatics"),
}
MAX_TERMS = 12
_TOKEN_RE = re.compile(r"[^\W_]+")

# bm25 weights: offering_id (unindexed), institution, place, field, programs, definition.
SQLITE_MATCH = (
    "SELECT offering_id, -bm25(offering_search, 0.0, 10.0, 4.0, 10.0, 6.0, 1.0) AS score "
    "FROM offering_search WHERE offering_search MATCH :q"
)
PG_MATCH = (
    "SELECT offering_id, ts_rank(document, to_tsquery('english', :q)) AS score "
    "FROM offering_search WHERE document @@ to_tsquery('english', :q)"
)
# Without ranking (another sort order was asked for) the match is several times cheaper.
SQLITE_FILTER = "SELECT offering_id, 0.0 AS score FROM offering_search WHERE offering_search MATCH :q"
PG_FILTER = "SELECT offering_id, 0.0 AS score FROM offering_search WHERE document @@ to_tsquery('english', :q)"


@dataclass(frozen=True)
class TextQuery:
    """Free text reduced to terms (each a word, or a word and the words it abbreviates) and what was dropped."""

    terms: tuple[tuple[str, ...], ...]
    dropped: tuple[str, ...] = ()
    filter_hints: tuple[tuple[str, str], ...] = ()  # (word, facet parameter)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def sqlite_match(self) -> str:
        """The FTS5 MATCH expression: every term required; words of 3+ letters match as prefixes."""

        def token(word: str) -> str:
            return f'"{word}"*' if len(word) >= 3 else f'"{word}"'

        parts = []
        for term in self.terms:
            word, *expansion = term
            if expansion:
                parts.append(f"({token(word)} OR ({' AND '.join(token(w) for w in expansion)}))")
            else:
                parts.append(token(word))
        return " AND ".join(parts)

    def pg_tsquery(self) -> str:
        """The same expression as a ``to_tsquery`` string (``:*`` marks a prefix)."""

        def token(word: str) -> str:
            return f"{word}:*" if len(word) >= 3 else word

        parts = []
        for term in self.terms:
            word, *expansion = term
            if expansion:
                parts.append(f"({token(word)} | ({' & '.join(token(w) for w in expansion)}))")
            else:
                parts.append(token(word))
        return " & ".join(parts)


def parse_text_query(text_: str | None) -> TextQuery:
    """Split what a user typed into searchable terms; only letters and digits ever reach the index."""
    terms: list[tuple[str, ...]] = []
    dropped: list[str] = []
    hints: list[tuple[str, str]] = []
    for word in _TOKEN_RE.findall((text_ or "").casefold()):
        if word in FILTER_WORDS:
            hints.append((word, FILTER_WORDS[word]))
        elif word in STOP_WORDS:
            dropped.append(word)
        elif len(terms) < MAX_TERMS and (word, *SYNONYMS.get(word, ())) not in terms:
            terms.append((word, *SYNONYMS.get(word, ())))
    return TextQuery(terms=tuple(terms), dropped=tuple(dropped), filter_hints=tuple(hints))


def match_offerings(conn: Connection, query: TextQuery, *, ranked: bool = True) -> dict[str, float]:
    """Offering id → relevance (higher is better; 0 unless ``ranked``) of every document matching all terms."""
    if not query:
        return {}
    try:
        if conn.dialect.name == "sqlite":
            sql = SQLITE_MATCH if ranked else SQLITE_FILTER
            rows = conn.execute(text(sql), {"q": query.sqlite_match()}).all()
        else:
            sql = PG_MATCH if ranked else PG_FILTER
            rows = conn.execute(text(sql), {"q": query.pg_tsquery()}).all()
    except (OperationalError, ProgrammingError) as exc:
        raise CatalogMissing(
            "the catalog has no search index (built by an older GradPath): run `gradpath build`"
        ) from exc
    return {r.offering_id: float(r.score) for r in rows}


# --- the in-memory index ---------------------------------------------------------------------------


def _mask(indices: Iterable[int], size: int) -> int:
    """A bitmask with the given bits set (built from a string: one C-level conversion)."""
    flags = bytearray(b"0" * size)
    for i in indices:
        flags[size - 1 - i] = 0x31
    return int(flags, 2) if size else 0


def _flags(mask: int) -> str:
    """``'1'``/``'0'`` per row, row 0 first."""
    return bin(mask)[:1:-1]


def _members(mask: int) -> list[int]:
    """The row numbers set in ``mask`` (``str.find`` skips the zeros in C)."""
    flags, out = _flags(mask), []
    i = flags.find("1")
    while i != -1:
        out.append(i)
        i = flags.find("1", i + 1)
    return out


@dataclass
class _Range:
    """Rows sorted by one numeric column, with prefix masks: any [lo, hi] is two lookups and an AND."""

    values: list[float]
    prefix: list[int]

    def between(self, lo: float | None, hi: float | None) -> int:
        start = bisect_left(self.values, lo) if lo is not None else 0
        stop = bisect_right(self.values, hi) if hi is not None else len(self.values)
        return self.prefix[max(stop, start)] & ~self.prefix[start]

    @property
    def known(self) -> int:
        return self.prefix[-1]


@dataclass
class SearchIndex:
    """Every offering's row and one bitmask per facet value (see the module docstring)."""

    rows: list[Any]
    programs: dict[str, dict[str, Any]]  # offering id → verified programs and facts
    family_titles: dict[str, str]
    metros: list[dict[str, Any] | None]
    position: dict[str, int]
    everything: int
    current: int
    verified: int
    bits: dict[str, dict[str, int]]
    labels: dict[str, dict[str, str]]
    ranges: dict[str, _Range]
    orders: dict[str, list[int]]
    ranks: dict[str, list[int]] = field(default_factory=dict)  # row → its place in each order
    sources: list[dict[str, Any]] = field(default_factory=list)
    # Text query → (scores, mask): people refine a search by clicking facets, which repeats its text.
    _texts: dict[tuple[Any, ...], tuple[dict[str, float], int]] = field(default_factory=dict)
    _memo: dict[Hashable, Any] = field(default_factory=dict)
    _summaries: dict[int, dict[str, Any]] = field(default_factory=dict)

    def summary(self, row: int) -> dict[str, Any]:
        """The result-list shape of one offering, built on first use (a CLI search shows a page or two)."""
        out = self._summaries.get(row)
        if out is None:
            m = self.rows[row]
            out = _summary(m, self.programs.get(m.id), self.family_titles.get(m.cip4, m.cip4), self.metros[row])
            self._summaries[row] = out
        return out

    def text_matches(self, conn: Connection, words: TextQuery, *, ranked: bool) -> tuple[dict[str, float], int]:
        """Offerings matching the text (relevance scores when ``ranked``) and their mask, cached per index."""
        key = (words.terms, ranked)
        hit = self._texts.get(key)
        if hit is None:
            scores = match_offerings(conn, words, ranked=ranked)
            hit = (scores, self.ids_mask(scores))
            if len(self._texts) >= TEXT_CACHE_SIZE:
                self._texts.clear()
            self._texts[key] = hit
        return hit

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered for as long as this catalog version is live (bounded).

        For documents that depend only on the catalog and the request, such as a search page's JSON:
        popular searches repeat, and a rebuilt catalog or an accepted fact brings a new index and an
        empty memo."""
        if key in self._memo:
            return self._memo[key]
        value = compute()
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
        return value

    def sources_for(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The catalog's sources with these ids (those the catalog has), in the ledger's order."""
        wanted = set(ids)
        return [s for s in self.sources if s["id"] in wanted]

    def ids_mask(self, ids: Iterable[str]) -> int:
        """The mask of these offering ids (unknown ids are ignored)."""
        return _mask((self.position[i] for i in ids if i in self.position), len(self.rows))

    def facet_mask(self, spec: FacetSpec, values: Sequence[str]) -> int:
        """Offerings with any (or, for ``all`` facets, every) one of ``values``."""
        table = self.bits[spec.name]
        if spec.mode == "all":
            out = self.everything
            for v in values:
                out &= table.get(v, 0)
            return out
        out = 0
        for v in values:
            out |= table.get(v, 0)
        return out


def _distance_bucket(share: float | None) -> str:
    if share is None:
        return "unknown"
    return next(code for cut, code in DISTANCE_CUTS if share < cut)


def _load_programs(conn: Connection) -> dict[str, dict[str, Any]]:
    """Offering id → verified programs and the facet-relevant facts they state."""
    p, po, pf = schema.program, schema.program_offering, schema.program_fact
    facts: dict[str, dict[str, Any]] = defaultdict(dict)
    wanted = ("format", "formats_offered", "gre", "curriculum_topics")
    for r in conn.execute(select(pf.c.slug, pf.c.field, pf.c.value_json).where(pf.c.field.in_(wanted))):
        facts[r.slug][r.field] = json.loads(r.value_json)
    out: dict[str, dict[str, Any]] = {}
    stmt = select(po.c.offering_id, p.c.slug, p.c.program_name, p.c.url, p.c.reviewed).select_from(
        po.join(p, p.c.slug == po.c.slug)
    )
    for link in conn.execute(stmt.order_by(po.c.offering_id, p.c.slug)):
        entry = out.setdefault(link.offering_id, {"programs": [], "formats": set(), "gre": set(), "topics": set()})
        entry["programs"].append(
            {"slug": link.slug, "name": link.program_name, "url": link.url, "reviewed": link.reviewed}
        )
        f = facts.get(link.slug, {})
        entry["formats"].update([f["format"]] if "format" in f else [], f.get("formats_offered", []))
        entry["gre"].update([f["gre"]] if "gre" in f else [])
        entry["topics"].update(f.get("curriculum_topics", []))
    return out


def _summary(m: Any, verified: dict[str, Any] | None, family: str, metro: dict[str, Any] | None) -> dict[str, Any]:
    """The list-item shape of one offering (the ``offerings search`` contract, extended)."""
    out: dict[str, Any] = {
        "id": m.id,
        "unitid": m.unitid,
        "institution": m.institution,
        "city": m.city,
        "state": m.state,
        "cip": m.cip,
        "field": m.cip_title,
        "cip4": m.cip4,
        "family": family,
        "tier": m.tier,
        "current": bool(m.current),
        "last_reported_year": m.last_reported_year,
        "awards_latest": m.awards_latest,
        "control": LABELS["control"].get(CONTROLS.get(m.control or 0, ""), None),
        "metro": metro,
        "fos_status": m.fos_status,
        "fos_completers": m.fos_completers,
        "earnings_1yr": m.earnings_1yr,
        "earnings_4yr": m.earnings_4yr,
        "debt_median": m.debt_median,
        "debt_to_earnings": None,
        "outcomes_level": OUTCOMES_LEVEL,
        "accreditor": m.accreditor,
        "accreditor_vintage": m.accreditor_vintage,
        "distance_exclusive_share": m.distance_exclusive_share,
        "distance_year": m.distance_year,
        "verified": {
            "programs": verified["programs"] if verified else [],
            "formats": sorted(verified["formats"]) if verified else [],
            "gre": sorted(verified["gre"]) if verified else [],
            "topics": sorted(verified["topics"]) if verified else [],
        },
    }
    for key in ("earnings_1yr", "earnings_4yr"):
        if m._mapping[key] is None:
            out[f"{key}_reason"] = m._mapping[f"{key}_note"]
    if m.debt_median is None:
        out["debt_median_reason"] = m.debt_note
    if m.debt_median is not None and m.earnings_1yr:
        out["debt_to_earnings"] = round(m.debt_median / m.earnings_1yr, 2)
    else:
        out["debt_to_earnings_reason"] = "Needs both the median debt and the median earnings 1 year after completion."
    if m.accreditor is None:
        out["accreditor_reason"] = m.accreditor_note
    return out


def load_search_index(conn: Connection) -> SearchIndex:
    """Read every offering (current and past) with what its filters need; build the bitmasks."""
    from gradpath.provenance import list_sources

    o, i, a = schema.offering, schema.institution, schema.area
    area_names = dict(conn.execute(select(a.c.code, a.c.name).where(a.c.type.in_(["state", "metro"]))).tuples().all())
    cbsa_types = dict(conn.execute(select(schema.cbsa.c.code, schema.cbsa.c.type)).tuples().all())
    cip_titles = dict(conn.execute(select(schema.cip.c.code, schema.cip.c.title)).tuples().all())
    programs = _load_programs(conn)
    # fmt: off
    columns = [
        o.c.id, o.c.unitid, i.c.name.label("institution"), i.c.city, i.c.state, o.c.cip, o.c.cip4, o.c.cip_title,
        o.c.tier, o.c.current, o.c.last_reported_year, o.c.awards_latest, o.c.fos_status, o.c.fos_completers,
        o.c.earnings_1yr, o.c.earnings_4yr, o.c.debt_median, o.c.earnings_1yr_note, o.c.earnings_4yr_note,
        o.c.debt_note, i.c.accreditor, i.c.accreditor_note, i.c.accreditor_vintage, i.c.control, i.c.cbsa,
        i.c.distance_exclusive_share, i.c.distance_year,
    ]
    # fmt: on
    stmt = select(*columns).select_from(o.join(i, o.c.unitid == i.c.unitid)).order_by(func.lower(i.c.name), o.c.cip)
    rows = list(conn.execute(stmt).all())
    n = len(rows)
    members: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name in FACET_NAMES}
    labels: dict[str, dict[str, str]] = {name: dict(LABELS.get(name, {})) for name in FACET_NAMES}
    labels["topic"] = dict(conn.execute(select(schema.topic.c.id, schema.topic.c.title)).tuples().all())
    labels["accreditor"]["none"] = "Not on file"
    metros: list[dict[str, Any] | None] = []
    m_cip, m_tier, m_state, m_metro = members["cip"], members["tier"], members["state"], members["metro"]
    m_control, m_acc, m_dist, m_data = (
        members["control"],
        members["accreditor"],
        members["distance"],
        members["earnings_data"],
    )
    for idx, m in enumerate(rows):
        m_cip[m.cip4].append(idx)
        m_cip[m.cip].append(idx)
        m_tier[m.tier].append(idx)
        m_state[m.state].append(idx)
        m_acc[m.accreditor or "none"].append(idx)
        m_dist[_distance_bucket(m.distance_exclusive_share)].append(idx)
        published = m.earnings_1yr is not None
        m_data["published" if published else "no_record" if m.fos_status == "no_record" else "not_published"].append(
            idx
        )
        if m.control in CONTROLS:
            m_control[CONTROLS[m.control]].append(idx)
        metro = None
        if m.cbsa:
            m_metro[m.cbsa].append(idx)
            kind = cbsa_types.get(m.cbsa, "metro")
            where = f"CBSA {m.cbsa} ({'micropolitan' if kind == 'micro' else kind} area, {m.state})"
            metro = {"code": m.cbsa, "name": area_names.get(m.cbsa) or where, "type": kind}
            labels["metro"][m.cbsa] = metro["name"]
        metros.append(metro)
        if (verified := programs.get(m.id)) is not None:
            for name, key in (("format", "formats"), ("gre", "gre"), ("topic", "topics")):
                for v in verified[key]:
                    members[name][v].append(idx)
        labels["cip"].setdefault(m.cip4, f"{m.cip4} {cip_titles.get(m.cip4, '')}".strip())
        labels["cip"].setdefault(m.cip, f"{m.cip} {m.cip_title}")
        labels["state"].setdefault(m.state, area_names.get(m.state, m.state))
        if m.accreditor:
            labels["accreditor"].setdefault(m.accreditor, m.accreditor)
    ranges = {}
    for spec in RANGES:
        known = sorted(
            (r._mapping[spec.column], idx) for idx, r in enumerate(rows) if r._mapping[spec.column] is not None
        )
        prefix, acc = [0], 0
        for _, idx in known:
            acc |= 1 << idx
            prefix.append(acc)
        ranges[spec.name] = _Range(values=[v for v, _ in known], prefix=prefix)
    name_order = list(range(n))  # rows arrive sorted by institution name, then CIP

    def by(column: str, descending: bool) -> list[int]:
        values = [r._mapping[column] for r in rows]
        known = [idx for idx in name_order if values[idx] is not None]
        known.sort(key=lambda idx: -values[idx] if descending else values[idx])  # stable: ties stay by name
        return known + [idx for idx in name_order if values[idx] is None]

    orders = {"name": name_order, "earnings": by("earnings_1yr", True), "debt": by("debt_median", False),
              "completers": by("awards_latest", True)}  # fmt: skip
    keys = ("id", "title", "publisher", "vintage", "license", "attribution", "url")
    return SearchIndex(
        rows=rows,
        programs=programs,
        family_titles=cip_titles,
        metros=metros,
        position={r.id: idx for idx, r in enumerate(rows)},
        everything=(1 << n) - 1,
        current=_mask((idx for idx, r in enumerate(rows) if r.current), n),
        verified=_mask((idx for idx, r in enumerate(rows) if r.id in programs), n),
        bits={name: {v: _mask(ix, n) for v, ix in vals.items()} for name, vals in members.items()},
        labels=labels,
        ranges=ranges,
        orders=orders,
        ranks={key: _ranks(order) for key, order in orders.items()},
        sources=[{k: src[k] for k in keys} for src in list_sources(conn)],
    )


def _ranks(order: list[int]) -> list[int]:
    ranks = [0] * len(order)
    for place, row in enumerate(order):
        ranks[row] = place
    return ranks


_cache: dict[tuple[str, ...], SearchIndex] = {}
_cache_lock = threading.Lock()


def search_index(conn: Connection) -> SearchIndex:
    """The index of the catalog behind ``conn``, loaded once per catalog version and process.

    A version is the build time plus the time the review queue last wrote a program fact into the
    live catalog (accepting a fact changes the facets without a rebuild)."""
    # Plain SQL (no bound values): this runs on every search, and compiling a Core statement costs more.
    version = sorted(f"{k}={v}" for k, v in conn.exec_driver_sql(VERSION_SQL))
    where = conn.exec_driver_sql("SELECT current_schema()").scalar() if conn.dialect.name == "postgresql" else ""
    key = (str(conn.engine.url), str(where), *version)
    index = _cache.get(key)
    if index is None:
        with _cache_lock:
            index = _cache.get(key) or load_search_index(conn)
            if len(_cache) >= 4:  # old versions and test catalogs: keep memory bounded
                _cache.clear()
            _cache[key] = index
    return index


# --- search ------------------------------------------------------------------------------------------


def search_offerings(conn: Connection, query: OfferingQuery) -> dict[str, Any]:
    """``{count, limit, offset, sort, results, notes, sources[, facets]}``: the total matching and one page."""
    query.validate()
    index = search_index(conn)
    for topic in query.values("topic"):
        if topic not in index.labels["topic"]:
            raise QueryError("topic", f"{topic!r} is not a curriculum topic ({', '.join(index.labels['topic'])})")
    words = parse_text_query(query.q)
    base = index.everything if query.include_past else index.current
    sort = query.applied_sort()
    scores: dict[str, float] = {}
    if words:
        scores, matched = index.text_matches(conn, words, ranked=sort == "relevance")
        base &= matched
    masks: dict[str, int] = {}
    specs = {f.name: f for f in FACETS}
    for name in FACET_NAMES:
        if vals := query.values(name):
            masks[name] = index.facet_mask(specs[name], vals)
    for spec in RANGES:
        lo, hi = query.bounds(spec.name)
        if lo is not None or hi is not None:
            masks[spec.name] = index.ranges[spec.name].between(lo, hi)
    full = base
    for m in masks.values():
        full &= m
    page = _page(index, full, sort, scores, query.offset, query.limit)
    results = [
        {**index.summary(i), "relevance": round(scores[index.rows[i].id], 4) if sort == "relevance" else None}
        for i in page
    ]
    notes = [
        f"“{w}” is a filter, not text: use the {'format' if p == 'format' else 'GRE'} filter (verified programs)."
        for w, p in words.filter_hints
    ]
    if words.dropped:
        notes.append(f"Ignored as too common to search: {', '.join(words.dropped)}.")
    doc: dict[str, Any] = {
        "count": full.bit_count(),
        "limit": query.limit,
        "offset": query.offset,
        "sort": sort,
        "results": results,
        "notes": notes,
        "sources": index.sources_for(EXPORT_SOURCE_IDS),
    }
    if query.facets:
        doc["facets"] = _facets(index, query, base, masks)
    return doc


def _page(index: SearchIndex, mask: int, sort: str, scores: dict[str, float], offset: int, limit: int) -> list[int]:
    """Row numbers of one page of ``mask`` in ``sort`` order."""
    if sort == "relevance":
        flags = _flags(mask)
        pos = index.position
        hits = [(-s, pos[oid]) for oid, s in scores.items() if oid in pos and flags[pos[oid] : pos[oid] + 1] == "1"]
        return [i for _, i in sorted(hits)[offset : offset + limit]]
    if mask.bit_count() <= SPARSE:  # few matches: sort them by their place in the order
        return sorted(_members(mask), key=index.ranks[sort].__getitem__)[offset : offset + limit]
    flags = _flags(mask)  # many: walk the order until the page is full
    out: list[int] = []
    seen = 0
    for i in index.orders[sort]:
        if flags[i : i + 1] == "1":
            if seen >= offset:
                out.append(i)
                if len(out) >= limit:
                    break
            seen += 1
    return out


def _facets(index: SearchIndex, query: OfferingQuery, base: int, masks: dict[str, int]) -> list[dict[str, Any]]:
    """Counts per facet value under every other filter (disjunctive: a facet's own choice is left out,
    except for ``all`` facets, where each further value narrows the current result)."""

    def others(name: str) -> int:
        out = base
        for key, m in masks.items():
            if key != name:
                out &= m
        return out

    out = [
        _facet(index, spec, set(query.values(spec.name)), others(spec.name if spec.mode == "any" else ""))
        for spec in FACETS
    ]
    for rspec in RANGES:
        scope = others(rspec.name)
        rng = index.ranges[rspec.name]
        chosen = query.bounds(rspec.name)
        values: list[dict[str, Any]] = [
            {
                "value": f"{lo or 0:g}-{'' if hi is None else f'{hi:g}'}",
                "label": _bucket_label(lo, hi, rspec.money),
                "count": (scope & rng.between(lo, hi)).bit_count(),
                "selected": (lo, hi) == chosen,
                "min": lo,
                "max": hi,
            }
            for lo, hi in rspec.buckets
        ]
        facet: dict[str, Any] = {"name": rspec.name, "label": rspec.label, "kind": "range", "note": None}
        facet.update(values=values, unknown_count=(scope & ~rng.known).bit_count(), unknown_label=rspec.unknown_label)
        facet.update(min=chosen[0], max=chosen[1])
        out.append(facet)
    return out


def _facet(index: SearchIndex, spec: FacetSpec, selected: set[str], scope: int) -> dict[str, Any]:
    values: list[dict[str, Any]] = []
    for value, vmask in index.bits[spec.name].items():
        if spec.name == "cip" and len(value) == 7 and value not in selected:
            continue  # the facet lists families; a 6-digit code shows only when chosen
        count = (scope & vmask).bit_count()
        if count or value in selected:
            label = index.labels[spec.name].get(value, value)
            values.append({"value": value, "label": label, "count": count, "selected": value in selected})
    if spec.order == "fixed":
        rank = {v: k for k, v in enumerate(LABELS[spec.name])}
        values.sort(key=lambda v: rank.get(v["value"], 99))
    elif spec.order == "value":
        values.sort(key=lambda v: str(v["value"]))
    else:
        values.sort(key=lambda v: (-int(v["count"]), str(v["label"])))
    note = spec.note
    if note == VERIFIED_NOTE:
        note = f"{(scope & index.verified).bit_count():,} of {scope.bit_count():,} offerings here: {note}"
    return {"name": spec.name, "label": spec.label, "kind": spec.mode, "note": note, "values": values}


def _bucket_label(lo: float | None, hi: float | None, money: bool) -> str:
    def fmt(v: float) -> str:
        return f"${v:,.0f}" if money else f"{v:,.0f}"

    if lo is None:
        return f"Under {fmt((hi or 0) + 1)}"
    if hi is None:
        return f"{fmt(lo)} or more"
    return fmt(lo) if lo == hi else f"{fmt(lo)}–{fmt(hi)}"


# --- records for profiles and comparisons -------------------------------------------------------------


def check_offering_id(offering_id: str) -> str:
    """The id if it has the ``UNITID-CC.CCCC`` shape; else QueryError (a malformed id is a bad parameter)."""
    if not OFFERING_ID_RE.match(offering_id):
        raise QueryError("offering_id", f"{offering_id[:40]!r} is not an offering id like 166027-51.2706")
    return offering_id


def get_offerings(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The summaries of these offerings, in order; OfferingNotFound lists every unknown id."""
    for oid in ids:
        check_offering_id(oid)
    index = search_index(conn)
    missing = [oid for oid in ids if oid not in index.position]
    if missing:
        raise OfferingNotFound(f"no offering {', '.join(missing)} in this catalog", missing)
    return [dict(index.summary(index.position[oid])) for oid in ids]


def fact_display(field_name: str, value: Any, topics: dict[str, str] | None = None) -> str:
    """A program fact in words: lists joined, ranges with a dash, money with a dollar sign."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field_name == "curriculum_topics":
        return ", ".join(str((topics or {}).get(v, v)) for v in value)
    if field_name == "gre":
        return LABELS["gre"].get(value, str(value))
    if field_name in ("format", "formats_offered"):
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(LABELS["format"].get(v, v)) for v in items)
    if field_name.endswith("_usd"):
        if isinstance(value, dict):
            return "; ".join(f"{k}: ${v:,.0f}" for k, v in value.items())
        return f"${value:,.0f}"
    if isinstance(value, list):
        if field_name.startswith("duration") and len(value) == 2:
            return f"{value[0]:g}–{value[1]:g}"
        return "; ".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def offering_details(conn: Connection, offering_id: str) -> dict[str, Any]:
    """What a profile adds to the summary: institution, field, award history, the sibling programs that
    share the field-level outcomes, verified programs with every fact, and stated tuition rates."""
    summary = get_offerings(conn, [offering_id])[0]
    o, i, c = schema.offering, schema.institution, schema.cip
    inst = conn.execute(select(i).where(i.c.unitid == summary["unitid"])).one()._mapping
    cips = {r.code: r for r in conn.execute(select(c).where(c.c.code.in_([summary["cip"], summary["cip4"]])))}
    tier = conn.execute(select(o.c.tier_rationale).where(o.c.id == offering_id)).scalar_one()
    awards = conn.execute(
        select(schema.award.c.year, schema.award.c.awards)
        .where(schema.award.c.offering_id == offering_id)
        .order_by(schema.award.c.year)
    ).all()
    siblings = conn.execute(
        select(o.c.id, o.c.cip, o.c.cip_title, o.c.current)
        .where(o.c.unitid == summary["unitid"], o.c.cip4 == summary["cip4"], o.c.id != offering_id)
        .order_by(o.c.cip)
    ).all()
    topics = {r.id: r.title for r in conn.execute(select(schema.topic.c.id, schema.topic.c.title))}
    p, po, pf = schema.program, schema.program_offering, schema.program_fact
    slugs = select(po.c.slug).where(po.c.offering_id == offering_id)
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    order = {name: k for k, name in enumerate(FACT_LABELS)}
    for r in conn.execute(select(pf).where(pf.c.slug.in_(slugs))):
        value = json.loads(r.value_json)
        facts[r.slug].append(
            {
                "field": r.field,
                "label": FACT_LABELS.get(r.field, r.field),
                "value": value,
                "display": fact_display(r.field, value, topics),
                "source_url": r.source_url,
                "as_of": r.as_of,
                "origin": r.origin,
                # The page quote exists only for facts this instance's review queue accepted (local database).
                "evidence": r._mapping.get("evidence"),
            }
        )
    programs = [
        {
            "slug": r.slug,
            "name": r.program_name,
            "degree": r.degree,
            "url": r.url,
            "reviewed": r.reviewed,
            "catalog_year": r.catalog_year,
            "note": r.note,
            "link_method": r.link_method,
            "facts": sorted(facts.get(r.slug, []), key=lambda f: order.get(f["field"], 99)),
        }
        for r in conn.execute(select(p).where(p.c.slug.in_(slugs)).order_by(p.c.slug))
    ]
    t = schema.tuition_rate
    tuition = [
        {k: r._mapping[k] for k in ("scope", "residency", "amount_usd", "per", "academic_year", "note", "source_url")}
        for r in conn.execute(select(t).where(t.c.unitid == summary["unitid"]).order_by(t.c.id))
    ]
    cip6, cip4 = cips.get(summary["cip"]), cips.get(summary["cip4"])
    return {
        "summary": summary,
        "institution": {k: inst[k] for k in INSTITUTION_KEYS},
        "cip": {
            "code": summary["cip"],
            "title": summary["field"],
            "definition": cip6.definition if cip6 else None,
            "family": summary["cip4"],
            "family_title": cip4.title if cip4 else None,
            "tier": summary["tier"],
            "tier_rationale": tier,
        },
        "awards": [{"year": r.year, "awards": r.awards} for r in awards],
        "siblings": [{"id": r.id, "cip": r.cip, "field": r.cip_title, "current": bool(r.current)} for r in siblings],
        "programs": programs,
        "tuition": tuition,
        "topics": topics,
    }


def cip_occupations(conn: Connection, cip_code: str) -> list[dict[str, str]]:
    """Occupations the NCES CIP→SOC crosswalk links to a 6-digit CIP code (titles from OEWS or EP)."""
    cs, occ, out = schema.cip_soc, schema.occupation, schema.outlook
    rows = conn.execute(
        select(cs.c.soc, func.coalesce(occ.c.title, out.c.title).label("title"))
        .select_from(cs.outerjoin(occ, occ.c.soc == cs.c.soc).outerjoin(out, out.c.soc == cs.c.soc))
        .where(cs.c.cip == cip_code)
        .order_by(cs.c.soc)
    )
    return [{"soc": r.soc, "title": r.title or r.soc} for r in rows]


def family_roles(conn: Connection, cip4: str) -> list[dict[str, str]]:
    """Curated roles whose CIP families include this one (the careers pages describe each role)."""
    rc, role = schema.role_cip, schema.role
    rows = conn.execute(
        select(role.c.id, role.c.title, rc.c.via, rc.c.note)
        .select_from(rc.join(role, role.c.id == rc.c.role_id))
        .where(rc.c.cip4 == cip4)
        .order_by(role.c.position)
    )
    return [{"id": r.id, "title": r.title, "via": r.via, "note": r.note} for r in rows]
