"""JSON models: Review queue (routes/admin.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
