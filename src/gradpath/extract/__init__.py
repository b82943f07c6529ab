"""Program-page extraction: read a program page and state its facts, each with a quote.

Public API::

    extract_text(url, text) -> Extraction       # page text -> fields with evidence
    load_page(path) -> (url, text)              # the PAGE.txt format
    evaluate(labels_path, pages_dir) -> EvalReport
    fetch_page(url, settings) -> FetchedPage    # polite, cached HTTP fetch + HTML -> text
    load_topics(curated_dir) / match_topics(text)

The one rule: a value without a quote that occurs in the page is an invented fact, so it is
returned as null. ``extract_text`` re-checks every quote against the page before returning.
"""

from __future__ import annotations

import importlib
from typing import Any

# The package's names load on first use (PEP 562): `gradpath extract` is one command of a CLI whose
# other commands must not pay for compiling the extractor's patterns at start-up.
_EXPORTS = {
    "FIELD_NAMES": "gradpath.extract.fields",
    "LIST_FIELDS": "gradpath.extract.fields",
    "SCALAR_FIELDS": "gradpath.extract.fields",
    "FieldValue": "gradpath.extract.fields",
    "PageFormatError": "gradpath.extract.text",
    "load_page": "gradpath.extract.text",
    "quote_in_text": "gradpath.extract.text",
    "Topic": "gradpath.extract.topics",
    "TopicHit": "gradpath.extract.topics",
    "load_topics": "gradpath.extract.topics",
    "match_topics": "gradpath.extract.topics",
    "Extraction": "gradpath.extract.extraction",
    "extract_page": "gradpath.extract.extraction",
    "extract_text": "gradpath.extract.extraction",
    "evaluate": "gradpath.extract.extraction",
    "fetch_page": "gradpath.extract.extraction",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gradpath.extract' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
