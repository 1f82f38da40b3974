"""Persistence of duplicates and their merges: the stored records a new one may duplicate, and
merging one record into another in one transaction.

A merge moves everything recorded about the merged record (outcomes, pins and hides, a
self-report, earlier merges) to the kept one, keeps the merged record as it was in a merge
row, and deletes it. The audit log is not rewritten: its entries about the merged person keep
their pseudonym, which the merge row holds, so that erasing the kept person anonymises them
too (:func:`_erase_merged`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, delete, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from matcher.domain import Jobseeker, Need
from matcher.duplicates import phone_key
from matcher.geo import municipality_names
from matcher.text import normalise
from service.storage import (
    _DERIVED_BY_JOBSEEKER,
    ERASURE_STEPS,
    Base,
    BatchCandidateRow,
    CandidateDecisionRow,
    Document,
    JobseekerRow,
    NeedRow,
    OutcomeRow,
    OutcomeTallyRow,
    Principal,
    SelfReportRow,
    Store,
    UTCDateTime,
    _audit_row,
    _bump,
    _forget_answers_naming,
    _removed_jobseekers,
    utcnow,
)

# How many stored records, at most, are compared with a new one.
MAX_LIKELY = 200


class JobseekerMergeRow(Base):
    """A jobseeker merged into another: the profile as it was and how the audit log named it."""

    __tablename__ = "jobseeker_merges"
    merged_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kept_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), index=True
    )
    merged_ref: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict] = mapped_column(Document)
    merged_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    merged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class NeedMergeRow(Base):
    """A need merged into another (e.g. its other language's text), as it was."""

    __tablename__ = "need_merges"
    merged_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kept_id: Mapped[str] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(Document)
    merged_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    merged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SameRecord(ValueError):
    """A record cannot be merged into itself."""


def _field(name: str):
    return func.lower(JobseekerRow.data[name].as_string())


def jobseekers_like(store: Store, person: Jobseeker) -> list[Jobseeker]:
    """Stored jobseekers sharing the e-mail, the name or the phone number's last digits with
    ``person``: the few worth comparing (:func:`matcher.duplicates.same_person`)."""
    found = []
    if person.email:
        found.append(_field("email") == person.email.casefold())
    if person.name:
        # SQLite's lower() folds only ASCII letters: "Åsa" stays "Åsa" there.
        ascii_lowered = "".join(c.lower() if c.isascii() else c for c in person.name)
        names = {normalise(person.name), person.name.casefold(), ascii_lowered}
        found.append(_field("name").in_(sorted(names)))
    if digits := phone_key(person.phone)[-4:]:
        found.append(JobseekerRow.data["phone"].as_string().like("%" + "%".join(digits)))
    if not found:
        return []
    query = select(JobseekerRow.data).where(or_(*found), JobseekerRow.id != person.id)
    with store.transaction() as session:
        return [Jobseeker.from_dict(d) for d in session.scalars(query.limit(MAX_LIKELY))]


def needs_like(store: Store, need: Need) -> list[Need]:
    """The company's open needs of the same kind in the same municipality as ``need``."""
    query = select(NeedRow.data).where(
        NeedRow.company_id == need.company_id,
        NeedRow.kind == need.kind,
        NeedRow.status == "open",
        NeedRow.municipality.in_(municipality_names(need.municipality)),
        NeedRow.id != need.id,
    )
    with store.transaction() as session:
        return [Need.from_dict(d) for d in session.scalars(query.limit(MAX_LIKELY))]


def merge_jobseekers(
    store: Store, kept_id: str, merged_id: str, refs: tuple[str, str], principal: Principal
) -> dict[str, int]:
    """Merge jobseeker ``merged_id`` into ``kept_id`` (``refs``: how the audit log names
    each), audited, in one transaction; how many rows of each kind moved."""
    if kept_id == merged_id:
        raise SameRecord(merged_id)
    kept_ref, merged_ref = refs
    with store.transaction() as session:
        store._get(session, JobseekerRow, kept_id)
        merged = store._get(session, JobseekerRow, merged_id)
        moved = _move_person_rows(session, kept_id, merged_id)
        session.add(
            JobseekerMergeRow(
                merged_id=merged_id,
                kept_id=kept_id,
                merged_ref=merged_ref,
                data=merged.data,
                merged_by=principal.token_id,
                merged_at=utcnow(),
            )
        )
        session.execute(delete(JobseekerRow).where(JobseekerRow.id == merged_id))
        _removed_jobseekers(session)
        detail = {"merged": merged_ref, "moved": moved}
        session.add(_audit_row(principal, "jobseeker.merge", kept_ref, detail))
        return moved


def _move_person_rows(session: Session, kept_id: str, merged_id: str) -> dict[str, int]:
    moved = {"outcomes": _repoint(session, OutcomeRow, "jobseeker_id", kept_id, merged_id)}
    # The kept person's own pin or hide for a need wins over the merged one's.
    decision = CandidateDecisionRow
    taken = select(decision.need_id).where(decision.jobseeker_id == kept_id)
    session.execute(
        delete(decision).where(decision.jobseeker_id == merged_id, decision.need_id.in_(taken))
    )
    moved["candidate_decisions"] = _repoint(session, decision, "jobseeker_id", kept_id, merged_id)
    if session.get(SelfReportRow, kept_id) is None:
        moved["self_reports"] = _repoint(session, SelfReportRow, "jobseeker_id", kept_id, merged_id)
    moved["jobseeker_merges"] = _repoint(session, JobseekerMergeRow, "kept_id", kept_id, merged_id)
    # Derived rows: the next batch ranks the kept person.
    session.execute(delete(BatchCandidateRow).where(BatchCandidateRow.jobseeker_id == merged_id))
    return moved


def merge_needs(store: Store, kept_id: str, merged_id: str, principal: Principal) -> dict:
    """Merge need ``merged_id`` into ``kept_id`` (the same company's), audited, in one
    transaction; how many rows of each kind moved."""
    if kept_id == merged_id:
        raise SameRecord(merged_id)
    with store.transaction() as session:
        store._get(session, NeedRow, kept_id)
        merged = store._get(session, NeedRow, merged_id)
        moved = _move_need_rows(session, kept_id, merged_id)
        session.add(
            NeedMergeRow(
                merged_id=merged_id,
                kept_id=kept_id,
                data=merged.data,
                merged_by=principal.token_id,
                merged_at=utcnow(),
            )
        )
        session.execute(delete(NeedRow).where(NeedRow.id == merged_id))
        _bump(session, "needs")
        detail = {"merged": f"need:{merged_id}", "moved": moved}
        session.add(_audit_row(principal, "need.merge", f"need:{kept_id}", detail))
        return moved


def _move_need_rows(session: Session, kept_id: str, merged_id: str) -> dict[str, int]:
    moved = {"outcomes": _repoint(session, OutcomeRow, "need_id", kept_id, merged_id)}
    tallies = session.scalars(select(OutcomeTallyRow).where(OutcomeTallyRow.need_id == merged_id))
    for tally in tallies.all():
        kept = session.get(OutcomeTallyRow, (kept_id, tally.outcome))
        if kept is None:
            session.add(OutcomeTallyRow(need_id=kept_id, outcome=tally.outcome, count=tally.count))
        else:
            kept.count += tally.count
        session.delete(tally)
    decision = CandidateDecisionRow
    taken = select(decision.jobseeker_id).where(decision.need_id == kept_id)
    session.execute(
        delete(decision).where(decision.need_id == merged_id, decision.jobseeker_id.in_(taken))
    )
    moved["candidate_decisions"] = _repoint(session, decision, "need_id", kept_id, merged_id)
    moved["need_merges"] = _repoint(session, NeedMergeRow, "kept_id", kept_id, merged_id)
    session.execute(delete(BatchCandidateRow).where(BatchCandidateRow.need_id == merged_id))
    return moved


def _repoint(session: Session, table, column: str, kept_id: str, merged_id: str) -> int:
    """Make the rows of ``table`` that name ``merged_id`` in ``column`` name ``kept_id``."""
    attribute = getattr(table, column)
    statement = update(table).where(attribute == merged_id).values({column: kept_id})
    return session.execute(statement).rowcount


def jobseeker_merges(store: Store, jobseeker_id: str) -> list[dict[str, Any]]:
    """The records merged into a jobseeker, oldest first, each with its profile as it was."""
    return _merges(store, JobseekerMergeRow, jobseeker_id)


def need_merges(store: Store, need_id: str) -> list[dict[str, Any]]:
    """The needs merged into a need, oldest first, each as it was."""
    return _merges(store, NeedMergeRow, need_id)


def _merges(store: Store, table, kept_id: str) -> list[dict[str, Any]]:
    query = select(table).where(table.kept_id == kept_id).order_by(table.merged_at)
    with store.transaction() as session:
        return [
            {"merged_id": r.merged_id, "merged_at": r.merged_at, "data": r.data}
            for r in session.scalars(query)
        ]


def _erase_merged(session: Session, jobseeker_id: str) -> None:
    """Erasing a person erases what was merged into them: the audit entries about each merged
    record lose their pseudonym and free text, and kept answers naming it are forgotten (the
    merge rows themselves go with the derived rows)."""
    rows = session.scalars(
        select(JobseekerMergeRow).where(JobseekerMergeRow.kept_id == jobseeker_id)
    ).all()
    for row in rows:
        Store._anonymise_audit(session, row.merged_ref)
        _forget_answers_naming(session, row.merged_id)


ERASURE_STEPS.append(_erase_merged)
_DERIVED_BY_JOBSEEKER.append((JobseekerMergeRow, JobseekerMergeRow.kept_id))
