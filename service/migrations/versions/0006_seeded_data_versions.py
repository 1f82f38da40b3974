"""the data versions exist from the start, so that concurrent first writes only update them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 14:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NAMES = ("jobseekers", "needs")


def upgrade() -> None:
    for name in NAMES:
        op.get_bind().execute(
            sa.text(
                "INSERT INTO data_versions (name, value) SELECT :new, 0 "
                "WHERE NOT EXISTS (SELECT 1 FROM data_versions WHERE name = :existing)"
            ),
            {"new": name, "existing": name},
        )


def downgrade() -> None:
    """The rows stay: a version counter that exists is harmless to the earlier schema."""
