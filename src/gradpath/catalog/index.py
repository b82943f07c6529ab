"""The in-memory search index: every offering's row and one bitmask of offerings per facet value.

The catalog is a build artefact that changes only when it is rebuilt and holds a few thousand
offerings, so their filterable attributes are held once per catalog version and process in a
:class:`SearchIndex`: filters, disjunctive facet counts and sorting are then integer operations
instead of a dozen GROUP BY queries per request. Its data is read as the build stored it, or derived
from the tables when the stored copy is missing or stale (:mod:`gradpath.catalog.index_data`).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from gradpath.catalog.bits import mask_of
from gradpath.catalog.index_data import OfferingRow, decode_rows, derive_index_data, metro_key, stored_index_data
from gradpath.catalog.query import CONTROLS, LABELS, FacetSpec
from gradpath.catalog.text import TextQuery, match_offerings

TEXT_CACHE_SIZE = 512
MEMO_SIZE = 256
T = TypeVar("T")
VERSION_SQL = "SELECT key, value FROM meta WHERE key IN ('built_at', 'program_facts_changed_at')"
OUTCOMES_LEVEL = "field (institution × 4-digit CIP)"
SOURCE_KEYS = ("id", "title", "publisher", "vintage", "license", "attribution", "url")


@dataclass
class _Range:
    """Rows sorted by one numeric column, with prefix masks: any [lo, hi] is two lookups and an AND."""

    values: list[float]
    rows: list[int]  # row numbers in the order of ``values``
    _prefix: list[int] | None = None

    @property
    def prefix(self) -> list[int]:
        """``prefix[k]``: the mask of the first ``k`` rows (built on first use: a CLI call rarely filters a range)."""
        if self._prefix is None:
            prefix, acc = [0], 0
            for idx in self.rows:
                acc |= 1 << idx
                prefix.append(acc)
            self._prefix = prefix
        return self._prefix

    def between(self, lo: float | None, hi: float | None) -> int:
        """Rows whose value is in [lo, hi] (either end open when None)."""
        start = bisect_left(self.values, lo) if lo is not None else 0
        stop = bisect_right(self.values, hi) if hi is not None else len(self.values)
        prefix = self.prefix
        return prefix[max(stop, start)] & ~prefix[start]

    @property
    def known(self) -> int:
        """Rows with a value."""
        return self.prefix[-1]


@dataclass
class SearchIndex:
    """Every offering's row and one bitmask per facet value (see the module docstring)."""

    rows: list[OfferingRow]
    programs: dict[str, dict[str, Any]]  # offering id → verified programs and facts
    family_titles: dict[str, str]
    metros: dict[str, dict[str, Any]]  # metro_key(row) → {code, name, type}
    position: dict[str, int]
    everything: int
    current: int
    verified: int
    bits: dict[str, dict[str, int]]
    labels: dict[str, dict[str, str]]
    ranges: dict[str, _Range]
    orders: dict[str, list[int]]
    sources: list[dict[str, Any]] = field(default_factory=list)
    origin: str = "derived"  # "stored": read as the build stored it; "derived": from the tables
    _ranks: dict[str, list[int]] = field(default_factory=dict)  # row → its place in each order, on first use
    # Text query → (scores, mask): people refine a search by clicking facets, which repeats its text.
    _texts: dict[tuple[Any, ...], tuple[dict[str, float], int]] = field(default_factory=dict)
    _memo: dict[Hashable, Any] = field(default_factory=dict)
    _summaries: dict[int, dict[str, Any]] = field(default_factory=dict)

    def summary(self, row: int) -> dict[str, Any]:
        """The result-list shape of one offering, built on first use (a CLI search shows a page or two)."""
        out = self._summaries.get(row)
        if out is None:
            m = self.rows[row]
            metro = self.metros.get(metro_key(m)) if m.cbsa else None
            out = _summary(m, self.programs.get(m.id), self.family_titles.get(m.cip4, m.cip4), metro)
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

    def ranks(self, sort: str) -> list[int]:
        """Each row's place in the ``sort`` order (computed on first use: a CLI call rarely needs it)."""
        ranks = self._ranks.get(sort)
        if ranks is None:
            order = self.orders[sort]
            ranks = [0] * len(order)
            for place, row in enumerate(order):
                ranks[row] = place
            self._ranks[sort] = ranks
        return ranks

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
        return mask_of((self.position[i] for i in ids if i in self.position), len(self.rows))

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


def _summary(
    m: OfferingRow, verified: dict[str, Any] | None, family: str, metro: dict[str, Any] | None
) -> dict[str, Any]:
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
        if getattr(m, key) is None:
            out[f"{key}_reason"] = getattr(m, f"{key}_note")
    if m.debt_median is None:
        out["debt_median_reason"] = m.debt_note
    if m.debt_median is not None and m.earnings_1yr:
        out["debt_to_earnings"] = round(m.debt_median / m.earnings_1yr, 2)
    else:
        out["debt_to_earnings_reason"] = "Needs both the median debt and the median earnings 1 year after completion."
    if m.accreditor is None:
        out["accreditor_reason"] = m.accreditor_note
    return out


def index_from_data(data: dict[str, Any], sources: list[dict[str, Any]], origin: str = "derived") -> SearchIndex:
    """A :class:`SearchIndex` over the document of :func:`~gradpath.catalog.index_data.derive_index_data`."""
    rows = decode_rows(data["rows"])
    n = len(rows)
    return SearchIndex(
        rows=rows,
        programs=data["programs"],
        family_titles=data["family_titles"],
        metros=data["metros"],
        position={r.id: idx for idx, r in enumerate(rows)},
        everything=(1 << n) - 1,
        current=int(data["current"], 16),
        verified=int(data["verified"], 16),
        bits={name: {v: int(h, 16) for v, h in vals.items()} for name, vals in data["bits"].items()},
        labels=data["labels"],
        ranges={name: _Range(values=r["values"], rows=r["rows"]) for name, r in data["ranges"].items()},
        orders={"name": list(range(n)), **data["orders"]},  # rows are stored in name order
        sources=sources,
        origin=origin,
    )


def load_search_index(conn: Connection) -> SearchIndex:
    """The index of the catalog behind ``conn``: as the build stored it when that copy is valid (one
    query), else derived from the tables."""
    from gradpath.provenance import list_sources

    stored = stored_index_data(conn)
    data = stored if stored is not None else derive_index_data(conn)
    # The source ledger is written after the index, so it is read here, not stored with it.
    sources = [{k: src[k] for k in SOURCE_KEYS} for src in list_sources(conn)]
    return index_from_data(data, sources, "stored" if stored is not None else "derived")


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
