"""Page text: the PAGE.txt format, whitespace normalisation, segments and quote finding.

A page file holds the page's URL on line 1, a blank line, then the page text::

    https://example.edu/program

    Master of Science in ...

The extractor never quotes anything it cannot find again in the page, so this module is the
single definition of "occurs in the page": both sides are whitespace-normalised (every run of
whitespace becomes one space) before a plain substring test. Field extractors work on
*segments* (lines, and sentences within lines) whose normalised text is, by construction, a
substring of the normalised page, so every quote they take from a segment is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

_WS = re.compile(r"\s+")
# Sentence ends: ., ? or ! followed by space and an upper-case letter, digit or opening quote.
# Abbreviations such as "U.S. Citizens" are rare enough in program pages to accept a split.
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"“(•\-])")


_ADMISSION_HEADING = re.compile(
    r"admission|prerequisite|eligib|entrance|applying|how to apply|who should apply|to apply"
    r"|application (?:requirements|materials|process|steps)|minimum requirements"
    r"|requirements for (?:admission|application)"
)
_SECTION_END = re.compile(
    r"curricul|\bcourses\b|course descriptions|degree requirement|program requirement|overview|about|tuition|"
    r"cost|fee|financ|career|"
    r"outcome|faq|question|contact|deadline|dates|learn|what you|structure|format|schedule|faculty|research|why|"
    r"concentration|track|elective|core|graduat|academic|news|mission|vision|objective|description|detail"
)
_BULLET = re.compile(r"^(?:[•\-*–·]|\d{1,2}[.)]|[a-z][.)])\s")


def is_heading(line: str) -> bool:
    """A short title-like line: few words, no sentence punctuation at the end, not a list item."""
    words = line.split()
    if not words or len(words) > 9 or len(line) > 80:
        return False
    if line[-1] in ".,;!?" or _BULLET.match(line) or "|" in line or "$" in line:
        return False
    return line[0].isupper()


class PageFormatError(ValueError):
    """A page file is not in the PAGE.txt format. Names the file and line."""

    def __init__(self, file: str | Path, message: str, *, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        where = self.file if line is None else f"{self.file}, line {line}"
        super().__init__(f"{where}: {message}")


def normalize_ws(text: str) -> str:
    """Collapse every run of whitespace (spaces, tabs, newlines, NBSP) into one space; strip ends."""
    return _WS.sub(" ", text).strip()


_TYPO = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def plain(text: str) -> str:
    """Typography-folded text for matching (never for quoting): curly quotes and dashes become
    ASCII; case is kept. One character in, one character out, so offsets stay valid."""
    return text.translate(_TYPO)


def fold(text: str) -> str:
    """:func:`plain` and case-folded (for case-insensitive cue matching)."""
    return plain(text).casefold()


def quote_in_text(quote: str, text: str) -> bool:
    """True when ``quote`` occurs in ``text`` once both are whitespace-normalised."""
    q = normalize_ws(quote)
    return bool(q) and q in normalize_ws(text)


def load_page(path: Path) -> tuple[str | None, str]:
    """Read a PAGE.txt file: (URL or None, text).

    Line 1 is the URL (an empty line 1 means the URL is unknown); line 2 must be blank. A file
    whose first line is neither empty nor an http(s) URL is rejected with the line number.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageFormatError(path, f"not UTF-8 text ({exc.reason})") from None
    lines = raw.splitlines()
    if not lines:
        raise PageFormatError(path, "file is empty (expected URL, blank line, text)", line=1)
    first = lines[0].strip()
    if first and not re.match(r"https?://\S+$", first):
        raise PageFormatError(path, f"line 1 must be the page URL (http/https), found {first[:60]!r}", line=1)
    if len(lines) > 1 and lines[1].strip():
        raise PageFormatError(path, "line 2 must be blank (URL, blank line, then the text)", line=2)
    text = "\n".join(lines[2:])
    if not text.strip():
        raise PageFormatError(path, "the page has no text after the URL line", line=3)
    return (first or None), text


def write_page(path: Path, url: str | None, text: str) -> None:
    """Write a PAGE.txt file (used by the fetcher's callers and by tests)."""
    path.write_text(f"{url or ''}\n\n{text}\n", encoding="utf-8")


@dataclass(frozen=True)
class Segment:
    """One piece of the page: a whole line (``kind='line'``) or one sentence of a line.

    ``text`` is whitespace-normalised; ``line_no`` counts non-empty lines from 0, so
    neighbouring lines can be joined for label/value layouts split over two lines.
    """

    text: str
    line_no: int
    kind: str

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def plain(self) -> str:
        return plain(self.text)


@dataclass
class Page:
    """A page prepared for extraction: normalised lines, sentences and the folded full text."""

    url: str | None
    raw: str
    lines: list[str] = field(init=False)
    normalized: str = field(init=False)

    def __post_init__(self) -> None:
        self.lines = [n for n in (normalize_ws(line) for line in self.raw.splitlines()) if n]
        self.normalized = " ".join(self.lines)

    @cached_property
    def folded(self) -> str:
        return fold(self.normalized)

    @cached_property
    def sentences(self) -> list[Segment]:
        """Sentences in page order (a line without sentence punctuation is one sentence)."""
        out: list[Segment] = []
        for i, line in enumerate(self.lines):
            for part in _SENTENCE_END.split(line):
                part = part.strip()
                if part:
                    out.append(Segment(part, i, "sentence"))
        return out

    @cached_property
    def headings(self) -> list[str | None]:
        """For each line, the most recent heading line above it (or None)."""
        out: list[str | None] = []
        current: str | None = None
        for line in self.lines:
            # "Statistics:" style sub-headings introduce a list inside the current section
            if is_heading(line) and not line.endswith(":"):
                current = line
            out.append(current)
        return out

    def heading_above(self, i: int) -> str | None:
        """The nearest heading strictly above line ``i``."""
        for j in range(i - 1, -1, -1):
            if is_heading(self.lines[j]) and not self.lines[j].endswith(":"):
                return self.lines[j]
        return None

    @cached_property
    def admission_lines(self) -> frozenset[int]:
        """Lines inside an admission / prerequisite section (what applicants must bring).

        The section starts at an admission heading and runs until a heading that names another
        kind of section; short unbulleted list items ("Working knowledge of Python") look like
        headings but do not end it.
        """
        inside: set[int] = set()
        active = False
        for i, line in enumerate(self.lines):
            if is_heading(line) and not line.endswith(":"):
                folded = fold(line)
                if _ADMISSION_HEADING.search(folded):
                    active = True
                elif active and _SECTION_END.search(folded):
                    active = False
            if active:
                inside.add(i)
        return frozenset(inside)

    def line_pair(self, i: int) -> str:
        """Line ``i`` joined to line ``i+1`` with one space (a valid quote of the page)."""
        if i + 1 < len(self.lines):
            return f"{self.lines[i]} {self.lines[i + 1]}"
        return self.lines[i]

    def contains(self, quote: str) -> bool:
        """True when ``quote`` is a valid evidence quote for this page."""
        q = normalize_ws(quote)
        return bool(q) and q in self.normalized

    def span(self, quotes: list[str], max_chars: int = 1200) -> str | None:
        """The shortest stretch of the normalised page covering every quote, or None when the
        quotes are absent or lie further apart than ``max_chars`` (then no single quote covers
        them honestly and the caller keeps per-item quotes instead)."""
        positions: list[tuple[int, int]] = []
        for q in quotes:
            q = normalize_ws(q)
            start = self.normalized.find(q)
            if not q or start < 0:
                return None
            positions.append((start, start + len(q)))
        lo = min(p[0] for p in positions)
        hi = max(p[1] for p in positions)
        if hi - lo > max_chars:
            return None
        return self.normalized[lo:hi]


def clip(text: str, start: int, end: int, *, margin: int = 0, max_len: int = 300) -> str:
    """A quote of ``text[start:end]`` widened by ``margin`` characters to word boundaries and
    capped at ``max_len`` so evidence stays readable; the result is a substring of ``text``."""
    lo = max(0, start - margin)
    hi = min(len(text), end + margin)
    if margin:
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
    if hi - lo > max_len:
        # keep the match itself whole; trim the margins first
        lo = max(lo, min(start, hi - max_len))
        hi = min(hi, max(end, lo + max_len))
    return text[lo:hi].strip()
