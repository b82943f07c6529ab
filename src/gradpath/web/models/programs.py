"""JSON models: Programs: search, profile, compare (routes/programs.py, routes/compare.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


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
