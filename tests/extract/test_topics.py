"""The curriculum taxonomy: loading, matching, near-misses and context rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradpath.extract.topics import TOPIC_IDS, TaxonomyError, load_taxonomy, load_topics, match_topics

CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


def topics_of(text: str) -> set[str]:
    return {h.topic for h in match_topics(text, load_topics(CURATED))}


def test_taxonomy_declares_every_topic_with_a_definition() -> None:
    topics = load_topics(CURATED)
    assert [t.id for t in topics] == list(TOPIC_IDS)
    assert all(len(t.definition) > 40 and t.phrases for t in topics)


def test_general_nlp_is_not_clinical_nlp() -> None:
    assert "clinical_nlp" not in topics_of("Electives include Natural Language Processing for chatbots.")
    assert "clinical_nlp" in topics_of("Electives include Clinical Natural Language Processing.")
    assert "clinical_nlp" in topics_of("Students apply natural language processing to clinical notes.")


def test_course_titles_signal_topics() -> None:
    found = topics_of("CS 6140 Machine Learning\nBMI 550 Medical Image Analysis\nHI 610 HL7 and FHIR Interfaces")
    assert {"machine_learning", "medical_imaging", "hl7_fhir"} <= found


def test_admission_requirements_are_not_curriculum() -> None:
    assert topics_of("Proficiency in Python is required. Applicants must have taken statistics.") == set()
    assert topics_of("Admission Requirements\nOne course in statistics\nWorking knowledge of Python") == set()


def test_career_sentences_are_not_curriculum() -> None:
    assert "machine_learning" not in topics_of("Our graduates have successful careers as machine learning engineers.")


def test_near_miss_soft_skill_ethics_is_dropped() -> None:
    assert "ethics" not in topics_of("Marketable skills include teamwork and ethical reasoning.")
    assert "ethics" in topics_of("A required course covers the ethics of clinical AI.")


def test_r_language_needs_programming_context() -> None:
    assert "r" in topics_of("Students analyse data in R and Python.")
    assert "r" not in topics_of("Room R101 hosts the seminar.")


def test_each_hit_quotes_the_page() -> None:
    text = "The core sequence teaches deep learning and genomics."
    hits = match_topics(text, load_topics(CURATED))
    assert {h.topic for h in hits} == {"deep_learning", "genomics"}
    assert all(h.evidence in text for h in hits)


def test_unknown_topic_id_is_reported_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text("topics:\n  - id: astrology\n    definition: x\n    phrases: [x]\n")
    with pytest.raises(TaxonomyError, match="unknown topic id"):
        load_taxonomy(tmp_path)


def test_invalid_pattern_is_reported(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text("topics:\n  - id: python\n    definition: d\n    phrases: ['(unclosed']\n")
    with pytest.raises(TaxonomyError, match="invalid pattern"):
        load_taxonomy(tmp_path)
