"""sentence embeddings of jobseekers and needs, computed once per text and kept

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table, owner in (("person_vectors", "jobseeker_id"), ("need_vectors", "need_id")):
        op.create_table(
            table,
            sa.Column(owner, sa.String(40), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False),
            sa.Column("vector", sa.LargeBinary(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("need_vectors")
    op.drop_table("person_vectors")
