"""The command-line contracts, run as a user runs them (a subprocess) against the session catalog.

Every ``--json`` output is one JSON document on stdout; errors go to stderr with exit ≠ 0 and
leave stdout empty.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Connection

from gradpath.config import Settings
from gradpath.occupations import show_occupation
from gradpath.provenance import list_sources


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a user whose GRADPATH_HOME (and database, on PostgreSQL) is this catalog's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADPATH_")}
    env["GRADPATH_HOME"] = str(settings.home)
    if settings.is_postgres:
        env.update(GRADPATH_DATABASE_URL=settings.catalog_url, GRADPATH_PG_SCHEMA=settings.pg_schema)
    env.update(extra)
    return env


def gradpath(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gradpath.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def run_json(settings: Settings, *args: str) -> Any:
    done = gradpath(env_for(settings), *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # exactly one JSON document


def run_error(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    done = gradpath(env_for(settings), *args, "--json")
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.startswith("error: ")
    return done


# --- contracts ----------------------------------------------------------------------------------------------------


def test_sources_json_lists_every_source_with_vintage_licence_and_sha256(
    catalog_settings: Settings, conn: Connection
) -> None:
    doc = run_json(catalog_settings, "sources")
    assert isinstance(doc, list)
    ids = {s["id"] for s in doc}
    assert {"bls-oews-2025", "bls-ep-2024-34", "onet-29.3", "nces-cip2020", "ipeds-hd2024",
            "ipeds-completions-2020-2024", "ipeds-distance-ed", "scorecard-fos-truewise", "accreditation",
            "gradpath-curated"} <= ids  # fmt: skip
    for source in doc:
        assert {"id", "title", "publisher", "vintage", "license", "url", "sha256"} <= set(source)
        assert all(source[k] for k in ("title", "publisher", "vintage", "license", "url")), source["id"]
        assert len(source["sha256"]) == 64 and int(source["sha256"], 16) >= 0
    assert doc == json.loads(json.dumps(list_sources(conn), default=str))


def test_occupations_show_json_has_the_contract_shape_and_published_figures(
    catalog_settings: Settings, conn: Connection
) -> None:
    doc = run_json(catalog_settings, "occupations", "show", "15-2051", "--area", "national")
    assert (doc["soc"], doc["title"]) == ("15-2051", "Data Scientists")
    assert {"code", "name", "type"} <= set(doc["area"])
    assert {"p10", "p25", "median", "p75", "p90", "mean"} <= set(doc["wages"]["annual"])
    assert "employment" in doc["wages"]
    assert {"growth_percent", "period", "openings_annual", "entry_education"} <= set(doc["outlook"])
    assert doc["wages"]["annual"]["median"] == 120230 and doc["outlook"]["growth_percent"] == 33.5
    assert doc == json.loads(json.dumps(show_occupation(conn, "15-2051", "national"), default=str))


def test_occupations_show_for_boston_gives_the_metro(catalog_settings: Settings) -> None:
    doc = run_json(catalog_settings, "occupations", "show", "15-2051", "--area", "Boston")
    assert doc["area"]["code"] == "14460" and doc["area"]["type"] == "metro"
    assert doc["wages"]["annual"]["median"] == 132040


def test_offerings_search_count_is_the_total_not_the_page(catalog_settings: Settings) -> None:
    page = run_json(catalog_settings, "offerings", "search", "--cip", "51.27")
    assert page["count"] == 128 and len(page["results"]) == 20
    small = run_json(catalog_settings, "offerings", "search", "--cip", "51.27", "--limit", "5")
    assert small["count"] == 128 and len(small["results"]) == 5
    assert small["results"] == page["results"][:5]
    keys = {"id", "unitid", "institution", "city", "state", "cip", "field", "awards_latest", "earnings_1yr",
            "earnings_4yr", "debt_median", "accreditor"}  # fmt: skip
    assert all(keys <= set(r) and r["cip"].startswith("51.27") for r in page["results"])


def test_offerings_search_by_six_digit_code(catalog_settings: Settings) -> None:
    doc = run_json(catalog_settings, "offerings", "search", "--cip", "11.0102", "--limit", "1")
    assert (doc["count"], len(doc["results"])) == (63, 1)
    assert doc["results"][0]["cip"] == "11.0102"


# --- errors -------------------------------------------------------------------------------------------------------


def test_a_bad_cip_exits_2_naming_the_parameter(catalog_settings: Settings) -> None:
    done = run_error(catalog_settings, "offerings", "search", "--cip", "51.2")
    assert done.returncode == 2
    assert "cip" in done.stderr and "'51.2'" in done.stderr


def test_a_malformed_soc_exits_2(catalog_settings: Settings) -> None:
    done = run_error(catalog_settings, "occupations", "show", "15-205")
    assert done.returncode == 2 and "not a SOC code" in done.stderr


def test_an_unknown_soc_exits_1(catalog_settings: Settings) -> None:
    done = run_error(catalog_settings, "occupations", "show", "99-9991")
    assert done.returncode == 1 and "99-9991" in done.stderr


def test_an_ambiguous_area_exits_2_with_candidates_on_stderr(catalog_settings: Settings) -> None:
    done = run_error(catalog_settings, "occupations", "show", "15-2051", "--area", "Springfield")
    assert done.returncode == 2
    candidates = json.loads(done.stderr.split("\n", 1)[1])["candidates"]
    assert {"44140", "44100"} <= {c["code"] for c in candidates}


def test_a_missing_catalog_is_an_error_saying_to_build(catalog_settings: Settings, tmp_path: Path) -> None:
    env = env_for(catalog_settings, GRADPATH_HOME=str(tmp_path))
    if catalog_settings.is_postgres:
        env["GRADPATH_PG_SCHEMA"] = "gptest_no_such_schema"
    done = gradpath(env, "sources", "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert "gradpath build" in done.stderr


def test_a_bad_setting_is_reported_naming_the_setting(catalog_settings: Settings) -> None:
    done = gradpath(
        env_for(catalog_settings, GRADPATH_CIP_FAMILIES="51.2", GRADPATH_PORT="eighty"), "sources", "--json"
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("error: invalid setting GRADPATH_CIP_FAMILIES='51.2'") and "51.27" in lines[0]
    assert lines[1].startswith("error: invalid setting GRADPATH_PORT='eighty'")


@pytest.mark.parametrize("args", [["occupations"], ["offerings"]])
def test_a_group_without_a_command_prints_help_not_json(catalog_settings: Settings, args: list[str]) -> None:
    done = gradpath(env_for(catalog_settings), *args)
    assert "Usage" in done.stdout + done.stderr
