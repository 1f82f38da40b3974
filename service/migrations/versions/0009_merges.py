"""merges of duplicate jobseekers and needs, each keeping the merged record as it was

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 03:15:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "jobseeker_merges",
        sa.Column("merged_id", sa.String(length=40), nullable=False),
        sa.Column("kept_id", sa.String(length=40), nullable=False),
        sa.Column("merged_ref", sa.String(length=120), nullable=False),
        sa.Column("data", Document, nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kept_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("merged_id"),
    )
    op.create_index("ix_jobseeker_merges_kept_id", "jobseeker_merges", ["kept_id"])
    op.create_table(
        "need_merges",
        sa.Column("merged_id", sa.String(length=40), nullable=False),
        sa.Column("kept_id", sa.String(length=40), nullable=False),
        sa.Column("data", Document, nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kept_id"], ["needs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("merged_id"),
    )
    op.create_index("ix_need_merges_kept_id", "need_merges", ["kept_id"])


def downgrade() -> None:
    op.drop_index("ix_need_merges_kept_id", table_name="need_merges")
    op.drop_table("need_merges")
    op.drop_index("ix_jobseeker_merges_kept_id", table_name="jobseeker_merges")
    op.drop_table("jobseeker_merges")
