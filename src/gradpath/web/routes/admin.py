"""The review queue on the web: /admin/review (list), /admin/review/{id} (one fact) with accept and
reject forms, and their JSON twins. Enabled only when GRADPATH_ADMIN_TOKEN is set (else every /admin
URL is a 404).

Authentication: ``Authorization: Bearer <token>`` (API clients), or the login form, which sets an
HttpOnly, SameSite=Strict cookie holding an issue time, a random nonce and an HMAC of both keyed by
the token — so no session store is needed, and changing the token signs everyone out. Every
comparison uses ``secrets.compare_digest``. Cookie-authenticated POSTs must carry the session's CSRF
token (an HMAC of the session) in a hidden field and come from this site's own origin; forms POST
and then redirect (303), so a reload never repeats a decision.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from gradpath.review import (
    MAX_ID,
    FactConflict,
    FactNotFound,
    ReviewError,
    accept_fact,
    list_facts,
    reject_fact,
    show_fact,
)
from gradpath.web.models import ReviewDecisionOut, ReviewFactOut, ReviewListOut
from gradpath.web.templating import render

router = APIRouter(prefix="/admin", tags=["admin"])

COOKIE = "gp_admin"
SESSION_SECONDS = 8 * 3600
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
Status = Literal["proposed", "accepted", "rejected", "superseded", "all"]
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token or session"},
    404: {"description": "The review queue is disabled (GRADPATH_ADMIN_TOKEN unset) or no fact has this id"},
}
FACT_ID = Path(..., ge=1, le=MAX_ID, description="Proposed fact id")


@dataclass(frozen=True)
class Auth:
    """How a request proved it is a reviewer; ``session`` is set for cookie logins (CSRF applies)."""

    via: Literal["bearer", "session"]
    session: str | None = None


# --- tokens, sessions, CSRF -----------------------------------------------------------------------


def _admin_token(request: Request) -> str:
    """The configured token; a 404 when the review queue is disabled."""
    secret = request.app.state.settings.admin_token
    token = secret.get_secret_value() if secret is not None else ""
    if not token:
        raise HTTPException(404, "not found")
    return token


def _mac(token: str, message: str) -> str:
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()


def new_session(token: str, now: float | None = None) -> str:
    """A session cookie value: ``<issued>.<nonce>.<hmac>``."""
    issued = int(now if now is not None else time.time())
    nonce = secrets.token_urlsafe(18)
    return f"{issued}.{nonce}.{_mac(token, f'session|{issued}|{nonce}')}"


def valid_session(token: str, value: str | None, now: float | None = None) -> bool:
    """True when the cookie was signed with this token and is younger than SESSION_SECONDS."""
    parts = (value or "").split(".")
    if len(parts) != 3 or not parts[0].isdigit():
        return False
    issued, nonce, mac = parts
    if not secrets.compare_digest(mac.encode(), _mac(token, f"session|{issued}|{nonce}").encode()):
        return False
    age = (now if now is not None else time.time()) - int(issued)
    return 0 <= age < SESSION_SECONDS


def csrf_token(token: str, session: str) -> str:
    """The hidden-field token of a session (derived, so it needs no storage)."""
    return _mac(token, f"csrf|{session}")


def _authenticate(request: Request, token: str) -> Auth | None:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and given:
        return Auth("bearer") if secrets.compare_digest(given.strip().encode(), token.encode()) else None
    cookie = request.cookies.get(COOKIE)
    return Auth("session", cookie) if cookie and valid_session(token, cookie) else None


def _same_origin(request: Request) -> bool:
    """The POST came from a page of this site (Origin, else Referer, names this host)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    return urlsplit(source).netloc == request.headers.get("host", request.url.netloc)


def _check_post(request: Request, token: str, auth: Auth, csrf: str | None) -> None:
    """Cookie sessions must prove the form is theirs; bearer clients cannot be driven by another site."""
    if auth.via == "bearer":
        return
    assert auth.session is not None
    if not _same_origin(request):
        raise HTTPException(403, "cross-site request refused (Origin is not this site)")
    if not csrf or not secrets.compare_digest(csrf.encode(), csrf_token(token, auth.session).encode()):
        raise HTTPException(403, "missing or wrong form token (CSRF): reload the page and try again")


def _unauthenticated(request: Request, html: bool) -> Response:
    if html:
        target = quote(str(request.url.path), safe="/")
        return RedirectResponse(f"/admin/login?next={target}", status_code=303, headers=NO_STORE)
    return JSONResponse(
        {"error": "unauthorized", "detail": "send Authorization: Bearer <GRADPATH_ADMIN_TOKEN>"},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="gradpath-admin"', **NO_STORE},
    )


def _safe_next(target: str | None) -> str:
    # Only pages of the review queue: anything else would make the login an open redirect.
    if target and target.startswith("/admin/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin/review"


@contextmanager
def _queue(request: Request) -> Iterator[Connection]:
    """One transaction on the catalog and the local store (created or upgraded on first use)."""
    from gradpath.local_schema import ensure_local_store

    engine = request.app.state.catalog.engine()
    ensure_local_store(engine, request.app.state.settings)
    with engine.begin() as conn:
        yield conn


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    response = render(request, template, context, status=status)
    response.headers.update(NO_STORE)
    return response


def _json(doc: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(doc, status_code=status, headers=NO_STORE)


# --- login ----------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = Query(None, max_length=300)) -> HTMLResponse:
    _admin_token(request)
    return _page(request, "admin_login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", include_in_schema=False)
def login(
    request: Request, token: str = Form("", max_length=1000), next: str | None = Form(None, max_length=300)
) -> Response:
    expected = _admin_token(request)
    if not _same_origin(request):
        raise HTTPException(403, "cross-site request refused (Origin is not this site)")
    if not secrets.compare_digest(token.encode(), expected.encode()):
        context = {"next": _safe_next(next), "error": "That token is not the admin token."}
        return _page(request, "admin_login.html", context, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303, headers=NO_STORE)
    response.set_cookie(
        COOKIE,
        new_session(expected),
        max_age=SESSION_SECONDS,
        path="/admin",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str | None = Form(None, max_length=200)) -> Response:
    token = _admin_token(request)
    auth = _authenticate(request, token)
    if auth is None:
        return _unauthenticated(request, html=True)
    _check_post(request, token, auth, csrf)
    response = RedirectResponse("/admin/login", status_code=303, headers=NO_STORE)
    response.delete_cookie(COOKIE, path="/admin", httponly=True, samesite="strict")
    return response


# --- the queue ------------------------------------------------------------------------------------


def review_list_data(conn: Connection, status: str, url: str | None, limit: int, offset: int) -> dict[str, Any]:
    """The /admin/review document (also its JSON twin); the parameters are validated by the routes."""
    return list_facts(conn, status, url, limit, offset)


def review_fact_data(conn: Connection, fact_id: int) -> dict[str, Any]:
    """The /admin/review/{id} document (also its JSON twin)."""
    try:
        return show_fact(conn, fact_id)
    except FactNotFound as exc:
        raise HTTPException(404, str(exc)) from None


STATUS_QUERY = Query("proposed", description="Which facts: proposed (default), accepted, rejected, superseded or all")
URL_QUERY = Query(None, max_length=2000, description="Only the facts of this page URL")
LIMIT_QUERY = Query(100, ge=1, le=1000)
OFFSET_QUERY = Query(0, ge=0)


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(
    request: Request,
    status: Status = STATUS_QUERY,
    url: str | None = URL_QUERY,
    limit: int = LIMIT_QUERY,
    offset: int = OFFSET_QUERY,
) -> Response:
    token = _admin_token(request)
    auth = _authenticate(request, token)
    if auth is None:
        return _unauthenticated(request, html=True)
    with _queue(request) as conn:
        doc = review_list_data(conn, status, url, limit, offset)
    csrf = csrf_token(token, auth.session) if auth.session else ""
    return _page(request, "admin_review.html", doc | {"csrf": csrf, "session": auth.via == "session"})


@router.get("/review.json", response_model=ReviewListOut, responses=AUTH_RESPONSES, summary="Review queue (admin)")
def review_json(
    request: Request,
    status: Status = STATUS_QUERY,
    url: str | None = URL_QUERY,
    limit: int = LIMIT_QUERY,
    offset: int = OFFSET_QUERY,
) -> Any:
    token = _admin_token(request)
    if _authenticate(request, token) is None:
        return _unauthenticated(request, html=False)
    with _queue(request) as conn:
        doc = review_list_data(conn, status, url, limit, offset)
    return _json(ReviewListOut.model_validate(doc).model_dump(mode="json"))


@router.get(
    "/review/{fact_id}.json", response_model=ReviewFactOut, responses=AUTH_RESPONSES, summary="One proposed fact"
)
def review_fact_json(request: Request, fact_id: int = FACT_ID) -> Any:
    token = _admin_token(request)
    if _authenticate(request, token) is None:
        return _unauthenticated(request, html=False)
    with _queue(request) as conn:
        doc = review_fact_data(conn, fact_id)
    return _json(doc)


@router.get("/review/{fact_id}", response_class=HTMLResponse, include_in_schema=False)
def review_fact_page(
    request: Request, fact_id: int = FACT_ID, done: Literal["accepted", "rejected"] | None = Query(None)
) -> Response:
    token = _admin_token(request)
    auth = _authenticate(request, token)
    if auth is None:
        return _unauthenticated(request, html=True)
    with _queue(request) as conn:
        doc = review_fact_data(conn, fact_id)
    return _fact_page(request, token, auth, doc, done=done)


def _fact_page(
    request: Request,
    token: str,
    auth: Auth,
    doc: dict[str, Any],
    *,
    done: str | None = None,
    error: dict[str, Any] | None = None,
    form: dict[str, str | None] | None = None,
    status: int = 200,
) -> HTMLResponse:
    csrf = csrf_token(token, auth.session) if auth.session else ""
    context = {"fact": doc, "csrf": csrf, "done": done, "error": error, "form": form or {},
               "session": auth.via == "session"}  # fmt: skip
    return _page(request, "admin_fact.html", context, status=status)


def _decide(
    request: Request,
    fact_id: int,
    decision: Literal["accept", "reject"],
    csrf: str | None,
    note: str | None,
    offering: str | None = None,
    program_name: str | None = None,
) -> Response:
    token = _admin_token(request)
    auth = _authenticate(request, token)
    wants_json = "application/json" in request.headers.get("accept", "")
    if auth is None:
        return _unauthenticated(request, html=not wants_json)
    _check_post(request, token, auth, csrf)
    form = {"note": note, "offering": offering, "program_name": program_name}
    try:
        with _queue(request) as conn:
            if decision == "accept":
                result = accept_fact(conn, fact_id, note, offering=offering or None, program_name=program_name or None)
            else:
                result = reject_fact(conn, fact_id, note)
    except FactNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except (ReviewError, FactConflict) as exc:
        problem = (
            {"param": exc.param, "reason": exc.message, "candidates": exc.candidates}
            if isinstance(exc, ReviewError)
            else {"param": "fact_id", "reason": str(exc)}
        )
        code = 422 if isinstance(exc, ReviewError) else 409
        if wants_json:
            return _json({"error": "invalid parameters" if code == 422 else "conflict", "detail": [problem]}, code)
        with _queue(request) as conn:
            doc = review_fact_data(conn, fact_id)
        return _fact_page(request, token, auth, doc, error=problem, form=form, status=code)
    if wants_json:
        return _json(ReviewDecisionOut.model_validate(result).model_dump(mode="json"))
    done = "accepted" if decision == "accept" else "rejected"
    return RedirectResponse(f"/admin/review/{fact_id}?done={done}", status_code=303, headers=NO_STORE)


@router.post(
    "/review/{fact_id}/accept",
    response_model=ReviewDecisionOut,
    responses={**AUTH_RESPONSES, 303: {"description": "Form posts are redirected to the fact's page"},
               403: {"description": "Cross-site or CSRF-less form post"},
               409: {"description": "The fact was decided or superseded already"},
               422: {"description": "A parameter is invalid (e.g. the offering a new program needs)"}},
    summary="Accept a proposed fact: it becomes a verified program fact",
)  # fmt: skip
def review_accept(
    request: Request,
    fact_id: int = FACT_ID,
    csrf: str | None = Form(None, max_length=200),
    note: str | None = Form(None, max_length=2000),
    offering: str | None = Form(None, max_length=20, description="UNITID-CIP6, when the page is no program yet"),
    program_name: str | None = Form(None, max_length=300),
) -> Response:
    return _decide(request, fact_id, "accept", csrf, note, offering, program_name)


@router.post(
    "/review/{fact_id}/reject",
    response_model=ReviewDecisionOut,
    responses={**AUTH_RESPONSES, 303: {"description": "Form posts are redirected to the fact's page"},
               403: {"description": "Cross-site or CSRF-less form post"},
               409: {"description": "The fact was decided or superseded already"}},
    summary="Reject a proposed fact",
)  # fmt: skip
def review_reject(
    request: Request,
    fact_id: int = FACT_ID,
    csrf: str | None = Form(None, max_length=200),
    note: str | None = Form(None, max_length=2000),
) -> Response:
    return _decide(request, fact_id, "reject", csrf, note)
