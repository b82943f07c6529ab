"""Pydantic models of the JSON API (they make the OpenAPI spec precise)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SourceFileOut(BaseModel):
    name: str
    sha256: str
    bytes: int
    rows: int | None


class SourceOut(BaseModel):
    id: str
    title: str
    publisher: str
    vintage: str
    license: str
    attribution: str | None
    url: str
    layout: str = Field(description="mirror, official or curated: which layout the build read")
    sha256: str = Field(description="The file's sha256, or for several files the sha256 of their sorted digest lines")
    files: list[SourceFileOut]


class CountsOut(BaseModel):
    offerings: int = Field(description="Current master's offerings (institution × 6-digit CIP) in C2024_A")
    institutions: int
    offerings_with_earnings: int
    offerings_past: int = Field(description="Offerings not reported since an earlier year (hidden by default)")
    occupations: int
    areas: int
    sources: int


class HomeOut(BaseModel):
    name: str
    pitch: str
    built_at: str | None
    cip_families: list[str]
    counts: CountsOut
    sources: list[SourceOut]


# --- Careers (routes/careers.py) -----------------------------------------------------------------
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


# --- Programs: search, profile, compare (routes/programs.py, routes/compare.py) -------------------------


class ProgramMetroOut(BaseModel):
    code: str
    name: str
    type: str = Field(description="metro or micro (IPEDS CBSA type)")


class VerifiedProgramRefOut(BaseModel):
    slug: str
    name: str
    url: str
    reviewed: str = Field(description="Date the team reviewed the page (as-of date)")


class VerifiedFactsOut(BaseModel):
    programs: list[VerifiedProgramRefOut]
    formats: list[str]
    gre: list[str]
    topics: list[str]


class OfferingOut(BaseModel):
    """One master's offering (institution × 6-digit CIP). Unknown figures are null with a *_reason beside them."""

    id: str
    unitid: int
    institution: str
    city: str
    state: str
    cip: str
    field: str
    cip4: str
    family: str
    tier: str
    current: bool
    last_reported_year: int
    awards_latest: int | None
    control: str | None
    metro: ProgramMetroOut | None
    fos_status: str = Field(description="published | partial | suppressed | no_record (College Scorecard)")
    fos_completers: int | None
    earnings_1yr: float | None
    earnings_1yr_reason: str | None = None
    earnings_4yr: float | None
    earnings_4yr_reason: str | None = None
    debt_median: float | None
    debt_median_reason: str | None = None
    debt_to_earnings: float | None = Field(description="Median debt ÷ median earnings 1 year after: a plain ratio")
    debt_to_earnings_reason: str | None = None
    outcomes_level: str
    accreditor: str | None
    accreditor_reason: str | None = None
    accreditor_vintage: str | None
    distance_exclusive_share: float | None = Field(description="Institution-level share (0–1), not the program's")
    distance_year: int | None
    verified: VerifiedFactsOut
    relevance: float | None = None


class FacetValueOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool
    min: float | None = None
    max: float | None = None
    href: str | None = None


class FacetOut(BaseModel):
    name: str = Field(description="The URL parameter it filters (range facets: <name>_min / <name>_max)")
    label: str
    kind: str = Field(description="any (one of the values), all (every value) or range")
    note: str | None
    values: list[FacetValueOut]
    unknown_count: int | None = None
    unknown_label: str | None = None
    min: float | None = None
    max: float | None = None


class SourceRefOut(BaseModel):
    id: str
    title: str
    publisher: str
    vintage: str
    license: str
    attribution: str | None
    url: str


class ProgramsLinksOut(BaseModel):
    self: str
    json_: str = Field(alias="json")
    csv: str
    prev: str | None
    next: str | None
    reset: str


class ProgramsOut(BaseModel):
    count: int = Field(description="Offerings matching (all pages)")
    page: int
    per_page: int
    pages: int
    sort: str
    q: str
    filtered: bool
    params: list[list[str]] = Field(description="The query as [name, value] pairs")
    results: list[OfferingOut]
    facets: list[FacetOut]
    notes: list[str]
    sources: list[SourceRefOut]
    links: ProgramsLinksOut


class ProfileInstitutionOut(BaseModel):
    unitid: int
    name: str
    alias: str
    city: str
    state: str
    zip: str
    county: str
    website: str
    control_label: str | None
    cbsa: str | None
    cbsa_type: str | None
    accreditor: str | None
    accreditor_vintage: str | None
    accreditor_source_id: str | None
    accreditor_note: str | None
    distance_exclusive_share: float | None
    distance_some_share: float | None
    distance_enrollment: int | None
    distance_year: int | None
    distance_scope: str | None
    active: bool


class ProfileCipOut(BaseModel):
    code: str
    title: str
    definition: str | None
    family: str
    family_title: str | None
    tier: str
    tier_rationale: str


class AwardYearOut(BaseModel):
    year: int = Field(description="Award year ending (2024 = 2023-24)")
    awards: int


class SiblingOut(BaseModel):
    id: str
    cip: str
    field: str
    current: bool


class ProgramFactOut(BaseModel):
    field: str
    label: str
    value: Any
    display: str
    source_url: str
    as_of: str
    origin: str = Field(description="curated (the team's review) or review (accepted from this instance's queue)")
    evidence: str | None = Field(None, description="The page quote, for facts this instance extracted and accepted")


class VerifiedProgramOut(BaseModel):
    slug: str
    name: str
    degree: str | None
    url: str
    reviewed: str
    catalog_year: str | None
    note: str | None
    link_method: str
    facts: list[ProgramFactOut]


class TuitionRateOut(BaseModel):
    scope: str
    residency: str
    amount_usd: float
    per: str
    academic_year: str | None
    note: str | None
    source_url: str


class ProfileOutcomesOut(BaseModel):
    level: str
    status: str
    completers: int | None
    source: dict[str, str]
    debt_to_earnings_method: str


class UnknownOut(BaseModel):
    what: str
    why: str


class ProgramAreaOut(BaseModel):
    code: str
    name: str
    type: str
    requested: str
    fallback: str | None


class RelatedOccupationOut(BaseModel):
    soc: str
    title: str
    area: ProgramAreaOut
    annual: dict[str, float | str | None] = Field(description="p25, median, p75 with *_reason / *_at_least")
    employment: int | None
    employment_reason: str | None
    growth_percent: float | None
    openings_annual: int | None


class RelatedRoleOut(BaseModel):
    id: str
    title: str
    via: str
    note: str


class RelatedCareersOut(BaseModel):
    area: ProgramAreaOut
    occupations: list[RelatedOccupationOut]
    roles: list[RelatedRoleOut]
    wages_source: dict[str, str]
    outlook_source: dict[str, str]
    crosswalk_source: dict[str, str]


class ProfileOut(BaseModel):
    offering: OfferingOut
    institution: ProfileInstitutionOut
    cip: ProfileCipOut
    awards: list[AwardYearOut]
    siblings: list[SiblingOut]
    programs: list[VerifiedProgramOut]
    tuition: list[TuitionRateOut]
    outcomes: ProfileOutcomesOut
    unknowns: list[UnknownOut]
    careers: RelatedCareersOut
    sources: list[SourceRefOut]
    links: dict[str, str]


class CompareCellOut(BaseModel):
    text: str | None = Field(description="The value in words; null when unknown")
    value: Any = None
    reason: str | None = Field(description="Why the value is unknown")
    url: str | None = Field(description="The page a verified fact comes from")


class CompareRowOut(BaseModel):
    section: str
    key: str
    label: str
    source: str = Field(description="Source id (see /sources)")
    cells: list[CompareCellOut] = Field(description="One per compared offering, in the order of `ids`")


class ChartPointOut(BaseModel):
    id: str
    label: str
    earnings_1yr: float | None
    debt_median: float | None


class CompareChartOut(BaseModel):
    x: str
    y: str
    level: str
    points: list[ChartPointOut]
    not_plotted: list[ChartPointOut]


class CompareLinksOut(BaseModel):
    self: str
    json_: str = Field(alias="json")
    csv: str
    without: dict[str, str] = Field(description="For each id, the comparison without it")


class CompareOut(BaseModel):
    ids: list[str]
    offerings: list[OfferingOut]
    rows: list[CompareRowOut]
    chart: CompareChartOut
    sources: list[SourceRefOut]
    links: CompareLinksOut
    max: int


# --- Market view (routes/stats.py) ---------------------------------------------------------------
class MarketRowOut(BaseModel):
    value: str
    programs: int
    share: float | None = Field(description="programs / n; null when n is 0")


class MarketTopicRowOut(BaseModel):
    id: str
    title: str
    programs: int
    share: float | None = Field(description="programs / n; null when n is 0")


class MarketBlockOut(BaseModel):
    n: int = Field(description="Programs whose verified facts state this field")
    n_unknown: int = Field(description="Programs with verified facts whose page is silent on this field")
    what: str
    note: str
    rows: list[MarketRowOut]


class MarketOfferedOut(MarketBlockOut):
    several_formats: int = Field(description="Programs offering more than one format")


class MarketTopicsOut(BaseModel):
    n: int = Field(description="Programs whose curriculum topics are known")
    n_unknown: int
    what: str
    note: str
    rows: list[MarketTopicRowOut]


class MarketUnitOut(BaseModel):
    unit: str
    programs: int


class MarketCreditsGroupOut(BaseModel):
    group: str = Field(description="quarter, semester (or term system not stated), other or unstated")
    label: str
    units_stated: list[MarketUnitOut]
    n: int
    min: float | None
    p25: float | None
    median: float | None
    p75: float | None
    max: float | None


class MarketCreditsOut(BaseModel):
    n: int
    n_unknown: int
    what: str
    note: str
    groups: list[MarketCreditsGroupOut]


class MarketSourcesOut(BaseModel):
    facts_by_origin: dict[str, int]
    as_of_first: str | None
    as_of_last: str | None
    source_ids: list[str]


class MarketStatsOut(BaseModel):
    programs: int = Field(description="Programs with at least one verified fact")
    programs_in_catalog: int
    note: str = Field(description="Verified programs are not a random sample of programs")
    sources: MarketSourcesOut
    topics: MarketTopicsOut
    format: MarketBlockOut
    formats_offered: MarketOfferedOut
    gre: MarketBlockOut
    credits: MarketCreditsOut


# --- Review queue (routes/admin.py) --------------------------------------------------------------
class ReviewFactOut(BaseModel):
    """A proposed fact; `evidence` is the page quote (kept in this instance's database only)."""

    model_config = ConfigDict(extra="allow")
    id: int
    url: str
    program: str | None
    field: str
    value: Any
    evidence: str
    confidence: float
    status: str = Field(description="proposed, accepted, rejected or superseded")
    as_of: str
    reviewer_note: str | None
    reviewed_at: str | None
    created_at: str


class ReviewListOut(BaseModel):
    status: str
    url: str | None
    count: int
    counts: dict[str, int]
    limit: int
    offset: int
    facts: list[ReviewFactOut]


class ReviewDecisionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    fact: ReviewFactOut
    catalog: dict[str, Any] = Field(description="{written, reason}: whether the catalog's program fact changed")


# --- Planner (routes/plan.py) --------------------------------------------------------------------
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
