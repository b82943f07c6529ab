"""The catalog search service over the catalog built from the data mirror: filters, text, facets,
sorting, paging, the records behind profiles, and the ``offerings search`` CLI contract.

Expected counts come from independent SQL over the catalog tables (an oracle), never from the
service under test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.catalog import (
    FACETS,
    INDEX_TABLE,
    OfferingNotFound,
    OfferingQuery,
    QueryError,
    derive_index_data,
    encode_index_data,
    fact_display,
    get_offerings,
    load_search_index,
    offering_details,
    parse_text_query,
    search_index,
    search_offerings,
    stored_index_data,
)
from gradpath.config import Settings

OFF, INST = schema.offering, schema.institution


def oracle_count(conn: Connection, *where: Any) -> int:
    stmt = (
        select(func.count())
        .select_from(OFF.join(INST, OFF.c.unitid == INST.c.unitid))
        .where(OFF.c.current.is_(True), *where)
    )
    return conn.execute(stmt).scalar_one()


def all_results(conn: Connection, **filters: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        doc = search_offerings(conn, OfferingQuery(limit=500, offset=offset, **filters))
        out.extend(doc["results"])
        offset += 500
        if offset >= doc["count"]:
            return out


# --- filters and counts ------------------------------------------------------------------------------


def test_count_is_every_current_match_not_the_page_size(conn: Connection) -> None:
    doc = search_offerings(conn, OfferingQuery(cip="51.27", state="MA", limit=2))
    assert doc["count"] == oracle_count(conn, OFF.c.cip4 == "51.27", INST.c.state == "MA")
    assert doc["count"] > 2
    assert len(doc["results"]) == 2


def test_family_and_six_digit_codes_filter_and_combine_as_either(conn: Connection) -> None:
    family = search_offerings(conn, OfferingQuery(cip="11.01"))["count"]
    code = search_offerings(conn, OfferingQuery(cip="11.0102"))["count"]
    both = search_offerings(conn, OfferingQuery(cip=["11.0102", "51.27"]))["count"]
    assert family == oracle_count(conn, OFF.c.cip4 == "11.01")
    assert code == oracle_count(conn, OFF.c.cip == "11.0102")
    assert both == code + oracle_count(conn, OFF.c.cip4 == "51.27")


def test_default_order_is_institution_name_then_cip(conn: Connection) -> None:
    results = all_results(conn, state="MA", cip="51.27")
    keys = [(r["institution"].lower(), r["cip"]) for r in results]
    assert keys == sorted(keys)


def test_unpublished_outcomes_are_null_with_a_reason_never_zero(conn: Connection) -> None:
    results = all_results(conn, cip="51.27")
    assert any(r["earnings_1yr"] is None for r in results)
    for r in results:
        for key in ("earnings_1yr", "earnings_4yr", "debt_median"):
            assert r[key] != 0
            reason_key = "debt_median_reason" if key == "debt_median" else f"{key}_reason"
            if r[key] is None:
                assert r[reason_key], (r["id"], key)
            else:
                assert reason_key not in r


def test_debt_to_earnings_is_the_plain_ratio_or_null_with_reason(conn: Connection) -> None:
    for r in all_results(conn, cip="11.01"):
        if r["debt_median"] is not None and r["earnings_1yr"]:
            assert r["debt_to_earnings"] == round(r["debt_median"] / r["earnings_1yr"], 2)
        else:
            assert r["debt_to_earnings"] is None and r["debt_to_earnings_reason"]


def test_past_offerings_are_hidden_unless_asked_for(conn: Connection) -> None:
    current = search_offerings(conn, OfferingQuery(limit=0))["count"]
    everything = search_offerings(conn, OfferingQuery(limit=0, include_past=True))["count"]
    assert current == oracle_count(conn)
    assert everything == conn.execute(select(func.count()).select_from(OFF)).scalar_one()
    assert everything > current


def test_range_filters_are_inclusive_and_drop_unknown_values(conn: Connection) -> None:
    results = all_results(conn, earnings_min=80000, earnings_max=100000)
    assert results
    assert all(80000 <= r["earnings_1yr"] <= 100000 for r in results)
    assert len(results) == oracle_count(conn, OFF.c.earnings_1yr >= 80000, OFF.c.earnings_1yr <= 100000)
    assert len(all_results(conn, debt_max=20000)) == oracle_count(conn, OFF.c.debt_median <= 20000)


def test_earnings_data_filter_separates_suppressed_from_missing_records(conn: Connection) -> None:
    published = search_offerings(conn, OfferingQuery(earnings_data="published"))["count"]
    missing = all_results(conn, earnings_data="no_record")
    unpublished = search_offerings(conn, OfferingQuery(earnings_data="not_published"))["count"]
    assert published == oracle_count(conn, OFF.c.earnings_1yr.is_not(None))
    assert all(r["fos_status"] == "no_record" and r["earnings_1yr"] is None for r in missing)
    assert published + len(missing) + unpublished == oracle_count(conn)


def test_verified_format_filter_keeps_only_offerings_whose_page_states_it(conn: Connection) -> None:
    online = all_results(conn, format="online")
    assert online
    assert all("online" in r["verified"]["formats"] and r["verified"]["programs"] for r in online)


def test_every_topic_chosen_must_be_taught(conn: Connection) -> None:
    one = all_results(conn, topic="machine_learning")
    two = all_results(conn, topic=["machine_learning", "deep_learning"])
    assert one and len(two) <= len(one)
    assert all({"machine_learning", "deep_learning"} <= set(r["verified"]["topics"]) for r in two)


# --- text search ------------------------------------------------------------------------------------


def test_text_matches_institution_city_field_and_metro_words(conn: Connection) -> None:
    results = all_results(conn, q="informatics boston")
    ids = {r["id"] for r in results}
    boston_informatics = {r["id"] for r in all_results(conn, cip="51.27", metro="14460")}
    assert boston_informatics and boston_informatics <= ids
    for r in results:
        assert "Boston" in f"{r['institution']} {r['city']} {(r['metro'] or {}).get('name')}"
    # Waltham is in the Boston metro area: the metro's name is searchable too.
    assert any(r["city"] != "Boston" for r in results)


def test_relevance_is_the_default_order_with_text(conn: Connection) -> None:
    doc = search_offerings(conn, OfferingQuery(q="harvard", limit=50))
    assert doc["sort"] == "relevance"
    assert doc["results"] and all("Harvard" in r["institution"] for r in doc["results"][:3])
    scores = [r["relevance"] for r in doc["results"]]
    assert scores == sorted(scores, reverse=True)


def test_abbreviation_ai_finds_artificial_intelligence_programs(conn: Connection) -> None:
    fields = {r["cip"] for r in all_results(conn, q="ai")}
    assert "11.0102" in fields


def test_verified_program_names_are_searchable(conn: Connection) -> None:
    p, po = schema.program, schema.program_offering
    name, oid = conn.execute(
        select(p.c.program_name, po.c.offering_id).select_from(p.join(po, po.c.slug == p.c.slug)).order_by(p.c.slug)
    ).first()  # type: ignore[misc]
    words = [t[0] for t in parse_text_query(name).terms][:4]
    assert oid in {r["id"] for r in all_results(conn, q=" ".join(words), include_past=True)}


def test_filter_words_and_degree_words_are_dropped_with_a_note(conn: Connection) -> None:
    plain = search_offerings(conn, OfferingQuery(q="health informatics"))
    noisy = search_offerings(conn, OfferingQuery(q="online master of health informatics"))
    assert noisy["count"] == plain["count"] > 0
    assert any("online" in n and "format" in n for n in noisy["notes"])
    assert search_offerings(conn, OfferingQuery(q="online master's"))["count"] == oracle_count(conn)


def test_text_with_only_punctuation_matches_everything_like_no_text(conn: Connection) -> None:
    search_offerings(conn, OfferingQuery(q='"*) OR (" NEAR^ col:x'))  # FTS syntax never reaches the index
    assert search_offerings(conn, OfferingQuery(q="-- ; ' \""))["count"] == oracle_count(conn)


# --- facets -----------------------------------------------------------------------------------------


def facet(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in doc["facets"] if f["name"] == name)


def test_facet_counts_leave_out_their_own_choice(conn: Connection) -> None:
    doc = search_offerings(conn, OfferingQuery(cip="51.27", state="MA", facets=True))
    states = {v["value"]: v for v in facet(doc, "state")["values"]}
    assert states["MA"]["selected"]
    assert states["NY"]["count"] == search_offerings(conn, OfferingQuery(cip="51.27", state="NY"))["count"]
    families = {v["value"]: v["count"] for v in facet(doc, "cip")["values"]}
    assert families["11.07"] == search_offerings(conn, OfferingQuery(cip="11.07", state="MA"))["count"]


@pytest.mark.parametrize("name", [f.name for f in FACETS if f.name not in ("metro", "accreditor")])
def test_each_facet_value_count_equals_the_search_it_leads_to(conn: Connection, name: str) -> None:
    base = {"cip": "11.07", "q": "university"} if name != "cip" else {"q": "university"}
    doc = search_offerings(conn, OfferingQuery(facets=True, **base))  # type: ignore[arg-type]
    values = facet(doc, name)["values"]
    for v in values[:6]:
        got = search_offerings(conn, OfferingQuery(limit=0, **{**base, name: v["value"]}))["count"]  # type: ignore[arg-type]
        assert v["count"] == got, (name, v)


def test_range_bucket_counts_and_unknowns_add_up_to_the_scope(conn: Connection) -> None:
    doc = search_offerings(conn, OfferingQuery(cip="11.01", facets=True))
    earnings = facet(doc, "earnings")
    assert sum(v["count"] for v in earnings["values"]) + earnings["unknown_count"] == doc["count"]
    bucket = earnings["values"][2]
    chosen = search_offerings(conn, OfferingQuery(cip="11.01", earnings_min=bucket["min"], earnings_max=bucket["max"]))
    assert chosen["count"] == bucket["count"]


def test_verified_facets_say_how_many_offerings_have_verified_facts(conn: Connection) -> None:
    doc = search_offerings(conn, OfferingQuery(facets=True))
    note = facet(doc, "format")["note"]
    verified = conn.execute(select(func.count(func.distinct(schema.program_offering.c.offering_id)))).scalar_one()
    assert note and "verified" in note
    assert int(note.split(" of ")[0].replace(",", "")) <= verified


def test_facet_counts_follow_facts_accepted_after_the_build(conn: Connection) -> None:
    before = search_index(conn)
    assert search_index(conn) is before  # loaded once per catalog version
    conn.execute(insert(schema.meta).values(key="program_facts_changed_at", value="2099-01-01T00:00:00"))
    try:
        assert search_index(conn) is not before
    finally:
        conn.rollback()


# --- sorting and paging -----------------------------------------------------------------------------


def test_sort_by_earnings_puts_highest_first_and_unknown_last(conn: Connection) -> None:
    results = all_results(conn, cip="11.07", sort="earnings")
    known = [r["earnings_1yr"] for r in results if r["earnings_1yr"] is not None]
    assert known == sorted(known, reverse=True)
    first_unknown = next(i for i, r in enumerate(results) if r["earnings_1yr"] is None)
    assert all(r["earnings_1yr"] is None for r in results[first_unknown:])


def test_sort_by_debt_puts_lowest_first(conn: Connection) -> None:
    results = all_results(conn, cip="11.07", sort="debt")
    known = [r["debt_median"] for r in results if r["debt_median"] is not None]
    assert known == sorted(known)


@pytest.mark.parametrize("filters", [{}, {"cip": "51.27", "state": "MA"}, {"q": "informatics"}, {"sort": "earnings"}])
def test_limit_zero_gives_the_count_and_no_results(conn: Connection, filters: dict[str, Any]) -> None:
    doc = search_offerings(conn, OfferingQuery(limit=0, **filters))
    assert doc["results"] == []
    assert doc["count"] == search_offerings(conn, OfferingQuery(limit=1, **filters))["count"] > 0


def test_pages_neither_overlap_nor_skip(conn: Connection) -> None:
    everything = [r["id"] for r in all_results(conn, state="MA")]
    paged: list[str] = []
    for offset in range(0, len(everything), 7):
        paged.extend(
            r["id"] for r in search_offerings(conn, OfferingQuery(state="MA", limit=7, offset=offset))["results"]
        )
    assert paged == everything


@pytest.mark.parametrize(
    ("filters", "param"),
    [
        ({"cip": "51"}, "cip"),
        ({"state": "Mass"}, "state"),
        ({"metro": "Boston"}, "metro"),
        ({"control": "state"}, "control"),
        ({"format": "remote"}, "format"),
        ({"topic": "basket weaving"}, "topic"),
        ({"topic": "nonsense_topic"}, "topic"),
        ({"sort": "random"}, "sort"),
        ({"earnings_min": -1}, "earnings_min"),
        ({"earnings_min": 9, "earnings_max": 8}, "earnings_max"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_invalid_parameters_name_the_parameter(conn: Connection, filters: dict[str, Any], param: str) -> None:
    with pytest.raises(QueryError) as exc:
        search_offerings(conn, OfferingQuery(**filters))
    assert exc.value.param == param


# --- records ---------------------------------------------------------------------------------------


def test_unknown_ids_are_listed_and_malformed_ids_are_bad_parameters(conn: Connection) -> None:
    real = search_offerings(conn, OfferingQuery(limit=1))["results"][0]["id"]
    with pytest.raises(OfferingNotFound) as missing:
        get_offerings(conn, [real, "999999-51.2706"])
    assert missing.value.missing == ["999999-51.2706"]
    with pytest.raises(QueryError):
        get_offerings(conn, ["DROP TABLE"])


def test_details_give_institution_field_history_siblings_and_verified_facts(conn: Connection) -> None:
    oid = conn.execute(select(schema.program_offering.c.offering_id).order_by("offering_id")).scalars().first()
    assert oid is not None
    d = offering_details(conn, oid)
    s = d["summary"]
    assert d["institution"]["unitid"] == s["unitid"]
    assert d["cip"]["code"] == s["cip"] and d["cip"]["definition"]
    years = [a["year"] for a in d["awards"]]
    assert years == sorted(years) and years[-1] == s["last_reported_year"]
    assert all(sib["cip"][:5] == s["cip4"] and sib["id"] != oid for sib in d["siblings"])
    assert d["programs"]
    for fact in (f for p in d["programs"] for f in p["facts"]):
        assert fact["source_url"].startswith("http") and fact["as_of"] and fact["display"]


def test_fact_display_states_values_in_words() -> None:
    assert fact_display("thesis", True) == "Yes"
    assert fact_display("duration_months_fulltime", [12.0, 24.0]) == "12–24"
    assert fact_display("tuition_total_usd", 10000.0) == "$10,000"
    assert fact_display("formats_offered", ["online", "campus"]) == "Online, On campus"
    assert fact_display("curriculum_topics", ["python"], {"python": "Python"}) == "Python"


def test_search_index_documents_cover_every_offering(conn: Connection) -> None:
    documents = conn.execute(text("SELECT count(*) FROM offering_search")).scalar_one()
    assert documents == conn.execute(select(func.count()).select_from(OFF)).scalar_one()


# --- the index the build stores ----------------------------------------------------------------------


def test_the_build_stores_the_index_it_would_derive_from_the_tables(conn: Connection) -> None:
    stored = stored_index_data(conn)
    assert stored is not None
    assert stored == json.loads(encode_index_data(derive_index_data(conn)))
    assert load_search_index(conn).origin == "stored"


def test_deriving_the_index_raises_no_deprecation_warnings(conn: Connection) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        derive_index_data(conn)


def test_an_accepted_fact_makes_the_stored_index_stale_and_search_derives_it(conn: Connection) -> None:
    query = OfferingQuery(q="informatics", facets=True, limit=50)
    expected = search_offerings(conn, query)
    conn.execute(insert(schema.meta).values(key="program_facts_changed_at", value="2099-01-02T00:00:00"))
    try:
        assert stored_index_data(conn) is None
        index = search_index(conn)
        assert index.origin == "derived"
        assert search_offerings(conn, query) == expected  # same data, read another way
    finally:
        conn.rollback()


def test_a_stored_index_of_another_format_is_ignored(conn: Connection) -> None:
    conn.execute(text(f"UPDATE {INDEX_TABLE} SET format_version = format_version + 1"))
    try:
        assert stored_index_data(conn) is None
        assert load_search_index(conn).origin == "derived"
    finally:
        conn.rollback()


def test_a_catalog_without_a_stored_index_falls_back_and_stays_usable(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # DDL is transactional here: hide the table, check the transaction survives the failed read, undo.
        conn.execute(text(f"ALTER TABLE {INDEX_TABLE} RENAME TO {INDEX_TABLE}_hidden"))
        try:
            assert stored_index_data(conn) is None
            assert conn.execute(select(func.count()).select_from(OFF)).scalar_one() > 0
        finally:
            conn.rollback()
        return
    engine = create_engine("sqlite://")  # a catalog built before the table existed: only meta
    with engine.connect() as old:
        schema.meta.create(old)
        assert stored_index_data(old) is None
    engine.dispose()


# --- the CLI contract -------------------------------------------------------------------------------


def cli_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GRADPATH_HOME=str(settings.home), GRADPATH_DATA_MIRROR=str(settings.data_mirror),
               GRADPATH_PG_SCHEMA=settings.pg_schema)  # fmt: skip
    if settings.database_url:
        env["GRADPATH_DATABASE_URL"] = settings.database_url
    return env


def test_offerings_search_cli_keeps_its_json_contract(catalog_settings: Settings, conn: Connection) -> None:
    gradpath = str(Path(sys.executable).with_name("gradpath"))
    command = [gradpath, "offerings", "search", "--cip", "51.27", "--state", "MA", "--limit", "3", "--json"]
    done = subprocess.run(command, env=cli_env(catalog_settings), capture_output=True, text=True, check=True)
    doc = json.loads(done.stdout)
    assert doc["count"] == oracle_count(conn, OFF.c.cip4 == "51.27", INST.c.state == "MA")
    assert len(doc["results"]) == 3
    keys = {"id", "unitid", "institution", "city", "state", "cip", "field", "awards_latest", "earnings_1yr",
            "earnings_4yr", "debt_median", "accreditor"}  # fmt: skip
    assert keys <= set(doc["results"][0])


def test_a_bad_value_of_a_repeated_parameter_is_named_by_the_parameter(client: Any) -> None:
    response = client.get("/programs.json?control=public&control=state")
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["param"] == "control"
    assert problem["reason"].startswith("value 2 given:")


def test_offerings_search_cli_rejects_a_bad_parameter_on_stderr(catalog_settings: Settings) -> None:
    gradpath = str(Path(sys.executable).with_name("gradpath"))
    done = subprocess.run(
        [gradpath, "offerings", "search", "--cip", "5", "--json"], env=cli_env(catalog_settings), capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stdout == "" and "cip" in done.stderr
