"""The curated career files load, cross-check, and agree with the real data in the mirror.

The mirror is found through GRADPATH_DATA_MIRROR (CI sets it); inside tests only, it defaults to
/work/shared/data. Broken inputs are the team's fixtures under tests/fixtures/curated/.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml
from python_calamine import CalamineWorkbook

from gradpath.config import DEFAULT_CIP_FAMILIES
from gradpath.sources.base import SourceError
from gradpath.sources.curated_careers import (
    INFO,
    TOPICS,
    Certification,
    CipRelevance,
    Claim,
    CuratedDataError,
    Role,
    load_certifications,
    load_cip_relevance,
    load_claims,
    load_roles,
)

MIRROR = Path(os.environ.get("GRADPATH_DATA_MIRROR", "/work/shared/data"))
REPO = Path(__file__).resolve().parents[2]
CURATED = REPO / "data" / "curated"
CLAIMS = REPO / "docs" / "claims" / "careers-article-claims.yaml"
FIXTURES = REPO / "tests" / "fixtures" / "curated"
FAMILIES = list(DEFAULT_CIP_FAMILIES)
REQUIRED_ROLES = {
    "healthcare-ai-specialist", "clinical-data-scientist", "medical-imaging-ai-engineer",
    "ai-drug-discovery-scientist", "healthcare-ml-engineer", "clinical-informaticist",
    "health-data-analyst", "biostatistician", "bioinformatics-scientist", "health-ai-product-manager",
    "health-information-manager",
}  # fmt: skip


# Shipped files ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def roles() -> list[Role]:
    return load_roles(CURATED, families=FAMILIES)


@pytest.fixture(scope="module")
def certifications() -> list[Certification]:
    return load_certifications(CURATED)


@pytest.fixture(scope="module")
def cip_relevance() -> dict[str, CipRelevance]:
    return load_cip_relevance(CURATED, families=FAMILIES)


@pytest.fixture(scope="module")
def claims(roles: list[Role]) -> list[Claim]:
    return load_claims(CLAIMS, roles={role.id for role in roles})


# Mirror readers -----------------------------------------------------------------------------------
def _sheet(path: Path, header_row: int = 0, sheet: str | None = None) -> Iterator[dict[str, Any]]:
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(sheet or book.sheet_names[0]).to_python()
    header = [str(cell).strip() for cell in rows[header_row]]
    for row in rows[header_row + 1 :]:
        yield dict(zip(header, row, strict=False))


@pytest.fixture(scope="module")
def oews(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    target = tmp_path_factory.mktemp("oews") / "oews-2025.sqlite"
    with gzip.open(MIRROR / "bls-oews-2025" / "oews-2025.sqlite.gz", "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    con = sqlite3.connect(target)
    yield con
    con.close()


@pytest.fixture(scope="module")
def ep_rows() -> dict[str, dict[str, Any]]:
    rows = _sheet(MIRROR / "bls-ep-2024-34" / "occupation.xlsx", header_row=1, sheet="Table 1.2")
    return {str(row["2024 National Employment Matrix code"]).strip(): row for row in rows}


@pytest.fixture(scope="module")
def onet_codes() -> set[str]:
    return {str(row["O*NET-SOC Code"]) for row in _sheet(MIRROR / "onet-29.3" / "Occupation Data.xlsx")}


@pytest.fixture(scope="module")
def onet_tasks() -> dict[str, set[int]]:
    tasks: dict[str, set[int]] = defaultdict(set)
    for row in _sheet(MIRROR / "onet-29.3" / "Task Statements.xlsx"):
        tasks[str(row["O*NET-SOC Code"])].add(int(row["Task ID"]))
    return tasks


@pytest.fixture(scope="module")
def onet_hot() -> dict[str, set[str]]:
    hot: dict[str, set[str]] = defaultdict(set)
    for row in _sheet(MIRROR / "onet-29.3" / "Technology Skills.xlsx"):
        if row["Hot Technology"] == "Y":
            hot[str(row["O*NET-SOC Code"])].add(str(row["Example"]))
    return hot


@pytest.fixture(scope="module")
def crosswalk() -> list[tuple[str, str]]:
    path = MIRROR / "nces-cip2020" / "CIP2020_SOC2018_Crosswalk.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(row["CIP2020Code"].strip(), row["SOC2018Code"].strip()) for row in csv.DictReader(fh)]


@pytest.fixture(scope="module")
def cip2020_titles() -> dict[str, str]:
    path = MIRROR / "nces-cip2020" / "CIPCode2020.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    titles = {}
    for row in rows:
        code = row["CIPCode"].strip().lstrip("=").strip('"')
        if re.fullmatch(r"\d{2}\.\d{4}", code) and code[:5] in FAMILIES:
            titles[code] = " ".join(row["CIPTitle"].split()).rstrip(".")
    return titles


@pytest.fixture(scope="module")
def cert_rows() -> dict[str, dict[str, str]]:
    with (MIRROR / "certifications" / "certifications.csv").open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


# Shipped data: loads and cross-checks -------------------------------------------------------------
def test_shipped_files_load_and_define_every_required_role(
    roles: list[Role], certifications: list[Certification], cip_relevance: dict[str, CipRelevance]
) -> None:
    assert {role.id for role in roles} >= REQUIRED_ROLES
    assert len(certifications) == 15
    assert INFO.id == "gradpath-curated"


def test_loading_with_the_configured_families_accepts_the_shipped_roles() -> None:
    assert len(load_roles(CURATED)) == len(load_roles(CURATED, families=FAMILIES))


def test_every_role_has_soc_weights_summing_to_one(roles: list[Role]) -> None:
    for role in roles:
        assert abs(sum(share.weight for share in role.socs) - 1) <= 0.001, role.id


def test_every_role_skill_is_a_curriculum_topic(roles: list[Role]) -> None:
    for role in roles:
        assert set(role.skills) <= set(TOPICS), role.id


def test_every_skill_topic_is_defined_in_the_curriculum_taxonomy_file() -> None:
    topics = yaml.safe_load((CURATED / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    assert set(TOPICS) <= {topic["id"] for topic in topics}


def test_every_role_soc_is_a_detailed_occupation_with_national_oews_may_2025_data(
    roles: list[Role], oews: sqlite3.Connection
) -> None:
    for role in roles:
        for soc in role.soc_codes:
            code = soc.replace("-", "")
            level = oews.execute("SELECT display_level FROM occupation WHERE occupation_code = ?", (code,))
            assert level.fetchone() == (3,), f"{role.id}: {soc} is not a detailed OEWS occupation"
            key = f"OEUN0000000000000{code}"
            cell = oews.execute("SELECT v01 FROM cell WHERE key = ?", (key,)).fetchone()
            assert cell is not None and cell[0], f"{role.id}: no national employment for {soc}"


def test_every_role_soc_is_a_line_item_of_ep_table_1_2(roles: list[Role], ep_rows: dict[str, dict[str, Any]]) -> None:
    for role in roles:
        for soc in role.soc_codes:
            assert soc in ep_rows, f"{role.id}: {soc} missing from EP 2024-34 Table 1.2"
            assert ep_rows[soc]["Occupation type"] == "Line item", f"{role.id}: {soc} is a summary row"


def test_every_onet_code_of_a_role_exists_in_onet_29_3(roles: list[Role], onet_codes: set[str]) -> None:
    for role in roles:
        assert set(role.onet_codes) <= onet_codes, role.id


def test_every_task_id_belongs_to_one_of_the_roles_onet_codes(
    roles: list[Role], onet_tasks: dict[str, set[int]]
) -> None:
    for role in roles:
        known = set().union(*(onet_tasks[code] for code in role.onet_codes))
        assert set(role.onet_tasks) <= known, f"{role.id}: {sorted(set(role.onet_tasks) - known)}"


def test_every_hot_technology_is_flagged_hot_for_one_of_the_roles_onet_codes(
    roles: list[Role], onet_hot: dict[str, set[str]]
) -> None:
    for role in roles:
        hot = set().union(*(onet_hot[code] for code in role.onet_codes))
        assert set(role.hot_technologies) <= hot, f"{role.id}: {sorted(set(role.hot_technologies) - hot)}"


def test_crosswalk_links_are_exactly_the_families_the_nces_crosswalk_gives(
    roles: list[Role], crosswalk: list[tuple[str, str]]
) -> None:
    for role in roles:
        expected = {cip[:5] for cip, soc in crosswalk if soc in role.soc_codes and cip[:5] in FAMILIES}
        via_crosswalk = {link.cip for link in role.cip_families if link.via == "crosswalk"}
        added = {link.cip for link in role.cip_families if link.via == "added"}
        assert via_crosswalk == expected, role.id
        assert not added & expected, f"{role.id}: marked added but the crosswalk has it"


def test_every_certification_a_role_names_exists_and_has_a_real_issuer(
    roles: list[Role], certifications: list[Certification]
) -> None:
    real = {cert.id for cert in certifications if cert.status != "not_found"}
    for role in roles:
        assert {link.id for link in role.certifications} <= real, role.id


# Certifications -----------------------------------------------------------------------------------
def test_certifications_keep_the_mirror_ids(
    certifications: list[Certification], cert_rows: dict[str, dict[str, str]]
) -> None:
    assert {cert.id for cert in certifications} == set(cert_rows)


def test_every_fee_amount_is_stated_in_the_mirror_row_of_that_certification(
    certifications: list[Certification], cert_rows: dict[str, dict[str, str]]
) -> None:
    for cert in certifications:
        text = " ".join(cert_rows[cert.id].values())
        for fee in cert.fees:
            amount = f"{fee.amount_usd:g}"
            pattern = rf"(\$|USD ?){amount}\b|\b{amount} ?USD"
            assert re.search(pattern, text), f"{cert.id}: ${amount} is not stated in the mirror"


def test_only_fees_on_the_issuers_own_site_are_verified(certifications: list[Certification]) -> None:
    def host(url: str) -> str:
        return (urlparse(url).hostname or "").removeprefix("www.")

    for cert in certifications:
        for fee in cert.fees:
            if fee.verified:
                assert cert.issuer_url is not None
                assert host(fee.source_url) == host(cert.issuer_url), cert.id


def test_the_articles_ethics_credential_is_not_found_and_points_to_real_ones(
    certifications: list[Certification],
) -> None:
    by_id = {cert.id: cert for cert in certifications}
    ethics = by_id["certified_ai_ethics_professional"]
    assert ethics.status == "not_found" and ethics.fees == () and ethics.issuer is None
    assert "iapp_aigp" in ethics.alternatives
    assert all(by_id[alt].status != "not_found" for alt in ethics.alternatives)


# CIP relevance ------------------------------------------------------------------------------------
def test_cip_relevance_covers_every_cip_2020_code_of_the_families_with_its_title(
    cip_relevance: dict[str, CipRelevance], cip2020_titles: dict[str, str]
) -> None:
    assert set(cip_relevance) == set(cip2020_titles)
    for code, entry in cip_relevance.items():
        assert entry.title == cip2020_titles[code], code


def test_cip_relevance_covers_every_masters_code_ipeds_reports_in_the_families(
    cip_relevance: dict[str, CipRelevance],
) -> None:
    reported: set[str] = set()
    for path in sorted((MIRROR / "ipeds-completions-2020-2024").glob("c20*_a.parquet")):
        frame = pd.read_parquet(path, columns=["CIPCODE", "AWLEVEL"])
        masters = frame[(frame["AWLEVEL"] == 7) & frame["CIPCODE"].str[:5].isin(FAMILIES)]
        reported |= set(masters["CIPCODE"])
    assert reported, "no master's programs found in the IPEDS completions files"
    assert reported <= set(cip_relevance), sorted(reported - set(cip_relevance))


def test_named_programs_get_the_tiers_the_catalog_promises(cip_relevance: dict[str, CipRelevance]) -> None:
    tiers = {code: entry.tier for code, entry in cip_relevance.items()}
    assert tiers["11.0102"] == tiers["51.2706"] == "core"
    assert tiers["51.2201"] == tiers["51.0701"] == tiers["51.0703"] == "context"
    assert tiers["30.7001"] in {"core", "adjacent"} and tiers["26.1102"] in {"core", "adjacent"}


# Claims -------------------------------------------------------------------------------------------
def test_article_claims_name_real_socs_or_curated_roles(
    claims: list[Claim], ep_rows: dict[str, dict[str, Any]]
) -> None:
    assert len(claims) >= 6
    for claim in claims:
        assert claim.role is not None or claim.soc in ep_rows, claim.id


def test_article_claims_keep_periods_our_projections_do_not_cover(claims: list[Claim]) -> None:
    ends = {claim.period_years[1] for claim in claims if claim.metric == "growth_percent"}
    assert {2029, 2032} <= ends


def test_a_stated_wage_range_keeps_both_ends(claims: list[Claim]) -> None:
    ranges = [claim for claim in claims if isinstance(claim.value, tuple)]
    assert ranges and all(claim.low < claim.high for claim in ranges)


def test_a_bare_list_of_claims_loads_and_knows_its_roles() -> None:
    (claim,) = load_claims(FIXTURES / "claims_bare_list.yaml", roles={"fixture-role"})
    assert (claim.low, claim.high, claim.period_years) == (1, 2, (None, 2030))
    with pytest.raises(CuratedDataError, match="unknown role 'fixture-role'"):
        load_claims(FIXTURES / "claims_bare_list.yaml", roles={"another-role"})


# Broken fixtures ----------------------------------------------------------------------------------
def _line_of(path: Path, marker: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in text:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def _as_curated_dir(tmp_path: Path, roles_fixture: str, certs_fixture: str = "certifications.yaml") -> Path:
    shutil.copy(FIXTURES / roles_fixture, tmp_path / "roles.yaml")
    shutil.copy(FIXTURES / certs_fixture, tmp_path / "certifications.yaml")
    return tmp_path


def test_the_valid_role_fixture_loads(tmp_path: Path) -> None:
    (role,) = load_roles(_as_curated_dir(tmp_path, "roles_ok.yaml"), families=FAMILIES)
    assert role.id == "fixture-role" and role.onet_codes == ("15-2051.00", "15-2041.00")


BROKEN_ROLES = [
    ("roles_weights_off.yaml", "roles[0].socs", "    socs:", "sum to 0.9"),
    ("roles_unknown_cert.yaml", "roles[0].certifications[0].id", "no_such_cert", "unknown certification"),
    ("roles_not_found_cert.yaml", "roles[0].certifications[0].id", "- id: fixture_missing", "no real issuer"),
    ("roles_unknown_key.yaml", "roles[0].socs[0].wieght", "wieght:", "Extra inputs are not permitted"),
    ("roles_unknown_skill.yaml", "roles[0].skills.quantum_computing", "quantum_computing: useful", "machine_learning"),
    ("roles_bad_family.yaml", "roles[0].cip_families[0].cip", '"52.02"', "not a configured family"),
    ("roles_bad_soc.yaml", "roles[0].socs[1].soc", '"152041"', "pattern"),
    ("roles_duplicate_key.yaml", "roles[0].title", "Fixture role again", "duplicate key 'title'"),
]


@pytest.mark.parametrize(("fixture", "field", "marker", "words"), BROKEN_ROLES)
def test_a_broken_roles_file_names_the_file_line_and_field(
    tmp_path: Path, fixture: str, field: str, marker: str, words: str
) -> None:
    curated = _as_curated_dir(tmp_path, fixture)
    with pytest.raises(SourceError) as caught:
        load_roles(curated, families=FAMILIES)
    error = caught.value
    assert isinstance(error, CuratedDataError)
    assert Path(error.file) == curated / "roles.yaml"
    assert error.field == field
    assert error.line == _line_of(FIXTURES / fixture, marker)
    assert words in str(error) and field in str(error) and "roles.yaml" in str(error)


BROKEN_OTHERS: list[tuple[str, Callable[[Path], object], str, str, str]] = [
    (
        "certifications_verified_third_party.yaml",
        lambda path: load_certifications(path),
        "certifications[0].fees[0]",
        "- amount_usd: 1",
        "verified is true",
    ),
    (
        "certifications_zero_fee.yaml",
        lambda path: load_certifications(path),
        "certifications[0].fees[0].amount_usd",
        "amount_usd: 0",
        "greater than 0",
    ),
    (
        "cip_relevance_unquoted_code.yaml",
        lambda path: load_cip_relevance(path, families=FAMILIES),
        "codes",
        "51.2706:",
        "quote it",
    ),
    (
        "claims_soc_and_role.yaml",
        lambda path: load_claims(path / "claims.yaml"),
        "claims[1]",
        "- id: fixture-claim-both",
        "exactly one of soc or role",
    ),
]
TARGET_NAMES = {
    "certifications": "certifications.yaml",
    "cip": "cip_relevance.yaml",
    "claims": "claims.yaml",
}


@pytest.mark.parametrize(("fixture", "load", "field", "marker", "words"), BROKEN_OTHERS)
def test_a_broken_curated_file_names_the_file_line_and_field(
    tmp_path: Path, fixture: str, load: Callable[[Path], object], field: str, marker: str, words: str
) -> None:
    target = tmp_path / TARGET_NAMES[fixture.split("_")[0]]
    shutil.copy(FIXTURES / fixture, target)
    with pytest.raises(CuratedDataError) as caught:
        load(tmp_path)
    error = caught.value
    assert Path(error.file) == target
    assert error.field == field
    assert error.line == _line_of(FIXTURES / fixture, marker)
    assert words in str(error)
