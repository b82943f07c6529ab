"""/admin/review: off without a token, bearer or session auth, CSRF and Origin checks, decisions.

The app under test runs over a private, writable catalog (accepting writes it) with an admin token;
the session's shared client has no token, so its /admin URLs must not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select
from tests.conftest import drop_pg_schemas, writable_catalog

from gradpath import schema
from gradpath.config import Settings
from gradpath.review import propose, review_engine
from gradpath.web.routes.admin import SESSION_SECONDS, csrf_token, new_session, valid_session

TOKEN = "correct-horse-battery-staple-2026"
ORIGIN = {"origin": "http://testserver"}
HTML = {"accept": "text/html"}
BEARER = {"authorization": f"Bearer {TOKEN}", "accept": "application/json"}
PAGE = (
    (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "fx-online-health-informatics.txt")
    .read_text(encoding="utf-8")
    .split("\n", 2)[2]
)


@pytest.fixture(scope="module")
def admin_settings(catalog_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = writable_catalog(catalog_settings, tmp_path_factory.mktemp("admin-home"), admin_token=SecretStr(TOKEN))
    yield settings
    drop_pg_schemas(settings)


@pytest.fixture(scope="module")
def admin(admin_settings: Settings) -> Iterator[TestClient]:
    from gradpath.web.app import create_app

    with TestClient(create_app(admin_settings), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def offering_id(admin_settings: Settings) -> str:
    engine = review_engine(admin_settings)
    o = schema.offering
    with engine.connect() as conn:
        found = conn.execute(select(o.c.id).where(o.c.cip4 == "51.27", o.c.current.is_(True)).order_by(o.c.id))
        value = str(found.scalar())
    engine.dispose()
    return value


def queue_page(settings: Settings, name: str, text: str = PAGE) -> dict[str, int]:
    """Propose the fixture page under a fresh URL; field → fact id."""
    engine = review_engine(settings)
    with engine.begin() as conn:
        doc = propose(conn, f"https://www.lakeshore.example.edu/admin-test/{name}", text)
    engine.dispose()
    return {p["field"]: p["id"] for p in doc["proposals"]}


def login(client: TestClient) -> str:
    """Sign in through the form; returns the page's CSRF token."""
    client.cookies.clear()
    response = client.post("/admin/login", data={"token": TOKEN, "next": "/admin/review"}, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["location"] == "/admin/review"
    page = client.get("/admin/review", headers=HTML)
    assert page.status_code == 200
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert match is not None
    return match.group(1)


# --- off unless configured ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/review", "/admin/review.json", "/admin/login", "/admin/review/1"])
def test_admin_pages_do_not_exist_without_an_admin_token(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"authorization": "Bearer anything"}).status_code == 404


def test_admin_posts_do_not_exist_without_an_admin_token(client: TestClient) -> None:
    response = client.post("/admin/login", data={"token": ""}, headers=ORIGIN)
    assert response.status_code == 404


# --- authentication ---------------------------------------------------------------------------------


def test_json_needs_the_bearer_token(admin: TestClient) -> None:
    admin.cookies.clear()
    missing = admin.get("/admin/review.json")
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    assert admin.get("/admin/review.json", headers={"authorization": "Bearer wrong"}).status_code == 401
    ok = admin.get("/admin/review.json", headers=BEARER)
    assert ok.status_code == 200 and ok.json()["status"] == "proposed"
    assert ok.headers["cache-control"] == "no-store"


def test_html_without_a_session_redirects_to_the_login_form(admin: TestClient) -> None:
    admin.cookies.clear()
    response = admin.get("/admin/review", headers=HTML)
    assert response.status_code == 303 and response.headers["location"] == "/admin/login?next=/admin/review"
    form = admin.get("/admin/login", headers=HTML)
    assert form.status_code == 200
    assert '<label for="admin-token">' in form.text and 'type="password"' in form.text


def test_a_wrong_token_is_refused_and_sets_no_cookie(admin: TestClient) -> None:
    admin.cookies.clear()
    response = admin.post("/admin/login", data={"token": "guess"}, headers={**ORIGIN, **HTML})
    assert response.status_code == 401 and "set-cookie" not in response.headers
    assert 'role="alert"' in response.text


def test_login_sets_an_httponly_samesite_strict_cookie_without_the_token(admin: TestClient) -> None:
    admin.cookies.clear()
    response = admin.post("/admin/login", data={"token": TOKEN, "next": "https://evil.example/"}, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["location"] == "/admin/review"  # no open redirect
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and "Path=/admin" in cookie
    assert TOKEN not in cookie


def test_a_cross_site_login_post_is_refused(admin: TestClient) -> None:
    admin.cookies.clear()
    assert admin.post("/admin/login", data={"token": TOKEN}).status_code == 403
    evil = admin.post("/admin/login", data={"token": TOKEN}, headers={"origin": "https://evil.example"})
    assert evil.status_code == 403


def test_sessions_are_signed_with_the_token_and_expire() -> None:
    session = new_session(TOKEN, now=1_000_000)
    assert valid_session(TOKEN, session, now=1_000_060)
    assert not valid_session(TOKEN, session, now=1_000_000 + SESSION_SECONDS + 1)
    assert not valid_session("another-token", session, now=1_000_060)  # a new token signs everyone out
    issued, nonce, mac = session.split(".")
    assert not valid_session(TOKEN, f"{issued}.{nonce}x.{mac}", now=1_000_060)
    assert not valid_session(TOKEN, "garbage", now=1_000_060)
    assert csrf_token(TOKEN, session) != csrf_token(TOKEN, new_session(TOKEN, now=1_000_000))


# --- deciding ---------------------------------------------------------------------------------------


def test_a_form_post_without_the_csrf_token_or_from_another_site_is_refused(
    admin: TestClient, admin_settings: Settings
) -> None:
    facts = queue_page(admin_settings, "csrf")
    csrf = login(admin)
    url = f"/admin/review/{facts['gre']}/reject"
    assert admin.post(url, data={}, headers=ORIGIN).status_code == 403
    assert admin.post(url, data={"csrf": "0" * 64}, headers=ORIGIN).status_code == 403
    assert admin.post(url, data={"csrf": csrf}, headers={"origin": "https://evil.example"}).status_code == 403
    assert admin.post(url, data={"csrf": csrf}).status_code == 403  # neither Origin nor Referer
    shown = admin.get(f"/admin/review/{facts['gre']}.json", headers=BEARER).json()
    assert shown["status"] == "proposed"


def test_accepting_through_the_form_writes_the_catalog_and_redirects_to_the_fact(
    admin: TestClient, admin_settings: Settings, offering_id: str
) -> None:
    facts = queue_page(admin_settings, "form-accept")
    csrf = login(admin)
    page = admin.get(f"/admin/review/{facts['credits']}", headers=HTML)
    assert page.status_code == 200 and "<blockquote" in page.text and "36 credit hours" in page.text
    assert 'for="offering"' in page.text and 'for="accept-note"' in page.text
    data = {"csrf": csrf, "note": "checked against the page", "offering": offering_id}
    response = admin.post(f"/admin/review/{facts['credits']}/accept", data=data, headers=ORIGIN)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/review/{facts['credits']}?done=accepted"
    done = admin.get(response.headers["location"], headers=HTML)
    assert 'role="status"' in done.text
    fact = admin.get(f"/admin/review/{facts['credits']}.json", headers=BEARER).json()
    assert fact["status"] == "accepted" and fact["reviewer_note"] == "checked against the page"
    assert fact["catalog_value"] == {"value": 36, "origin": "review", "as_of": fact["as_of"], "source_url": fact["url"]}


def test_a_missing_offering_is_a_422_naming_it_with_the_form_kept(admin: TestClient, admin_settings: Settings) -> None:
    facts = queue_page(admin_settings, "needs-offering")
    csrf = login(admin)
    data = {"csrf": csrf, "note": "keep this note"}
    page = admin.post(f"/admin/review/{facts['credits']}/accept", data=data, headers={**ORIGIN, **HTML})
    assert page.status_code == 422
    assert "<strong>offering</strong>" in page.text and "keep this note" in page.text
    as_json = admin.post(f"/admin/review/{facts['credits']}/accept", headers=BEARER)
    assert as_json.status_code == 422 and as_json.json()["detail"][0]["param"] == "offering"


def test_bearer_clients_decide_without_a_form_token_and_get_json(admin: TestClient, admin_settings: Settings) -> None:
    facts = queue_page(admin_settings, "bearer")
    admin.cookies.clear()
    response = admin.post(f"/admin/review/{facts['gre']}/reject", data={"note": "ambiguous"}, headers=BEARER)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert body["fact"]["status"] == "rejected" and body["catalog"]["written"] is False
    again = admin.post(f"/admin/review/{facts['gre']}/reject", headers=BEARER)
    assert again.status_code == 409


def test_unknown_facts_are_404_and_bad_parameters_422(admin: TestClient) -> None:
    admin.cookies.clear()
    assert admin.get("/admin/review/987654.json", headers=BEARER).status_code == 404
    assert admin.post("/admin/review/987654/accept", headers=BEARER).status_code == 404
    bad = admin.get("/admin/review.json?status=maybe", headers=BEARER)
    assert bad.status_code == 422 and bad.json()["detail"][0]["param"] == "status"
    assert admin.get("/admin/review.json?limit=0", headers=BEARER).status_code == 422
    assert admin.get("/admin/review/0.json", headers=BEARER).status_code == 422
    assert admin.get(f"/admin/review/{2**31}.json", headers=BEARER).status_code == 422


def test_the_list_page_is_accessible_and_has_no_inline_script_or_style(
    admin: TestClient, admin_settings: Settings
) -> None:
    queue_page(admin_settings, "list-page")
    login(admin)
    page = admin.get("/admin/review", headers=HTML)
    html = page.text
    assert page.headers["cache-control"] == "no-store"
    assert '<label for="status">' in html and "<h1>Review queue</h1>" in html and '<th scope="col">Quote' in html
    assert "style=" not in html and "<script>" not in html
    listed = admin.get("/admin/review.json?status=all", headers=BEARER).json()
    assert listed["count"] >= 1 and set(listed["counts"]) == {"proposed", "accepted", "rejected", "superseded"}


def test_logout_needs_the_form_token_and_ends_the_session(admin: TestClient) -> None:
    csrf = login(admin)
    assert admin.post("/admin/logout", data={}, headers=ORIGIN).status_code == 403
    response = admin.post("/admin/logout", data={"csrf": csrf}, headers=ORIGIN)
    assert response.status_code == 303 and 'gp_admin=""' in response.headers["set-cookie"]
    admin.cookies.clear()
    assert admin.get("/admin/review", headers=HTML).status_code == 303


@pytest.mark.slow
def test_no_admin_request_the_spec_allows_causes_a_server_error(admin: TestClient, admin_settings: Settings) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    queue_page(admin_settings, "fuzz")
    spec = schemathesis.openapi.from_asgi("/openapi.json", admin.app)
    operations = [r.ok() for r in spec.get_all_operations() if r.ok().path.startswith("/admin/")]
    assert len(operations) == 4
    errors: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def check(case: Any) -> None:
            response = case.call(headers={"authorization": f"Bearer {TOKEN}", "accept": "application/json"})
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path} → {response.status_code}")

        check()
    assert not errors, "\n".join(errors[:10])
