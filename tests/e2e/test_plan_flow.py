"""The planner in a real browser, by keyboard alone: fill the /plan form, rank, open one program's plan,
read its cash-flow table and assumptions; axe-core finds no serious or critical problem on either page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from tests.e2e.conftest import AXE, screenshot, tab_to

pytestmark = pytest.mark.e2e

NURSE = {
    "bachelor_field": "nursing", "gpa": "3.2", "coursework": "statistics", "current_soc": "29-1141", "area": "Boston",
    "online_only": "true", "part_time": "true", "start_term": "Fall 2026", "employer_assistance_per_year": "5250",
    "roles": "clinical-data-scientist",
}  # fmt: skip


def _type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _tick(page: Any, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")
    assert page.locator(selector).is_checked()


def _first_row_with_a_return(page: Any) -> int:
    """1-based row of the first ranked program whose NPV is known (its plan has cash flows)."""
    cells = page.locator(".plan-table tbody tr td:last-child").all_inner_texts()
    return next(i + 1 for i, text in enumerate(cells) if "unknown" not in text)


def test_fill_the_form_by_keyboard_rank_and_open_one_programs_plan(page: Any) -> None:
    page.goto("/plan")
    # the fields in page order, as a keyboard user meets them
    _type_into(page, "#f-bachelor_field", "nursing")
    _type_into(page, "#f-gpa", "3.2")
    _tick(page, "#f-course-statistics")
    _type_into(page, "#f-current_soc", "29-1141")
    _type_into(page, "#f-area", "Boston")
    _type_into(page, "#f-start_term", "Fall 2026")
    _tick(page, "#f-online_only")
    _tick(page, "#f-part_time")
    _type_into(page, "#f-employer_assistance_per_year", "5250")
    _tick(page, "#f-role-clinical-data-scientist")
    tab_to(page, ".plan-form button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan\?.*area=Boston"))

    assert page.locator("#results-title").is_visible()
    assert page.locator(".plan-table tbody tr").count() == 25
    assert page.locator("#f-bachelor_field").input_value() == "nursing"  # the form keeps the profile
    screenshot(page, "plan-01-ranked")

    row = _first_row_with_a_return(page)
    link = f".plan-table tbody tr:nth-child({row}) th a"
    institution = page.locator(link).inner_text().strip()
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/\d+-\d\d\.\d{4}\?"))

    assert institution in page.locator("h1").inner_text()
    table = page.locator("#cashflow-table")
    assert table.is_visible() and table.locator("tbody tr").count() >= 2
    assert "Running total" in table.locator("thead").inner_text()
    page.wait_for_function("() => window.Chart && document.querySelector('.cashflow-box canvas')")
    assert page.get_by_role("heading", name="Every assumption").is_visible()
    assert page.locator("#assume-planner").is_visible()
    assert page.locator("section[aria-labelledby='assume-title'] tbody tr").count() >= 5
    screenshot(page, "plan-02-program")


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", ["/plan", f"/plan?{urlencode(NURSE)}", "/plan/162928-51.2706"])
def test_axe_finds_no_serious_or_critical_violations_on_the_planner(axe_page: Any, path: str) -> None:
    url = path if "?" in path or path == "/plan" else f"{path}?{urlencode(NURSE)}"
    axe_page.goto(url)
    if url.startswith("/plan/"):
        axe_page.wait_for_function("() => document.querySelector('#cashflow-table, #linked-caption')")
    violations = _axe_violations(axe_page)
    assert not violations, violations
