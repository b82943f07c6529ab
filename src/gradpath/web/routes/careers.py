"""Career pages: /careers (every role, with wages in a chosen area) and /careers/{role}, and their
JSON twins. Both pages take ``?area=`` (national, a state, a metro name or CBSA, unitid:N), so the URL
holds the choice; an area that matches nothing or several areas is a 422 naming ``area`` (with the
candidates), an unknown role a 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.engine import Connection

from gradpath.areas import AreaError, area_choices
from gradpath.careers import RoleNotFound, list_roles, show_role
from gradpath.web.catalog_handle import get_conn
from gradpath.web.models import CareerRoleOut, CareersOut
from gradpath.web.templating import render

router = APIRouter(tags=["careers"])

AREA_QUERY = Query(
    None,
    max_length=120,
    description="national (default), a state code (MA), a metro name fragment (Boston), a CBSA code (14460) "
    "or unitid:NNNNNN (the metro of that institution).",
)
AREA_422: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "The area matched nothing or several areas: `detail[0].param` is `area`, with candidates",
    }
}
ROLE_404: dict[int | str, dict[str, Any]] = {404: {"description": "No role has this id"}}


class _AreaProblem(Exception):
    def __init__(self, exc: AreaError) -> None:
        super().__init__(str(exc))
        self.detail = [{"param": "area", "reason": str(exc), "candidates": exc.candidates}]


def careers_data(conn: Connection, area: str | None) -> dict[str, Any]:
    """The /careers document (also its JSON twin)."""
    try:
        return list_roles(conn, area)
    except AreaError as exc:
        raise _AreaProblem(exc) from None


def role_data(conn: Connection, role_id: str, area: str | None) -> dict[str, Any]:
    """The /careers/{role} document (also its JSON twin)."""
    try:
        return show_role(conn, role_id, area)
    except RoleNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except AreaError as exc:
        raise _AreaProblem(exc) from None


def _area_error_page(request: Request, conn: Connection, problem: _AreaProblem) -> HTMLResponse:
    context = {"detail": problem.detail, "path": request.url.path, "area_choices": area_choices(conn)}
    return render(request, "careers_error.html", context, status=422)


def _area_error_json(problem: _AreaProblem) -> JSONResponse:
    return JSONResponse({"error": "invalid parameters", "detail": problem.detail}, status_code=422)


@router.get("/careers", response_class=HTMLResponse, summary="Career roles page", responses=AREA_422)
def careers_page(request: Request, area: str | None = AREA_QUERY, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    try:
        doc = careers_data(conn, area)
    except _AreaProblem as problem:
        return _area_error_page(request, conn, problem)
    return render(request, "careers.html", doc | {"area_choices": area_choices(conn)})


@router.get(
    "/careers.json",
    response_model=CareersOut,
    response_model_exclude_unset=True,
    summary="Every career role with its blended median wage in an area, growth and program count",
    responses=AREA_422,
)
def careers_json(area: str | None = AREA_QUERY, conn: Connection = Depends(get_conn)) -> Any:
    try:
        return careers_data(conn, area)
    except _AreaProblem as problem:
        return _area_error_json(problem)


# The .json twin is declared first: a role id never contains a dot, but the HTML path would match it.
@router.get(
    "/careers/{role_id}.json",
    response_model=CareerRoleOut,
    response_model_exclude_unset=True,
    summary="A role's wages in an area and nationally, outlook, skills, certifications and programs",
    responses={**AREA_422, **ROLE_404},
)
def role_json(role_id: str, area: str | None = AREA_QUERY, conn: Connection = Depends(get_conn)) -> Any:
    try:
        return role_data(conn, role_id, area)
    except _AreaProblem as problem:
        return _area_error_json(problem)


@router.get(
    "/careers/{role_id}", response_class=HTMLResponse, summary="Career role page", responses={**AREA_422, **ROLE_404}
)
def role_page(
    request: Request, role_id: str, area: str | None = AREA_QUERY, conn: Connection = Depends(get_conn)
) -> HTMLResponse:
    try:
        doc = role_data(conn, role_id, area)
    except _AreaProblem as problem:
        return _area_error_page(request, conn, problem)
    return render(request, "careers_role.html", doc | {"chart": wage_chart(doc), "area_choices": area_choices(conn)})


def wage_chart(doc: dict[str, Any]) -> dict[str, Any]:
    """The data the wage-range chart draws (p10–p90 bar, p25–p75 box, median mark), area then nation."""
    keys = ("p10", "p25", "median", "p75", "p90")
    rows = [{"label": doc["area"]["name"], **{k: doc["wages"]["annual"].get(k) for k in keys}}]
    if doc["area"]["code"] != "national":
        rows.append({"label": "National", **{k: doc["national_wages"]["annual"].get(k) for k in keys}})
    return {"rows": rows, "source": "BLS OEWS May 2025"}
