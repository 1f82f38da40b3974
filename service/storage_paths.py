"""Persistence of service paths: organisations, a person's steps, and handovers between
organisations (built on :mod:`service.storage`; every method is one transaction).

A person has at most one current and one planned (next) step, which unique indexes hold to
whatever writes. Ending the current step starts the planned one; when that step is with
another organisation, the move is a handover that the receiving organisation acknowledges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.storage import (
    MAX_ROW_ID,
    Base,
    CompanyRow,
    Conflict,
    JobseekerRow,
    NotFound,
    Page,
    Principal,
    Store,
    UTCDateTime,
    _fields,
    new_id,
    utcnow,
)

ORGANISATION_KINDS = (
    "employment_office",
    "municipal_services",
    "education_provider",
    "rehabilitation",
    "other",
)
STEP_SERVICES = (
    "coaching",
    "recruitment_training",
    "apprenticeship",
    "rehabilitative_work",
    "education",
    "job",
    "other",
)
STEP_STATUSES = ("planned", "current", "ended", "cancelled")
# The step an outcome of a need opens.
OUTCOME_STEPS = {
    "hired": "job",
    "apprenticeship_started": "apprenticeship",
    "training_started": "recruitment_training",
}


class OrganisationRow(Base):
    """A member of the region's service network that holds people for a while."""

    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class StepRow(Base):
    """A step on a person's path: a service with an organisation (or, for a job, a company)."""

    __tablename__ = "path_steps"
    # At most one current and one planned step per person, whatever the writer.
    __table_args__ = tuple(
        Index(
            f"uq_path_steps_one_{status}",
            "jobseeker_id",
            unique=True,
            sqlite_where=text(f"status = '{status}'"),
            postgresql_where=text(f"status = '{status}'"),
        )
        for status in ("current", "planned")
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    jobseeker_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), index=True
    )
    service: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id"), nullable=True, index=True
    )
    company_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    counsellor: Mapped[str] = mapped_column(String(200), default="")
    start: Mapped[dt.date] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ended_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class HandoverRow(Base):
    """A move from one organisation's step to another's, until the receiver acknowledges it."""

    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    jobseeker_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), index=True
    )
    from_step_id: Mapped[int] = mapped_column(ForeignKey("path_steps.id", ondelete="CASCADE"))
    to_step_id: Mapped[int] = mapped_column(ForeignKey("path_steps.id", ondelete="CASCADE"))
    from_organisation_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    to_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    handed_over_on: Mapped[dt.date] = mapped_column(Date)
    acknowledged_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    acknowledged_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


# Rows that name a person, deleted with them on erasure (children first).
DERIVED_BY_JOBSEEKER = [
    (HandoverRow, HandoverRow.jobseeker_id),
    (StepRow, StepRow.jobseeker_id),
]
STEP_FIELDS = (
    "id",
    "jobseeker_id",
    "service",
    "organisation_id",
    "company_id",
    "counsellor",
    "start",
    "planned_end",
    "ended_on",
    "status",
)
HANDOVER_FIELDS = (
    "id",
    "jobseeker_id",
    "from_step_id",
    "to_step_id",
    "from_organisation_id",
    "to_organisation_id",
    "handed_over_on",
    "acknowledged_on",
)


class PathStore:
    """Organisations, steps and handovers, in the store's transactions."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- organisations ---------------------------------------------------------------------------

    def add_organisation(self, name: str, kind: str) -> dict[str, Any]:
        """A new organisation with a fresh id."""
        row = OrganisationRow(id=new_id("O"), name=name, kind=kind, created_at=utcnow())
        with self.store.transaction() as session:
            session.add(row)
        return _organisation(row)

    def organisation(self, organisation_id: str) -> dict[str, Any]:
        """One organisation; raises :class:`NotFound`."""
        with self.store.transaction() as session:
            return _organisation(_get(session, OrganisationRow, organisation_id))

    def organisations(self, *, page: int, page_size: int, kind: str | None = None) -> Page:
        """A page of organisations by id."""
        query = select(OrganisationRow).order_by(OrganisationRow.id)
        if kind:
            query = query.where(OrganisationRow.kind == kind)
        return self.store._page(query, page, page_size, _organisation)

    def organisation_names(self) -> dict[str, str]:
        """Every organisation's name by id."""
        with self.store.transaction() as session:
            return dict(session.execute(select(OrganisationRow.id, OrganisationRow.name)).all())

    # -- steps and handovers ---------------------------------------------------------------------

    def add_step(self, jobseeker_id: str, step: Mapping[str, Any]) -> dict[str, Any]:
        """Add a current or planned step. A new current step ends the one before it (a
        handover when the organisation changes); a second planned step is a :class:`Conflict`."""
        with self.store.transaction() as session:
            _get(session, JobseekerRow, jobseeker_id)
            _check_holder(session, step)
            row = StepRow(jobseeker_id=jobseeker_id, created_at=utcnow(), **step)
            if row.status == "planned" and _step_of(session, jobseeker_id, "planned"):
                raise Conflict("the person already has a planned next step")
            before = _step_of(session, jobseeker_id, "current") if row.status == "current" else None
            if before is not None:
                _end(before, row.start)
                session.flush()
            session.add(row)
            session.flush()
            if before is not None:
                _hand_over(session, before, row, before.ended_on)
            return _step(row)

    def end_step(self, jobseeker_id: str, step_id: int, ended_on: dt.date) -> dict[str, Any]:
        """End the current step ``step_id``; the planned step, if any, becomes current (a
        handover when its organisation is another). The path as it now is."""
        with self.store.transaction() as session:
            row = _own_step(session, jobseeker_id, step_id)
            if row.status != "current":
                raise Conflict("only the current step can be ended")
            _end(row, ended_on)
            following = _step_of(session, jobseeker_id, "planned")
            session.flush()
            if following is not None:
                following.status = "current"
                session.flush()
                # On the day the step ended as recorded (an end before its start is its start).
                _hand_over(session, row, following, row.ended_on)
            return _path(session, jobseeker_id)

    def acknowledge(self, handover_id: int, by: Principal, on: dt.date) -> dict[str, Any]:
        """Acknowledge a handover as its receiving organisation (a counsellor of another
        organisation gets :class:`NotFound`); acknowledging again changes nothing."""
        if not 0 < handover_id <= MAX_ROW_ID:
            raise NotFound(str(handover_id))
        with self.store.transaction() as session:
            row = _get(session, HandoverRow, handover_id)
            if by.role == "counsellor" and row.to_organisation_id != by.organisation_id:
                raise NotFound(str(handover_id))
            if row.acknowledged_on is None:
                row.acknowledged_on, row.acknowledged_by = on, by.token_id
            return _fields(row, *HANDOVER_FIELDS)

    def path(self, jobseeker_id: str) -> dict[str, Any]:
        """A person's steps (oldest first) and handovers; raises :class:`NotFound`."""
        with self.store.transaction() as session:
            _get(session, JobseekerRow, jobseeker_id)
            return _path(session, jobseeker_id)

    def holds(self, organisation_id: str | None, jobseeker_id: str) -> bool:
        """Whether the person's current or next step is with ``organisation_id``."""
        query = select(func.count()).where(
            StepRow.jobseeker_id == jobseeker_id,
            StepRow.organisation_id == organisation_id,
            StepRow.status.in_(("current", "planned")),
        )
        with self.store.transaction() as session:
            return bool(organisation_id) and session.scalar(query) > 0

    def handover_receiver(self, handover_id: int) -> str | None:
        """The receiving organisation of a handover (None when there is none)."""
        if not 0 < handover_id <= MAX_ROW_ID:
            return None
        with self.store.transaction() as session:
            row = session.get(HandoverRow, handover_id)
            return None if row is None else row.to_organisation_id

    def open_steps(self) -> dict[str, Any]:
        """What the continuity report reads: the active people (id → day registered), the
        current and planned steps, the last end of each person's ended steps, and the
        unacknowledged handovers."""
        with self.store.transaction() as session:
            people = session.execute(
                select(JobseekerRow.id, JobseekerRow.created_at).where(JobseekerRow.active)
            ).all()
            steps = session.scalars(
                select(StepRow).where(StepRow.status.in_(("current", "planned")))
            )
            ended = session.execute(
                select(StepRow.jobseeker_id, func.max(StepRow.ended_on))
                .where(StepRow.status == "ended")
                .group_by(StepRow.jobseeker_id)
            ).all()
            handovers = session.scalars(
                select(HandoverRow).where(HandoverRow.acknowledged_on.is_(None))
            )
            return {
                "people": {person_id: created.date() for person_id, created in people},
                "steps": [_step(s) for s in steps],
                "last_ended": dict(ended),
                "handovers": [_fields(h, *HANDOVER_FIELDS) for h in handovers],
            }


def open_outcome_step(
    session: Session, jobseeker_id: str, company_id: str, outcome: str, on: dt.date
) -> None:
    """Open the step an outcome starts (a hire opens a job at the company, a start an
    apprenticeship or a training): the current step ends and the planned one is cancelled."""
    service = OUTCOME_STEPS.get(outcome)
    if service is None:
        return
    before = _step_of(session, jobseeker_id, "current")
    if before is not None:
        _end(before, on)
    planned = _step_of(session, jobseeker_id, "planned")
    if planned is not None:
        planned.status = "cancelled"
    session.flush()
    session.add(
        StepRow(
            jobseeker_id=jobseeker_id,
            service=service,
            company_id=company_id,
            counsellor="",
            start=on,
            status="current",
            created_at=utcnow(),
        )
    )


def _get(session: Session, table, key):
    row = session.get(table, key)
    if row is None:
        raise NotFound(str(key))
    return row


def _check_holder(session: Session, step: Mapping[str, Any]) -> None:
    """The step's organisation, or company, must exist."""
    if step.get("organisation_id") is not None:
        _get(session, OrganisationRow, step["organisation_id"])
    if step.get("company_id") is not None:
        _get(session, CompanyRow, step["company_id"])


def _own_step(session: Session, jobseeker_id: str, step_id: int) -> StepRow:
    row = session.get(StepRow, step_id) if 0 < step_id <= MAX_ROW_ID else None
    if row is None or row.jobseeker_id != jobseeker_id:
        raise NotFound(str(step_id))
    return row


def _step_of(session: Session, jobseeker_id: str, status: str) -> StepRow | None:
    query = select(StepRow).where(StepRow.jobseeker_id == jobseeker_id, StepRow.status == status)
    return session.scalars(query).one_or_none()


def _end(row: StepRow, on: dt.date) -> None:
    row.status, row.ended_on = "ended", max(on, row.start)


def _hand_over(session: Session, ended: StepRow, following: StepRow, on: dt.date) -> None:
    """Record a handover when ``following`` is with another organisation than ``ended``."""
    receiver = following.organisation_id
    if receiver is None or receiver == ended.organisation_id:
        return
    session.add(
        HandoverRow(
            jobseeker_id=ended.jobseeker_id,
            from_step_id=ended.id,
            to_step_id=following.id,
            from_organisation_id=ended.organisation_id,
            to_organisation_id=receiver,
            handed_over_on=on,
        )
    )
    session.flush()


def path_of(session: Session, jobseeker_id: str) -> dict[str, Any]:
    """A person's steps (oldest first) and handovers, read in ``session``."""
    return _path(session, jobseeker_id)


def _path(session: Session, jobseeker_id: str) -> dict[str, Any]:
    steps = session.scalars(
        select(StepRow).where(StepRow.jobseeker_id == jobseeker_id).order_by(StepRow.id)
    )
    handovers = session.scalars(
        select(HandoverRow).where(HandoverRow.jobseeker_id == jobseeker_id).order_by(HandoverRow.id)
    )
    return {
        "jobseeker_id": jobseeker_id,
        "steps": [_step(s) for s in steps],
        "handovers": [_fields(h, *HANDOVER_FIELDS) for h in handovers],
    }


def _step(row: StepRow) -> dict[str, Any]:
    return _fields(row, *STEP_FIELDS)


def _organisation(row: OrganisationRow) -> dict[str, Any]:
    return _fields(row, "id", "name", "kind", "created_at")
