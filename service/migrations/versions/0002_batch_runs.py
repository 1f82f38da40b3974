"""batch runs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:33:04.363621
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )

    op.create_table(
        "batch_lock",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "batch_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("weights_version", sa.String(length=100), nullable=False),
        sa.Column(
            "summary",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batch_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_runs_status"), ["status"], unique=False)

    op.create_table(
        "batch_candidates",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("features", sa.LargeBinary(), nullable=False),
        sa.Column("new", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["batch_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "need_id", "jobseeker_id"),
    )
    with op.batch_alter_table("batch_candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_batch_candidates_jobseeker_id"), ["jobseeker_id"], unique=False
        )

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


def downgrade() -> None:
    op.drop_table("data_versions")

    op.drop_table("batch_jobseeker_needs")
    with op.batch_alter_table("batch_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_candidates_jobseeker_id"))

    op.drop_table("batch_candidates")
    with op.batch_alter_table("batch_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_runs_status"))

    op.drop_table("batch_runs")
    op.drop_table("batch_lock")
