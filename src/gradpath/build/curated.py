"""Build steps for the team's curated facts (``data/curated``): relevance tiers and the ledger entry."""

from __future__ import annotations

from gradpath.build.context import BuildContext
from gradpath.config import Settings
from gradpath.sources.base import SourceRead

CIP_RELEVANCE_FILE = "cip_relevance.yaml"


def load_relevance_tiers(settings: Settings) -> dict[str, tuple[str, str]]:
    """6-digit CIP → (tier, rationale) for healthcare AI, from ``cip_relevance.yaml``."""
    from gradpath.sources.curated_careers import load_cip_relevance

    relevance = load_cip_relevance(settings.curated_dir, families=settings.cip_families)
    return {code: (r.tier, r.rationale) for code, r in relevance.items()}


def curated_read(settings: Settings) -> SourceRead:
    """The curated folder as a source for the ledger."""
    from gradpath.sources.curated_careers import INFO

    return SourceRead(info=INFO, layout="curated", root=settings.curated_dir)


def load_curated(ctx: BuildContext) -> None:
    """Record the curated files this build read (each with its sha256) in the ledger."""
    read = curated_read(ctx.settings)
    path = ctx.settings.curated_dir / CIP_RELEVANCE_FILE
    read.record(path)
    ctx.reads[read.info.id] = read
