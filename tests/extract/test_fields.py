"""Field extractors on short pages written for these tests (our own wording)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gradpath.extract import FIELD_NAMES, LIST_FIELDS, extract_text


def value(text: str, name: str, url: str | None = None) -> Any:
    return extract_text(url, text).fields[name].value


def test_month_range_with_part_time_is_a_part_time_range() -> None:
    assert value("Finish in 18–24 months of part-time study.", "duration_months_parttime") == [18, 24]


def test_full_and_part_time_clauses_are_split() -> None:
    page = "It takes about 1.5 academic years (17 months) of full time study, or 2 years of part time study."
    ex = extract_text(None, page)
    assert ex.fields["duration_months_fulltime"].value == 17
    assert ex.fields["duration_months_parttime"].value == 24


def test_duration_without_pace_or_as_a_time_limit_is_unknown() -> None:
    page = "The program lasts 18 months. Part-time students must finish within 5 years."
    ex = extract_text(None, page)
    assert ex.fields["duration_months_fulltime"].value is None
    assert ex.fields["duration_months_parttime"].value is None


def test_no_gre_required_reads_as_not_required() -> None:
    assert value("Admission\nNo GRE required.", "gre") == "not required"


def test_gre_waiver_outranks_required() -> None:
    page = "The GRE is required. The GRE may be waived for applicants with a graduate degree."
    assert value(page, "gre") == "waivable"


def test_recommended_gre_is_optional() -> None:
    assert value("GRE scores are recommended but not required.", "gre") == "optional"


def test_gre_as_an_english_proficiency_option_is_not_a_gre_policy() -> None:
    page = "English proficiency: TOEFL 80, IELTS 6.5, or GRE verbal score of 150."
    assert value(page, "gre") is None


def test_per_credit_tuition_and_total_are_separate_fields() -> None:
    ex = extract_text(None, "Tuition is $650 per credit hour. Total tuition: $23,400.")
    assert ex.fields["tuition_per_credit_usd"].value == 650
    assert ex.fields["tuition_total_usd"].value == 23400


def test_fees_and_yearly_prices_are_not_tuition() -> None:
    ex = extract_text(None, "A $75 application fee applies. Tuition is $31,000 per year.")
    assert ex.fields["tuition_per_credit_usd"].value is None
    assert ex.fields["tuition_total_usd"].value is None


def test_priced_variants_become_a_dict() -> None:
    page = "Tuition is $900 per credit hour for residents and $1,350 per credit hour for non-residents."
    assert value(page, "tuition_per_credit_usd") == {"residents": 900, "non-residents": 1350}


def test_two_offered_formats_leave_the_format_unknown() -> None:
    ex = extract_text(None, "The program is offered fully online or in a hybrid format with weekend residencies.")
    assert ex.fields["formats_offered"].value == ["online", "hybrid"]
    assert ex.fields["format"].value is None


def test_an_offering_page_takes_the_format_of_its_url() -> None:
    page = "The MS is offered in online and onsite formats."
    ex = extract_text("https://x.example.edu/ms/onsite", page)
    assert ex.fields["format"].value == "campus"


def test_on_campus_students_mentioned_in_passing_are_not_a_format() -> None:
    assert value("Your diploma is the same as on-campus students receive.", "formats_offered") == []


def test_start_terms_come_from_admission_sentences_only() -> None:
    page = "We admit new students in fall and spring. Courses are offered in summer too."
    assert value(page, "start_terms") == ["fall", "spring"]


def test_credits_per_term_and_transfer_credits_are_not_the_total() -> None:
    page = "Up to 6 credits may transfer. Students take 12 credit hours per term. The degree requires 36 credits."
    assert value(page, "credits") == 36


def test_total_later_in_the_paragraph_beats_a_partial_count() -> None:
    page = (
        "The degree requires 24 credits of coursework and one seminar credit. "
        "Six more credits of thesis bring it to a total of 31 credits."
    )
    assert value(page, "credits") == 31


def test_gpa_to_remain_enrolled_is_not_an_admission_minimum() -> None:
    assert value("Students must maintain a 3.0 GPA to remain in good standing.", "min_gpa") is None
    assert value("Applicants need a minimum GPA of 2.75.", "min_gpa") == 2.75


def test_aligned_with_cahiim_standards_is_not_accreditation() -> None:
    assert value("Our curriculum is aligned with CAHIIM standards.", "accreditation") == []
    assert value("The program is pending accreditation review by CAHIIM.", "accreditation") == []
    page = (
        "The program is accredited by the Commission on Accreditation for Health Informatics and "
        "Information Management Education (CAHIIM)."
    )
    assert value(page, "accreditation") == ["CAHIIM"]


def test_capstone_table_saying_na_means_no_capstone() -> None:
    assert value("Capstone | N/A |", "capstone_or_practicum") is False
    assert value("Every student completes a capstone project.", "capstone_or_practicum") is True


def test_truncated_page_yields_what_it_states_and_nothing_more() -> None:
    page = "Master of Science in Health Data Science\nThe degree requires a total of 33 credits. Tuition is $1,1"
    ex = extract_text(None, page)
    assert ex.fields["credits"].value == 33
    assert ex.fields["tuition_per_credit_usd"].value is None
    assert ex.fields["program_name"].value == "Master of Science in Health Data Science"
    assert ex.fields["degree"].value == "MS"


def test_institution_prefers_the_name_matching_the_url_host() -> None:
    page = "Applicants may also take courses at Other State University. Welcome to Lakeshore State University."
    assert value(page, "institution", url="https://www.lakeshore.example.edu/ms") == "Lakeshore State University"


def test_to_json_has_exactly_the_contract_shape() -> None:
    doc = extract_text("https://x.example.edu", "Master of Science in Testing. No GRE required.").to_json()
    assert set(doc) == {"url", "fields"} and list(doc["fields"]) == list(FIELD_NAMES)
    for fv in doc["fields"].values():
        assert set(fv) == {"value", "evidence", "confidence"}
        assert 0.0 <= fv["confidence"] <= 1.0


def test_silent_page_gives_null_scalars_and_empty_lists() -> None:
    ex = extract_text(None, "Twelve students graduated on Saturday.")
    for name in FIELD_NAMES:
        assert ex.fields[name].value == ([] if name in LIST_FIELDS else None)
        assert ex.fields[name].evidence is None


_VOCAB = (
    "Master of Science in Health Informatics requires 36 credits GRE not required minimum GPA 3.0 tuition $500 "
    "per credit full-time 12 months online hybrid on-campus fall spring admission capstone statistics Python "
    "accredited by CAHIIM University of Example . , ; : ( ) |"
)
_words = st.sampled_from([*_VOCAB.split(" "), "\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_words, max_size=120))
def test_every_returned_value_quotes_the_page(words: list[str]) -> None:
    text = " ".join(words)
    ex = extract_text(None, text)
    for fv in ex.fields.values():
        if fv.value not in (None, []):
            assert fv.evidence is not None
            assert " ".join(fv.evidence.split()) in " ".join(text.split())
