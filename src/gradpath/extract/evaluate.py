"""Score the extractor against hand labels (``labels.jsonl``) of pages kept as PAGE.txt files.

Scoring rules (one page × one field is one decision):

* **Scalar fields** (institution, program_name, degree, format, credits, both durations, both
  tuition fields, gre, min_gpa, capstone_or_practicum). A prediction that matches the label is a
  true positive; a non-null prediction that does not match (or whose label is null) is a false
  positive; a non-null label that is not matched (prediction null or different) is a false
  negative, so a wrong value costs both precision and recall. The scalar micro-F1 pools the
  counts of all scalar fields.
* **Matching.** Numbers match within 1% (relative). Booleans match when equal. gre and format
  match after case folding. degree matches on its short form: the label part before any
  parenthesis, upper-cased, without dots, spaces or apostrophes ("M.S." = "MS"; "Master's" =
  "MASTERS"). Names (institution, program_name) are normalised: case folded, curly quotes and
  dashes folded, "&" read as "and", a possessive "'s" and a leading "the" dropped, "masters" read
  as "master", punctuation removed. A label with a parenthesis yields three variants (parentheses
  dropped, the parenthesised part dropped, the parenthesised part alone); the names match when one
  variant equals the prediction, or when one contains the other as a whole-word sequence of at
  least two words (institution: also one word, when it begins the longer name - "Duke" / "Duke
  University"). Containment is what lets "Master of Science in X" match a label copied from the
  page title "Online Master of Science in X (ABBR)"; it never lets a different field of study
  match.
* **Ranges and variants.** A duration is an interval [lo, hi] (a number n is [n, n]); two match
  when both ends match within 1%. A tuition value is a set of amounts (a number, or the amounts of
  a {variant: amount} dict); a prediction matches when every predicted amount is within 1% of some
  labelled amount - a single total matching one variant of a labelled dict counts, an invented
  extra amount does not. Variant names are not compared (pages name variants too freely).
* **List fields** (formats_offered, prerequisites, accreditation, curriculum_topics, start_terms)
  are micro-averaged over items: each predicted item matched one-to-one to a label item is a true
  positive, the rest are false positives / negatives. start_terms read "autumn" as "fall".
  Prerequisite items are free text, so they match when their normalised token-set similarity is at
  least 60 (rapidfuzz ``token_set_ratio``), greedily, best pair first.
* **Invented-value rate**: of the (page, field) pairs whose label is null (or an empty list), the
  share where the extractor returned a value. ``invented_share_of_outputs`` is the same count over
  all returned values.
* **Evidence validity**: of the returned values, the share whose evidence quote occurs in the page
  text (whitespace-normalised). Anything below 1.0 is a bug.
* **Speed**: pages per second of :func:`gradpath.extract.extract_text` alone (files already read).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from gradpath.extract import extract_text
from gradpath.extract.fields import FIELD_NAMES, LIST_FIELDS, SCALAR_FIELDS
from gradpath.extract.text import PageFormatError, fold, load_page, quote_in_text

NAME_FIELDS = ("institution", "program_name")
NUMBER_FIELDS = ("credits", "min_gpa")
RANGE_FIELDS = ("duration_months_fulltime", "duration_months_parttime")
MONEY_FIELDS = ("tuition_total_usd", "tuition_per_credit_usd")
PREREQ_THRESHOLD = 60


class LabelsError(ValueError):
    """A labels file is unreadable; names the file and line."""

    def __init__(self, file: str | Path, message: str, *, line: int | None = None) -> None:
        self.file, self.line = str(file), line
        super().__init__(f"{file}{'' if line is None else f', line {line}'}: {message}")


@dataclass
class Counts:
    """True/false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def scores(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": _r(p), "recall": _r(r), "f1": _r(f1)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class EvalReport:
    """Per-field scores and the headline numbers of one evaluation run."""

    pages: int
    fields: dict[str, Counts]
    invented: int
    label_nulls: int
    outputs: int
    valid_evidence: int
    seconds: float
    missing_pages: list[str] = field(default_factory=list)
    mismatches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def scalar_micro(self) -> Counts:
        total = Counts()
        for name in SCALAR_FIELDS:
            total.add(self.fields[name])
        return total

    @property
    def invented_rate(self) -> float | None:
        return self.invented / self.label_nulls if self.label_nulls else None

    @property
    def evidence_validity(self) -> float | None:
        return self.valid_evidence / self.outputs if self.outputs else None

    @property
    def pages_per_second(self) -> float | None:
        return self.pages / self.seconds if self.seconds > 0 else None

    def to_json(self) -> dict[str, Any]:
        """One JSON document: headline numbers, per-field scores, the mismatches by page."""
        return {
            "pages": self.pages,
            "missing_pages": self.missing_pages,
            "scalar_micro": self.scalar_micro.scores(),
            "curriculum_topics_f1": self.fields["curriculum_topics"].scores()["f1"],
            "invented_rate": _r(self.invented_rate),
            "invented_share_of_outputs": _r(self.invented / self.outputs if self.outputs else None),
            "evidence_validity": _r(self.evidence_validity),
            "pages_per_second": None if self.pages_per_second is None else round(self.pages_per_second, 1),
            "fields": {name: self.fields[name].scores() for name in FIELD_NAMES},
            "mismatches": self.mismatches,
        }


# --- normalisation and matching ------------------------------------------------------------------
def _norm_name(text: str) -> str:
    t = fold(text).replace("&", " and ")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"\bmasters?\b|\bmaster'\b", "master", t)
    t = re.sub(r"[^\w]+", " ", t).strip()
    return re.sub(r"^the ", "", t)


def _name_variants(label: str) -> set[str]:
    out = {_norm_name(label.replace("(", " ").replace(")", " ")), _norm_name(re.sub(r"\([^)]*\)", " ", label))}
    out |= {_norm_name(inner) for inner in re.findall(r"\(([^)]*)\)", label)}
    return {v for v in out if v}


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def names_match(pred: str, label: str, *, institution: bool = False) -> bool:
    """The name rule of the module docstring."""
    p = _norm_name(pred)
    for v in _name_variants(label):
        if p == v:
            return True
        short, long_ = (p, v) if len(p.split()) <= len(v.split()) else (v, p)
        if len(short.split()) >= 2 and _contains(long_, short):
            return True
        if institution and short and long_.startswith(short + " "):
            return True
    return False


def degree_code(text: str) -> str:
    """Short form of a degree for comparison ("M.S." -> "MS", "Master's" -> "MASTERS")."""
    head = text.split(" (")[0]
    return re.sub(r"[.\s'’]", "", head).upper()


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def _interval(v: Any) -> tuple[float, float] | None:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v), float(v)
    if isinstance(v, list) and len(v) == 2:
        return float(v[0]), float(v[1])
    return None


def _amounts(v: Any) -> list[float]:
    if isinstance(v, dict):
        return [float(x) for x in v.values() if isinstance(x, int | float)]
    if isinstance(v, int | float) and not isinstance(v, bool):
        return [float(v)]
    return []


def scalar_match(name: str, pred: Any, label: Any) -> bool:
    """Whether a predicted scalar equals the label under the module's rules."""
    if name in NAME_FIELDS:
        return names_match(str(pred), str(label), institution=name == "institution")
    if name == "degree":
        return degree_code(str(pred)) == degree_code(str(label))
    if name in RANGE_FIELDS:
        a, b = _interval(pred), _interval(label)
        return a is not None and b is not None and _close(a[0], b[0]) and _close(a[1], b[1])
    if name in MONEY_FIELDS:
        got, want = _amounts(pred), _amounts(label)
        return bool(got) and all(any(_close(g, w) for w in want) for g in got)
    if isinstance(label, bool) or isinstance(pred, bool):
        return pred is label
    if name in NUMBER_FIELDS:
        return isinstance(pred, int | float) and isinstance(label, int | float) and _close(float(pred), float(label))
    return fold(str(pred)) == fold(str(label))


def _list_items(name: str, values: list[Any]) -> list[str]:
    items = [fold(str(v)) for v in values]
    if name == "start_terms":
        items = ["fall" if v == "autumn" else v for v in items]
    return list(dict.fromkeys(items))


def list_counts(name: str, pred: list[Any], label: list[Any]) -> Counts:
    """One-to-one item matching for a list field (fuzzy for prerequisites)."""
    p, g = _list_items(name, pred), _list_items(name, label)
    if name != "prerequisites":
        tp = len(set(p) & set(g))
        return Counts(tp, len(p) - tp, len(g) - tp)
    pairs = sorted(((fuzz.token_set_ratio(a, b), i, j) for i, a in enumerate(p) for j, b in enumerate(g)), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for score, i, j in pairs:
        if score >= PREREQ_THRESHOLD and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return Counts(len(used_p), len(p) - len(used_p), len(g) - len(used_g))


# --- the run ---------------------------------------------------------------------------------
def read_labels(path: Path) -> list[dict[str, Any]]:
    """Labels, one JSON object per line, each with at least ``slug``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LabelsError(path, f"cannot read: {exc.strerror or exc}") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(path, f"not JSON: {exc.msg}", line=n) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("slug"), str):
            raise LabelsError(path, "each line must be an object with a string `slug`", line=n)
        out.append(obj)
    if not out:
        raise LabelsError(path, "no labels found")
    return out


def evaluate(labels_path: Path, pages_dir: Path) -> EvalReport:
    """Extract every labelled page found in ``pages_dir`` (``<slug>.txt``) and score it."""
    labels = read_labels(labels_path)
    if not pages_dir.is_dir():
        raise LabelsError(pages_dir, "pages directory not found")
    pages: list[tuple[dict[str, Any], str | None, str]] = []
    missing = []
    for label in labels:
        file = pages_dir / f"{label['slug']}.txt"
        if not file.is_file():
            missing.append(label["slug"])
            continue
        url, text = load_page(file)
        pages.append((label, url, text))
    if not pages:
        raise PageFormatError(pages_dir, f"none of the {len(labels)} labelled pages is present as <slug>.txt")
    started = time.perf_counter()
    extractions = [extract_text(url, text) for _, url, text in pages]
    seconds = time.perf_counter() - started
    report = EvalReport(len(pages), {n: Counts() for n in FIELD_NAMES}, 0, 0, 0, 0, seconds, missing)
    for (label, _, text), ex in zip(pages, extractions, strict=True):
        for name in FIELD_NAMES:
            fv = ex.fields[name]
            gold = label.get(name)
            has_pred = fv.value not in (None, [])
            has_gold = gold not in (None, [])
            if has_pred:
                report.outputs += 1
                report.valid_evidence += bool(fv.evidence and quote_in_text(fv.evidence, text))
            if not has_gold:
                report.label_nulls += 1
                report.invented += has_pred
            if name in LIST_FIELDS:
                c = list_counts(name, fv.value or [], gold or [])
            elif has_pred and has_gold and scalar_match(name, fv.value, gold):
                c = Counts(1, 0, 0)
            else:
                c = Counts(0, int(has_pred), int(has_gold))
            report.fields[name].add(c)
            if c.fp or c.fn:
                report.mismatches.append({"page": label["slug"], "field": name, "predicted": fv.value, "label": gold})
    return report
