"""JSON models of the home and sources pages (routes/home.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
