"""Claim checker: verdicts follow the documented tolerances, official figures carry source and
vintage, and claims about periods or releases the data do not cover are not_checkable with a reason."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.claims import (
    CLOSE_TOLERANCE,
    GROWTH_ROUNDING_POINTS,
    SUPPORTED_TOLERANCE,
    VERDICTS,
    check_claim,
    check_file,
    compare,
)
from gradpath.config import Settings
from gradpath.sources.curated_careers import Claim

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "docs" / "claims" / "careers-article-claims.yaml"
DOCS = REPO / "docs" / "careers.md"


def claim(**fields: Any) -> Claim:
    """A claim with test defaults (id and text are not what is checked)."""
    return Claim.model_validate({"id": "test-claim", "text": "Test claim.", **fields})


def wage_cell(conn: Connection, soc: str, area: str = "national") -> Any:
    return conn.execute(select(schema.wage).where(schema.wage.c.soc == soc, schema.wage.c.area_code == area)).one()


def growth(conn: Connection, soc: str) -> float:
    return conn.execute(select(schema.outlook.c.change_percent).where(schema.outlook.c.soc == soc)).scalar_one()


# Tolerances -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (100_000, "supported"),
        (100_000 * (1 + SUPPORTED_TOLERANCE) - 1, "supported"),
        (100_000 * (1 + SUPPORTED_TOLERANCE) + 10, "close"),
        (100_000 * (1 - CLOSE_TOLERANCE) + 10, "close"),
        (100_000 * (1 + CLOSE_TOLERANCE) + 10, "unsupported"),
        (50_000, "unsupported"),
    ],
)
def test_a_single_value_is_judged_by_its_distance_from_the_official_figure(value: float, verdict: str) -> None:
    got, diff = compare(claim(metric="median_annual_wage", soc="15-2051", value=value), 100_000)
    assert got == verdict
    assert diff == pytest.approx((value - 100_000) / 1000, abs=0.06)


def test_a_range_is_supported_when_it_contains_the_figure_and_close_near_an_end() -> None:
    def verdict(low: float, high: float) -> str:
        return compare(claim(metric="mean_annual_wage", soc="15-2051", value=[low, high]), 100_000)[0]

    assert verdict(90_000, 110_000) == "supported"
    assert verdict(101_000, 120_000) == "close"  # 1% off the near end: close, not supported
    assert verdict(80_000, 95_000) == "close"
    assert verdict(145_000, 165_000) == "unsupported"


def test_a_growth_claim_within_rounding_points_is_supported() -> None:
    c = claim(metric="growth_percent", soc="15-2051", period="2024-2034", value=34)
    assert compare(c, 34 - GROWTH_ROUNDING_POINTS)[0] == "supported"
    assert compare(c, 34 - 2 * GROWTH_ROUNDING_POINTS - 0.1)[0] == "close"


# Against the catalog --------------------------------------------------------------------------------
def test_a_soc_median_claim_is_checked_against_oews_may_2025(conn: Connection) -> None:
    official = wage_cell(conn, "15-2051").annual_median
    out = check_claim(conn, claim(metric="median_annual_wage", soc="15-2051", year=2025, value=official))
    assert out["verdict"] == "supported"
    assert out["official"] == {
        "value": official,
        "year": 2025,
        "area": "National",
        "source_id": "bls-oews-2025",
        "vintage": "May 2025",
    }
    assert out["difference_percent"] == 0.0
    off = check_claim(conn, claim(metric="median_annual_wage", soc="15-2051", value=official * 1.06))
    assert off["verdict"] == "close" and off["difference_percent"] == pytest.approx(6.0, abs=0.1)
    assert "no year" in off["explanation"]


def test_a_metro_wage_claim_uses_that_metros_cell(conn: Connection) -> None:
    official = wage_cell(conn, "15-2051", "14460").annual_mean
    out = check_claim(conn, claim(metric="mean_annual_wage", soc="15-2051", area="Boston", value=official * 2))
    assert out["verdict"] == "unsupported"
    assert out["official"]["value"] == official
    assert out["official"]["area"].startswith("Boston")


def test_a_growth_claim_for_2024_2034_is_checked_against_the_projections(conn: Connection) -> None:
    official = growth(conn, "15-2051")
    out = check_claim(conn, claim(metric="growth_percent", soc="15-2051", period="2024-2034", value=official))
    assert out["verdict"] == "supported"
    assert out["official"]["source_id"] == "bls-ep-2024-34" and out["official"]["period"] == "2024-2034"


@pytest.mark.parametrize("period", ["by 2029", "by 2032", "year-over-year", "2022-2032"])
def test_a_growth_claim_about_another_period_is_not_checkable(conn: Connection, period: str) -> None:
    out = check_claim(conn, claim(metric="growth_percent", soc="00-0000", period=period, value=5))
    assert out["verdict"] == "not_checkable"
    assert out["difference_percent"] is None
    assert "2024–2034" in out["explanation"]
    assert out["official"]["value"] == growth(conn, "00-0000")  # shown for reference only


def test_claims_the_data_cannot_answer_are_not_checkable_with_a_reason(conn: Connection) -> None:
    cases = {
        "another release": claim(metric="median_annual_wage", soc="15-2051", year=2019, value=1),
        "state growth": claim(metric="growth_percent", soc="15-2051", area="MA", period="2024-2034", value=30),
        "role employment": claim(metric="employment", role="biostatistician", value=1000),
        "unknown soc": claim(metric="median_annual_wage", soc="99-9998", value=1),
        "unknown area": claim(metric="median_annual_wage", soc="15-2051", area="Atlantis", value=1),
    }
    for name, c in cases.items():
        out = check_claim(conn, c)
        assert out["verdict"] == "not_checkable", name
        assert out["explanation"], name


def test_a_national_2024_median_is_checked_against_the_projections_table(conn: Connection) -> None:
    official = conn.execute(
        select(schema.outlook.c.median_wage_2024).where(schema.outlook.c.soc == "15-2051")
    ).scalar_one()
    out = check_claim(conn, claim(metric="median_annual_wage", soc="15-2051", year=2024, value=official))
    assert out["verdict"] == "supported"
    assert out["official"]["source_id"] == "bls-ep-2024-34" and out["official"]["year"] == 2024


def test_employment_claims_use_oews_or_the_projection_years(conn: Connection) -> None:
    oews = wage_cell(conn, "15-2051").employment
    out = check_claim(conn, claim(metric="employment", soc="15-2051", value=oews))
    assert out["verdict"] == "supported" and out["official"]["source_id"] == "bls-oews-2025"
    k2034 = conn.execute(
        select(schema.outlook.c.employment_2034_k).where(schema.outlook.c.soc == "15-2051")
    ).scalar_one()
    projected = check_claim(conn, claim(metric="employment", soc="15-2051", year=2034, value=k2034 * 1000))
    assert projected["verdict"] == "supported" and projected["official"]["source_id"] == "bls-ep-2024-34"


def test_a_role_claim_is_checked_against_the_roles_blend(conn: Connection) -> None:
    from gradpath.careers import role_wages

    blended = role_wages(conn, "biostatistician")["wages"]["annual"]["median"]
    out = check_claim(conn, claim(metric="median_annual_wage", role="biostatistician", value=blended))
    assert out["verdict"] == "supported" and out["official"]["value"] == blended


# The shipped example file ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def example_report(catalog_engine_: Any) -> dict[str, Any]:
    with catalog_engine_.connect() as connection:
        return check_file(connection, EXAMPLE)


def test_every_example_claim_gets_a_verdict_an_official_figure_and_its_source(example_report: dict[str, Any]) -> None:
    assert len(example_report["claims"]) == 6
    assert sum(example_report["summary"].values()) == 6
    for r in example_report["claims"]:
        assert r["verdict"] in VERDICTS
        assert r["official"]["value"] is not None and r["official"]["source_id"] and r["official"]["vintage"]
        assert r["explanation"]


def test_the_articles_figures_get_the_expected_verdicts(example_report: dict[str, Any]) -> None:
    verdicts = {r["id"]: r["verdict"] for r in example_report["claims"]}
    assert verdicts == {
        "ai-medical-roles-growth-by-2029": "not_checkable",
        "ai-healthcare-graduates-median-salary": "close",
        "healthcare-ai-specialists-yoy-growth": "not_checkable",
        "ai-specialists-growth-through-2032": "not_checkable",
        "all-occupations-growth-through-2032": "not_checkable",
        "ai-healthcare-experts-median-salary-range": "unsupported",
    }


def test_the_docs_show_the_current_report_of_the_example_file(example_report: dict[str, Any]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    for r in example_report["claims"]:
        value = r["official"]["value"]
        shown = f"{value:,.0f}" if value >= 1000 else f"{value:g}"
        assert re.search(rf"\| {r['id']} \| {r['verdict']} \| \$?{re.escape(shown)}\D", text), r["id"]


# CLI ------------------------------------------------------------------------------------------------
def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GRADPATH_HOME=str(settings.home), GRADPATH_CURATED_DIR=str(settings.curated_dir))
    if settings.database_url:
        env |= {"GRADPATH_DATABASE_URL": settings.database_url, "GRADPATH_PG_SCHEMA": settings.pg_schema}
    gradpath = Path(sys.executable).with_name("gradpath")
    return subprocess.run([str(gradpath), *args], env=env, capture_output=True, text=True, timeout=120)


def test_cli_claims_check_prints_the_report_as_one_json_document(
    catalog_settings: Settings, example_report: dict[str, Any]
) -> None:
    done = cli(catalog_settings, "claims", "check", str(EXAMPLE), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"] == json.loads(json.dumps(example_report["claims"]))


def test_cli_claims_check_rejects_a_malformed_file(catalog_settings: Settings) -> None:
    bad = REPO / "tests" / "fixtures" / "curated" / "claims_soc_and_role.yaml"
    done = cli(catalog_settings, "claims", "check", str(bad), "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert "claims[1]" in done.stderr
