"""The market view over verified programs: every statistic has its n and the not-a-random-sample note."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from gradpath import schema
from gradpath.config import Settings, get_settings
from gradpath.stats import SAMPLE_NOTE, distribution, market_stats, unit_group

BLOCKS = ("topics", "format", "formats_offered", "gre", "credits")


def test_quartiles_interpolate_between_the_data_points() -> None:
    d = distribution([42, 30, 36, 30])
    assert (d["n"], d["min"], d["p25"], d["median"], d["p75"], d["max"]) == (4, 30, 30.0, 33.0, 37.5, 42)


def test_an_empty_distribution_is_unknown_not_zero() -> None:
    assert distribution([]) == {"n": 0, "min": None, "p25": None, "median": None, "p75": None, "max": None}
    assert distribution([30])["median"] == 30


@pytest.mark.parametrize(
    ("unit", "group"),
    [("quarter credits", "quarter"), ("credit hours", "semester"), ("Semester Hours", "semester"),
     ("points", "other"), ("credit units", "other"), (None, "unstated"), ("  ", "unstated")],
)  # fmt: skip
def test_credit_units_are_grouped_so_quarter_credits_are_never_pooled_with_semester_ones(
    unit: str | None, group: str
) -> None:
    assert unit_group(unit) == group


@pytest.fixture(scope="module")
def stats(catalog_engine_: Any) -> dict[str, Any]:
    with catalog_engine_.connect() as conn:
        return market_stats(conn)


def test_every_block_states_its_n_and_that_verified_programs_are_no_random_sample(stats: dict[str, Any]) -> None:
    assert stats["note"] == SAMPLE_NOTE and "not yet a random sample" in SAMPLE_NOTE
    for key in BLOCKS:
        block = stats[key]
        assert block["note"] == SAMPLE_NOTE
        assert block["n"] + block["n_unknown"] == stats["programs"]


def test_topic_n_counts_only_programs_whose_topics_are_known(stats: dict[str, Any], conn: Connection) -> None:
    pf = schema.program_fact
    known = conn.execute(
        select(func.count(func.distinct(pf.c.slug))).where(pf.c.field == "curriculum_topics")
    ).scalar_one()
    topics = stats["topics"]
    assert topics["n"] == known > 0
    topic_ids = conn.execute(select(schema.topic.c.id).order_by(schema.topic.c.position)).scalars().all()
    assert [r["id"] for r in topics["rows"]] == topic_ids
    for row in topics["rows"]:
        assert row["share"] == round(row["programs"] / known, 4)


def test_format_and_gre_counts_match_the_verified_facts(stats: dict[str, Any], conn: Connection) -> None:
    pf = schema.program_fact
    for field in ("format", "gre"):
        values = [json.loads(v) for v in conn.execute(select(pf.c.value_json).where(pf.c.field == field)).scalars()]
        block = stats[field]
        assert block["n"] == len(values)
        assert {r["value"]: r["programs"] for r in block["rows"] if r["programs"]} == {
            v: values.count(v) for v in set(values)
        }
        assert sum(r["programs"] for r in block["rows"]) == block["n"]


def test_credits_groups_partition_the_programs_that_state_credits(stats: dict[str, Any], conn: Connection) -> None:
    pf = schema.program_fact
    stated = conn.execute(select(func.count()).select_from(pf).where(pf.c.field == "credits")).scalar_one()
    credits = stats["credits"]
    assert credits["n"] == stated == sum(g["n"] for g in credits["groups"])
    for g in credits["groups"]:
        assert g["min"] <= g["p25"] <= g["median"] <= g["p75"] <= g["max"]
        assert sum(u["programs"] for u in g["units_stated"]) == g["n"]


def test_stats_command_prints_one_json_document(
    catalog_settings: Settings, monkeypatch: pytest.MonkeyPatch, stats: dict[str, Any]
) -> None:
    from gradpath.cli_review import stats_command

    monkeypatch.setenv("GRADPATH_HOME", str(catalog_settings.home))
    if catalog_settings.is_postgres:
        monkeypatch.setenv("GRADPATH_DATABASE_URL", catalog_settings.catalog_url)
        monkeypatch.setenv("GRADPATH_PG_SCHEMA", catalog_settings.pg_schema)
    get_settings.cache_clear()
    app = typer.Typer()
    app.command("stats")(stats_command)
    app.command("noop")(lambda: None)  # two commands keep `stats` a subcommand, as in gradpath
    try:
        result = CliRunner().invoke(app, ["stats", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == stats


def test_stats_json_twin_returns_the_same_document(client: TestClient, stats: dict[str, Any]) -> None:
    response = client.get("/stats.json")
    assert response.status_code == 200
    assert response.json() == stats


def test_stats_page_shows_tables_with_n_and_the_sample_note(client: TestClient, stats: dict[str, Any]) -> None:
    response = client.get("/stats", headers={"accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    assert "Not a random sample" in html
    assert f"n = {stats['topics']['n']} programs" in html and f"n = {stats['gre']['n']} programs" in html
    for table_id in ("topics-table", "formats-offered-table", "format-table", "gre-table", "credits-table"):
        assert f'id="{table_id}"' in html
    assert "style=" not in html and "<script>" not in html
