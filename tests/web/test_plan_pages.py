"""/plan and /plan/{id}: the form, ranked results, one program in depth, JSON twins, PDF, errors, accessibility."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest

HTML = {"accept": "text/html"}
NURSE = {
    "bachelor_field": "nursing", "gpa": "3.2", "coursework": "statistics", "years_experience": "6",
    "current_soc": "29-1141", "area": "Boston", "online_only": "true", "part_time": "true", "max_total_cost": "60000",
    "start_term": "Fall 2026", "employer_assistance_per_year": "5250", "roles": "clinical-data-scientist",
}  # fmt: skip
Q = urlencode(NURSE)


class _Page(HTMLParser):
    """Collects what the accessibility checks need: inputs, labels, headings, scripts, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.headings: list[int] = []
        self.inline_scripts = 0
        self.style_attrs = 0
        self.landmarks: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.style_attrs += 1
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        if tag in ("main", "nav", "header", "footer"):
            self.landmarks.add(tag)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def results(client: Any) -> Any:
    return client.get(f"/plan?{Q}", headers=HTML)


@pytest.fixture(scope="module")
def plan_doc(client: Any) -> dict[str, Any]:
    response = client.get(f"/plan.json?{Q}")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_empty_form_page_works_and_computes_no_plan(client: Any) -> None:
    page = client.get("/plan", headers=HTML)
    assert page.status_code == 200 and 'action="/plan"' in page.text and 'method="get"' in page.text
    twin = client.get("/plan.json").json()
    assert twin["plan"] is None and twin["submitted"] is False
    assert {r["id"] for r in twin["form"]["roles"]} >= {"clinical-data-scientist"}


def test_the_results_page_and_its_json_twin_show_the_same_ranked_programs(results: Any,
                                                                         plan_doc: dict[str, Any]) -> None:  # fmt: skip
    assert results.status_code == 200
    programs = plan_doc["plan"]["programs"]
    assert len(programs) == 25
    positions = [results.text.index(f'href="/plan/{p["id"]}?') for p in programs]
    assert positions == sorted(positions)  # same order on the page as in the twin
    assert plan_doc["form"]["values"]["location"]["area"] == "Boston"


def test_every_program_link_carries_the_profile_in_the_url(results: Any, plan_doc: dict[str, Any]) -> None:
    query = plan_doc["plan"]["query"]
    assert "area=Boston" in query and "roles=clinical-data-scientist" in query
    assert f'href="/plan/{plan_doc["plan"]["programs"][0]["id"]}?{query.replace("&", "&amp;")}"' in results.text


@pytest.mark.parametrize(
    ("query", "param"),
    [("gpa=abc", "gpa"), ("gpa=9", "gpa"), ("bogus=1", "bogus"), ("w_vibes=3", "w_vibes"), ("roles=astronaut", "roles"),
     ("area=Springfield", "area"), ("start_term=someday", "start_term"), ("online_only=maybe", "online_only")],
)  # fmt: skip
def test_a_bad_parameter_is_a_422_naming_it_on_the_page_and_the_twin(client: Any, query: str, param: str) -> None:
    twin = client.get(f"/plan.json?{query}")
    assert twin.status_code == 422
    assert twin.json()["detail"][0]["param"] == param
    page = client.get(f"/plan?{query}", headers=HTML)
    assert page.status_code == 422 and f"<strong>{param}</strong>" in page.text and 'action="/plan"' in page.text


def test_one_program_page_twin_and_pdf_agree(client: Any, plan_doc: dict[str, Any]) -> None:
    first = plan_doc["plan"]["programs"][0]
    twin = client.get(f"/plan/{first['id']}.json?{Q}")
    assert twin.status_code == 200
    doc = twin.json()
    assert doc["id"] == first["id"] and doc["score"] == first["score"]
    page = client.get(f"/plan/{first['id']}?{Q}", headers=HTML)
    assert page.status_code == 200 and first["institution"] in page.text
    pdf = client.get(f"/plan/{first['id']}.pdf?{Q}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_program_page_has_a_chart_with_a_table_fallback(client: Any, plan_doc: dict[str, Any]) -> None:
    with_roi = next(p for p in plan_doc["plan"]["programs"] if p["roi"]["npv"] is not None)
    page = client.get(f"/plan/{with_roi['id']}?{Q}", headers=HTML).text
    assert "data-cashflow=" in page and 'id="cashflow-table"' in page
    assert "/vendor/chart.umd.js" in page and "/static/plan.js" in page
    assert "Which assumption matters most" in page and "Every assumption" in page


def test_an_unknown_offering_is_404_everywhere(client: Any) -> None:
    for suffix in ("", ".json", ".pdf"):
        response = client.get(f"/plan/999999-11.0102{suffix}?{Q}", headers=HTML if not suffix else {})
        assert response.status_code == 404, suffix


def test_pages_keep_the_strict_policy_no_inline_script_or_style(client: Any, results: Any,
                                                                plan_doc: dict[str, Any]) -> None:  # fmt: skip
    program = client.get(f"/plan/{plan_doc['plan']['programs'][0]['id']}?{Q}", headers=HTML)
    for response in (results, program):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page = parse(response.text)
        assert page.inline_scripts == 0 and page.style_attrs == 0
        assert "<style" not in response.text


def test_every_form_field_has_a_label_and_headings_do_not_skip_levels(client: Any, results: Any,
                                                                      plan_doc: dict[str, Any]) -> None:  # fmt: skip
    program = client.get(f"/plan/{plan_doc['plan']['programs'][0]['id']}?{Q}", headers=HTML)
    for response in (client.get("/plan", headers=HTML), results, program):
        page = parse(response.text)
        unlabelled = [i.get("id") for i in page.inputs if i.get("id") not in page.labels]
        assert not unlabelled
        assert page.headings[0] == 1 and page.headings.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
        assert {"main", "nav", "header", "footer"} <= page.landmarks


def test_the_form_is_refilled_from_the_url(results: Any) -> None:
    assert 'name="bachelor_field" type="text" value="nursing"' in results.text
    assert re.search(r'id="f-online_only" name="online_only" type="checkbox" value="true"\s*checked', results.text)
    assert re.search(r'id="f-role-clinical-data-scientist"[^>]*checked', results.text)


def test_unknown_values_are_labelled_never_shown_as_zero_dollars(client: Any, plan_doc: dict[str, Any]) -> None:
    unknown_cost = next(p for p in plan_doc["plan"]["programs"] if p["cost"]["total"] is None)
    page = client.get(f"/plan/{unknown_cost['id']}?{Q}", headers=HTML).text
    tuition_row = re.search(r"<th scope=\"row\">tuition</th><td class=\"num\">(.*?)</td>", page)
    assert tuition_row and "unknown" in tuition_row.group(1) and "$0" not in tuition_row.group(1)


def test_the_plan_routes_are_in_the_openapi_spec(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/plan.json", "/plan/{offering_id}.json", "/plan/{offering_id}.pdf"} <= set(paths)


def test_a_program_page_says_which_linked_program_its_figures_come_from(client: Any) -> None:
    doc = client.get(f"/plan/162928-51.2706.json?{Q}").json()  # an applied and a research informatics MS
    assert len(doc["linked_programs"]) == 2 and sum(lp["used"] for lp in doc["linked_programs"]) == 1
    page = client.get(f"/plan/162928-51.2706?{Q}", headers=HTML).text
    assert "Which program these figures come from" in page and 'id="linked-caption"' in page
    for lp in doc["linked_programs"]:
        assert lp["name"] in page
    assert doc["program"]["name"] in page
