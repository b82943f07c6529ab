"""The extraction pipeline: run every field extractor on a page and keep only quoted values."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradpath.extract.fields import FIELD_NAMES, FieldValue, empty
from gradpath.extract.text import Page
from gradpath.extract.topics import Taxonomy, default_taxonomy

if TYPE_CHECKING:  # evaluate and fetch pull in httpx etc.; import them lazily
    from gradpath.config import Settings
    from gradpath.extract.evaluate import EvalReport
    from gradpath.extract.fetch import FetchedPage


@dataclass
class Extraction:
    """The facts read from one page: ``fields[name]`` for every name in FIELD_NAMES."""

    url: str | None
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``{"url": ..., "fields": {NAME: {"value", "evidence", "confidence"}}}``."""
        return {"url": self.url, "fields": {name: self.fields[name].to_json() for name in FIELD_NAMES}}


def extract_page(page: Page, taxonomy: Taxonomy | None = None) -> Extraction:
    """Run every field extractor on a prepared page."""
    from gradpath.extract import fields as f
    from gradpath.extract import names

    tax = taxonomy or default_taxonomy()
    out: dict[str, FieldValue] = {}
    out["institution"] = names.institution(page)
    out["program_name"] = names.program_name(page)
    out["degree"] = names.degree(page, out["program_name"])
    out["format"], out["formats_offered"] = f.formats(page)
    out["credits"] = f.credits(page)
    out["duration_months_fulltime"], out["duration_months_parttime"] = f.durations(page)
    out["tuition_total_usd"], out["tuition_per_credit_usd"] = f.tuition(page)
    out["gre"] = f.gre(page)
    out["min_gpa"] = f.min_gpa(page)
    out["prerequisites"] = f.prerequisites(page)
    out["accreditation"] = f.accreditation(page, tax)
    out["capstone_or_practicum"] = f.capstone(page)
    out["curriculum_topics"] = f.curriculum_topics(page, tax, out["capstone_or_practicum"])
    out["start_terms"] = f.start_terms(page)
    for name in FIELD_NAMES:
        fv = out.get(name) or empty(name)
        has_value = fv.value not in (None, [])
        # the last line of defence: a value whose quote is not in the page is dropped
        if has_value and not (fv.evidence and page.contains(fv.evidence)):
            fv = empty(name)
        if not has_value:
            fv = empty(name)
        out[name] = fv
    return Extraction(page.url, out)


def extract_text(url: str | None, text: str) -> Extraction:
    """Extract every field from a page's text (URL optional; it only helps name the institution)."""
    return extract_page(Page(url, text))


def evaluate(labels_path: Path, pages_dir: Path) -> EvalReport:
    """Score the extractor on labelled pages (see :mod:`gradpath.extract.evaluate`)."""
    from gradpath.extract.evaluate import evaluate as _evaluate

    return _evaluate(labels_path, pages_dir)


def fetch_page(url: str, settings: Settings) -> FetchedPage:
    """Fetch a program page politely and return its main text (see :mod:`gradpath.extract.fetch`).

    Raises a :class:`~gradpath.extract.fetch.FetchError` subclass per failure kind.
    """
    from gradpath.extract.fetch import fetch_page as _fetch

    return _fetch(url, settings)
