"""Curated programs, tuition rates and their IPEDS links: fixtures for the rules, the mirror for the data."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gradpath.config import DEFAULT_CIP_FAMILIES, get_settings
from gradpath.sources import cip, ipeds_hd
from gradpath.sources.base import SourceError
from gradpath.sources.curated_programs import (
    CuratedProgram,
    LinkOverrides,
    ProgramLink,
    best_name_match,
    link_programs,
    link_tuition,
    load_link_overrides,
    load_programs,
    load_tuition,
    normalise_host,
    normalise_name,
    other_field,
    registrable_domain,
)
from gradpath.sources.ipeds_hd import Institution

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "data" / "curated"
FIXTURES = ROOT / "tests" / "fixtures" / "curated_programs"

# Facts copied from the labels as values; anything else in a label is page wording and stays out.
VALUE_FIELDS = ("format", "formats_offered", "credits", "duration_months_fulltime", "duration_months_parttime",
                "tuition_per_credit_usd", "tuition_year", "gre", "min_gpa", "accreditation",
                "curriculum_topics", "capstone_or_practicum", "thesis", "start_terms")  # fmt: skip


def _mirror() -> Path:
    env = os.environ.get("GRADPATH_DATA_MIRROR")
    mirror = Path(env) if env else get_settings().data_mirror
    assert mirror is not None and mirror.is_dir(), "set GRADPATH_DATA_MIRROR to the data mirror"
    return mirror


@cache
def _institutions(mirror: Path) -> tuple[Institution, ...]:
    return tuple(ipeds_hd.load(ipeds_hd.find(mirror, None)))


@cache
def _offerings() -> tuple[tuple[int, str], ...]:
    table = pd.read_parquet(_mirror() / "ipeds-completions-2020-2024" / "c2024_a.parquet")
    masters = table[(table.AWLEVEL == 7) & table.CIPCODE.str[:5].isin(DEFAULT_CIP_FAMILIES)]
    return tuple(zip(masters.UNITID.astype(int), masters.CIPCODE, strict=True))


@cache
def _cip_titles() -> dict[str, str]:
    return {c.code: c.title for c in cip.load_codes(cip.find(_mirror(), None))}


@cache
def _shipped_links() -> tuple[tuple[CuratedProgram, ProgramLink], ...]:
    programs = load_programs(CURATED)
    links = link_programs(programs, _institutions(_mirror()), _offerings(), load_link_overrides(CURATED), _cip_titles())
    return tuple(zip(programs, links, strict=True))


def _labels() -> list[dict[str, object]]:
    path = _mirror() / "program-pages" / "labels.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- helpers on small inputs ----------------------------------------------------------------------


def test_host_normalisation_drops_scheme_www_port_and_trailing_dot() -> None:
    assert normalise_host("https://WWW.Example-State.edu:8443/path?q=1") == "example-state.edu"
    assert normalise_host("https://sjsu.edu./cmpe/") == "sjsu.edu"
    assert normalise_host("www.fixture-tech.edu/") == "fixture-tech.edu"


def test_registrable_domain_strips_catalog_and_grad_subdomains() -> None:
    assert registrable_domain("catalog.utah.edu") == "utah.edu"
    assert registrable_domain("grad.harbor.example-state.edu") == "example-state.edu"
    assert registrable_domain("www.cs.ox.ac.uk") == "ox.ac.uk"


def test_name_normalisation_ignores_case_punctuation_the_and_main_campus() -> None:
    assert normalise_name("The University of Texas at Austin") == "university of texas at austin"
    assert normalise_name("Georgia Institute of Technology-Main Campus") == "georgia institute of technology"
    assert normalise_name("Oregon Health & Science University") == "oregon health and science university"


# --- linking rules on the fixture ------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_institutions() -> tuple[Institution, ...]:
    return _institutions(FIXTURES / "mirror")


@pytest.fixture(scope="module")
def fixture_links(fixture_institutions: tuple[Institution, ...]) -> dict[str, object]:
    curated = FIXTURES / "curated"
    offerings = [(900001, "51.2706"), (900002, "11.0102"), (900007, "26.1102"), (900003, "11.0104")]
    links = link_programs(load_programs(curated), fixture_institutions, offerings, load_link_overrides(curated))
    return {link.slug: link for link in links}


def test_catalog_subdomain_page_links_by_host_to_the_offering_in_its_cip4(fixture_links: dict) -> None:
    link = fixture_links["esu-ms-health-informatics"]
    assert (link.unitid, link.method, link.offering_cip6, link.flags) == (900001, "host", ("51.2706",), ())


def test_campus_host_beats_the_parent_university_host(fixture_links: dict) -> None:
    link = fixture_links["esu-harbor-ms-ai"]
    assert (link.unitid, link.method, link.offering_cip6) == (900002, "host", ("11.0102",))


def test_campus_on_a_shared_domain_is_chosen_by_name(fixture_links: dict) -> None:
    link = fixture_links["riverbend-westgate-ms-biostat"]
    assert (link.unitid, link.method, link.offering_cip6) == (900007, "host", ("26.1102",))


def test_page_on_unrelated_host_falls_back_to_name_and_is_flagged_mirror_host(fixture_links: dict) -> None:
    link = fixture_links["fixture-tech-ms-data-science-mirror"]
    assert (link.unitid, link.method) == (900003, "name")
    assert link.flags == ("mirror_host", "no_offering_in_cip4")


def test_program_outside_us_is_kept_and_flagged_without_unitid(fixture_links: dict) -> None:
    link = fixture_links["maple-msc-health-informatics"]
    assert (link.unitid, link.method, link.flag) == (None, "none", "outside_us")
    assert link.reason and "outside the U.S." in link.reason


def test_override_wins_over_host_and_may_set_the_ipeds_cip4(fixture_links: dict) -> None:
    link = fixture_links["overridden-program"]
    assert (link.unitid, link.cip4, link.method, link.offering_cip6) == (900003, "11.01", "override", ("11.0104",))
    assert link.reason and "partner" in link.reason


def test_similar_name_of_another_institution_is_not_matched(fixture_institutions: tuple) -> None:
    sample = [inst for inst in fixture_institutions if inst.unitid == 900004]
    # "Sample"/"Fixture" differ in one word, like Georgia/Florida Institute of Technology.
    best, score = best_name_match("Fixture Institute of Technology", sample)
    assert best is None and 70 < score < 93


def test_name_shared_by_two_campuses_is_left_ambiguous(fixture_institutions: tuple) -> None:
    best, _ = best_name_match("Riverbend University", fixture_institutions)
    assert best is None


def test_tuition_links_by_exact_name_override_or_not_at_all(fixture_institutions: tuple) -> None:
    curated = FIXTURES / "curated"
    links = link_tuition(load_tuition(curated), fixture_institutions, load_link_overrides(curated))
    got = [(link.unitid, link.method) for link in links]
    assert got == [(900003, "name"), (900005, "override"), (None, "none"), (None, "none")]
    assert links[2].reason is not None


def test_override_to_unknown_unitid_raises_source_error(fixture_institutions: tuple) -> None:
    programs = load_programs(FIXTURES / "curated")[:1]
    bad = LinkOverrides.model_validate({"programs": {programs[0].slug: {"unitid": 1, "reason": "typo"}}})
    with pytest.raises(SourceError, match="UNITID 1 is not in HD2024"):
        link_programs(programs, fixture_institutions, [], bad)


def _program(slug: str, cip4: str, cip6: str | None = None) -> CuratedProgram:
    return CuratedProgram.model_validate({
        "slug": slug, "url": "https://www.example-state.edu/x", "institution": "Example State University",
        "program_name": "X", "cip4": cip4, "cip6": cip6, "country": "US", "as_of": {"reviewed": "2026-11-27"},
        "facts": {},
    })  # fmt: skip


def test_a_program_with_its_own_six_digit_code_links_to_that_offering_only(fixture_institutions: tuple) -> None:
    offerings = [(900001, "51.2703"), (900001, "51.2706"), (900001, "51.2799")]
    link = link_programs([_program("p", "51.27", "51.2706")], fixture_institutions, offerings, LinkOverrides())[0]
    assert (link.unitid, link.cip6, link.offering_cip6, link.flags) == (900001, "51.2706", ("51.2706",), ())
    missing = link_programs([_program("p", "51.27", "51.2706")], fixture_institutions, offerings[:1], LinkOverrides())
    assert (missing[0].offering_cip6, missing[0].flags) == ((), ("no_offering_in_cip6",))


def test_without_its_own_code_a_program_skips_siblings_whose_title_names_another_field(
    fixture_institutions: tuple,
) -> None:
    titles = {"51.2703": "Medical Illustration/Medical Illustrator", "51.2706": "Medical Informatics",
              "51.2799": "Medical Illustration and Informatics, Other"}  # fmt: skip
    offerings = [(900001, code) for code in titles]
    link = link_programs([_program("p", "51.27")], fixture_institutions, offerings, LinkOverrides(), titles)[0]
    assert link.offering_cip6 == ("51.2706", "51.2799")
    only_other = link_programs([_program("p", "51.27")], fixture_institutions, offerings[:1], LinkOverrides(), titles)
    assert (only_other[0].offering_cip6, only_other[0].flags) == ((), ("no_offering_in_cip4",))


def test_other_field_reads_the_cip_title() -> None:
    assert other_field("Medical Illustration/Medical Illustrator") and other_field("Business Analytics")
    assert not other_field("Medical Informatics") and not other_field("Medical Illustration and Informatics, Other")
    assert not other_field("Artificial Intelligence") and not other_field("Data Science, General")


def test_a_six_digit_code_outside_the_programs_cip4_is_rejected() -> None:
    with pytest.raises(ValueError, match="not in the program's cip4"):
        _program("p", "51.27", "11.0102")


def test_an_override_family_that_does_not_hold_the_programs_code_raises(fixture_institutions: tuple) -> None:
    bad = LinkOverrides.model_validate({"programs": {"p": {"unitid": 900001, "cip4": "11.01", "reason": "x"}}})
    with pytest.raises(SourceError, match="does not hold cip6"):
        link_programs([_program("p", "51.27", "51.2706")], fixture_institutions, [], bad)


# --- loader errors -----------------------------------------------------------------------------------


def test_bad_value_raises_source_error_naming_file_line_and_field() -> None:
    with pytest.raises(SourceError) as err:
        load_programs(FIXTURES / "bad")
    assert err.value.file.endswith("programs.yaml")
    assert err.value.column == "facts.gre"
    assert err.value.line == 11


def test_unknown_field_is_rejected(tmp_path: Path) -> None:
    text = (FIXTURES / "curated" / "programs.yaml").read_text(encoding="utf-8")
    (tmp_path / "programs.yaml").write_text(text.replace("  degree: MS\n", "  degree: MS\n  quote: x\n", 1))
    with pytest.raises(SourceError) as err:
        load_programs(tmp_path)
    assert err.value.column == "quote"


def test_duplicate_slug_is_rejected(tmp_path: Path) -> None:
    text = (FIXTURES / "curated" / "programs.yaml").read_text(encoding="utf-8")
    (tmp_path / "programs.yaml").write_text(text.replace("slug: esu-harbor-ms-ai", "slug: esu-ms-health-informatics"))
    with pytest.raises(SourceError, match="duplicate slug"):
        load_programs(tmp_path)


def test_missing_tuition_file_names_the_file(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "curated" / "programs.yaml", tmp_path / "programs.yaml")
    with pytest.raises(SourceError, match=r"tuition\.yaml"):
        load_tuition(tmp_path)


def test_duration_range_must_be_min_then_max() -> None:
    with pytest.raises(ValueError, match="min <= max"):
        CuratedProgram.model_validate({
            "slug": "x", "url": "https://x.edu", "institution": "X", "program_name": "X", "cip4": "51.27",
            "country": "US", "as_of": {"reviewed": "2026-11-27"}, "facts": {"duration_months_fulltime": [24, 12]},
        })  # fmt: skip


# --- the shipped curated files against the mirror ---------------------------------------------------


def test_shipped_curated_files_load() -> None:
    assert len(load_programs(CURATED)) == 76
    assert len(load_tuition(CURATED)) == 222
    overrides = load_link_overrides(CURATED)
    assert all(o.reason for o in [*overrides.programs.values(), *overrides.institutions.values()])


def test_every_labelled_page_has_a_curated_entry_with_its_url() -> None:
    curated = {p.slug: p for p in load_programs(CURATED)}
    labels = _labels()
    assert {str(lab["slug"]) for lab in labels} == set(curated)
    for lab in labels:
        assert curated[str(lab["slug"])].url == lab["url"]


def test_curated_values_match_the_labels_except_recorded_corrections() -> None:
    curated = {p.slug: p for p in load_programs(CURATED)}
    for lab in _labels():
        program = curated[str(lab["slug"])]
        facts = program.facts.model_dump()
        corrected = {f.strip() for c in program.corrections for f in c.split(":")[0].split(",")}
        for name in VALUE_FIELDS:
            if name in corrected:
                continue
            want = lab.get(name)
            got = facts[name]
            assert (got in (None, []) and want in (None, [])) or got == want, (program.slug, name, got, want)


def test_every_us_program_links_to_a_unitid_and_to_the_offerings_of_its_own_field() -> None:
    shipped = _shipped_links()
    titles = _cip_titles()
    by_unitid: dict[int, set[str]] = {}
    for unitid, cip6 in _offerings():
        by_unitid.setdefault(unitid, set()).add(cip6)
    us = [link for p, link in shipped if p.country == "US"]
    linked = [link for link in us if link.unitid is not None]
    with_offering = [link for link in linked if link.offering_cip6]
    print(f"\nprograms → UNITID {len(linked)}/{len(us)}; → offering {len(with_offering)}/{len(us)}")
    assert len(linked) == len(us)
    for program, link in shipped:
        if link.unitid is None:
            continue
        offered = sorted(by_unitid.get(link.unitid, set()))
        if program.cip6:  # the team's own 6-digit code: that offering only, checked against C2024_A
            expected = [c for c in offered if c == program.cip6]
            assert ("no_offering_in_cip6" in link.flags) == (not expected), program.slug
        else:
            expected = [c for c in offered if c[:5] == link.cip4 and not other_field(titles[c])]
            assert ("no_offering_in_cip4" in link.flags) == (not expected), program.slug
        assert list(link.offering_cip6) == expected, program.slug
    known = {link.slug: link for _, link in shipped}["vanderbilt-ms-applied-clinical-informatics-faqs"]
    assert (known.unitid, known.method, known.offering_cip6) == (221999, "host", ("51.2706",))


def test_no_verified_program_links_to_a_six_digit_code_of_another_field() -> None:
    titles = _cip_titles()
    for program, link in _shipped_links():
        for code in link.offering_cip6:
            assert code == program.cip6 or not other_field(titles[code]), (program.slug, code, titles[code])
            if program.cip6:
                assert code == program.cip6, program.slug


def test_johns_hopkins_informatics_pages_link_to_medical_informatics_only() -> None:
    links = {link.slug: link for _, link in _shipped_links()}
    informatics = [slug for slug in links if slug.startswith(("jhu-ms-applied", "jhu-bids"))]
    assert len(informatics) == 5
    for slug in informatics:
        assert (links[slug].unitid, links[slug].offering_cip6) == (162928, ("51.2706",)), slug


def test_programs_whose_name_makes_the_field_plain_carry_their_six_digit_code() -> None:
    fields = (("informatics", "51.27", "51.2706"), ("artificial intelligence", "11.01", "11.0102"),
              ("biostatistics", "26.11", "26.1102"))  # fmt: skip
    programs = load_programs(CURATED)
    for program in programs:
        name = program.program_name.lower()
        for word, cip4, code in fields:
            if word in name and program.cip4 == cip4 and "programs" not in name:  # a page on several programs
                assert program.cip6 == code, program.slug
    assert sum(p.cip6 is not None for p in programs) >= 60


def test_pages_of_one_program_share_its_institution_and_offerings() -> None:
    groups: dict[tuple[str, str, str | None], list[ProgramLink]] = {}
    for program, link in _shipped_links():
        groups.setdefault((program.institution, program.program_name, program.degree), []).append(link)
    jhu = ("Johns Hopkins University", "Master of Science in Applied Health Sciences Informatics", "MS")
    assert len(groups[jhu]) == 4
    for key, links in groups.items():
        assert len({(link.unitid, link.offering_cip6) for link in links}) == 1, key


def test_programs_outside_us_are_flagged_and_only_they() -> None:
    for program, link in _shipped_links():
        assert ("outside_us" in link.flags) == (program.country != "US"), program.slug


def test_tuition_keeps_every_mirror_row_with_amount_unit_and_source_unchanged() -> None:
    with (_mirror() / "tuition" / "graduate_tuition_rates.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rates = load_tuition(CURATED)
    assert len(rates) == len(rows) == 222
    for row, rate in zip(rows, rates, strict=True):
        assert Decimal(row["amount_usd"]) == Decimal(str(rate.amount_usd)), row
        assert (rate.institution, rate.residency, rate.per, rate.source_url) == (
            row["institution"], row["residency"], row["per"], row["source_url"]
        )  # fmt: skip
        assert (rate.academic_year is None) == (row["academic_year"] == "null")


def test_tuition_unitids_are_what_the_linker_finds() -> None:
    rates = load_tuition(CURATED)
    links = link_tuition(rates, _institutions(_mirror()), load_link_overrides(CURATED))
    linked = sum(link.unitid is not None for link in links)
    print(f"\ntuition rows → UNITID {linked}/{len(links)}")
    assert [rate.unitid for rate in rates] == [link.unitid for link in links]
    assert all(link.reason for link in links if link.unitid is None)
    assert linked >= 216


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_curated_text_carries_no_quoted_page_fragments() -> None:
    # A quotation opens after a space or at the start ('...' or curly quotes); apostrophes don't.
    quoted = re.compile(r"(^|\s)'[^']+'|[\u201c\u201d]|as stated", re.IGNORECASE)
    for name in ("programs.yaml", "tuition.yaml"):
        data = yaml.safe_load((CURATED / name).read_text(encoding="utf-8"))
        hits = [s for s in _strings(data) if quoted.search(s)]
        assert not hits, (name, hits[:3])
