"""shortlists, company feedback, consents, contacts, a person's status and confirmations

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 03:10:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def _person(**kwargs) -> sa.Column:
    return sa.Column(
        "jobseeker_id",
        sa.String(length=40),
        sa.ForeignKey("jobseekers.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        **kwargs,
    )


def upgrade() -> None:
    op.create_table(
        "shortlists",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column(
            "need_id",
            sa.String(length=40),
            sa.ForeignKey("needs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("company_id", sa.String(length=40), nullable=False, index=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_by_label", sa.String(length=200), nullable=True),
        sa.Column("signed_at", WHEN, nullable=True),
        sa.Column("sent_at", WHEN, nullable=True, index=True),
    )
    op.create_table(
        "shortlist_entries",
        sa.Column(
            "shortlist_id",
            sa.String(length=40),
            sa.ForeignKey("shortlists.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        _person(),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("excluded", sa.Boolean(), nullable=True),
        sa.Column("explanation", DOCUMENT, nullable=True),
    )
    op.create_table(
        "share_consents",
        _person(primary_key=True),
        sa.Column(
            "company_id",
            sa.String(length=40),
            sa.ForeignKey("companies.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("given_at", WHEN, nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "shortlist_id",
            sa.String(length=40),
            sa.ForeignKey("shortlists.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        _person(),
        sa.Column("need_id", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("reviewed_at", WHEN, nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("given_by", sa.Integer(), nullable=True),
        sa.Column("given_at", WHEN, nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _person(),
        sa.Column("need_id", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("at", WHEN, nullable=False, index=True),
    )
    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _person(),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("need_id", sa.String(length=40), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_table(
        "profile_confirmations",
        _person(primary_key=True),
        sa.Column("confirmed_at", WHEN, nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
    )


def downgrade() -> None:
    for table in (
        "profile_confirmations",
        "status_changes",
        "contacts",
        "feedback",
        "share_consents",
        "shortlist_entries",
        "shortlists",
    ):
        op.drop_table(table)
