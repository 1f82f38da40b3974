"""stored explanations of each run's first page

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 07:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch_candidates") as table:
        table.add_column(sa.Column("explanation", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("batch_candidates") as table:
        table.drop_column("explanation")
