"""Search over the catalog's offerings: the one query path for the CLI, the HTML page, its JSON twin
and the CSV export.

Filters and facet counts are integer operations on the in-memory :class:`~gradpath.catalog.index.SearchIndex`;
the text part of a query goes to the database's full-text index, which also ranks by relevance.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from gradpath.catalog.bits import flags_of, members_of
from gradpath.catalog.index import SearchIndex, search_index
from gradpath.catalog.query import (
    FACET_NAMES,
    FACETS,
    LABELS,
    RANGES,
    VERIFIED_NOTE,
    FacetSpec,
    OfferingQuery,
    QueryError,
)
from gradpath.catalog.text import parse_text_query

SPARSE = 400  # below this many matches a page is cut from the sorted matches, above it from a walk of the order
# fmt: off
EXPORT_SOURCE_IDS = ("ipeds-completions-2020-2024", "ipeds-hd2024", "nces-cip2020", "scorecard-fos-truewise",
                     "accreditation", "ipeds-distance-ed", "gradpath-curated")
# fmt: on


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
    if limit == 0:  # only the count was asked for
        return []
    if sort == "relevance":
        flags = flags_of(mask)
        pos = index.position
        hits = [(-s, pos[oid]) for oid, s in scores.items() if oid in pos and flags[pos[oid] : pos[oid] + 1] == "1"]
        return [i for _, i in sorted(hits)[offset : offset + limit]]
    if mask.bit_count() <= SPARSE:  # few matches: sort them by their place in the order
        return sorted(members_of(mask), key=index.ranks(sort).__getitem__)[offset : offset + limit]
    flags = flags_of(mask)  # many: walk the order until the page is full
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
