"""Persistence of what happens after a ranking: shortlists, company feedback, consents to
share, contacts, a person's status and the confirmations of their profile.

Every public function runs in one transaction of the :class:`~service.storage.Store` (with
its audit entry, where it writes one): it commits whole or leaves the database as it was.
Each table here names a person, so each is on erasure's list (:data:`DERIVED`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from service import storage
from service.storage import (
    Base,
    Conflict,
    Document,
    JobseekerRow,
    NeedRow,
    NotFound,
    OutcomeRow,
    Principal,
    Store,
    UTCDateTime,
    _audit_row,
    _fields,
    new_id,
    utcnow,
)
from service.storage_paths import open_outcome_step

SHORTLIST_STATES = ("draft", "signed", "sent")
# Outcomes that mean the person was reached (a company's rejection from a shortlist does not):
# each counts as a contact in the reports, as a contact logged does.
CONTACT_OUTCOMES = frozenset(
    {
        "contacted",
        "interviewed",
        "hired",
        "apprenticeship_started",
        "training_started",
        "declined_by_jobseeker",
    }
)
# Outcomes that place a person for a while (a job, an apprenticeship, a training), and the
# status each gives them.
PLACEMENTS = {
    "hired": "employed",
    "apprenticeship_started": "in_apprenticeship",
    "training_started": "in_training",
}


def _person_column(**kwargs: Any) -> Mapped[str]:
    return mapped_column(
        String(40), ForeignKey("jobseekers.id", ondelete="CASCADE"), index=True, **kwargs
    )


class ShortlistRow(Base):
    """A recruiter's selection of a need's candidates, signed off and sent to the company."""

    __tablename__ = "shortlists"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    need_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("needs.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    signed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    signed_by_label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)


class ShortlistEntryRow(Base):
    """A person on a shortlist, with the recruiter's note and, once signed, the score and
    explanation as they were then."""

    __tablename__ = "shortlist_entries"
    shortlist_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("shortlists.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[str] = _person_column()
    note: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    excluded: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    explanation: Mapped[dict | None] = mapped_column(Document, nullable=True)


class ShareConsentRow(Base):
    """A person's recorded consent to show their name and contact details to a company."""

    __tablename__ = "share_consents"
    jobseeker_id: Mapped[str] = _person_column(primary_key=True)
    company_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class FeedbackRow(Base):
    """A company's answer about one person of a shortlist, with its reason."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shortlist_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("shortlists.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    jobseeker_id: Mapped[str] = _person_column()
    need_id: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(Boolean)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    given_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ContactRow(Base):
    """A contact with a person (about a need, or not) and its result."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    jobseeker_id: Mapped[str] = _person_column()
    need_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class StatusChangeRow(Base):
    """A period in which a person is placed (employed, in an apprenticeship or a training)."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    jobseeker_id: Mapped[str] = _person_column()
    status: Mapped[str] = mapped_column(String(30))
    starts: Mapped[dt.date] = mapped_column(Date)
    ends: Mapped[dt.date] = mapped_column(Date)
    need_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    outcome_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ConfirmationRow(Base):
    """When a person's profile was last confirmed as still true."""

    __tablename__ = "profile_confirmations"
    jobseeker_id: Mapped[str] = _person_column(primary_key=True)
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


DERIVED = [
    (ShortlistEntryRow, ShortlistEntryRow.jobseeker_id),
    (ShareConsentRow, ShareConsentRow.jobseeker_id),
    (FeedbackRow, FeedbackRow.jobseeker_id),
    (ContactRow, ContactRow.jobseeker_id),
    (StatusChangeRow, StatusChangeRow.jobseeker_id),
    (ConfirmationRow, ConfirmationRow.jobseeker_id),
]
# Erasure deletes these before the person (feedback before the outcomes it made survive as
# anonymous tallies, which erasure counts first).
storage._DERIVED_BY_JOBSEEKER.extend(DERIVED)


# -- shortlists ----------------------------------------------------------------------------------


def create_shortlist(
    store: Store,
    need_id: str,
    company_id: str,
    entries: Sequence[tuple[str, str]],
    principal: Principal,
    audit_people: Sequence[str],
) -> dict[str, Any]:
    """A new draft shortlist of ``entries`` (jobseeker id, note), in their order."""
    shortlist_id = new_id("S")
    with store.transaction() as session:
        session.add(
            ShortlistRow(
                id=shortlist_id,
                need_id=need_id,
                company_id=company_id,
                status="draft",
                created_by=principal.token_id,
                created_at=utcnow(),
            )
        )
        session.flush()
        _add_entries(session, shortlist_id, entries)
        detail = {"need": need_id, "people": list(audit_people)}
        session.add(_audit_row(principal, "shortlist.create", f"shortlist:{shortlist_id}", detail))
        session.flush()
        return _shortlist(session, session.get(ShortlistRow, shortlist_id))


def replace_entries(
    store: Store,
    shortlist_id: str,
    entries: Sequence[tuple[str, str]],
    principal: Principal,
    audit_people: Sequence[str],
) -> dict[str, Any]:
    """Replace a draft's people and notes (a signed shortlist is refused: :class:`Conflict`)."""
    with store.transaction() as session:
        row = _draft(session, shortlist_id)
        session.execute(
            delete(ShortlistEntryRow).where(ShortlistEntryRow.shortlist_id == shortlist_id)
        )
        _add_entries(session, shortlist_id, entries)
        detail = {"people": list(audit_people)}
        session.add(_audit_row(principal, "shortlist.edit", f"shortlist:{shortlist_id}", detail))
        session.flush()
        return _shortlist(session, row)


def sign_shortlist(
    store: Store,
    shortlist_id: str,
    snapshots: Mapping[int, Mapping[str, Any]],
    principal: Principal,
    label: str,
) -> dict[str, Any]:
    """Sign a draft off: who and when, and each entry's score and explanation as now."""
    with store.transaction() as session:
        row = _draft(session, shortlist_id)
        for entry in _entries(session, shortlist_id):
            snapshot = snapshots[entry.position]
            entry.score = snapshot["score"]
            entry.excluded = snapshot["excluded"]
            entry.explanation = snapshot["explanation"]
        row.status, row.signed_by, row.signed_at = "signed", principal.token_id, utcnow()
        row.signed_by_label = label
        session.add(_audit_row(principal, "shortlist.sign", f"shortlist:{shortlist_id}", None))
        return _shortlist(session, row)


def send_shortlist(store: Store, shortlist_id: str, principal: Principal) -> dict[str, Any]:
    """Send a signed shortlist to its company (a draft or a sent one: :class:`Conflict`)."""
    with store.transaction() as session:
        row = _get(session, shortlist_id)
        if row.status != "signed":
            raise Conflict(f"a {row.status} shortlist cannot be sent; sign it off first")
        row.status, row.sent_at = "sent", utcnow()
        detail = {"company": row.company_id}
        session.add(_audit_row(principal, "shortlist.send", f"shortlist:{shortlist_id}", detail))
        return _shortlist(session, row)


def shortlist(store: Store, shortlist_id: str) -> dict[str, Any]:
    """A shortlist with its entries, in order (:class:`NotFound` for an unknown id)."""
    with store.transaction() as session:
        return _shortlist(session, _get(session, shortlist_id))


def shortlists(
    store: Store,
    *,
    need_id: str | None = None,
    company_id: str | None = None,
    sent_only: bool = False,
) -> list[dict[str, Any]]:
    """Shortlists, newest first, filtered by need, company and whether they were sent."""
    query = select(ShortlistRow).order_by(ShortlistRow.created_at.desc(), ShortlistRow.id)
    if need_id is not None:
        query = query.where(ShortlistRow.need_id == need_id)
    if company_id is not None:
        query = query.where(ShortlistRow.company_id == company_id)
    if sent_only:
        query = query.where(ShortlistRow.status == "sent")
    with store.transaction() as session:
        return [_shortlist(session, row) for row in session.scalars(query)]


def _add_entries(session: Session, shortlist_id: str, entries) -> None:
    session.add_all(
        ShortlistEntryRow(shortlist_id=shortlist_id, position=n, jobseeker_id=person, note=note)
        for n, (person, note) in enumerate(entries, start=1)
    )


def _get(session: Session, shortlist_id: str) -> ShortlistRow:
    row = session.get(ShortlistRow, shortlist_id)
    if row is None:
        raise NotFound(shortlist_id)
    return row


def _draft(session: Session, shortlist_id: str) -> ShortlistRow:
    row = _get(session, shortlist_id)
    if row.status != "draft":
        raise Conflict(f"the shortlist is {row.status}: it no longer changes")
    return row


def _entries(session: Session, shortlist_id: str) -> list[ShortlistEntryRow]:
    query = (
        select(ShortlistEntryRow)
        .where(ShortlistEntryRow.shortlist_id == shortlist_id)
        .order_by(ShortlistEntryRow.position)
    )
    return list(session.scalars(query))


def _shortlist(session: Session, row: ShortlistRow) -> dict[str, Any]:
    fields = ("id", "need_id", "company_id", "status", "created_at", "signed_at", "sent_at")
    entries = [
        _fields(e, "position", "jobseeker_id", "note", "score", "excluded", "explanation")
        for e in _entries(session, row.id)
    ]
    signed_by = {"token_id": row.signed_by, "label": row.signed_by_label} if row.signed_at else None
    return {**_fields(row, *fields), "signed_by": signed_by, "entries": entries}


# -- consent to share ----------------------------------------------------------------------------


def set_consent(
    store: Store, jobseeker_id: str, company_id: str, given: bool, principal: Principal, ref: str
) -> None:
    """Record (``given``) or withdraw a person's consent to show who they are to a company."""
    with store.transaction() as session:
        storage.Store._get(session, JobseekerRow, jobseeker_id)
        storage.Store._get(session, storage.CompanyRow, company_id)
        row = session.get(ShareConsentRow, (jobseeker_id, company_id))
        if given and row is None:
            session.add(
                ShareConsentRow(
                    jobseeker_id=jobseeker_id,
                    company_id=company_id,
                    given_at=utcnow(),
                    recorded_by=principal.token_id,
                )
            )
        elif not given and row is not None:
            session.delete(row)
        action = "consent.give" if given else "consent.withdraw"
        session.add(_audit_row(principal, action, ref, {"company": company_id}))


def consented(store: Store, company_id: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` consented to show who they are to ``company_id``."""
    query = select(ShareConsentRow.jobseeker_id).where(
        ShareConsentRow.company_id == company_id, ShareConsentRow.jobseeker_id.in_(list(ids))
    )
    with store.transaction() as session:
        return set(session.scalars(query))


# -- feedback, outcomes and status ---------------------------------------------------------------


def record_feedback(
    store: Store,
    shortlist_id: str,
    position: int,
    answer: Mapping[str, Any],
    outcome: str,
    placement_days: int,
    principal: Principal,
    ref: str,
) -> dict[str, Any]:
    """A company's answer about a sent shortlist's entry, the outcome it stands for and (for
    a hire or a start) the person's new status, with the audit entry, in one transaction."""
    with store.transaction() as session:
        row = _get(session, shortlist_id)
        if row.status != "sent":
            raise NotFound(shortlist_id)
        entry = session.get(ShortlistEntryRow, (shortlist_id, position))
        if entry is None:
            raise NotFound(f"{shortlist_id}/{position}")
        made = _outcome(session, row.need_id, entry.jobseeker_id, outcome, principal)
        _place(session, made, placement_days)
        feedback = FeedbackRow(
            shortlist_id=shortlist_id,
            position=position,
            jobseeker_id=entry.jobseeker_id,
            need_id=row.need_id,
            decision=answer["decision"],
            reason=answer["reason"],
            text=answer["text"],
            needs_review=answer["reason"] == "other",
            outcome_id=made.id,
            given_by=principal.token_id,
            given_at=utcnow(),
        )
        session.add(feedback)
        # The free text is the company's words about a person: the log keeps its length only.
        detail = {"decision": answer["decision"], "reason": answer["reason"], "person": ref}
        session.add(_audit_row(principal, "feedback.record", f"shortlist:{shortlist_id}", detail))
        session.flush()
        return _feedback(feedback) | {"outcome": outcome}


def record_outcome(
    store: Store,
    need_id: str,
    jobseeker_id: str,
    outcome: str,
    note: str,
    placement_days: int,
    principal: Principal,
) -> dict[str, Any]:
    """Store what happened between a need and a person; a hire or a start also places the
    person for ``placement_days``."""
    with store.transaction() as session:
        storage.Store._get(session, NeedRow, need_id)
        storage.Store._get(session, JobseekerRow, jobseeker_id)
        made = _outcome(session, need_id, jobseeker_id, outcome, principal, note)
        _place(session, made, placement_days)
        return storage._outcome(made)


def _outcome(session, need_id, jobseeker_id, outcome, principal, note="") -> OutcomeRow:
    """Store an outcome; a hire or a start also opens its step on the person's path."""
    need = session.get(NeedRow, need_id)
    open_outcome_step(session, jobseeker_id, need.company_id, outcome, utcnow().date())
    row = OutcomeRow(
        need_id=need_id,
        jobseeker_id=jobseeker_id,
        outcome=outcome,
        note=note,
        recorded_by=principal.token_id,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def _place(session: Session, outcome: OutcomeRow, days: int) -> None:
    if outcome.outcome not in PLACEMENTS:
        return
    starts = outcome.created_at.date()
    session.add(
        StatusChangeRow(
            jobseeker_id=outcome.jobseeker_id,
            status=PLACEMENTS[outcome.outcome],
            starts=starts,
            ends=starts + dt.timedelta(days=days),
            need_id=outcome.need_id,
            outcome_id=outcome.id,
            at=utcnow(),
        )
    )


def placed(store: Store, on: dt.date, ids: Iterable[str] | None = None) -> dict[str, dict]:
    """The people placed on ``on`` (among ``ids`` when given): their status, latest first."""
    # Core, not a session: every candidate list served from a run asks this.
    table = StatusChangeRow.__table__
    query = _PLACED if ids is None else _PLACED.where(table.c.jobseeker_id.in_(list(ids)))
    with store.engine.connect() as connection:
        rows = connection.execute(query, {"on": on})
        return {row.jobseeker_id: _status(row) for row in rows}


def run_list(store: Store, run_id: int, need_id: str, on: dt.date) -> Sequence[Mapping]:
    """A need's whole list in a run as :meth:`Store.run_candidates` gives it, each row also
    saying whether its person is ``placed`` on ``on``: one statement, for every list served
    from a run."""
    parameters = {"run_id": run_id, "need_id": need_id, "on": on}
    with store.engine.connect() as connection:
        return connection.execute(_RUN_LIST, parameters).mappings().all()


def shortlist_feedback(store: Store, shortlist_id: str) -> dict[int, list[dict[str, Any]]]:
    """A shortlist's feedback by entry position, oldest first."""
    query = select(FeedbackRow).where(FeedbackRow.shortlist_id == shortlist_id)
    out: dict[int, list[dict[str, Any]]] = {}
    with store.transaction() as session:
        for row in session.scalars(query.order_by(FeedbackRow.id)):
            out.setdefault(row.position, []).append(_feedback(row))
    return out


def active_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are active jobseekers."""
    query = select(JobseekerRow.id).where(
        JobseekerRow.id.in_(list(ids)), JobseekerRow.active.is_(True)
    )
    with store.transaction() as session:
        return set(session.scalars(query))


def feedback_to_review(store: Store) -> list[dict[str, Any]]:
    """Feedback given with reason "other" that staff have not reviewed yet, oldest first."""
    query = (
        select(FeedbackRow)
        .where(FeedbackRow.needs_review.is_(True), FeedbackRow.reviewed_at.is_(None))
        .order_by(FeedbackRow.id)
    )
    with store.transaction() as session:
        return [_feedback(row) for row in session.scalars(query)]


def mark_reviewed(store: Store, feedback_id: int, principal: Principal) -> dict[str, Any]:
    """Mark feedback as reviewed by staff (:class:`NotFound` for an unknown id)."""
    if not 0 < feedback_id <= storage.MAX_ROW_ID:
        raise NotFound(str(feedback_id))
    with store.transaction() as session:
        row = session.get(FeedbackRow, feedback_id)
        if row is None or not row.needs_review:
            raise NotFound(str(feedback_id))
        row.reviewed_at = row.reviewed_at or utcnow()
        session.add(_audit_row(principal, "feedback.review", f"feedback:{feedback_id}", None))
        return _feedback(row)


# -- contacts and confirmations ------------------------------------------------------------------


def log_contact(
    store: Store, jobseeker_id: str, contact: Mapping[str, Any], principal: Principal, ref: str
) -> dict[str, Any]:
    """Log a contact with a person and its result."""
    with store.transaction() as session:
        storage.Store._get(session, JobseekerRow, jobseeker_id)
        if contact.get("need_id"):
            storage.Store._get(session, NeedRow, contact["need_id"])
        row = ContactRow(
            jobseeker_id=jobseeker_id,
            need_id=contact.get("need_id"),
            channel=contact["channel"],
            result=contact["result"],
            note=contact.get("note", ""),
            recorded_by=principal.token_id,
            at=utcnow(),
        )
        session.add(row)
        detail = {"channel": row.channel, "result": row.result}
        session.add(_audit_row(principal, "contact.log", ref, detail))
        session.flush()
        return _contact(row)


def confirm_profile(store: Store, jobseeker_id: str, principal: Principal, ref: str) -> dt.datetime:
    """Record that a person's profile was confirmed now; the time."""
    now = utcnow()
    with store.transaction() as session:
        storage.Store._get(session, JobseekerRow, jobseeker_id)
        row = session.get(ConfirmationRow, jobseeker_id) or ConfirmationRow(
            jobseeker_id=jobseeker_id
        )
        row.confirmed_at, row.confirmed_by = now, principal.token_id
        session.add(row)
        session.add(_audit_row(principal, "jobseeker.confirm", ref, None))
    return now


def last_confirmed(store: Store, ids: Iterable[str]) -> dict[str, dt.datetime]:
    """When each person's profile was last confirmed: the confirmation, or when the profile
    was last written (writing it confirms it), whichever is later."""
    ids = list(ids)
    with store.transaction() as session:
        written = dict(
            session.execute(
                select(JobseekerRow.id, JobseekerRow.updated_at).where(JobseekerRow.id.in_(ids))
            ).all()
        )
        confirmed = dict(
            session.execute(
                select(ConfirmationRow.jobseeker_id, ConfirmationRow.confirmed_at).where(
                    ConfirmationRow.jobseeker_id.in_(ids)
                )
            ).all()
        )
    return {i: max(filter(None, (written[i], confirmed.get(i)))) for i in written}


# -- a person's history, and the events the programme report counts ------------------------------


def history(store: Store, jobseeker_id: str) -> dict[str, Any]:
    """Everything that happened with a person after a ranking, oldest first in each part."""
    with store.transaction() as session:
        storage.Store._get(session, JobseekerRow, jobseeker_id)

        def rows(table, order):
            query = select(table).where(table.jobseeker_id == jobseeker_id).order_by(order)
            return list(session.scalars(query))

        on_lists = session.execute(
            select(ShortlistRow, ShortlistEntryRow.position, ShortlistEntryRow.note)
            .join(ShortlistEntryRow, ShortlistEntryRow.shortlist_id == ShortlistRow.id)
            .where(ShortlistEntryRow.jobseeker_id == jobseeker_id)
            .order_by(ShortlistRow.created_at)
        ).all()
        return {
            "outcomes": [storage._outcome(r) for r in rows(OutcomeRow, OutcomeRow.id)],
            "shortlists": [
                {**_fields(s, "id", "need_id", "company_id", "status", "sent_at"), "note": note}
                for s, _, note in on_lists
            ],
            "feedback": [_feedback(r) for r in rows(FeedbackRow, FeedbackRow.id)],
            "contacts": [_contact(r) for r in rows(ContactRow, ContactRow.id)],
            "statuses": [_status(r) for r in rows(StatusChangeRow, StatusChangeRow.id)],
            "consents": [
                _fields(r, "company_id", "given_at")
                for r in rows(ShareConsentRow, ShareConsentRow.company_id)
            ],
        }


def service_events(
    store: Store, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, str, str | None, str]]:
    """``(when, jobseeker_id, need_id or None, stage)`` of everything in ``[start, end)``: a
    person put on a shortlist sent to a company (``shortlisted``), a contact logged or an
    outcome that means the person was reached (``contacted``), and each recorded outcome
    (its name)."""
    sent = (
        select(ShortlistRow.sent_at, ShortlistEntryRow.jobseeker_id, ShortlistRow.need_id)
        .join(ShortlistEntryRow, ShortlistEntryRow.shortlist_id == ShortlistRow.id)
        .where(ShortlistRow.sent_at >= start, ShortlistRow.sent_at < end)
    )
    contacts = select(ContactRow.at, ContactRow.jobseeker_id, ContactRow.need_id).where(
        ContactRow.at >= start, ContactRow.at < end
    )
    outcomes = select(
        OutcomeRow.created_at, OutcomeRow.jobseeker_id, OutcomeRow.need_id, OutcomeRow.outcome
    ).where(OutcomeRow.created_at >= start, OutcomeRow.created_at < end)
    with store.transaction() as session:
        events = [(*row, "shortlisted") for row in session.execute(sent)]
        events += [(*row, "contacted") for row in session.execute(contacts)]
        for row in session.execute(outcomes):
            events.append(tuple(row))
            if row[3] in CONTACT_OUTCOMES and row[3] != "contacted":
                events.append((*row[:3], "contacted"))
    return events


def shortlisted_pairs(store: Store) -> list[tuple[str, str]]:
    """Every ``(need_id, jobseeker_id)`` on a shortlist sent to a company."""
    query = (
        select(ShortlistRow.need_id, ShortlistEntryRow.jobseeker_id)
        .join(ShortlistEntryRow, ShortlistEntryRow.shortlist_id == ShortlistRow.id)
        .where(ShortlistRow.status == "sent")
    )
    with store.transaction() as session:
        return [tuple(row) for row in session.execute(query)]


def contacted_pairs(store: Store) -> list[tuple[str, str]]:
    """Every ``(need_id, jobseeker_id)`` with a contact logged about the need."""
    query = select(ContactRow.need_id, ContactRow.jobseeker_id).where(
        ContactRow.need_id.is_not(None)
    )
    with store.transaction() as session:
        return [tuple(row) for row in session.execute(query)]


def _feedback(row: FeedbackRow) -> dict[str, Any]:
    return _fields(
        row,
        "id",
        "shortlist_id",
        "position",
        "need_id",
        "decision",
        "reason",
        "text",
        "needs_review",
        "reviewed_at",
        "given_at",
    )


def _contact(row: ContactRow) -> dict[str, Any]:
    return _fields(row, "id", "need_id", "channel", "result", "note", "at")


# Placed on the day bound as ``on``: a status period that has started and not yet ended.
_PLACED_ON = and_(StatusChangeRow.starts <= bindparam("on"), StatusChangeRow.ends > bindparam("on"))
_PLACED = (
    select(
        StatusChangeRow.jobseeker_id,
        StatusChangeRow.status,
        StatusChangeRow.starts,
        StatusChangeRow.ends,
        StatusChangeRow.need_id,
    )
    .where(_PLACED_ON)
    .order_by(StatusChangeRow.starts, StatusChangeRow.id)
)


_RUN_LIST = (
    storage._RUN_PAGE.limit(None)
    .offset(None)
    .add_columns(
        select(StatusChangeRow.id)
        .where(StatusChangeRow.jobseeker_id == storage._candidates.c.jobseeker_id, _PLACED_ON)
        .exists()
        .label("placed")
    )
)


def _status(row) -> dict[str, Any]:
    return _fields(row, "status", "starts", "ends", "need_id")
