"""Program search, profiles, comparison and exports over HTTP (FastAPI TestClient on the session catalog).

The HTML pages and their JSON twins are built by the same functions; these tests check that they
agree, that unknown values carry their reasons, and that bad input is answered 422/404, never 500.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.catalog import OfferingQuery, search_offerings
from gradpath.web.routes.compare import _csv_value

HTML = {"accept": "text/html"}
MA_INFORMATICS = "/programs?cip=51.27&state=MA"


def get(client: Any, url: str, **kwargs: Any) -> Any:
    return client.get(url, **kwargs)


def csv_rows(body: str) -> tuple[list[str], list[dict[str, str]]]:
    comments = [line for line in body.splitlines() if line.startswith("#")]
    data = "\n".join(line for line in body.splitlines() if not line.startswith("#"))
    return comments, list(csv.DictReader(io.StringIO(data)))


# --- search -----------------------------------------------------------------------------------------


def test_search_page_and_json_twin_list_the_same_programs(client: Any) -> None:
    page = get(client, MA_INFORMATICS, headers=HTML)
    doc = get(client, MA_INFORMATICS.replace("/programs", "/programs.json")).json()
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html_ids = re.findall(r'data-compare-id="([^"]+)"', page.text)
    assert html_ids == [r["id"] for r in doc["results"]]
    assert f"{doc['count']} programs" in page.text


def test_json_twin_counts_match_the_search_service(client: Any, conn: Connection) -> None:
    doc = get(client, "/programs.json?cip=11.0102&sort=earnings&per_page=5").json()
    assert doc["count"] == search_offerings(conn, OfferingQuery(cip="11.0102"))["count"]
    assert doc["per_page"] == 5 and len(doc["results"]) == 5
    assert doc["pages"] == -(-doc["count"] // 5)
    assert {f["name"] for f in doc["facets"]} >= {"cip", "state", "metro", "control", "accreditor", "distance",
                                                   "format", "gre", "topic", "earnings", "debt", "awards"}  # fmt: skip
    assert {s["id"] for s in doc["sources"]} >= {"scorecard-fos-truewise", "ipeds-completions-2020-2024"}


def test_unpublished_earnings_are_explained_not_zero(client: Any) -> None:
    doc = get(client, MA_INFORMATICS.replace("/programs", "/programs.json")).json()
    unknown = [r for r in doc["results"] if r["earnings_1yr"] is None]
    assert unknown and all(r["earnings_1yr_reason"] for r in unknown)
    page = get(client, MA_INFORMATICS, headers=HTML).text
    assert "$0" not in page
    assert "Not published (small cohort or not reported)" in page or "No Scorecard record" in page
    assert "Why some earnings and debt figures are missing" in page


def test_every_filter_is_in_the_url_and_links_keep_it(client: Any) -> None:
    doc = get(client, "/programs.json?cip=51.27&state=MA&state=NY&per_page=5&sort=name").json()
    assert ["state", "NY"] in doc["params"] and ["cip", "51.27"] in doc["params"]
    assert doc["links"]["next"] == "/programs?cip=51.27&state=MA&state=NY&sort=name&per_page=5&page=2"
    assert doc["links"]["csv"].startswith("/programs.csv?cip=51.27&state=MA&state=NY")
    second = get(client, doc["links"]["next"].replace("/programs", "/programs.json")).json()
    assert second["page"] == 2 and not {r["id"] for r in second["results"]} & {r["id"] for r in doc["results"]}


def test_range_buckets_link_to_the_search_they_count(client: Any) -> None:
    doc = get(client, "/programs.json?cip=11.01").json()
    earnings = next(f for f in doc["facets"] if f["name"] == "earnings")
    bucket = next(v for v in earnings["values"] if v["count"])
    target = get(client, bucket["href"].replace("/programs", "/programs.json")).json()
    assert target["count"] == bucket["count"]


def test_htmx_requests_get_only_the_changing_region(client: Any) -> None:
    partial = get(client, MA_INFORMATICS, headers={**HTML, "HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and 'id="results-title"' in partial.text
    assert 'hx-swap-oob="innerHTML"' in partial.text  # the live status line is updated out of band
    assert partial.headers["vary"] == "HX-Request"
    restore = get(client, MA_INFORMATICS, headers={**HTML, "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text  # the back button after a cache miss needs the whole page


def test_search_page_works_as_a_plain_form(client: Any) -> None:
    page = get(client, "/programs", headers=HTML).text
    assert re.search(r'<form id="search-form"[^>]*action="/programs"[^>]*method="get"', page)
    assert re.search(r'<input id="programs-q" name="q"', page)
    assert '<label for="programs-q">' in page
    assert "Apply filters" in page  # the submit button for browsers without JavaScript


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("earnings_min=lots", "earnings_min"),
        ("earnings_min=-5", "earnings_min"),
        ("control=state", "control"),
        ("format=remote", "format"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("cip=5", "cip"),
        ("state=Massachusetts", "state"),
        ("sort=best", "sort"),
        ("topic=knitting", "topic"),
        ("earnings_min=9&earnings_max=8", "earnings_max"),
    ],
)
def test_invalid_search_parameters_are_422_naming_the_parameter(client: Any, query: str, param: str) -> None:
    response = get(client, f"/programs.json?{query}")
    assert response.status_code == 422
    assert param in {d["param"].split(".")[0] for d in response.json()["detail"]}  # "control": its first value
    page = get(client, f"/programs?{query}", headers=HTML)
    assert page.status_code == 422 and param in page.text and "<html" in page.text


def test_a_page_past_the_end_is_empty_not_an_error(client: Any) -> None:
    doc = get(client, "/programs.json?cip=51.27&state=MA&page=50").json()
    assert doc["results"] == [] and doc["count"] > 0 and doc["links"]["next"] is None


# --- profile ----------------------------------------------------------------------------------------


def verified_offering(conn: Connection) -> str:
    po = schema.program_offering
    return conn.execute(select(po.c.offering_id).order_by(po.c.offering_id)).scalars().first() or ""


def test_profile_and_twin_show_outcomes_facts_unknowns_and_careers(client: Any, conn: Connection) -> None:
    oid = verified_offering(conn)
    doc = get(client, f"/programs/{oid}.json").json()
    page = get(client, f"/programs/{oid}", headers=HTML)
    assert page.status_code == 200
    assert doc["offering"]["id"] == oid and doc["institution"]["unitid"] == doc["offering"]["unitid"]
    fact = doc["programs"][0]["facts"][0]
    assert fact["source_url"].startswith("http") and fact["as_of"]
    assert (
        fact["source_url"].replace("&", "&amp;") in page.text
        or doc["programs"][0]["url"].replace("&", "&amp;") in page.text
    )
    assert doc["unknowns"] and "What we don't know yet" in page.text
    assert doc["careers"]["occupations"], "CIP→SOC crosswalk occupations with wages"
    assert "Related careers" in page.text
    assert 'data-compare-id="' + oid + '"' in page.text


def test_profile_explains_suppressed_outcomes_in_words(client: Any, conn: Connection) -> None:
    o = schema.offering
    oid = (
        conn.execute(
            select(o.c.id).where(o.c.current.is_(True), o.c.earnings_1yr.is_(None), o.c.fos_status == "suppressed")
        )
        .scalars()
        .first()
    )
    doc = get(client, f"/programs/{oid}.json").json()
    assert doc["offering"]["earnings_1yr"] is None
    assert any(u["what"].startswith("Median earnings 1 year") and u["why"] for u in doc["unknowns"])
    page = get(client, f"/programs/{oid}", headers=HTML).text
    assert doc["offering"]["earnings_1yr_reason"] in page.replace("&#39;", "'")


def test_profile_wages_fall_back_to_the_state_for_a_micropolitan_institution(client: Any, conn: Connection) -> None:
    o, i = schema.offering, schema.institution
    oid = conn.execute(
        select(o.c.id).select_from(o.join(i, i.c.unitid == o.c.unitid))
        .where(o.c.current.is_(True), i.c.cbsa_type == "micro").order_by(o.c.id)
    ).scalars().first()  # fmt: skip
    doc = get(client, f"/programs/{oid}.json").json()
    area = doc["careers"]["area"]
    assert area["type"] == "state" and area["fallback"]
    assert "fallback" in get(client, f"/programs/{oid}", headers=HTML).text


def test_unknown_offering_is_404_and_malformed_id_is_422(client: Any) -> None:
    assert get(client, "/programs/999999-51.2706.json").status_code == 404
    assert get(client, "/programs/999999-51.2706", headers=HTML).status_code == 404
    bad = get(client, "/programs/not-an-id.json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["param"] == "offering_id"


# --- compare ----------------------------------------------------------------------------------------


def two_with_outcomes(client: Any) -> list[str]:
    doc = get(client, "/programs.json?cip=11.01&earnings_data=published&debt_max=10000000&sort=debt&per_page=2").json()
    return [r["id"] for r in doc["results"]]


def test_compare_shows_every_program_side_by_side_with_sources(client: Any) -> None:
    ids = two_with_outcomes(client)
    doc = get(client, f"/compare.json?ids={','.join(ids)}").json()
    assert doc["ids"] == ids and [o["id"] for o in doc["offerings"]] == ids
    assert all(len(r["cells"]) == 2 and r["source"] for r in doc["rows"])
    assert len(doc["chart"]["points"]) == 2
    page = get(client, f"/compare?ids={ids[0]}&ids={ids[1]}", headers=HTML).text  # repeated form works too
    for o in doc["offerings"]:
        assert o["institution"].replace("&", "&amp;").replace("'", "&#39;") in page
    assert 'id="chart-data"' in page and "compare-chart" in page and "chart.umd.js" in page


def test_compare_unknown_cells_say_why(client: Any) -> None:
    ids = [r["id"] for r in get(client, "/programs.json?cip=51.27&state=MA").json()["results"][:3]]
    doc = get(client, f"/compare.json?ids={','.join(ids)}").json()
    for row in doc["rows"]:
        for cell in row["cells"]:
            assert cell["text"] is not None or cell["reason"], (row["key"], cell)
    assert len(doc["chart"]["points"]) + len(doc["chart"]["not_plotted"]) == 3


def test_compare_limits_and_dedupes_ids(client: Any) -> None:
    ids = [r["id"] for r in get(client, "/programs.json?per_page=11").json()["results"]]
    assert get(client, f"/compare.json?ids={','.join(ids)}").status_code == 422
    doc = get(client, f"/compare.json?ids={ids[0]},{ids[0]}&ids={ids[1]}").json()
    assert doc["ids"] == ids[:2]
    assert get(client, "/compare.json?ids=drop-table").json()["detail"][0]["param"] == "ids"


def test_compare_with_a_stale_id_is_404_but_shows_the_rest(client: Any) -> None:
    real = two_with_outcomes(client)[0]
    page = get(client, f"/compare?ids={real},999999-51.2706", headers=HTML)
    assert page.status_code == 404 and "999999-51.2706" in page.text and f"/programs/{real}" in page.text
    assert get(client, f"/compare.json?ids={real},999999-51.2706").status_code == 404


def test_empty_compare_explains_the_shortlist(client: Any) -> None:
    page = get(client, "/compare", headers=HTML)
    assert page.status_code == 200 and "Nothing to compare yet" in page.text
    assert get(client, "/compare.json").json()["offerings"] == []


# --- exports ----------------------------------------------------------------------------------------


def test_search_csv_has_every_match_and_credits_its_sources(client: Any) -> None:
    response = get(client, "/programs.csv?cip=51.27")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    comments, rows = csv_rows(response.text)
    count = get(client, "/programs.json?cip=51.27").json()["count"]
    assert len(rows) == count > 100  # all of them, not one page
    text = "\n".join(comments)
    assert "CC BY 4.0" in text and "Truewise" in text and "College Scorecard" in text
    unknown = [r for r in rows if r["earnings_1yr"] == ""]
    assert unknown and all(r["earnings_1yr_reason"] for r in unknown)
    assert all(r["earnings_1yr"] != "0" for r in rows)


def test_compare_csv_has_one_row_per_program_with_verified_fact_columns(client: Any) -> None:
    ids = two_with_outcomes(client)
    comments, rows = csv_rows(get(client, f"/compare.csv?ids={','.join(ids)}").text)
    assert [r["id"] for r in rows] == ids
    assert {"format", "gre", "tuition_rates"} <= set(rows[0])
    assert any("Sources" in c for c in comments)


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    assert _csv_value("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_value("@SUM") == "'@SUM"
    assert _csv_value("Boston") == "Boston"
    assert _csv_value(12.5) == 12.5


# --- weight and scripts -----------------------------------------------------------------------------


def page_weight(client: Any, url: str) -> tuple[int, list[str]]:
    page = get(client, url, headers=HTML)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/(?:static|vendor)/[^"]+)"', page.text)
    return len(page.content) + sum(len(get(client, a).content) for a in assets), assets


def test_search_page_with_its_assets_stays_under_300_kb(client: Any) -> None:
    total, assets = page_weight(client, "/programs")
    assert total <= 300_000, total
    assert not any("chart" in a for a in assets)  # Chart.js loads only where a chart is drawn


@pytest.mark.parametrize("url", ["/programs", MA_INFORMATICS, "/compare"])
def test_pages_have_no_inline_scripts_or_styles(client: Any, url: str) -> None:
    page = get(client, url, headers=HTML).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\sstyle=", page) and "<style" not in page
