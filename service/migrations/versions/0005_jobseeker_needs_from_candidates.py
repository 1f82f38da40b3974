"""a jobseeker's best needs in a run are read from the run's candidates, not stored twice

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("batch_jobseeker_needs")


def downgrade() -> None:
    op.create_table(
        "batch_jobseeker_needs",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["batch_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "jobseeker_id", "need_id"),
    )
