"""what stage 1 handed to stage 2 for each need of a batch run, so that a run's list can be
brought up to date with the people changed since instead of being thrown away

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_cuts",
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("batch_runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("need_id", sa.String(40), primary_key=True),
        sa.Column("floor_score", sa.Float(), nullable=True),
        sa.Column("floor_id", sa.String(40), nullable=True),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("completed_score", sa.Float(), nullable=True),
        sa.Column("completed_id", sa.String(40), nullable=True),
    )
    # Erasure finds the cuts that name a person by these.
    op.create_index("ix_batch_cuts_floor_id", "batch_cuts", ["floor_id"])
    op.create_index("ix_batch_cuts_completed_id", "batch_cuts", ["completed_id"])


def downgrade() -> None:
    op.drop_table("batch_cuts")
