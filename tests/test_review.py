"""The review queue: proposing extracted facts, diffs on re-extraction, accepting and rejecting.

Accepting writes the catalog, so these tests use a private copy of the session catalog (SQLite) or
a private build (PostgreSQL), never the shared one. Page texts are the team's own fixture pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from tests.conftest import drop_pg_schemas, writable_catalog
from typer.testing import CliRunner

from gradpath import schema
from gradpath.config import Settings, get_settings
from gradpath.extract import quote_in_text
from gradpath.local_schema import proposed_fact
from gradpath.review import (
    FactConflict,
    ReviewError,
    accept_fact,
    list_facts,
    proposable_fields,
    propose,
    reject_fact,
    review_engine,
)

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
PAGE = (PAGES / "fx-online-health-informatics.txt").read_text(encoding="utf-8").split("\n", 2)[2]


@pytest.fixture(scope="module")
def queue_settings(catalog_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = writable_catalog(catalog_settings, tmp_path_factory.mktemp("review-home"))
    yield settings
    drop_pg_schemas(settings)


@pytest.fixture(scope="module")
def engine(queue_settings: Settings) -> Iterator[Engine]:
    eng = review_engine(queue_settings)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def offering_id(engine: Engine) -> str:
    o = schema.offering
    with engine.connect() as conn:
        return str(
            conn.execute(select(o.c.id).where(o.c.cip4 == "51.27", o.c.current.is_(True)).order_by(o.c.id)).scalar()
        )


def page_url(name: str) -> str:
    return f"https://www.lakeshore.example.edu/test/{name}"


def add(engine: Engine, url: str, text: str = PAGE, **kw: Any) -> dict[str, Any]:
    with engine.begin() as conn:
        return propose(conn, url, text, **kw)


def by_field(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["field"]: p for p in doc["proposals"]}


def catalog_fact(conn: Connection, slug: str, field: str) -> Any:
    pf = schema.program_fact
    return conn.execute(select(pf).where(pf.c.slug == slug, pf.c.field == field)).first()


def status_of(engine: Engine, fact_id: int) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(proposed_fact.c.status).where(proposed_fact.c.id == fact_id)).scalar_one())


# --- propose ----------------------------------------------------------------------------------------


def test_proposable_fields_are_program_facts_the_catalog_stores() -> None:
    from gradpath.build.curated import FACT_FIELDS

    assert set(proposable_fields()) <= set(FACT_FIELDS)
    assert "institution" not in proposable_fields() and "credits" in proposable_fields()


def test_propose_stores_every_stated_fact_as_proposed_with_a_quote_from_the_page(engine: Engine) -> None:
    doc = add(engine, page_url("propose"))
    facts = by_field(doc)
    assert doc["first_extraction"] and doc["diff"] == [] and doc["program"] is None
    assert facts["credits"]["value"] == 36 and "36 credit hours" in facts["credits"]["evidence"]
    assert facts["gre"]["value"] == "not required"
    assert "duration_months_fulltime" not in facts  # the page is silent: nothing is proposed
    assert all(quote_in_text(p["evidence"], PAGE) for p in doc["proposals"])
    with engine.connect() as conn:
        listed = list_facts(conn, "proposed", page_url("propose"))
    assert listed["count"] == len(doc["proposals"]) and {f["status"] for f in listed["facts"]} == {"proposed"}
    assert doc["extraction"]["identity"]["institution"] == "Lakeshore State University"


def test_a_page_must_name_its_url(engine: Engine) -> None:
    with pytest.raises(ReviewError) as err:
        add(engine, "not a url")
    assert err.value.param == "url"


def test_an_as_of_date_in_the_future_is_refused(engine: Engine) -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    with pytest.raises(ReviewError) as err:
        add(engine, page_url("future"), as_of=future)
    assert err.value.param == "as_of"


def test_a_fetched_page_is_as_of_its_fetch_date(engine: Engine) -> None:
    doc = add(engine, page_url("fetched"), final_url=page_url("fetched-final"), fetched_at="2026-10-01T08:00:00+00:00")
    assert doc["extraction"]["as_of"] == "2026-10-01" and doc["extraction"]["source_kind"] == "url"


def test_re_extracting_a_changed_page_shows_a_diff_and_supersedes_pending_proposals(engine: Engine) -> None:
    url = page_url("diff")
    first = add(engine, url)
    changed = PAGE.replace("36 credit hours", "39 credit hours").replace("No GRE required.", "GRE scores are required.")
    second = add(engine, url, changed)
    diff = {d["field"]: d for d in second["diff"]}
    assert diff["credits"]["change"] == "changed" and (diff["credits"]["old"], diff["credits"]["new"]) == (36, 39)
    assert (diff["gre"]["old"], diff["gre"]["new"]) == ("not required", "required")
    assert diff["format"]["change"] == "unchanged"
    assert diff["credits"]["proposal_id"] == by_field(second)["credits"]["id"]
    assert second["superseded"] == len(first["proposals"])
    assert {status_of(engine, p["id"]) for p in first["proposals"]} == {"superseded"}


def test_a_removed_fact_shows_as_removed(engine: Engine) -> None:
    url = page_url("removed")
    add(engine, url)
    second = add(engine, url, PAGE.replace("• No GRE required.\n", ""))
    assert {d["field"]: d["change"] for d in second["diff"]}["gre"] == "removed"
    assert "gre" not in by_field(second)


def test_re_extracting_an_unchanged_page_stores_nothing_new(engine: Engine) -> None:
    url = page_url("same")
    first = add(engine, url)
    again = add(engine, url)
    assert again["unchanged_page"] and again["proposals"] == []
    assert again["extraction"]["id"] == first["extraction"]["id"]
    assert {d["change"] for d in again["diff"]} == {"unchanged"}
    assert {status_of(engine, p["id"]) for p in first["proposals"]} == {"proposed"}


# --- accept and reject ------------------------------------------------------------------------------


def test_accepting_writes_a_verified_program_fact_with_url_quote_date_and_note(
    engine: Engine, offering_id: str
) -> None:
    url = page_url("accept")
    credits = by_field(add(engine, url))["credits"]
    with engine.begin() as conn:
        result = accept_fact(conn, credits["id"], "matches the page", offering=offering_id)
    slug = result["program"]["slug"]
    assert result["program"]["created"] and result["catalog"]["written"]
    assert result["fact"]["status"] == "accepted"
    with engine.connect() as conn:
        fact = catalog_fact(conn, slug, "credits")
        p, po = schema.program, schema.program_offering
        program = conn.execute(select(p).where(p.c.slug == slug)).one()
        links = conn.execute(select(po.c.offering_id).where(po.c.slug == slug)).scalars().all()
        source = conn.execute(select(schema.source.c.id).where(schema.source.c.id == "gradpath-review")).scalar()
    assert json.loads(fact.value_json) == 36 and fact.origin == "review"
    assert fact.source_url == url and fact.as_of == datetime.now(UTC).date().isoformat()
    assert "36 credit hours" in fact.evidence and fact.reviewer_note == "matches the page"
    assert program.unitid == int(offering_id.split("-")[0]) and program.link_method == "reviewer"
    assert program.program_name == "Health Informatics, M.S." and links == [offering_id]
    assert source == "gradpath-review"


def test_a_page_that_is_no_program_needs_an_offering_and_nothing_changes_without_one(engine: Engine) -> None:
    fact = by_field(add(engine, page_url("no-link")))["gre"]
    with pytest.raises(ReviewError) as err, engine.begin() as conn:
        accept_fact(conn, fact["id"])
    assert err.value.param == "offering" and "host" in err.value.message
    assert status_of(engine, fact["id"]) == "proposed"


def test_an_unknown_or_malformed_offering_is_refused(engine: Engine) -> None:
    fact = by_field(add(engine, page_url("bad-offering")))["gre"]
    for offering in ("999999-51.2706", "nonsense"):
        with pytest.raises(ReviewError) as err, engine.begin() as conn:
            accept_fact(conn, fact["id"], offering=offering)
        assert err.value.param == "offering"


def test_a_decided_fact_cannot_be_decided_again(engine: Engine) -> None:
    fact = by_field(add(engine, page_url("twice")))["gre"]
    with engine.begin() as conn:
        reject_fact(conn, fact["id"], "not on the page any more")
    with pytest.raises(FactConflict), engine.begin() as conn:
        accept_fact(conn, fact["id"])


def test_rejecting_leaves_the_catalog_alone_and_the_value_is_not_proposed_again(
    engine: Engine, offering_id: str
) -> None:
    url = page_url("reject")
    facts = by_field(add(engine, url))
    with engine.begin() as conn:
        accepted = accept_fact(conn, facts["credits"]["id"], offering=offering_id)
        reject_fact(conn, facts["gre"]["id"], "the waiver wording is ambiguous")
    with engine.connect() as conn:
        assert catalog_fact(conn, accepted["program"]["slug"], "gre") is None
    again = add(engine, url, PAGE.replace("36 credit hours", "37 credit hours"))
    assert "gre" not in by_field(again)
    assert {d["field"]: d for d in again["diff"]}["gre"]["decided"] == "rejected"


def test_accepting_a_newer_value_supersedes_the_older_accepted_one(engine: Engine, offering_id: str) -> None:
    url = page_url("newer")
    first = by_field(add(engine, url))["credits"]
    with engine.begin() as conn:
        slug = accept_fact(conn, first["id"], offering=offering_id)["program"]["slug"]
    second = by_field(add(engine, url, PAGE.replace("36 credit hours", "40 credit hours")))["credits"]
    with engine.begin() as conn:
        result = accept_fact(conn, second["id"])
    assert result["program"] == {"slug": slug, "created": False}
    assert status_of(engine, first["id"]) == "superseded"
    with engine.connect() as conn:
        assert json.loads(catalog_fact(conn, slug, "credits").value_json) == 40


def test_a_reviewed_fact_replaces_a_curated_one_only_when_it_is_newer(engine: Engine) -> None:
    pf, p = schema.program_fact, schema.program
    with engine.connect() as conn:
        curated = conn.execute(
            select(p.c.slug, p.c.url, pf.c.as_of, pf.c.value_json)
            .select_from(pf.join(p, p.c.slug == pf.c.slug))
            .where(pf.c.field == "gre", pf.c.origin == "curated")
            .order_by(p.c.slug)
        ).first()
    assert curated is not None
    day = date.fromisoformat(curated.as_of)
    later = (day + timedelta(days=30)).isoformat() + "T00:00:00+00:00"
    older = add(engine, curated.url, as_of=(day - timedelta(days=1)).isoformat(), now=later)
    assert older["program"] == curated.slug  # a curated page's facts belong to its program
    with engine.begin() as conn:
        kept = accept_fact(conn, by_field(older)["gre"]["id"], now=later)
    assert not kept["catalog"]["written"] and "curated" in kept["catalog"]["reason"]
    with engine.connect() as conn:
        assert catalog_fact(conn, curated.slug, "gre").origin == "curated"

    required = PAGE.replace("No GRE required.", "GRE scores are required.")
    newer = add(engine, curated.url, required, as_of=(day + timedelta(days=1)).isoformat(), now=later)
    with engine.begin() as conn:
        replaced = accept_fact(conn, by_field(newer)["gre"]["id"], now=later)
    assert replaced["catalog"]["written"] and not replaced["program"]["created"]
    with engine.connect() as conn:
        row = catalog_fact(conn, curated.slug, "gre")
    assert row.origin == "review" and json.loads(row.value_json) == "required"


def test_list_refuses_an_unknown_status(engine: Engine) -> None:
    with pytest.raises(ReviewError) as err, engine.connect() as conn:
        list_facts(conn, "maybe")
    assert err.value.param == "status"


# --- CLI ------------------------------------------------------------------------------------------


@pytest.fixture()
def cli(queue_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    from gradpath.cli_review import review_app, stats_command

    monkeypatch.setenv("GRADPATH_HOME", str(queue_settings.home))
    if queue_settings.is_postgres:
        monkeypatch.setenv("GRADPATH_DATABASE_URL", queue_settings.catalog_url)
        monkeypatch.setenv("GRADPATH_PG_SCHEMA", queue_settings.pg_schema)
    get_settings.cache_clear()
    root = typer.Typer()
    root.add_typer(review_app, name="review")
    root.command("stats")(stats_command)
    yield root
    get_settings.cache_clear()


def test_cli_add_list_accept_and_reject_print_one_json_document(
    cli: typer.Typer, tmp_path: Path, offering_id: str
) -> None:
    runner = CliRunner()
    page = tmp_path / "page.txt"
    page.write_text(f"{page_url('cli')}\n\n{PAGE}", encoding="utf-8")
    added = runner.invoke(cli, ["review", "add", str(page), "--json"])
    assert added.exit_code == 0, added.output
    proposals = by_field(json.loads(added.stdout))
    listed = json.loads(runner.invoke(cli, ["review", "list", "--url", page_url("cli"), "--json"]).stdout)
    assert listed["count"] == len(proposals)
    shown = json.loads(runner.invoke(cli, ["review", "show", str(proposals["credits"]["id"]), "--json"]).stdout)
    assert shown["needs_link"] and shown["value"] == 36

    no_link = runner.invoke(cli, ["review", "accept", str(proposals["credits"]["id"]), "--json"])
    assert no_link.exit_code == 2 and "offering" in no_link.stderr and no_link.stdout == ""
    args = ["review", "accept", str(proposals["credits"]["id"]), "--offering", offering_id, "--note", "ok", "--json"]
    accepted = runner.invoke(cli, args)
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)["catalog"]["written"] is True
    rejected = runner.invoke(cli, ["review", "reject", str(proposals["gre"]["id"]), "--json"])
    assert json.loads(rejected.stdout)["fact"]["status"] == "rejected"
    again = runner.invoke(cli, ["review", "reject", str(proposals["gre"]["id"])])
    assert again.exit_code == 3 and "rejected" in again.stderr


def test_cli_unknown_fact_and_page_without_url_fail_on_stderr(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    for fact_id in ("987654", str(2**40)):  # beyond a 32-bit id too: PostgreSQL would refuse to compare it
        missing = runner.invoke(cli, ["review", "show", fact_id, "--json"])
        assert missing.exit_code == 1 and fact_id in missing.stderr and missing.stdout == ""
    page = tmp_path / "nourl.txt"
    page.write_text(f"\n\n{PAGE}", encoding="utf-8")
    no_url = runner.invoke(cli, ["review", "add", str(page), "--json"])
    assert no_url.exit_code == 2 and "--url" in no_url.stderr
