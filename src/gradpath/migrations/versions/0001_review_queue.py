"""Review queue: extractions, proposed facts and reviewed programs.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables of the review queue in the local schema."""
    schema = context.config.attributes["local_schema"]
    op.create_table(
        "extraction",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text),
        sa.Column("source_kind", sa.String(8), nullable=False),
        sa.Column("fetched_at", sa.String(32)),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("extractor_version", sa.String(40), nullable=False),
        sa.Column("fields_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        schema=schema,
    )
    op.create_index("ix_extraction_url", "extraction", ["url"], schema=schema)
    op.create_table(
        "proposed_fact",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("extraction_id", sa.Integer, sa.ForeignKey(f"{schema}.extraction.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("slug", sa.String(96)),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reviewer_note", sa.Text),
        sa.Column("reviewed_at", sa.String(32)),
        sa.Column("created_at", sa.String(32), nullable=False),
        schema=schema,
    )
    op.create_index("ix_proposed_fact_extraction_id", "proposed_fact", ["extraction_id"], schema=schema)
    op.create_index("ix_proposed_fact_status", "proposed_fact", ["status"], schema=schema)
    op.create_index("ix_proposed_fact_url_field", "proposed_fact", ["url", "field"], schema=schema)
    op.create_table(
        "reviewed_program",
        sa.Column("slug", sa.String(96), primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("institution", sa.Text, nullable=False),
        sa.Column("program_name", sa.Text, nullable=False),
        sa.Column("degree", sa.Text),
        sa.Column("cip4", sa.String(5), nullable=False),
        sa.Column("unitid", sa.Integer),
        sa.Column("offering_ids", sa.Text, nullable=False),
        sa.Column("link_method", sa.String(12), nullable=False),
        sa.Column("link_reason", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        schema=schema,
    )


def downgrade() -> None:
    """Drop the review queue (its decisions are lost)."""
    schema = context.config.attributes["local_schema"]
    op.drop_table("reviewed_program", schema=schema)
    op.drop_table("proposed_fact", schema=schema)
    op.drop_table("extraction", schema=schema)
