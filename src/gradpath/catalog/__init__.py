"""The catalog of master's offerings: search with facets, and the records behind profiles and comparisons.

An offering is an institution × 6-digit CIP code with master's awards in IPEDS completions.
"Current" offerings are those in the latest year (C2024_A), zero-award rows included; offerings
last reported earlier are kept as "not reported since YEAR" and hidden unless asked for.

Search is one path for the CLI, the HTML page, its JSON twin and the CSV export. The modules:

- :mod:`~gradpath.catalog.query` — :class:`OfferingQuery`, its facets, ranges and validation;
- :mod:`~gradpath.catalog.text` — what a user typed, matched against the full-text index;
- :mod:`~gradpath.catalog.index_data` — the search index's data, stored by the build or derived;
- :mod:`~gradpath.catalog.index` — the in-memory :class:`SearchIndex` (bitmasks), one per catalog version;
- :mod:`~gradpath.catalog.search` — :func:`search_offerings`: filters, facets, sort and page;
- :mod:`~gradpath.catalog.profile` — summaries by id and the records behind a profile.

Every public name is importable from ``gradpath.catalog``.
"""

from __future__ import annotations

from gradpath.catalog.index import OUTCOMES_LEVEL, SearchIndex, index_from_data, load_search_index, search_index
from gradpath.catalog.index_data import (
    INDEX_FORMAT,
    INDEX_TABLE,
    OfferingRow,
    derive_index_data,
    encode_index_data,
    facts_stamp,
    stored_index_data,
)
from gradpath.catalog.profile import (
    FACT_LABELS,
    INSTITUTION_KEYS,
    check_offering_id,
    cip_occupations,
    fact_display,
    family_roles,
    get_offerings,
    offering_details,
)
from gradpath.catalog.query import (
    CIP_FILTER_RE,
    CONTROLS,
    DISTANCE_CUTS,
    FACET_NAMES,
    FACETS,
    LABELS,
    MAX_AMOUNT,
    MAX_LIMIT,
    MAX_VALUES,
    OFFERING_ID_RE,
    PATTERNS,
    RANGES,
    SORTS,
    VERIFIED_NOTE,
    FacetSpec,
    OfferingNotFound,
    OfferingQuery,
    QueryError,
    RangeSpec,
    Values,
)
from gradpath.catalog.search import EXPORT_SOURCE_IDS, search_offerings
from gradpath.catalog.text import (
    FILTER_WORDS,
    STOP_WORDS,
    SYNONYMS,
    TextQuery,
    match_offerings,
    parse_text_query,
)

__all__ = [
    "CIP_FILTER_RE",
    "CONTROLS",
    "DISTANCE_CUTS",
    "EXPORT_SOURCE_IDS",
    "FACETS",
    "FACET_NAMES",
    "FACT_LABELS",
    "FILTER_WORDS",
    "INDEX_FORMAT",
    "INDEX_TABLE",
    "INSTITUTION_KEYS",
    "LABELS",
    "MAX_AMOUNT",
    "MAX_LIMIT",
    "MAX_VALUES",
    "OFFERING_ID_RE",
    "OUTCOMES_LEVEL",
    "PATTERNS",
    "RANGES",
    "SORTS",
    "STOP_WORDS",
    "SYNONYMS",
    "VERIFIED_NOTE",
    "FacetSpec",
    "OfferingNotFound",
    "OfferingQuery",
    "OfferingRow",
    "QueryError",
    "RangeSpec",
    "SearchIndex",
    "TextQuery",
    "Values",
    "check_offering_id",
    "cip_occupations",
    "derive_index_data",
    "encode_index_data",
    "fact_display",
    "facts_stamp",
    "family_roles",
    "get_offerings",
    "index_from_data",
    "load_search_index",
    "match_offerings",
    "offering_details",
    "parse_text_query",
    "search_index",
    "search_offerings",
    "stored_index_data",
]
