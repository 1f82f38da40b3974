"""organisations and counsellor tokens; a person's steps on the service path, and handovers
between organisations

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("organisation_id", sa.String(length=40), nullable=True))
        batch.create_foreign_key(
            "fk_tokens_organisation_id", "organisations", ["organisation_id"], ["id"]
        )
    op.create_table(
        "path_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.String(length=40), nullable=True),
        sa.Column("company_id", sa.String(length=40), nullable=True),
        sa.Column("counsellor", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_path_steps_jobseeker_id", "path_steps", ["jobseeker_id"])
    op.create_index("ix_path_steps_organisation_id", "path_steps", ["organisation_id"])
    # At most one current and one planned step per person, whatever the writer.
    for status in ("current", "planned"):
        op.create_index(
            f"uq_path_steps_one_{status}",
            "path_steps",
            ["jobseeker_id"],
            unique=True,
            sqlite_where=sa.text(f"status = '{status}'"),
            postgresql_where=sa.text(f"status = '{status}'"),
        )
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("jobseeker_id", sa.String(length=40), nullable=False),
        sa.Column("from_step_id", sa.Integer(), nullable=False),
        sa.Column("to_step_id", sa.Integer(), nullable=False),
        sa.Column("from_organisation_id", sa.String(length=40), nullable=True),
        sa.Column("to_organisation_id", sa.String(length=40), nullable=False),
        sa.Column("handed_over_on", sa.Date(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["jobseeker_id"], ["jobseekers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_step_id"], ["path_steps.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_step_id"], ["path_steps.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handovers_jobseeker_id", "handovers", ["jobseeker_id"])
    op.create_index("ix_handovers_to_organisation_id", "handovers", ["to_organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_handovers_to_organisation_id", table_name="handovers")
    op.drop_index("ix_handovers_jobseeker_id", table_name="handovers")
    op.drop_table("handovers")
    for status in ("current", "planned"):
        op.drop_index(f"uq_path_steps_one_{status}", table_name="path_steps")
    op.drop_index("ix_path_steps_organisation_id", table_name="path_steps")
    op.drop_index("ix_path_steps_jobseeker_id", table_name="path_steps")
    op.drop_table("path_steps")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_constraint("fk_tokens_organisation_id", type_="foreignkey")
        batch.drop_column("organisation_id")
    op.drop_table("organisations")
