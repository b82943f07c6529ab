"""Full-text matching of what a user typed against the index built by :mod:`gradpath.build.search_index`.

Text is reduced to terms (abbreviations expanded, filler and filter words dropped) and only letters
and digits ever reach the database, which answers with SQLite FTS5 (bm25) or PostgreSQL tsvector
(``ts_rank``) as the catalog's dialect has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

from gradpath.db import CatalogMissing

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

    def _expression(self, token: Callable[[str], str], both: str, either: str) -> str:
        """Every term required; a term with an expansion matches the word or all of its expansion."""
        parts = []
        for term in self.terms:
            word, *expansion = term
            if expansion:
                parts.append(f"({token(word)} {either} ({f' {both} '.join(token(w) for w in expansion)}))")
            else:
                parts.append(token(word))
        return f" {both} ".join(parts)

    def sqlite_match(self) -> str:
        """The FTS5 MATCH expression: every term required; words of 3+ letters match as prefixes."""
        return self._expression(lambda w: f'"{w}"*' if len(w) >= 3 else f'"{w}"', "AND", "OR")

    def pg_tsquery(self) -> str:
        """The same expression as a ``to_tsquery`` string (``:*`` marks a prefix)."""
        return self._expression(lambda w: f"{w}:*" if len(w) >= 3 else w, "&", "|")


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
