"""What happened with a person, read for their page: every outcome recorded and every pin
or hide standing for them, with the needs' titles, in time order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.storage import CandidateDecisionRow, OutcomeRow, Store


def person_history(store: Store, jobseeker_id: str) -> list[dict[str, Any]]:
    """The outcomes about ``jobseeker_id`` and the recruiters' standing decisions, oldest
    first: each with ``at``, ``need_id``, ``title``, ``kind`` (``outcome`` or ``decision``),
    ``what`` (the outcome or the action) and ``text`` (the note or the reason)."""
    with store.transaction() as session:
        outcomes = session.scalars(
            select(OutcomeRow).where(OutcomeRow.jobseeker_id == jobseeker_id)
        ).all()
        decisions = session.scalars(
            select(CandidateDecisionRow).where(CandidateDecisionRow.jobseeker_id == jobseeker_id)
        ).all()
        entries = [
            _entry(o.created_at, o.id, o.need_id, "outcome", o.outcome, o.note) for o in outcomes
        ]
        entries += [
            _entry(d.decided_at, 0, d.need_id, "decision", d.action, d.reason) for d in decisions
        ]
    titles = {
        i: need.title for i, need in store.needs_by_id({e["need_id"] for e in entries}).items()
    }
    entries.sort(key=lambda e: (e["at"], e["kind"] == "decision", e["order"]))
    return [
        {**{k: v for k, v in e.items() if k != "order"}, "title": titles.get(e["need_id"], "")}
        for e in entries
    ]


def _entry(at, order: int, need_id: str, kind: str, what: str, text: str | None) -> dict:
    return {
        "at": at,
        "order": order,
        "need_id": need_id,
        "kind": kind,
        "what": what,
        "text": text or "",
    }
