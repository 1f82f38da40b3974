"""each jobseeker row carries the data version that last wrote it, so that a worker can
update its prepared engine with the rows written since its own version

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobseekers") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
        batch.create_index("ix_jobseekers_version", ["version"])
    op.get_bind().execute(
        sa.text(
            "INSERT INTO data_versions (name, value) SELECT 'jobseeker_removals', 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM data_versions WHERE name = 'jobseeker_removals')"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("jobseekers") as batch:
        batch.drop_index("ix_jobseekers_version")
        batch.drop_column("version")
    op.get_bind().execute(sa.text("DELETE FROM data_versions WHERE name = 'jobseeker_removals'"))
