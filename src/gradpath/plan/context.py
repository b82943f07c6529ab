"""The plan context: everything one plan reads once — the resolved profile, roles and catalog rows.

:mod:`gradpath.plan.service` reads the catalog into a :class:`PlanContext` in a few queries; the
evaluation of each offering (:mod:`gradpath.plan.evaluate`) is then pure and shares its arithmetic
through ``memo`` (offerings with the same inputs share one result within the plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gradpath.areas import Area
from gradpath.plan.assumptions import PlannerDefaults
from gradpath.plan.eligibility import OfferingFacts
from gradpath.plan.profile import COMPONENTS, Profile
from gradpath.plan.roi import WageBand
from gradpath.plan.timeline import parse_start_term
from gradpath.plan.tuition import StatedRate

PACES = ("fulltime", "parttime")


@dataclass(frozen=True)
class Role:
    """A target role: its skill profile, the fields (CIP4) leading to it and its wage band in the area."""

    id: str
    title: str
    skills: dict[str, str]
    cips: frozenset[str]
    band: WageBand
    area: dict[str, Any]


@dataclass
class PlanContext:
    """Everything one plan reads once: the resolved profile and the catalog rows it needs.

    ``programs`` maps an offering id to its linked verified programs, each the facts of that
    program's pages (most facts first); an offering without verified facts is absent.
    """

    profile: Profile
    today: date
    start_term: str
    start_note: str
    defaults: PlannerDefaults
    area: Area
    area_states: frozenset[str]
    salary: float | None
    salary_note: str
    occupation: dict[str, Any]
    roles: list[Role]
    weights: dict[str, float]
    programs: dict[str, tuple[OfferingFacts, ...]]
    rates: dict[int, list[StatedRate]]
    memo: dict[Any, Any] = field(default_factory=dict)
    pace: str = field(init=False)
    reference_wage: float | None = field(init=False)
    weight_tuple: tuple[float, ...] = field(init=False)
    own_tuition: dict[str, float] = field(init=False)
    start_season: str = field(init=False)

    def __post_init__(self) -> None:
        self.pace = "parttime" if self.profile.constraints.part_time else "fulltime"
        median = self.roles[0].band.median if self.roles else None
        self.reference_wage = median or self.salary  # outcomes compare with the target median, else the salary
        self.weight_tuple = tuple(self.weights[name] for name in COMPONENTS)
        self.own_tuition = dict(self.profile.money.own_tuition)
        self.start_season = parse_start_term(self.start_term).season

    def remember(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key within the plan (``key=None``: no memo)."""
        if key is None:
            return compute()
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


def plan_online(ctx: PlanContext, formats: frozenset[str] | None) -> bool | None:
    """Whether the plan is online: the program offers online and the person wants it (or it is online only)."""
    if formats is None:
        return None
    return "online" in formats and (ctx.profile.constraints.online_only or "campus" not in formats)


def is_local(ctx: PlanContext, row: Any) -> bool | None:
    """Whether the campus is in the person's metro (or state); ``None`` for a national area."""
    if ctx.area.type == "national":
        return None
    if ctx.area.type == "metro":
        return bool(row["cbsa"]) and row["cbsa"] == ctx.area.code
    return row["state"] in ctx.area_states
