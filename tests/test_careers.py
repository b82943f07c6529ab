"""Career service: role wages are the employment-weighted blend of the OEWS cells (checked against the
vendored OEWS database itself, not the catalog), fallbacks are visible, unknowns are never numbers,
and the role document carries outlook, skills, certifications and program counts."""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from gradpath import schema
from gradpath.areas import Area, AreaError, resolve_area
from gradpath.careers import (
    BLEND_KEYS,
    RoleNotFound,
    SocComponent,
    blend,
    list_roles,
    role_outlook,
    role_wages,
    show_role,
)
from gradpath.config import Settings

REPO = Path(__file__).resolve().parents[1]
ROLES = yaml.safe_load((REPO / "data" / "curated" / "roles.yaml").read_text(encoding="utf-8"))["roles"]
ROLE_IDS = [r["id"] for r in ROLES]
# OEWS area codes (national, states by FIPS, metros = 00 + CBSA) and each metro's primary state.
OEWS_AREA = {"national": "N0000000", "MA": "S2500000", "TX": "S4800000", "OH": "S3900000"}
METRO_STATE = {"14460": "MA", "19100": "TX", "18140": "OH"}
# OEWS datatypes of the annual percentiles and mean (see the mirror's PROVENANCE.md).
ANNUAL = {"p10": "11", "p25": "12", "median": "13", "p75": "14", "p90": "15", "mean": "04"}


# The vendored OEWS database, read directly ----------------------------------------------------------
@pytest.fixture(scope="module")
def oews(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("oews") / "oews-2025.sqlite"
    with gzip.open(mirror / "bls-oews-2025" / "oews-2025.sqlite.gz") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    yield db
    db.close()


def _key(area: str, soc: str) -> str:
    oews_area = OEWS_AREA.get(area) or f"M00{area}"
    return f"OEU{oews_area}000000{soc.replace('-', '')}"


def cell(oews: sqlite3.Connection, area: str, soc: str) -> dict[str, Any] | None:
    """One cross-industry OEWS cell as numbers (None where BLS gives no value) plus footnotes."""
    row = oews.execute("SELECT * FROM cell WHERE key = ?", (_key(area, soc),)).fetchone()
    if row is None:
        return None

    def num(code: str) -> float | None:
        text = row[f"v{code}"]
        try:
            return float(text.replace(",", "")) if text not in (None, "") else None
        except ValueError:
            return None

    out: dict[str, Any] = {name: num(code) for name, code in ANNUAL.items()}
    out["employment"] = num("01")
    out["topcoded"] = {name for name, code in ANNUAL.items() if row[f"f{code}"] == "5"}
    return out


def _has_wages(c: dict[str, Any] | None) -> bool:
    return c is not None and (c["median"] is not None or c["mean"] is not None or "median" in c["topcoded"])


def expected_blend(oews: sqlite3.Connection, role: dict[str, Any], area: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The documented rule, computed from raw cells: (annual blend, area each SOC's wages came from)."""
    parts = []
    used = {}
    for share in role["socs"]:
        soc = share["soc"]
        own = cell(oews, area, soc)
        wages, used[soc] = own, area
        state = METRO_STATE.get(area)
        if not _has_wages(own) and state:
            wages, used[soc] = cell(oews, state, soc), state
        if own is not None and own["employment"] is not None:
            emp = own["employment"]
        elif state:
            state_cell = cell(oews, state, soc)
            area_jobs = cell(oews, area, "00-0000")["employment"]  # type: ignore[index]
            state_jobs = cell(oews, state, "00-0000")["employment"]  # type: ignore[index]
            emp = state_cell["employment"] * area_jobs / state_jobs if state_cell and state_cell["employment"] else None
        else:
            emp = None
        parts.append((share["weight"] * emp if emp else 0.0, wages))
    total = sum(w for w, _ in parts)
    out: dict[str, Any] = {}
    for key in BLEND_KEYS:
        pairs = [(w / total, c[key]) for w, c in parts if w and c is not None and c[key] is not None]
        topcoded = any(w and c is not None and key in c["topcoded"] for w, c in parts)
        weight = sum(w for w, _ in pairs)
        out[key] = None if topcoded or not pairs else sum(w * v for w, v in pairs) / weight
    return out, used


@pytest.mark.parametrize("area", ["national", "MA", "14460", "19100", "18140"])
@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_role_wages_equal_the_employment_weighted_blend_of_the_oews_cells(
    conn: Connection, oews: sqlite3.Connection, role_id: str, area: str
) -> None:
    role = next(r for r in ROLES if r["id"] == role_id)
    expected, used = expected_blend(oews, role, area)
    doc = role_wages(conn, role_id, area)
    for key in BLEND_KEYS:
        got = doc["wages"]["annual"][key]
        if expected[key] is None:
            assert got is None, key
        else:
            assert got == pytest.approx(expected[key], abs=1.0), key
    assert {s["soc"]: s["area"]["code"] for s in doc["socs"]} == used


def test_a_metro_without_published_wages_for_a_soc_falls_back_to_the_state_visibly(conn: Connection) -> None:
    # Dallas publishes 15-1221 employment but not its wages (footnote 8): wages come from Texas.
    doc = role_wages(conn, "healthcare-ai-specialist", "19100")
    research = next(s for s in doc["socs"] if s["soc"] == "15-1221")
    assert research["area"]["code"] == "TX"
    assert "Texas" in research["area"]["fallback"]
    assert research["employment_for_weight"] == 430  # the metro's own count still weights it
    assert any("15-1221" in note and "Texas" in note for note in doc["wages"]["notes"])
    others = [s for s in doc["socs"] if s["soc"] != "15-1221"]
    assert all(s["area"]["code"] == "19100" and s["area"]["fallback"] is None for s in others)


def test_a_weight_estimated_from_the_state_says_so(conn: Connection) -> None:
    # Columbus, OH publishes no 15-1221 cell at all.
    doc = role_wages(conn, "healthcare-ai-specialist", "18140")
    research = next(s for s in doc["socs"] if s["soc"] == "15-1221")
    assert research["weight_basis"].startswith("Estimated")
    assert any(note.startswith("15-1221: Estimated") for note in doc["wages"]["notes"])


def test_a_micropolitan_institution_falls_back_to_its_state_for_every_figure(conn: Connection) -> None:
    inst = conn.execute(
        select(schema.institution.c.unitid, schema.institution.c.state)
        .where(schema.institution.c.cbsa_type == "micro")
        .order_by(schema.institution.c.unitid)
    ).first()
    assert inst is not None
    doc = show_role(conn, "health-data-analyst", f"unitid:{inst.unitid}")
    assert doc["area"]["code"] == inst.state
    assert "micropolitan" in doc["area"]["fallback"]


def _component(soc: str, share: float, emp: float, annual: dict[str, Any]) -> SocComponent:
    area = Area(code="national", name="National", type="national", requested="national")
    scale = {k: annual.get(k) for k in BLEND_KEYS} | {k: v for k, v in annual.items() if k not in BLEND_KEYS}
    return SocComponent(soc, soc, share, "test", area, {"annual": scale, "hourly": dict(scale)}, int(emp), emp, "area")


def test_a_top_coded_component_makes_the_blend_a_lower_bound_not_a_number() -> None:
    values = {"p10": 50_000, "p25": 60_000, "median": 70_000, "p75": 80_000, "mean": 75_000}
    top = values | {"p90": None, "p90_at_least": 239_200, "p90_reason": "Top-coded"}
    plain = values | {"p90": 100_000}
    out = blend([_component("11-1111", 0.5, 100, top), _component("22-2222", 0.5, 100, plain)])
    assert out["annual"]["p90"] is None
    assert out["annual"]["p90_at_least"] == pytest.approx((239_200 + 100_000) / 2)
    assert "top-coded" in out["annual"]["p90_reason"]
    assert out["annual"]["median"] == 70_000


def test_a_value_not_released_for_one_soc_is_left_out_and_listed() -> None:
    a = {"p10": 1, "p25": 2, "median": 100_000, "p75": 4, "p90": 5, "mean": 6}
    b = a | {"median": None, "median_reason": "Estimate not released"}
    out = blend([_component("11-1111", 0.5, 300, a), _component("22-2222", 0.5, 100, b)])
    assert out["annual"]["median"] == 100_000
    assert out["annual"]["median_left_out"] == ["22-2222"]


def test_role_outlook_weights_growth_by_share_times_2024_employment(conn: Connection) -> None:
    shares = [("15-2051", 0.5), ("15-1221", 0.3), ("15-1211", 0.2)]
    rows = {r.soc: r for r in conn.execute(select(schema.outlook))}
    weights = {soc: share * rows[soc].employment_2024_k for soc, share in shares}
    growth = sum(weights[soc] * rows[soc].change_percent for soc, _ in shares) / sum(weights.values())
    openings = sum(share * rows[soc].openings_annual_k * 1000 for soc, share in shares)
    doc = show_role(conn, "healthcare-ai-specialist")
    assert doc["outlook"]["growth_percent"] == pytest.approx(growth, abs=0.05)
    assert doc["outlook"]["openings_annual"] == pytest.approx(openings, abs=1)
    assert doc["outlook"]["all_occupations_growth_percent"] == rows["00-0000"].change_percent


def test_role_outlook_leaves_out_an_occupation_without_a_projection() -> None:
    known = {
        "growth_percent": 10.0,
        "employment_2024": 1000,
        "openings_annual": 100,
        "entry_education": "Master's degree",
    }
    missing = {"growth_percent": None, "employment_2024": None, "openings_annual": None, "entry_education": None}
    base = {"all_occupations_growth_percent": 3.1}
    out = role_outlook([("a", 0.6), ("b", 0.4)], {"a": base | known, "b": base | missing})
    assert out["growth_percent"] == 10.0
    assert out["left_out"] == ["b"]
    assert out["openings_annual"] == 60


def test_show_role_has_the_contract_shape(conn: Connection) -> None:
    doc = show_role(conn, "clinical-informaticist", "Boston")
    assert doc["role"] == "clinical-informaticist"
    assert doc["area"]["code"] == "14460"
    for s in doc["socs"]:
        assert {"soc", "title", "weight", "wages", "outlook"} <= s.keys()
        assert s["wages"]["source"]["id"] == "bls-oews-2025"
    assert set(BLEND_KEYS) <= doc["wages"]["annual"].keys()
    assert doc["national_wages"]["annual"]["median"] is not None
    assert doc["outlook"]["source"]["id"] == "bls-ep-2024-34"
    assert {s["level"] for s in doc["skills"]} <= {"core", "useful"}
    assert len(doc["tasks"]) >= 3 and len(doc["technologies"]) >= 4


def test_programs_count_is_the_current_offerings_in_the_roles_cip_families(conn: Connection) -> None:
    for role in ROLES:
        families = [link["cip"] for link in role["cip_families"]]
        expected = conn.execute(
            select(func.count())
            .select_from(schema.offering)
            .where(schema.offering.c.current.is_(True), schema.offering.c.cip4.in_(families))
        ).scalar_one()
        doc = show_role(conn, role["id"])
        assert doc["programs_count"] == expected
        assert {f["url"] for f in doc["cip_families"]} == {f"/programs?cip={c}" for c in families}


def test_certifications_say_when_they_fit_and_label_unverified_fees(conn: Connection) -> None:
    doc = show_role(conn, "healthcare-ai-specialist")
    amia = next(c for c in doc["certifications"] if c["id"] == "amia_ahic_achip")
    assert amia["when"] == "after_experience"
    fees = [f for c in doc["certifications"] for f in c["fees"]]
    assert fees and all(f["verification"].startswith("Verified" if f["verified"] else "Unverified") for f in fees)
    assert all(f["amount_usd"] > 0 and f["source_url"] and f["as_of"] for f in fees)


def test_a_credential_without_a_real_issuer_is_listed_as_not_found_with_real_alternatives(conn: Connection) -> None:
    doc = list_roles(conn)
    ghost = next(c for c in doc["certifications"] if c["id"] == "certified_ai_ethics_professional")
    assert ghost["status"] == "not_found"
    assert ghost["issuer"] is None and ghost["fees"] == []
    real = {c["id"]: c for c in doc["certifications"]}
    assert ghost["alternatives"] and all(real[a["id"]]["status"] != "not_found" for a in ghost["alternatives"])


def test_list_roles_gives_every_role_with_median_growth_and_programs(conn: Connection) -> None:
    doc = list_roles(conn, "MA")
    assert doc["area"]["code"] == "MA"
    assert [r["id"] for r in doc["roles"]] == ROLE_IDS
    for r in doc["roles"]:
        assert r["median_annual"]["median"] is not None
        assert r["growth_percent"] is not None and r["programs_count"] > 0
    assert doc["all_occupations_growth_percent"] == 3.1


def test_an_unknown_role_and_an_ambiguous_area_are_errors(conn: Connection) -> None:
    with pytest.raises(RoleNotFound):
        show_role(conn, "astronaut")
    with pytest.raises(AreaError) as info:
        show_role(conn, "biostatistician", "Springfield")
    assert len(info.value.candidates) > 1
    assert resolve_area(conn, "national").code == "national"


# CLI ------------------------------------------------------------------------------------------------
def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI against the session catalog."""
    env = dict(os.environ, GRADPATH_HOME=str(settings.home), GRADPATH_CURATED_DIR=str(settings.curated_dir))
    if settings.database_url:
        env |= {"GRADPATH_DATABASE_URL": settings.database_url, "GRADPATH_PG_SCHEMA": settings.pg_schema}
    gradpath = Path(sys.executable).with_name("gradpath")
    return subprocess.run([str(gradpath), *args], env=env, capture_output=True, text=True, timeout=120)


def test_cli_careers_show_prints_one_json_document(catalog_settings: Settings, conn: Connection) -> None:
    import json

    done = cli(catalog_settings, "careers", "show", "healthcare-ai-specialist", "--area", "Boston", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc == json.loads(json.dumps(show_role(conn, "healthcare-ai-specialist", "Boston")))
    listing = cli(catalog_settings, "careers", "list", "--json")
    assert listing.returncode == 0 and json.loads(listing.stdout)["count"] == len(ROLE_IDS)


def test_cli_careers_errors_go_to_stderr_with_a_nonzero_exit(catalog_settings: Settings) -> None:
    unknown = cli(catalog_settings, "careers", "show", "astronaut", "--json")
    assert unknown.returncode != 0 and unknown.stdout == "" and "astronaut" in unknown.stderr
    ambiguous = cli(catalog_settings, "careers", "show", "biostatistician", "--area", "Springfield", "--json")
    assert ambiguous.returncode == 2 and "44140" in ambiguous.stderr
