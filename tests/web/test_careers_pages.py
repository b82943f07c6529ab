"""Career pages: the HTML pages and their JSON twins come from the same documents, the area picker
keeps its state in the URL, errors are 422/404 (never 500), and the pages stay accessible without
inline scripts or styles."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy.engine import Connection

from gradpath.careers import list_roles, show_role

HTML = {"accept": "text/html"}
ROLE = "healthcare-ai-specialist"


def page(client: Any, url: str, status: int = 200) -> HTMLParser:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return HTMLParser(response.text)


def same(doc: dict[str, Any]) -> Any:
    """A document as it comes back through JSON."""
    return json.loads(json.dumps(doc))


def test_the_careers_json_twin_is_the_list_document(client: Any, conn: Connection) -> None:
    response = client.get("/careers.json?area=MA")
    assert response.status_code == 200
    assert response.json() == same(list_roles(conn, "MA"))


def test_the_role_json_twin_is_the_show_document(client: Any, conn: Connection) -> None:
    response = client.get(f"/careers/{ROLE}.json?area=19100")
    assert response.status_code == 200
    assert response.json() == same(show_role(conn, ROLE, "19100"))


def test_the_careers_page_lists_every_role_with_its_median_in_the_chosen_area(client: Any, conn: Connection) -> None:
    tree = page(client, "/careers?area=MA")
    doc = list_roles(conn, "MA")
    rows = tree.css("table.roles tbody tr")
    assert len(rows) == doc["count"]
    for row, role in zip(rows, doc["roles"], strict=True):
        link = row.css_first("th a")
        assert link is not None and link.attributes["href"] == f"/careers/{role['id']}?area=MA"
        assert f"${role['median_annual']['median']:,.0f}" in row.text()
    assert tree.css_first("input#area-input").attributes["value"] == "MA"


def test_the_careers_page_shows_a_credential_with_no_issuer_as_not_found_with_alternatives(client: Any) -> None:
    tree = page(client, "/careers")
    ghost = tree.css_first("#cert-certified_ai_ethics_professional")
    assert ghost is not None and "not found" in ghost.text().lower()
    alternatives = [a.attributes["href"] for a in ghost.css("a")]
    assert "/careers#cert-iapp_aigp" in alternatives
    for href in alternatives:
        assert tree.css_first(href.split("/careers")[1]) is not None


def test_the_role_page_table_holds_the_figures_the_chart_draws(client: Any, conn: Connection) -> None:
    tree = page(client, f"/careers/{ROLE}?area=Boston")
    doc = show_role(conn, ROLE, "Boston")
    box = tree.css_first("[data-wage-chart]")
    chart = json.loads(box.attributes["data-wage-chart"])
    assert [r["label"] for r in chart["rows"]] == [doc["area"]["name"], "National"]
    assert chart["rows"][0]["median"] == doc["wages"]["annual"]["median"]
    table = tree.css_first("#wage-table").text()
    for scale in (doc["wages"]["annual"], doc["national_wages"]["annual"]):
        for key in ("p10", "median", "p90"):
            assert f"${scale[key]:,.0f}" in table
    assert box.css_first("canvas").attributes["role"] == "img"
    assert "hidden" in box.attributes  # shown by careers.js only; without JavaScript the table is the content


def test_the_role_page_shows_outlook_skills_certifications_and_program_links(client: Any, conn: Connection) -> None:
    tree = page(client, f"/careers/{ROLE}")
    doc = show_role(conn, ROLE)
    text = tree.body.text() if tree.body else ""
    assert f"{doc['outlook']['growth_percent']:.1f}%" in text
    assert f"{doc['outlook']['all_occupations_growth_percent']:.1f}%" in text
    for skill in doc["skills"]:
        assert skill["title"] in text
    for cert in doc["certifications"]:
        assert tree.css_first(f"#cert-{cert['id']}") is not None
    assert "Unverified" in text
    hrefs = {a.attributes.get("href") for a in tree.css("a")}
    assert {f["url"] for f in doc["cip_families"]} <= hrefs
    assert f"{doc['programs_count']:,}" in text


def test_a_state_fallback_is_labelled_on_the_page(client: Any) -> None:
    tree = page(client, f"/careers/{ROLE}?area=Dallas")
    text = tree.body.text() if tree.body else ""
    assert "state fallback" in text
    assert "showing Texas statewide figures" in text


def test_an_ambiguous_area_is_a_422_naming_the_parameter_with_candidates(client: Any) -> None:
    tree = page(client, f"/careers/{ROLE}?area=Springfield", status=422)
    assert "area" in tree.css_first("main li strong").text()
    links = [a.attributes["href"] for a in tree.css("main li ul a")]
    assert f"/careers/{ROLE}?area=44140" in links
    response = client.get(f"/careers/{ROLE}.json?area=Springfield")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["param"] == "area" and len(detail["candidates"]) > 1


@pytest.mark.parametrize(
    "url", ["/careers?area=Atlantis", "/careers.json?area=Atlantis", f"/careers/{ROLE}.json?area=zz"]
)
def test_an_unknown_area_is_a_422(client: Any, url: str) -> None:
    response = client.get(url, headers=HTML)
    assert response.status_code == 422


def test_an_overlong_area_is_a_422_naming_it(client: Any) -> None:
    response = client.get(f"/careers/{ROLE}.json?area={'x' * 200}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["param"] == "area"


def test_an_unknown_role_is_a_404(client: Any) -> None:
    page(client, "/careers/astronaut", status=404)
    assert client.get("/careers/astronaut.json").status_code == 404


@pytest.mark.parametrize("url", ["/careers", f"/careers/{ROLE}?area=14460", f"/careers/{ROLE}?area=Springfield"])
def test_pages_have_no_inline_script_or_style_and_ordered_headings(client: Any, url: str) -> None:
    response = client.get(url, headers=HTML)
    tree = HTMLParser(response.text)
    assert all(s.attributes.get("src") for s in tree.css("script"))
    assert not tree.css("style") and not tree.css("[style]")
    levels = [int(h.tag[1]) for h in tree.css("h1, h2, h3, h4, h5, h6")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert tree.css_first("label[for=area-input]") is not None
    ids = [n.attributes["id"] for n in tree.css("[id]")]
    assert len(ids) == len(set(ids))


def test_the_role_page_loads_chart_js_and_its_own_script_from_files(client: Any) -> None:
    tree = page(client, f"/careers/{ROLE}")
    sources = [s.attributes["src"] for s in tree.css("script")]
    assert any(src.startswith("/vendor/chart.umd.js") for src in sources)
    ours = next(src for src in sources if src.startswith("/static/careers.js"))
    assert client.get(ours).status_code == 200


def test_the_career_routes_are_in_the_openapi_spec(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/careers.json", "/careers/{role_id}.json"} <= paths.keys()
    assert re.search("CareerRoleOut", json.dumps(paths["/careers/{role_id}.json"]))
