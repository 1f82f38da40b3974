"""cohorts of recruitment trainings and apprenticeship groups, and each batch run's
allocated proposals

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 03:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")
HOLDS_A_PLACE = "role IN ('seat', 'reserve')"


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("constraints", Document, nullable=False),
        sa.Column("total_score", sa.Float(), nullable=False),
        sa.Column("solved_by", sa.Integer(), nullable=True),
        sa.Column("solved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["need_id"], ["needs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("need_id"),
    )
    op.create_table(
        "cohort_members",
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("relocating", sa.Boolean(), nullable=False),
        sa.Column("reasons", Document, nullable=False),
        sa.ForeignKeyConstraint(["need_id"], ["cohorts.need_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("need_id", "jobseeker_id"),
    )
    # A person holds a seat or a reserve place in at most one cohort at a time.
    op.create_index(
        "ux_cohort_members_one_place",
        "cohort_members",
        ["jobseeker_id"],
        unique=True,
        sqlite_where=sa.text(HOLDS_A_PLACE),
        postgresql_where=sa.text(HOLDS_A_PLACE),
    )
    op.create_table(
        "proposals",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["batch_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "need_id", "jobseeker_id"),
    )
    op.create_index("ix_proposals_jobseeker_id", "proposals", ["jobseeker_id"])


def downgrade() -> None:
    op.drop_index("ix_proposals_jobseeker_id", table_name="proposals")
    op.drop_table("proposals")
    op.drop_index("ux_cohort_members_one_place", table_name="cohort_members")
    op.drop_table("cohort_members")
    op.drop_table("cohorts")
