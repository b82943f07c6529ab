"""Programs in a real browser: search with facets → profile → shortlist two → compare with the chart,
by mouse and by keyboard alone; the back button; the pages without JavaScript; axe-core checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.e2e.conftest import AXE, screenshot, settled, tab_to

pytestmark = pytest.mark.e2e


def result_names(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".result h3").all_inner_texts()]


def test_search_with_facets_then_profile_then_compare_two_with_the_chart(page: Any) -> None:
    page.goto("/programs")
    with settled(page):
        page.check("#f-cip-11\\.01")
    page.wait_for_url(re.compile(r"cip=11\.01"))
    with settled(page):
        page.check("#f-earnings_data-published")
    with settled(page):
        page.select_option("#sort", "debt")
    page.wait_for_url(re.compile(r"earnings_data=published.*sort=debt|sort=debt.*earnings_data=published"))
    assert "$" in page.locator(".result").first.inner_text()
    screenshot(page, "01-search-facets")

    first, second = result_names(page)[:2]
    page.locator(".result h3 a").first.click()
    page.wait_for_url(re.compile(r"/programs/\d+-\d\d\.\d{4}$"))
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("heading", name="Outcomes").is_visible()
    page.locator(".profile-actions .compare-toggle").click()
    assert page.locator("[data-shortlist-count]").inner_text() == "1"
    screenshot(page, "02-profile")

    page.go_back()  # the search page comes back with its filters
    page.wait_for_url(re.compile(r"cip=11\.01"))
    assert result_names(page)[:2] == [first, second]
    boxes = page.locator(".result [data-compare-id]")
    assert boxes.nth(0).is_checked()  # the shortlist survives navigation (localStorage)
    boxes.nth(1).check()
    bar = page.locator("[data-shortlist-bar]").first
    assert bar.is_visible() and bar.locator("[data-shortlist-count]").inner_text() == "2"

    bar.get_by_role("link", name="Compare them").click()
    page.wait_for_url(re.compile(r"/compare\?ids="))
    headers = page.locator(".compare-table thead th").all_inner_texts()
    assert any(first in h for h in headers) and any(second in h for h in headers)
    page.wait_for_function("() => window.Chart && window.Chart.getChart('compare-chart')")
    assert page.evaluate("() => window.Chart.getChart('compare-chart').data.datasets.length") == 2
    assert page.locator("#compare-chart").is_visible() and page.locator("#chart-data").is_visible()
    screenshot(page, "03-compare")


def test_the_same_path_by_keyboard_alone(page: Any) -> None:
    page.goto("/programs")
    tab_to(page, "#programs-q")
    with settled(page):  # results follow the typing (a pause of half a second sends the words)
        page.keyboard.type("artificial intelligence")
    page.wait_for_url(re.compile(r"q=artificial(\+|%20)intelligence"))
    tab_to(page, "#f-earnings_data-published")
    with settled(page):
        page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"earnings_data=published"))
    tab_to(page, ".facet-range a[href*='debt_min=20000']")
    with settled(page):
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"debt_min=20000"))
    assert page.locator(".result").count() >= 2

    tab_to(page, ".result [data-compare-id]")
    page.keyboard.press("Space")
    tab_to(page, ".result:nth-child(2) h3 a")
    second = page.evaluate("() => document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/programs/\d+-\d\d\.\d{4}$"))
    tab_to(page, ".profile-actions [data-compare-id]")
    page.keyboard.press("Space")
    tab_to(page, "[data-shortlist-link]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/compare\?ids=[^,]+,[^,]+$"))
    assert any(second in h for h in page.locator(".compare-table thead th").all_inner_texts())
    page.wait_for_function("() => window.Chart && window.Chart.getChart('compare-chart')")
    # The wide comparison table scrolls with the keyboard: its region is focusable.
    tab_to(page, ".table-scroll[tabindex='0']")
    screenshot(page, "04-compare-keyboard")


def test_back_button_restores_the_previous_filters(page: Any) -> None:
    page.goto("/programs?cip=51.27")
    before = page.locator("#results-title").inner_text()
    with settled(page):
        page.check("#f-control-public")
    page.wait_for_url(re.compile(r"control=public"))
    assert page.locator("#results-title").inner_text() != before
    page.go_back()
    page.wait_for_url(re.compile(r"/programs\?cip=51\.27$"))
    page.wait_for_function("(t) => document.getElementById('results-title').innerText === t", arg=before)
    assert not page.locator("#f-control-public").is_checked()


def test_massachusetts_health_informatics_can_be_found_compared_and_exported(page: Any) -> None:
    page.goto("/programs?cip=51.27&state=MA")
    assert page.locator(".result").count() >= 3
    assert page.get_by_text("Why some earnings and debt figures are missing").is_visible()
    for i in range(3):
        page.locator(".result [data-compare-id]").nth(i).check()
    page.locator("[data-shortlist-link]").first.click()
    page.wait_for_url(re.compile(r"/compare\?ids=[^,]+,[^,]+,[^,]+$"))
    assert page.locator(".compare-table thead th").count() == 4
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "compare.csv"


def test_pages_work_without_javascript(page_without_js: Any) -> None:
    page = page_without_js
    page.goto("/programs?cip=51.27")
    total = page.locator(".result").count()
    assert total > 0
    page.check("#f-control-public")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"control=public"))
    assert 0 < page.locator(".result").count() <= total
    page.locator(".result [name='ids']").nth(0).check()
    page.locator(".result [name='ids']").nth(1).check()
    page.get_by_role("button", name="Compare the ticked programs").click()
    page.wait_for_url(re.compile(r"/compare\?ids="))
    assert page.locator(".compare-table thead th").count() == 3
    assert page.locator("#chart-data").is_visible()  # the chart's table is there without the chart
    screenshot(page, "05-compare-no-js")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/programs",
        "/programs?cip=51.27&state=MA",
        "/programs/166027-51.2706",
        "/compare?ids=104179-11.0102,104717-11.0101,167358-51.2706",
    ],
)
def test_axe_finds_no_serious_or_critical_violations(axe_page: Any, url: str) -> None:
    axe_page.goto(url)
    if "compare" in url:
        axe_page.wait_for_function("() => window.Chart && window.Chart.getChart('compare-chart')")
    violations = axe_violations(axe_page)
    assert not violations, violations
