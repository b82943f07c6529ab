"""JSON models: Careers (routes/careers.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CareerAreaOut(BaseModel):
    code: str
    name: str
    type: str = Field(description="national, state, metro or nonmetro")
    requested: str = Field(description="What the user asked for")
    fallback: str | None = Field(description="Why the area differs from the one asked for, when it does")


class CareerWageScaleOut(BaseModel):
    """Wages on one scale. A null value has `<key>_reason` beside it; a top-coded one `<key>_at_least`;
    a blend lists the SOCs a value had to leave out in `<key>_left_out`."""

    model_config = ConfigDict(extra="allow")
    p10: float | None = None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    p90: float | None = None
    mean: float | None = None


class CareerSocWagesOut(BaseModel):
    """One OEWS cell (May 2025); null values carry `<key>_reason`."""

    model_config = ConfigDict(extra="allow")
    annual: CareerWageScaleOut
    hourly: CareerWageScaleOut
    employment: int | None
    location_quotient: float | None
    jobs_per_1000: float | None
    source: dict[str, str]


class CareerSocOutlookOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    period: str
    growth_percent: float | None
    openings_annual: int | None
    entry_education: str | None
    all_occupations_growth_percent: float | None
    source: dict[str, str]


class CareerSocOut(BaseModel):
    soc: str
    title: str
    weight: float = Field(description="The team's share of the role's jobs counted under this SOC (judgement)")
    rationale: str
    blend_weight: float | None = Field(description="Share × employment, normalised: the SOC's weight in the blend")
    employment_for_weight: int | None
    weight_basis: str | None = Field(description="Where the weighting employment comes from (estimated when so)")
    area: CareerAreaOut = Field(description="The area whose OEWS cell is used (the state, on fallback)")
    wages: CareerSocWagesOut
    outlook: CareerSocOutlookOut


class CareerRoleWagesOut(BaseModel):
    annual: CareerWageScaleOut
    hourly: CareerWageScaleOut
    weights: dict[str, float]
    method: str
    source: dict[str, str]
    notes: list[str] = Field(description="Fallbacks to the state and estimated weights, visibly")


class CareerNationalWagesOut(BaseModel):
    annual: CareerWageScaleOut
    weights: dict[str, float]
    source: dict[str, str]


class CareerEducationOut(BaseModel):
    education: str
    share: float
    socs: list[str]


class CareerOutlookOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    period: str
    growth_percent: float | None
    openings_annual: int | None
    all_occupations_growth_percent: float | None
    growth_method: str
    openings_method: str
    entry_education: list[CareerEducationOut]
    source: dict[str, str]


class CareerSkillOut(BaseModel):
    topic: str
    title: str
    level: str = Field(description="core or useful")


class CareerTaskOut(BaseModel):
    task_id: int
    onet_soc: str
    task: str
    source_id: str


class CertificationFeeOut(BaseModel):
    amount_usd: float
    what: str
    who: str
    as_stated_by: str = Field(description="issuer, issuer_copy or third_party")
    verified: bool
    verification: str
    source_url: str
    as_of: str
    page_date: str | None
    note: str | None


class CertificationRefOut(BaseModel):
    id: str
    name: str


class CertificationOut(BaseModel):
    id: str
    name: str
    short_name: str | None
    status: str = Field(description="found, retirement_reported or not_found (no real issuer)")
    issuer: str | None
    issuer_url: str | None
    eligibility: str
    fees: list[CertificationFeeOut]
    fee_note: str | None
    exam_format: str
    renewal: str
    sources: list[str]
    as_of: str
    notes: str | None
    alternatives: list[CertificationRefOut]
    source_id: str
    when: str | None = Field(default=None, description="On a role: when in a career it fits")
    when_label: str | None = None
    when_note: str | None = None


class CareerCipFamilyOut(BaseModel):
    cip: str
    title: str
    via: str
    note: str
    offerings: int = Field(description="Current master's offerings in this CIP family")
    url: str


class CareerRoleOut(BaseModel):
    role: str
    title: str
    description: str
    area: CareerAreaOut
    socs: list[CareerSocOut]
    wages: CareerRoleWagesOut
    national_wages: CareerNationalWagesOut
    outlook: CareerOutlookOut
    skills: list[CareerSkillOut]
    tasks: list[CareerTaskOut]
    technologies: list[str]
    certifications: list[CertificationOut]
    programs_count: int
    cip_families: list[CareerCipFamilyOut]
    weights_note: str
    sources: list[str]


class CareerSocBriefOut(BaseModel):
    soc: str
    title: str
    weight: float


class CareerSummaryOut(BaseModel):
    id: str
    title: str
    description: str
    socs: list[CareerSocBriefOut]
    median_annual: CareerWageScaleOut
    growth_percent: float | None
    programs_count: int
    url: str


class CareersOut(BaseModel):
    area: CareerAreaOut
    count: int
    roles: list[CareerSummaryOut]
    all_occupations_growth_percent: float | None
    wage_source: dict[str, str]
    outlook_source: dict[str, str]
    certifications: list[CertificationOut]
