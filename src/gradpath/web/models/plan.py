"""JSON models: Planner (routes/plan.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PlanComponentOut(BaseModel):
    points: float = Field(description="weight × value, to two decimals; the score is the sum of these")
    weight: float
    value: float | None = Field(description="0–1; null when unknown (no points)")
    note: str


class PlanSourceRefOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    url: str
    as_of: str
    kind: str = Field(description="verified_fact")
    program: str | None = None


class PlanBridgeOut(BaseModel):
    name: str
    courses: list[str]
    terms: int
    cost: float | None
    cost_basis: str
    required: bool


class PlanRequirementOut(BaseModel):
    requirement: str
    kind: str
    status: str = Field(description="met, not_met, bridgeable or unknown (never counted as met)")
    hard: bool = Field(description="A hard requirement not met excludes the program")
    reason: str
    evidence: str | None = Field(description="A page quote, only for facts accepted from the local review queue")
    source: PlanSourceRefOut | None
    bridge: PlanBridgeOut | None


class PlanTimelineOut(BaseModel):
    months: float | None
    months_range: list[float] | None
    program_months: float | None
    bridge_months: float
    terms: int | None
    start: str | None
    program_start: str | None
    graduation: str | None
    weekly_hours: float
    basis: str
    assumption: str


class PlanCostLineOut(BaseModel):
    name: str
    amount: float | None
    note: str


class PlanCostOut(BaseModel):
    pace: str
    total: float | None = Field(description="Net out-of-pocket cost; null when unknown (never 0 for unknown)")
    total_economic: float | None
    breakdown: list[PlanCostLineOut]
    sources: list[dict[str, Any]]
    unknowns: list[str]


class PlanRoiOut(BaseModel):
    pace: str
    role: str | None
    target: dict[str, Any] | None
    npv: float | None
    payback_years: int | None
    band: dict[str, float | None] = Field(description="{low, high}: NPV at the target's p25 and p75 wages")
    unknown: list[str]
    caveats: list[str]


class PlanProgramOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    rank: int | None
    score: float
    components: dict[str, PlanComponentOut]
    institution: str
    unitid: int
    city: str
    state: str
    cip: str
    field: str
    tier: str
    current: bool
    verified_pages: list[dict[str, Any]]
    program: PlanProgramRefOut | None = Field(description="The verified program the figures come from; null if none")
    linked_programs: list[PlanLinkedProgramOut] = Field(description="Every verified program linked to the offering")
    format: dict[str, Any]
    flags: list[str]
    eligibility: list[PlanRequirementOut]
    application_checklist: list[dict[str, Any]]
    bridge: dict[str, Any]
    timeline: dict[str, PlanTimelineOut | str]
    cost: PlanCostOut
    roi: PlanRoiOut
    outcomes: dict[str, Any]
    accreditation: dict[str, Any]
    context: dict[str, Any]
    excluded_because: list[str]


class PlanCountsOut(BaseModel):
    candidates: int = Field(description="Current offerings considered")
    verified: int = Field(description="Candidates with verified program facts")
    excluded: int
    ranked: int
    shown: int


class PlanExcludedOut(BaseModel):
    id: str
    institution: str
    field: str
    reasons: list[str]


class PlanOut(BaseModel):
    profile_echo: dict[str, Any]
    query: str = Field(description="The profile as the form's query string")
    resolved: dict[str, Any]
    weights: dict[str, float]
    counts: PlanCountsOut
    programs: list[PlanProgramOut]
    excluded: list[PlanExcludedOut]
    assumptions: dict[str, Any]
    sources: list[dict[str, Any]]


class PlanPageOut(BaseModel):
    form: dict[str, Any]
    submitted: bool = Field(description="Whether any profile field was given (the plan is computed only then)")
    plan: PlanOut | None


class PlanSensitivityOut(BaseModel):
    assumption: str
    low_label: str
    high_label: str
    npv_low: float | None
    npv_high: float | None
    delta_low: float | None
    delta_high: float | None
    swing: float


class PlanProgramDetailOut(PlanProgramOut):
    profile_echo: dict[str, Any]
    query: str
    resolved: dict[str, Any]
    weights: dict[str, float]
    scenarios: dict[str, dict[str, Any]] = Field(description="fulltime and parttime side by side")
    formats_compared: dict[str, dict[str, Any]] | None = Field(description="online vs campus, when both are offered")
    flows: list[dict[str, Any]] = Field(description="Yearly cash flows of the chosen pace (study minus stay path)")
    sensitivity: list[PlanSensitivityOut]
    break_even: dict[str, Any] | None
    assumptions: dict[str, Any]
    sources: list[dict[str, Any]]


class PlanProgramRefOut(BaseModel):
    name: str
    pages: list[dict[str, Any]] = Field(description="{slug, program, url, as_of} of each of its reviewed pages")
    linked: int = Field(description="How many verified programs share this offering")
    note: str


class PlanLinkedProgramOut(BaseModel):
    name: str
    pages: list[dict[str, Any]]
    used: bool = Field(description="Whether the offering's figures are this program's (its best fit)")
    score: float = Field(description="This program's own score (sum of its component points)")
    excluded: bool
    excluded_because: list[str]
    eligibility: dict[str, int] = Field(description="Its requirements counted by status (met, not_met, …)")
    months: float | None = Field(description="Duration at the person's pace; null when unknown")
    net_cost: float | None = Field(description="Net out-of-pocket cost; null when unknown")
