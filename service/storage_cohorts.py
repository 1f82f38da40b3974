"""Persistence of cohorts (a need's seats, reserves and near-misses) and of each batch run's
allocated proposals.

Every public function runs in one transaction of the :class:`~service.storage.Store`: it
commits whole or leaves the database as it was. Both tables name people, so both are on
erasure's list (:data:`DERIVED`); their foreign keys cascade too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from matcher.cohort import Cohort
from service import storage
from service.storage import (
    Base,
    BatchCandidateRow,
    BatchRunRow,
    Document,
    JobseekerRow,
    NeedRow,
    NotFound,
    Principal,
    Store,
    UTCDateTime,
    _audit_row,
    utcnow,
)

# Proposals are kept for this many complete runs: enough to show exposure over a month.
EXPOSURE_RUNS = 30
HOLDS_A_PLACE = "role IN ('seat', 'reserve')"


class CohortRow(Base):
    """A need's cohort as last solved, with the constraints the coordinator set."""

    __tablename__ = "cohorts"
    need_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    constraints: Mapped[dict] = mapped_column(Document)
    total_score: Mapped[float] = mapped_column(Float)
    solved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    solved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CohortMemberRow(Base):
    """A person in a cohort's answer: a seat, a reserve or a near-miss, with the reasons."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        Index(
            "ux_cohort_members_one_place",
            "jobseeker_id",
            unique=True,
            sqlite_where=text(HOLDS_A_PLACE),
            postgresql_where=text(HOLDS_A_PLACE),
        ),
    )
    need_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("cohorts.need_id", ondelete="CASCADE"), primary_key=True
    )
    jobseeker_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("jobseekers.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    relocating: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list] = mapped_column(Document)


class ProposalRow(Base):
    """A proposal of the allocation across all needs, made after a batch run."""

    __tablename__ = "proposals"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("batch_runs.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    jobseeker_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("jobseekers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float)


DERIVED = [
    (CohortMemberRow, CohortMemberRow.jobseeker_id),
    (ProposalRow, ProposalRow.jobseeker_id),
]
storage._DERIVED_BY_JOBSEEKER.extend(d for d in DERIVED if d not in storage._DERIVED_BY_JOBSEEKER)


# -- cohorts -------------------------------------------------------------------------------------


def save_cohort(
    store: Store,
    cohort: Cohort,
    constraints: Mapping[str, Any],
    principal: Principal,
    audit_detail: Mapping[str, Any],
) -> dict[str, Any]:
    """Replace the need's cohort with ``cohort`` and write its audit entry; raises
    :class:`~service.storage.Conflict` when someone sits in another cohort meanwhile."""
    with store.transaction() as session:
        session.execute(delete(CohortRow).where(CohortRow.need_id == cohort.need_id))
        session.flush()
        session.add(
            CohortRow(
                need_id=cohort.need_id,
                constraints=dict(constraints),
                total_score=cohort.total_score,
                solved_by=principal.token_id,
                solved_at=utcnow(),
            )
        )
        session.flush()
        members = [*cohort.seats, *cohort.reserves, *cohort.near_misses]
        session.add_all(
            CohortMemberRow(
                need_id=cohort.need_id,
                jobseeker_id=m.jobseeker_id,
                role=m.role,
                position=position,
                score=m.score,
                relocating=m.relocating,
                reasons=[r.to_dict() for r in m.reasons],
            )
            for position, m in enumerate(members, start=1)
        )
        session.add(_audit_row(principal, "cohort.solve", f"need:{cohort.need_id}", audit_detail))
    return read_cohort(store, cohort.need_id)


def read_cohort(store: Store, need_id: str) -> dict[str, Any]:
    """A need's stored cohort: constraints, seats, reserves and near-misses in order."""
    with store.transaction() as session:
        row = session.get(CohortRow, need_id)
        if row is None:
            raise NotFound(need_id)
        members = session.scalars(
            select(CohortMemberRow)
            .where(CohortMemberRow.need_id == need_id)
            .order_by(CohortMemberRow.position)
        )
        out: dict[str, Any] = {
            "need_id": need_id,
            "constraints": row.constraints,
            "total_score": round(row.total_score, 6),
            "solved_at": row.solved_at,
            "seats": [],
            "reserves": [],
            "near_misses": [],
        }
        groups = {"seat": "seats", "reserve": "reserves", "near_miss": "near_misses"}
        for m in members:
            out[groups[m.role]].append(_member(m))
        return out


def _member(row: CohortMemberRow) -> dict[str, Any]:
    return {
        "jobseeker_id": row.jobseeker_id,
        "score": row.score,
        "role": row.role,
        "relocating": row.relocating,
        "reasons": row.reasons,
    }


def delete_cohort(store: Store, need_id: str, principal: Principal) -> None:
    """Release a need's cohort (its people may then sit elsewhere), with an audit entry."""
    with store.transaction() as session:
        if session.get(CohortRow, need_id) is None:
            raise NotFound(need_id)
        session.execute(delete(CohortRow).where(CohortRow.need_id == need_id))
        session.add(_audit_row(principal, "cohort.release", f"need:{need_id}", {}))


def placed_elsewhere(store: Store, need_id: str) -> set[str]:
    """People holding a seat or a reserve place in the cohort of another need."""
    with store.transaction() as session:
        return set(
            session.scalars(
                select(CohortMemberRow.jobseeker_id).where(
                    CohortMemberRow.need_id != need_id,
                    CohortMemberRow.role.in_(("seat", "reserve")),
                )
            )
        )


# -- proposals -----------------------------------------------------------------------------------


def run_lists(store: Store, run_id: int) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """A run's stored candidate lists for the allocation: the need ids in order, the CSR
    ``indptr``, each pair's jobseeker id and each pair's score."""
    table = BatchCandidateRow.__table__
    query = (
        select(table.c.need_id, table.c.jobseeker_id, table.c.score)
        .where(table.c.run_id == run_id)
        .order_by(table.c.need_id, table.c.rank)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    needs = [r[0] for r in rows]
    boundaries = [i for i in range(len(needs)) if i == 0 or needs[i] != needs[i - 1]]
    need_ids = [needs[i] for i in boundaries]
    indptr = np.array([*boundaries, len(rows)], dtype=np.int64)
    return need_ids, indptr, [r[1] for r in rows], np.array([r[2] for r in rows])


def existing_jobseekers(store: Store) -> set[str]:
    """The ids of every jobseeker held now."""
    with store.engine.connect() as connection:
        return _existing(connection)


def _existing(connection) -> set[str]:
    """Every jobseeker id, read on ``connection`` (a session or a connection)."""
    return set(connection.scalars(select(JobseekerRow.id)))


def save_proposals(store: Store, run_id: int, rows: Iterable[tuple[str, str, float]]) -> int:
    """Write a run's proposals ``(need_id, jobseeker_id, score)`` and drop those of runs
    beyond the last :data:`EXPOSURE_RUNS`; returns how many were written."""
    with store.transaction() as session:
        # People erased since the batch read them are left out.
        existing = _existing(session)
        rows = [
            {"run_id": run_id, "need_id": n, "jobseeker_id": j, "score": s}
            for n, j, s in rows
            if j in existing
        ]
        if rows:
            session.execute(ProposalRow.__table__.insert(), rows)
        kept = (
            select(BatchRunRow.id)
            .where(BatchRunRow.status.in_(("complete", "pruned")))
            .order_by(BatchRunRow.id.desc())
            .limit(EXPOSURE_RUNS)
        )
        session.execute(
            delete(ProposalRow).where(
                ProposalRow.run_id != run_id, ProposalRow.run_id.not_in(kept.scalar_subquery())
            )
        )
    return len(rows)


def need_proposals(store: Store, run_id: int, need_id: str) -> list[dict[str, Any]]:
    """A need's proposals in a run, best first."""
    query = (
        select(ProposalRow.jobseeker_id, ProposalRow.score)
        .where(ProposalRow.run_id == run_id, ProposalRow.need_id == need_id)
        .order_by(ProposalRow.score.desc(), ProposalRow.jobseeker_id)
    )
    with store.engine.connect() as connection:
        return [row._asdict() for row in connection.execute(query)]


def proposals_of(
    store: Store, run_id: int, jobseeker_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Each person's proposals in a run (need and score), best first."""
    query = (
        select(ProposalRow.jobseeker_id, ProposalRow.need_id, ProposalRow.score)
        .where(ProposalRow.run_id == run_id, ProposalRow.jobseeker_id.in_(list(jobseeker_ids)))
        .order_by(ProposalRow.score.desc(), ProposalRow.need_id)
    )
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in jobseeker_ids}
    with store.engine.connect() as connection:
        for person, need, score in connection.execute(query):
            out[person].append({"need_id": need, "score": score})
    return out


def exposure(store: Store, jobseeker_id: str | None = None) -> dict[str, int]:
    """How many proposals each person (or only ``jobseeker_id``) has had over the kept
    complete runs."""
    query = (
        select(ProposalRow.jobseeker_id, func.count())
        .join(BatchRunRow, BatchRunRow.id == ProposalRow.run_id)
        .where(BatchRunRow.status.in_(("complete", "pruned")))
        .group_by(ProposalRow.jobseeker_id)
    )
    if jobseeker_id is not None:
        query = query.where(ProposalRow.jobseeker_id == jobseeker_id)
    with store.engine.connect() as connection:
        return dict(connection.execute(query).all())


def proposed_runs(store: Store) -> int:
    """How many complete runs have proposals."""
    query = (
        select(func.count(func.distinct(ProposalRow.run_id)))
        .join(BatchRunRow, BatchRunRow.id == ProposalRow.run_id)
        .where(BatchRunRow.status.in_(("complete", "pruned")))
    )
    with store.engine.connect() as connection:
        return connection.scalar(query) or 0


def need_titles(store: Store, need_ids: Iterable[str]) -> dict[str, str]:
    """Titles of needs by id (for naming where someone was proposed)."""
    ids = sorted(set(need_ids))
    with store.engine.connect() as connection:
        rows = connection.execute(select(NeedRow.id, NeedRow.data).where(NeedRow.id.in_(ids)))
        return {need_id: data.get("title", "") for need_id, data in rows}
