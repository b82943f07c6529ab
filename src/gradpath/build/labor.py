"""Build steps for the labour market: areas, occupations, OEWS wages, EP outlook, O*NET."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gradpath import schema
from gradpath.build.context import BuildContext
from gradpath.db import bulk_insert
from gradpath.sources import ep, oews, onet
from gradpath.sources.base import SourceError

# FIPS state codes → postal abbreviations (the 50 states, DC and the territories OEWS publishes).
FIPS_TO_POSTAL = {
    "01": "AL",
    "02": "AK",
    "04": "AZ",
    "05": "AR",
    "06": "CA",
    "08": "CO",
    "09": "CT",
    "10": "DE",
    "11": "DC",
    "12": "FL",
    "13": "GA",
    "15": "HI",
    "16": "ID",
    "17": "IL",
    "18": "IN",
    "19": "IA",
    "20": "KS",
    "21": "KY",
    "22": "LA",
    "23": "ME",
    "24": "MD",
    "25": "MA",
    "26": "MI",
    "27": "MN",
    "28": "MS",
    "29": "MO",
    "30": "MT",
    "31": "NE",
    "32": "NV",
    "33": "NH",
    "34": "NJ",
    "35": "NM",
    "36": "NY",
    "37": "NC",
    "38": "ND",
    "39": "OH",
    "40": "OK",
    "41": "OR",
    "42": "PA",
    "44": "RI",
    "45": "SC",
    "46": "SD",
    "47": "TN",
    "48": "TX",
    "49": "UT",
    "50": "VT",
    "51": "VA",
    "53": "WA",
    "54": "WV",
    "55": "WI",
    "56": "WY",
    "60": "AS",
    "66": "GU",
    "69": "MP",
    "72": "PR",
    "78": "VI",
}
LEVELS = {0: "major", 1: "minor", 2: "broad", 3: "detailed"}
_STATES_SUFFIX = re.compile(r",\s*([A-Z]{2}(?:-[A-Z]{2})*)\s*$")


def soc_dash(code6: str) -> str:
    """'152051' → '15-2051'."""
    return f"{code6[:2]}-{code6[2:]}"


def area_code(oews_area: oews.OewsArea) -> tuple[str, str, str | None, str | None]:
    """(catalog code, type, primary state, all states) for an OEWS area."""
    state = FIPS_TO_POSTAL.get(oews_area.state_fips)
    if oews_area.type == "N":
        return "national", "national", None, None
    if oews_area.type == "S":
        if state is None:
            raise SourceError(oews.INFO.id, f"unknown state FIPS code {oews_area.state_fips!r} for {oews_area.name}")
        return state, "state", state, state
    if oews_area.code.startswith("00"):
        m = _STATES_SUFFIX.search(oews_area.name)
        states = m.group(1).replace("-", ",") if m else state
        return oews_area.code[2:], "metro", state, states
    return oews_area.code, "nonmetro", state, state


def load_labor(ctx: BuildContext) -> None:
    """OEWS areas, occupations and wages; EP Table 1.2; the O*NET tables."""
    _load_oews(ctx)
    _load_outlook(ctx)
    _load_onet(ctx)


def _load_oews(ctx: BuildContext) -> None:
    read = ctx.reads[oews.INFO.id]
    ctx.reporter.stage("OEWS wages (May 2025)", total=240_000)
    data = oews.load(read, workdir=ctx.workdir)
    _check_top_code(read, data.footnotes)
    area_map: dict[str, str] = {}
    area_rows = []
    for a in data.areas:
        code, kind, state, states = area_code(a)
        area_map[a.code] = code
        area_rows.append(
            {
                "code": code,
                "type": kind,
                "name": a.name,
                "state": state,
                "states": states,
                "oews_code": a.code,
                "source_id": read.info.id,
            }
        )
    ctx.count("areas", bulk_insert(ctx.conn, schema.area, area_rows))
    ctx.state["oews_metros"] = {r["code"] for r in area_rows if r["type"] == "metro"}

    occ_rows = []
    for o in data.occupations:
        level = "total" if o.code == "000000" else LEVELS.get(o.display_level, "detailed")
        occ_rows.append({"soc": soc_dash(o.code), "title": o.name, "level": level, "source_id": read.info.id})
    ctx.count("occupations", bulk_insert(ctx.conn, schema.occupation, occ_rows))

    def wage_rows() -> Iterator[dict[str, Any]]:
        for cell in data.cells:
            if cell.area not in area_map:
                raise SourceError(read.root, f"cell for unknown area {cell.area}", column="key")
            row: dict[str, Any] = {
                "soc": soc_dash(cell.occupation),
                "area_code": area_map[cell.area],
                "source_id": read.info.id,
            }
            for name, value, note in zip(schema.WAGE_FIELDS, cell.values, cell.footnotes, strict=True):
                row[name] = value
                row[f"fn_{name}"] = note
            ctx.reporter.advance()
            yield row

    ctx.count("wages", bulk_insert(ctx.conn, schema.wage, wage_rows()))


def _check_top_code(read: Any, footnotes: dict[int, str]) -> None:
    """The catalog shows top-coded wages as "at least" the bound of footnote 5; a release with another
    bound must not be labelled with the old one, so the build stops and names the footnote."""
    from gradpath.occupations import TOP_CODED_ANNUAL, TOP_CODED_HOURLY

    text = footnotes.get(5, "")
    if f"${TOP_CODED_ANNUAL:,}" not in text or f"${TOP_CODED_HOURLY:.2f}" not in text:
        raise SourceError(
            read.root,
            f"footnote 5 (top-coded wages) reads {text!r}; GradPath expects the May 2025 bound "
            f"${TOP_CODED_HOURLY:.2f}/hour, ${TOP_CODED_ANNUAL:,}/year — update occupations.TOP_CODED_*",
            column="footnote_text",
        )


def _load_outlook(ctx: BuildContext) -> None:
    read = ctx.reads[ep.INFO.id]
    ctx.reporter.stage("Employment Projections 2024–34")
    rows = [{**p.__dict__, "source_id": read.info.id} for p in ep.load(read)]
    ctx.count("outlook", bulk_insert(ctx.conn, schema.outlook, rows))


def _load_onet(ctx: BuildContext) -> None:
    read = ctx.reads[onet.INFO.id]
    ctx.reporter.stage("O*NET 29.3")
    data = onet.load(read)
    sid = read.info.id
    for table, rows, name in (
        (schema.onet_occupation, data.occupations, "onet_occupations"),
        (schema.onet_task, data.tasks, "onet_tasks"),
        (schema.onet_element, data.elements, "onet_elements"),
        (schema.onet_technology, data.technologies, "onet_technologies"),
        (schema.onet_education, data.education, "onet_education"),
        (schema.onet_title, data.titles, "onet_titles"),
    ):
        ctx.count(name, bulk_insert(ctx.conn, table, ({**r, "source_id": sid} for r in rows)))
