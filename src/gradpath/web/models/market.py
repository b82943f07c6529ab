"""JSON models: Market view (routes/stats.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
