"""candidate decisions (pin/hide) and self-reported demographics

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "candidate_decisions",
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["need_id"], ["needs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("need_id", "jobseeker_id"),
    )
    op.create_index(
        "ix_candidate_decisions_jobseeker_id", "candidate_decisions", ["jobseeker_id"]
    )
    op.create_table(
        "self_reports",
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("sex", sa.String(length=20), nullable=True),
        sa.Column("age_band", sa.String(length=20), nullable=True),
        sa.Column("mother_tongue", sa.String(length=20), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("jobseeker_id"),
    )


def downgrade() -> None:
    op.drop_table("self_reports")
    op.drop_index("ix_candidate_decisions_jobseeker_id", table_name="candidate_decisions")
    op.drop_table("candidate_decisions")
