"""The planner pages: /plan (a GET form, then programs ranked by fit) and /plan/{id} (one program in depth).

The profile lives in the URL query — the form's fields — and is never stored on the server; the
page offers "save in this browser" (static/plan.js keeps the query in localStorage). Every page
has a JSON twin built by the same function (/plan.json, /plan/{id}.json), and /plan/{id}.pdf is the
printable plan. A bad parameter is a 422 naming it; an unknown offering a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.catalog import QueryError
from gradpath.plan.profile import (
    COMPONENTS,
    COURSEWORK,
    DEGREES,
    Profile,
    ProfileError,
    form_fields,
    profile_echo,
    profile_from_query,
    profile_to_query,
    query_param,
)
from gradpath.plan.score import resolve_weights
from gradpath.plan.service import plan_program, run_plan
from gradpath.web.catalog_handle import get_conn
from gradpath.web.models import PlanPageOut, PlanProgramDetailOut
from gradpath.web.templating import render

router = APIRouter(tags=["plan"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    422: {"description": "A profile parameter is invalid: `detail[0].param` names it"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No offering has this id"}}
_TYPES = {"boolean": {"type": "boolean"}, "number": {"type": "number"}, "number_or_text": {"type": "string"},
          "text": {"type": "string", "maxLength": 200}}  # fmt: skip
# The profile is read from the query by the profile parser (one place for its rules); this documents it.
PROFILE_QUERY: dict[str, Any] = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "description": "Profile field (see docs/plan.md)",
         "schema": {"type": "array", "items": _TYPES[kind]} if repeated else _TYPES[kind],
         **({"style": "form", "explode": True} if repeated else {})}
        for name, kind, repeated in form_fields()
    ]
}  # fmt: skip


def _params(request: Request) -> dict[str, list[str]]:
    return {key: request.query_params.getlist(key) for key in request.query_params}


def _problem(exc: ProfileError) -> QueryError:
    candidates = "; ".join(f"{c.get('code') or c.get('soc')} {c.get('name') or c.get('title')}" for c in exc.candidates)
    return QueryError(query_param(exc.key), exc.message + (f" (candidates: {candidates})" if candidates else ""))


def _profile(params: dict[str, list[str]]) -> Profile:
    try:
        return profile_from_query(params)
    except ProfileError as exc:
        raise _problem(exc) from None


def form_data(conn: Connection, profile: Profile) -> dict[str, Any]:
    """What the form shows: the profile's values and the choices (roles, coursework, weights)."""
    role = schema.role
    roles = [
        {"id": r.id, "title": r.title} for r in conn.execute(select(role.c.id, role.c.title).order_by(role.c.position))
    ]
    weights = resolve_weights(profile.ranking.weights)
    return {
        "values": profile_echo(profile), "roles": roles, "coursework": list(COURSEWORK), "degrees": list(DEGREES),
        "weights": [{"name": name, "value": weights[name]} for name in COMPONENTS],
        "query": urlencode(profile_to_query(profile)),
    }  # fmt: skip


def plan_page_data(conn: Connection, params: dict[str, list[str]]) -> dict[str, Any]:
    """The /plan document (also /plan.json): the form, and the ranked plan once any field is given."""
    profile = _profile(params)
    plan = None
    if params:
        try:
            plan = run_plan(conn, profile)
        except ProfileError as exc:
            raise _problem(exc) from None
    return {"form": form_data(conn, profile), "submitted": bool(params), "plan": plan}


def program_page_data(conn: Connection, offering_id: str, params: dict[str, list[str]]) -> dict[str, Any]:
    """The /plan/{id} document (also its .json twin and the PDF): one program planned in depth."""
    profile = _profile(params)
    try:
        return plan_program(conn, profile, offering_id)
    except ProfileError as exc:
        raise _problem(exc) from None


@router.get(
    "/plan", response_class=HTMLResponse, summary="Planner: profile form and ranked programs", responses=PROBLEMS
)
def plan_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    params = _params(request)
    try:
        doc = plan_page_data(conn, params)
    except QueryError as exc:
        # show the form again with the problem next to it, rather than a bare error page
        profile = Profile()
        errors = [{"param": exc.param, "reason": exc.message}]
        context = {"form": form_data(conn, profile), "submitted": True, "plan": None, "errors": errors,
                   "raw": params}  # fmt: skip
        return render(request, "plan.html", context, status=422)
    return render(request, "plan.html", doc | {"errors": [], "raw": params})


@router.get("/plan.json", response_model=PlanPageOut, summary="Planner data: the form and the ranked plan",
            responses=PROBLEMS, openapi_extra=PROFILE_QUERY)  # fmt: skip
def plan_json(request: Request, conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return plan_page_data(conn, _params(request))


@router.get("/plan/{offering_id}.json", response_model=PlanProgramDetailOut, summary="One program's plan (data)",
            responses=PROBLEMS | NOT_FOUND, openapi_extra=PROFILE_QUERY)  # fmt: skip
def program_plan_json(offering_id: str, request: Request, conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return program_page_data(conn, offering_id, _params(request))


@router.get("/plan/{offering_id}.pdf", summary="One program's printable plan as PDF", responses=PROBLEMS | NOT_FOUND,
            response_class=Response, openapi_extra=PROFILE_QUERY)  # fmt: skip
def program_plan_pdf(offering_id: str, request: Request, conn: Connection = Depends(get_conn)) -> Response:
    from gradpath.plan.pdf import plan_pdf

    doc = program_page_data(conn, offering_id, _params(request))
    headers = {"Content-Disposition": f'attachment; filename="gradpath-plan-{offering_id}.pdf"'}
    return Response(plan_pdf(doc), media_type="application/pdf", headers=headers)


@router.get("/plan/{offering_id}", response_class=HTMLResponse, summary="One program's plan page",
            responses=PROBLEMS | NOT_FOUND)  # fmt: skip
def program_plan_page(offering_id: str, request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "plan_program.html", program_page_data(conn, offering_id, _params(request)))
