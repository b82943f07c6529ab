"""Scoring rules, the fixture benchmark, and the development labels in the data mirror."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gradpath.config import get_settings
from gradpath.extract import FIELD_NAMES, evaluate
from gradpath.extract.evaluate import (
    LabelsError,
    degree_code,
    list_counts,
    names_match,
    read_labels,
    scalar_match,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def mirror() -> Path:
    env = os.environ.get("GRADPATH_DATA_MIRROR")
    configured = get_settings().data_mirror
    root = Path(env) if env else configured or Path(__file__).resolve().parents[3] / "shared" / "data"
    return root


def test_fixture_pages_meet_the_extraction_targets() -> None:
    report = evaluate(FIXTURES / "labels.jsonl", FIXTURES).to_json()
    assert report["missing_pages"] == []
    assert report["scalar_micro"]["f1"] >= 0.9
    assert report["curriculum_topics_f1"] >= 0.9
    assert report["invented_rate"] <= 0.03
    assert report["evidence_validity"] == 1.0


def test_names_match_ignoring_parenthesised_abbreviations_and_case() -> None:
    assert names_match("Master of Science in Health Informatics", "Master of Science in Health Informatics (MSHI)")
    assert names_match("Online Master of Science in X Studies – FAQs", "Online Master of Science in X Studies (XS)")
    assert not names_match("Master of Science in Data Science", "Master of Science in Artificial Intelligence")
    assert names_match("TXST", "Texas State University (TXST)", institution=True)
    assert names_match("Duke", "Duke University", institution=True)
    assert not names_match("University of Michigan", "Michigan State University", institution=True)


def test_degree_codes_ignore_dots_and_explanations() -> None:
    assert degree_code("M.S.") == degree_code("MS (Master of Science / SM)") == "MS"
    assert degree_code("Master’s") == "MASTERS"


def test_scalar_rules_for_numbers_ranges_and_variants() -> None:
    assert scalar_match("credits", 36, 36.2)
    assert not scalar_match("credits", 36, 39)
    assert scalar_match("duration_months_fulltime", [12, 24], [12, 24])
    assert not scalar_match("duration_months_fulltime", 24, [12, 24])
    assert scalar_match("tuition_total_usd", 74862, {"4+1 program": 74862, "standard": 90000})
    assert not scalar_match("tuition_total_usd", {"a": 74862, "b": 1000}, {"a": 74862})
    assert scalar_match("capstone_or_practicum", False, False) and not scalar_match(
        "capstone_or_practicum", True, False
    )


def test_list_items_count_one_to_one_and_autumn_is_fall() -> None:
    c = list_counts("start_terms", ["autumn", "spring"], ["fall"])
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)
    c = list_counts(
        "prerequisites", ["A bachelor's degree in any field", "Three letters"], ["bachelor's degree in any field"]
    )
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)


def test_wrong_value_costs_precision_and_recall(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("\n\nThe degree requires 36 credits.\n", encoding="utf-8")
    label = {"slug": "p", "credits": 30}
    (tmp_path / "labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    s = evaluate(tmp_path / "labels.jsonl", tmp_path).to_json()["fields"]["credits"]
    assert (s["tp"], s["fp"], s["fn"]) == (0, 1, 1)


def test_a_value_where_the_label_is_null_counts_as_invented(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("\n\nThe degree requires 36 credits.\n", encoding="utf-8")
    (tmp_path / "labels.jsonl").write_text(json.dumps({"slug": "p"}) + "\n", encoding="utf-8")
    report = evaluate(tmp_path / "labels.jsonl", tmp_path)
    assert report.invented == 1 and report.label_nulls == len(FIELD_NAMES)


def test_bad_labels_line_is_reported_with_its_number(tmp_path: Path) -> None:
    (tmp_path / "labels.jsonl").write_text('{"slug": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(LabelsError) as err:
        read_labels(tmp_path / "labels.jsonl")
    assert err.value.line == 2


def test_development_labels_follow_the_value_conventions_the_scorer_reads() -> None:
    labels = read_labels(mirror() / "program-pages" / "labels.jsonl")
    assert len(labels) == 76
    allowed_topics = {
        "machine_learning", "deep_learning", "medical_imaging", "clinical_nlp", "hl7_fhir", "ethics", "privacy_hipaa",
        "regulatory_fda", "genomics", "statistics", "databases_sql", "python", "r", "cloud", "capstone",
    }  # fmt: skip
    for label in labels:
        assert set(FIELD_NAMES) <= set(label), label["slug"]
        assert label["gre"] in (None, "required", "waivable", "optional", "not required")
        assert label["format"] in (None, "online", "campus", "hybrid")
        assert set(label["curriculum_topics"]) <= allowed_topics
        for name in ("tuition_total_usd", "tuition_per_credit_usd"):
            assert label[name] is None or isinstance(label[name], int | float | dict)
