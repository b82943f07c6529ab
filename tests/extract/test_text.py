"""Page files, whitespace-normalised quoting and page structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradpath.extract.text import Page, PageFormatError, load_page, normalize_ws, quote_in_text, write_page


def test_load_page_returns_url_and_text(tmp_path: Path) -> None:
    file = tmp_path / "p.txt"
    file.write_text("https://x.example.edu/ms\n\nMaster of Science in Testing\nLine two\n", encoding="utf-8")
    url, text = load_page(file)
    assert url == "https://x.example.edu/ms"
    assert text.splitlines() == ["Master of Science in Testing", "Line two"]


def test_empty_first_line_means_unknown_url(tmp_path: Path) -> None:
    file = tmp_path / "p.txt"
    file.write_text("\n\nSome page text\n", encoding="utf-8")
    assert load_page(file) == (None, "Some page text")


def test_first_line_that_is_not_a_url_is_rejected_with_its_line(tmp_path: Path) -> None:
    file = tmp_path / "p.txt"
    file.write_text("Master of Science\n\ntext\n", encoding="utf-8")
    with pytest.raises(PageFormatError) as err:
        load_page(file)
    assert err.value.line == 1 and "URL" in str(err.value)


def test_missing_blank_second_line_is_rejected(tmp_path: Path) -> None:
    file = tmp_path / "p.txt"
    file.write_text("https://x.example.edu\ntext right away\n", encoding="utf-8")
    with pytest.raises(PageFormatError) as err:
        load_page(file)
    assert err.value.line == 2


def test_write_then_load_round_trips(tmp_path: Path) -> None:
    write_page(tmp_path / "p.txt", "https://x.example.edu", "A\nB")
    assert load_page(tmp_path / "p.txt") == ("https://x.example.edu", "A\nB")


def test_quote_matches_across_line_breaks_and_runs_of_spaces() -> None:
    page = "Tuition (30 credits at $333 each)\n   $10,000\n"
    assert quote_in_text("each) $10,000", page)
    assert not quote_in_text("each) $12,000", page)
    assert not quote_in_text("   ", page)


def test_span_covers_every_quote_and_is_itself_a_quote() -> None:
    page = Page(None, "Alpha one.\nBeta two.\nGamma three.")
    span = page.span(["Alpha one", "Gamma"])
    assert span == "Alpha one. Beta two. Gamma"
    assert page.contains(span)
    assert page.span(["Alpha", "Delta"]) is None


def test_lines_under_an_admission_heading_are_marked_as_admission() -> None:
    page = Page(
        None, "Curriculum\nPython for health data.\nAdmission Requirements\nKnowledge of Python.\nCourses\nStatistics."
    )
    assert page.admission_lines == frozenset({2, 3})


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_every_sentence_of_any_text_is_a_valid_quote(text: str) -> None:
    page = Page(None, text)
    for seg in page.sentences:
        assert quote_in_text(seg.text, text)
    assert normalize_ws(page.normalized) == page.normalized
