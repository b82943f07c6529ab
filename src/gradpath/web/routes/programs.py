"""Program search (/programs) and profiles (/programs/{id}), with their JSON twins.

The search page, ``/programs.json``, ``/programs.csv`` and ``gradpath offerings search`` all run
:func:`gradpath.catalog.search_offerings`. Every filter lives in the URL, so a search can be shared
and the back button works; htmx requests (``HX-Request``) get only the region that changes.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal
from urllib.parse import quote_plus

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy.engine import Connection

from gradpath.areas import Area, AreaError, resolve_area
from gradpath.catalog import (
    FACT_LABELS,
    OFFERING_ID_RE,
    OfferingQuery,
    cip_occupations,
    family_roles,
    offering_details,
    search_index,
    search_offerings,
)
from gradpath.occupations import outlook_block, wage_block, wages_with_fallback
from gradpath.web.catalog_handle import get_conn
from gradpath.web.models import ProfileOut, ProgramsOut
from gradpath.web.templating import render

router = APIRouter()

DEFAULT_PER_PAGE = 20
PER_PAGE_CHOICES = (20, 50, 100)
OFFERING_ID_PATTERN = OFFERING_ID_RE.pattern
Control = Literal["public", "private-nonprofit", "private-for-profit"]
Distance = Literal["under-10", "10-49", "50-89", "90-plus", "unknown"]
Format = Literal["online", "hybrid", "campus"]
Gre = Literal["not required", "optional", "waivable", "required"]
Tier = Literal["core", "adjacent", "context"]
EarningsData = Literal["published", "not_published", "no_record"]
Sort = Literal["relevance", "name", "earnings", "debt", "completers"]
MONEY_MAX = 10_000_000


def _blank_is_none(value: Any) -> Any:
    # A plain HTML form sends an empty number box as "": that means "no bound", not a bad number.
    return None if isinstance(value, str) and not value.strip() else value


Amount = Annotated[Annotated[float, Field(ge=0, le=MONEY_MAX)] | None, BeforeValidator(_blank_is_none)]
Count = Annotated[Annotated[int, Field(ge=0, le=100_000)] | None, BeforeValidator(_blank_is_none)]


async def offering_query(
    q: str | None = Query(None, max_length=200, description="Words in the institution, city, field or program name."),
    cip: list[str] = Query([], description="CIP family (51.27) or 6-digit code (51.2706); repeat for several."),
    state: list[str] = Query([], description="Two-letter state code; repeat for several."),
    metro: list[str] = Query([], description="5-digit CBSA code of the institution's metro or micro area."),
    control: list[Control] = Query([], description="Public or private (IPEDS control)."),
    accreditor: list[str] = Query([], description="Institutional accreditor's name, or `none` for not on file."),
    distance: list[Distance] = Query([], description="Institution-level share of students exclusively online."),
    format: list[Format] = Query([], description="Program format stated on a verified program page."),
    gre: list[Gre] = Query([], description="GRE policy stated on a verified program page."),
    topic: list[str] = Query([], description="Curriculum topic id taught (verified); every one given must match."),
    tier: list[Tier] = Query([], description="GradPath's healthcare-AI relevance tier of the CIP code."),
    earnings_data: list[EarningsData] = Query([], description="Whether Scorecard earnings are published."),
    earnings_min: Annotated[Amount, Query(description="Median earnings 1 year after, at least.")] = None,
    earnings_max: Annotated[Amount, Query(description="Median earnings 1 year after, at most.")] = None,
    debt_min: Annotated[Amount, Query(description="Median debt, at least.")] = None,
    debt_max: Annotated[Amount, Query(description="Median debt, at most.")] = None,
    awards_min: Annotated[Count, Query(description="Master's awards 2023-24, at least.")] = None,
    awards_max: Annotated[Count, Query(description="Master's awards 2023-24, at most.")] = None,
    include_past: bool = Query(False, description="Also offerings not reported since an earlier year."),
    sort: Sort | None = Query(None, description="relevance (default with text), name, earnings, debt, completers."),
) -> OfferingQuery:
    """The search parameters every programs route shares (also documented in the OpenAPI spec)."""
    return OfferingQuery(
        q=q,
        cip=cip,
        state=state,
        metro=metro,
        control=list(control),
        accreditor=accreditor,
        distance=list(distance),
        format=list(format),
        gre=list(gre),
        topic=topic,
        tier=list(tier),
        earnings_data=list(earnings_data),
        earnings_min=earnings_min,
        earnings_max=earnings_max,
        debt_min=debt_min,
        debt_max=debt_max,
        awards_min=awards_min,
        awards_max=awards_max,
        include_past=include_past,
        sort=sort,
    )


def _json(model: type[BaseModel], doc: dict[str, Any]) -> bytes:
    return model.model_validate(doc).model_dump_json(by_alias=True).encode()


def json_response(model: type[BaseModel], doc: dict[str, Any]) -> Response:
    """``doc`` checked against its response model and serialized by pydantic in one pass (the busiest
    routes spend less than half the time FastAPI's generic validate-then-encode path takes)."""
    return Response(_json(model, doc), media_type="application/json")


def _encode(params: list[tuple[str, str]]) -> list[str]:
    return [f"{quote_plus(k)}={quote_plus(v)}" for k, v in params]


def _url(path: str, encoded: list[str]) -> str:
    return f"{path}?{'&'.join(encoded)}" if encoded else path


def search_page(conn: Connection, query: OfferingQuery, page: int, per_page: int) -> dict[str, Any]:
    """The search page document (also ``/programs.json``): a page of results, facets, links, sources."""
    query.limit, query.offset, query.facets = per_page, (page - 1) * per_page, True
    doc = search_offerings(conn, query)
    params = query.to_params()
    encoded = _encode(params)  # once: the page, export and bucket links all share it
    size = [f"per_page={per_page}"] if per_page != DEFAULT_PER_PAGE else []
    pages = max(1, math.ceil(doc["count"] / per_page))

    def at(n: int, path: str = "/programs") -> str:
        return _url(path, [*encoded, *size, *([f"page={n}"] if n > 1 else [])])

    for facet in doc["facets"]:
        if facet["kind"] == "range":  # a link per bucket applies that range (keeps the others)
            bounds = (f"{facet['name']}_min", f"{facet['name']}_max")
            others = [e for (k, _), e in zip(params, encoded, strict=True) if k not in bounds]
            for v in facet["values"]:
                chosen = [f"{b}={x:g}" for b, x in zip(bounds, (v["min"], v["max"]), strict=True) if x]
                v["href"] = _url("/programs", [*others, *chosen, *size])
    return {
        **doc,
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "params": [list(p) for p in params],
        "filtered": query.is_filtered(),
        "include_past": query.include_past,
        "q": query.q or "",
        "links": {
            "self": at(page),
            "json": at(page, "/programs.json"),
            "csv": _url("/programs.csv", encoded),
            "prev": at(page - 1) if page > 1 else None,
            "next": at(page + 1) if page < pages else None,
            "reset": "/programs",
        },
    }


async def _pager(
    page: int = Query(1, ge=1, le=10_000), per_page: int = Query(DEFAULT_PER_PAGE, ge=1, le=100)
) -> tuple[int, int]:
    return page, per_page


@router.get("/programs", response_class=HTMLResponse, summary="Search master's programs (HTML)")
def programs_page(
    request: Request,
    query: OfferingQuery = Depends(offering_query),
    pager: tuple[int, int] = Depends(_pager),
    conn: Connection = Depends(get_conn),
) -> HTMLResponse:
    doc = search_page(conn, query, *pager)
    # htmx asks for the changing region only; a history restore (back button, cache miss) needs the whole page.
    headers = request.headers
    partial = headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    doc.update(per_page_choices=PER_PAGE_CHOICES, partial=partial)
    response = render(request, "programs_region.html" if partial else "programs.html", doc)
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/programs.json", response_model=ProgramsOut, summary="Search master's programs: results, facets, links")
def programs_json(
    query: OfferingQuery = Depends(offering_query),
    pager: tuple[int, int] = Depends(_pager),
    conn: Connection = Depends(get_conn),
) -> Response:
    query.validate()  # before the memo: only a valid query's page is remembered
    key = ("programs.json", tuple(query.to_params()), pager)
    body = search_index(conn).memo(key, lambda: _json(ProgramsOut, search_page(conn, query, *pager)))
    return Response(body, media_type="application/json")


# --- profile -----------------------------------------------------------------------------------------


def _institution_area(conn: Connection, unitid: int) -> Area:
    try:
        return resolve_area(conn, f"unitid:{unitid}")
    except AreaError as exc:
        national = resolve_area(conn, "national")
        return Area(
            national.code, national.name, national.type, f"unitid:{unitid}", f"{exc}; showing national figures."
        )


def related_careers(conn: Connection, cip: str, cip4: str, unitid: int) -> dict[str, Any]:
    """CIP→SOC occupations with OEWS wages where the institution is (state fallback labelled), and the
    curated roles whose families include this field."""
    area = _institution_area(conn, unitid)
    occupations = []
    for occ in cip_occupations(conn, cip):
        row, used = wages_with_fallback(conn, occ["soc"], area)
        block = wage_block(row, used)
        annual = {k: v for k, v in block["annual"].items() if k.split("_")[0] in ("p25", "median", "p75")}
        outlook = outlook_block(conn, occ["soc"])
        occupations.append(
            {
                **occ,
                "area": used.to_json(),
                "annual": annual,
                "employment": block["employment"],
                "employment_reason": block.get("employment_reason"),
                "growth_percent": outlook["growth_percent"],
                "openings_annual": outlook["openings_annual"],
            }
        )
    return {
        "area": area.to_json(),
        "occupations": occupations,
        "roles": family_roles(conn, cip4),
        "wages_source": {"id": "bls-oews-2025", "vintage": "May 2025"},
        "outlook_source": {"id": "bls-ep-2024-34", "vintage": "2024–34 projections"},
        "crosswalk_source": {"id": "nces-cip2020", "vintage": "CIP 2020–SOC 2018 crosswalk"},
    }


def unknowns(details: dict[str, Any]) -> list[dict[str, str]]:
    """What the catalog cannot tell about this offering yet, each with the reason."""
    s, inst = details["summary"], details["institution"]
    out = []
    outcomes = (
        ("earnings_1yr", "Median earnings 1 year after"),
        ("earnings_4yr", "Median earnings 4 years after"),
        ("debt_median", "Median debt"),
    )
    for key, label in outcomes:
        if s[key] is None:
            out.append({"what": label, "why": s.get(f"{key}_reason") or "Not published."})
    out.append(
        {
            "what": "Outcomes of this program alone",
            "why": "The College Scorecard publishes earnings and debt per institution × 4-digit CIP family, so sibling "
            "programs in the same family share them.",
        }
    )
    stated = {f["field"] for p in details["programs"] for f in p["facts"]}
    missing = [label for field, label in FACT_LABELS.items() if field not in stated]
    if not details["programs"]:
        out.append(
            {
                "what": "Program facts",
                "why": "No program page linked to this offering has been verified yet, so "
                f"these are unknown: {', '.join(missing).lower()}.",
            }
        )
    elif missing:
        out.append({"what": "Program facts the verified pages do not state", "why": ", ".join(missing)})
    if not details["tuition"] and "tuition_total_usd" not in stated:
        out.append({"what": "Cost", "why": "No tuition rate stated on a page of this institution has been verified."})
    if inst["accreditor"] is None:
        out.append({"what": "Institutional accreditor", "why": inst["accreditor_note"] or "Not on file."})
    if inst["distance_exclusive_share"] is None:
        out.append({"what": "Distance-education share", "why": "IPEDS reports no distance-education enrollment."})
    return out


def profile_data(conn: Connection, offering_id: str) -> dict[str, Any]:
    """The profile document (also ``/programs/{id}.json``)."""
    details = offering_details(conn, offering_id)
    s = details.pop("summary")
    wanted = {
        "scorecard-fos-truewise",
        "ipeds-completions-2020-2024",
        "ipeds-hd2024",
        "nces-cip2020",
        "accreditation",
        "ipeds-distance-ed",
        "gradpath-curated",
        "bls-oews-2025",
        "bls-ep-2024-34",
    }
    sources = search_index(conn).sources_for(wanted)
    return {
        "offering": s,
        **{k: details[k] for k in ("institution", "cip", "awards", "siblings", "programs", "tuition")},
        "outcomes": {
            "level": s["outcomes_level"],
            "status": s["fos_status"],
            "completers": s["fos_completers"],
            "source": {"id": "scorecard-fos-truewise", "vintage": "Scorecard release of 2026-06-10"},
            "debt_to_earnings_method": "Median debt divided by median earnings 1 year after completion: a plain "
            "ratio, not the federal debt-to-earnings rate (which uses amortised annual payments).",
        },
        "unknowns": unknowns({**details, "summary": s}),
        "careers": related_careers(conn, s["cip"], s["cip4"], s["unitid"]),
        "sources": sources,
        "links": {
            "self": f"/programs/{offering_id}",
            "json": f"/programs/{offering_id}.json",
            "compare": f"/compare?ids={offering_id}",
        },
    }


OFFERING_ID = Path(
    ...,
    pattern=OFFERING_ID_PATTERN,
    description="Offering id: UNITID-CIP, e.g. 166027-51.2706",
    examples=["166027-51.2706", "167358-51.2706"],
)


@router.get("/programs/{offering_id}.json", response_model=ProfileOut, summary="One program: outcomes, facts, careers")
def profile_json(offering_id: str = OFFERING_ID, conn: Connection = Depends(get_conn)) -> Response:
    return json_response(ProfileOut, profile_data(conn, offering_id))


@router.get("/programs/{offering_id}", response_class=HTMLResponse, summary="One program's profile (HTML)")
def profile_page(
    request: Request, offering_id: str = OFFERING_ID, conn: Connection = Depends(get_conn)
) -> HTMLResponse:
    return render(request, "programs_profile.html", profile_data(conn, offering_id))
