"""Curriculum taxonomy: load ``data/curated/topics.yaml`` and find its topics in page text.

A topic is found in a sentence when one of its phrases or course-title patterns matches and no
near-miss of that topic overlaps the match. Sentences that describe admission (what applicants
must already know) or careers (what graduates become) never count, and neither do lines inside an
admission section: "proficiency in Python is required" does not mean Python is taught.

The same taxonomy serves the careers service (role skill profiles) and curriculum matching, so
loading is separate from matching and the loaded taxonomy is cached per directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gradpath.extract.text import Page, Segment

TOPIC_IDS = (
    "machine_learning", "deep_learning", "medical_imaging", "clinical_nlp", "hl7_fhir", "ethics",
    "privacy_hipaa", "regulatory_fda", "genomics", "statistics", "databases_sql", "python", "r",
    "cloud", "capstone",
)  # fmt: skip

_ADMISSION_SENTENCE = re.compile(
    r"applicant|admission|admitted|prerequisite|prior to (?:enrollment|admission|the program|program start)"
    r"|before (?:entering|enrolling|arriving)|by the time of program start|required for consideration"
    r"|must (?:have|hold|demonstrate|possess)|entry requirements|candidates for admission"
    r"|(?:come|coming) from (?:a variety of|diverse|many) (?:disciplines|backgrounds)|other (?:existing )?programs"
    r"|(?:proficiency|competency|experience) (?:in|with) .{0,60}(?:is|are) (?:required|expected)"
)
_CAREER_SENTENCE = re.compile(
    r"careers? as|successful careers|career (?:paths?|opportunities|outlook)|roles? (?:such as|might include|include)"
    r"|job titles?|salar(?:y|ies)|employed as|work(?:s|ing)? as an?|software engineer at"
)


class TaxonomyError(ValueError):
    """topics.yaml is missing or malformed; names the file and the topic."""


@dataclass(frozen=True)
class NearMiss:
    """A phrasing that resembles a topic but does not signal it, with the reason."""

    pattern: re.Pattern[str]
    why: str


@dataclass(frozen=True)
class Topic:
    """One curriculum topic with the expressions that signal it."""

    id: str
    label: str
    definition: str
    phrases: tuple[re.Pattern[str], ...]
    course_patterns: tuple[re.Pattern[str], ...]
    near_misses: tuple[NearMiss, ...]

    def signals(self) -> tuple[re.Pattern[str], ...]:
        return self.phrases + self.course_patterns


@dataclass(frozen=True)
class TopicHit:
    """A topic found in a page, with the quote (a sentence of the page) that shows it."""

    topic: str
    evidence: str


@dataclass(frozen=True)
class Accreditor:
    """A programmatic accreditor and the names a page may use for it."""

    id: str
    names: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Taxonomy:
    """Everything topics.yaml declares."""

    topics: tuple[Topic, ...]
    accreditors: tuple[Accreditor, ...]
    accreditation_near_misses: tuple[NearMiss, ...]


def _compile(file: Path, where: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise TaxonomyError(f"{file}: {where}: expected a non-empty pattern string, found {pattern!r}")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise TaxonomyError(f"{file}: {where}: invalid pattern {pattern!r}: {exc}") from None


def _near_misses(file: Path, where: str, items: Any) -> tuple[NearMiss, ...]:
    out = []
    for k, item in enumerate(items or []):
        if not isinstance(item, dict) or "pattern" not in item or not item.get("why"):
            raise TaxonomyError(f"{file}: {where}[{k}]: a near-miss needs `pattern` and `why`")
        out.append(NearMiss(_compile(file, f"{where}[{k}]", item["pattern"]), str(item["why"])))
    return tuple(out)


@lru_cache(maxsize=8)
def load_taxonomy(curated_dir: Path) -> Taxonomy:
    """Read and validate ``<curated_dir>/topics.yaml`` (cached per directory)."""
    file = curated_dir / "topics.yaml"
    if not file.is_file():
        raise TaxonomyError(f"{file}: not found (the curated directory must hold topics.yaml)")
    doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    topics: list[Topic] = []
    seen: set[str] = set()
    for k, raw in enumerate(doc.get("topics") or []):
        tid = str(raw.get("id", ""))
        where = f"topics[{k}] ({tid or 'no id'})"
        if tid not in TOPIC_IDS:
            raise TaxonomyError(f"{file}: {where}: unknown topic id; expected one of {', '.join(TOPIC_IDS)}")
        if tid in seen:
            raise TaxonomyError(f"{file}: {where}: duplicate topic id")
        if not raw.get("definition") or not raw.get("phrases"):
            raise TaxonomyError(f"{file}: {where}: needs a definition and at least one phrase")
        seen.add(tid)
        topics.append(
            Topic(
                id=tid,
                label=str(raw.get("label") or tid),
                definition=" ".join(str(raw["definition"]).split()),
                phrases=tuple(_compile(file, f"{where}.phrases", p) for p in raw["phrases"]),
                course_patterns=tuple(
                    _compile(file, f"{where}.course_patterns", p) for p in raw.get("course_patterns") or []
                ),
                near_misses=_near_misses(file, f"{where}.near_misses", raw.get("near_misses")),
            )
        )
    missing = [t for t in TOPIC_IDS if t not in seen]
    if missing:
        raise TaxonomyError(f"{file}: topics missing: {', '.join(missing)}")
    acc = doc.get("accreditation") or {}
    accreditors = tuple(
        Accreditor(str(a["id"]), tuple(_compile(file, f"accreditation.{a['id']}", n) for n in a["names"]))
        for a in acc.get("accreditors") or []
    )
    return Taxonomy(tuple(topics), accreditors, _near_misses(file, "accreditation.near_misses", acc.get("near_misses")))


def load_topics(curated_dir: Path) -> list[Topic]:
    """The curriculum topics declared in ``<curated_dir>/topics.yaml``, in file order."""
    return list(load_taxonomy(curated_dir).topics)


def default_taxonomy() -> Taxonomy:
    """The taxonomy from the configured curated directory (``GRADPATH_CURATED_DIR``)."""
    from gradpath.config import get_settings

    return load_taxonomy(get_settings().curated_dir)


def counts_as_curriculum(page: Page, seg: Segment) -> bool:
    """False for sentences about admission or careers, and for lines in admission sections."""
    if seg.line_no in page.admission_lines:
        return False
    return not (_ADMISSION_SENTENCE.search(seg.folded) or _CAREER_SENTENCE.search(seg.folded))


def _hit(topic: Topic, text: str) -> bool:
    for pattern in topic.signals():
        for m in pattern.finditer(text):
            if not any(_overlaps(m, nm.pattern, text) for nm in topic.near_misses):
                return True
    return False


def _overlaps(m: re.Match[str], near: re.Pattern[str], text: str) -> bool:
    return any(n.start() < m.end() and m.start() < n.end() for n in near.finditer(text))


def find_topics(page: Page, topics: list[Topic] | tuple[Topic, ...]) -> list[TopicHit]:
    """Topics taught according to the page, first hit per topic, in taxonomy order."""
    found: dict[str, TopicHit] = {}
    for seg in page.sentences:
        if not counts_as_curriculum(page, seg):
            continue
        text = seg.plain
        for topic in topics:
            if topic.id not in found and _hit(topic, text):
                found[topic.id] = TopicHit(topic.id, seg.text)
    order = {t.id: k for k, t in enumerate(topics)}
    return sorted(found.values(), key=lambda h: order[h.topic])


def match_topics(text: str, topics: list[Topic] | None = None) -> list[TopicHit]:
    """Topics a piece of text (a page, a course list, a role description) covers, with quotes.

    Uses the configured taxonomy unless ``topics`` is given.
    """
    return find_topics(Page(None, text), topics if topics is not None else default_taxonomy().topics)
