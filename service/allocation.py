"""The allocation step of the nightly batch: one capacitated assignment over the run's stored
candidate lists (:mod:`matcher.allocation`), stored as the run's proposals.

Proposals are served beside each need's ranking, never instead of it; earlier runs'
proposals give each person's exposure, which the fairness report compares across groups and
which, with ``fresh_bonus``, lets people rarely proposed rise.
"""

from __future__ import annotations

import time
from collections.abc import Container, Mapping, Sequence

import numpy as np

from matcher.allocation import CandidateLists, Policy, allocate, summarise
from service import storage_cohorts as cohorts
from service.storage import Store


def allocate_run(
    store: Store,
    run_id: int,
    positions: Mapping[str, int],
    policy: Policy,
    lists: Mapping[str, tuple[Sequence[str], Sequence[float]]] | None = None,
) -> dict:
    """Allocate the run's candidate lists and store the proposals; the summary says what it
    achieved (needs covered with at least ``c`` proposals, distinct people, the most any
    one person holds) and how long it took. ``lists``: the lists as the batch kept them
    while writing them (:func:`kept_lists`), else they are read back from the run."""
    start = time.perf_counter()
    if lists is None:
        need_ids, indptr, people, scores = cohorts.run_lists(store, run_id)
    else:
        need_ids, indptr, people, scores = kept_lists(lists, cohorts.existing_jobseekers(store))
    if not people:
        return {"proposals": 0, "seconds": 0.0}
    # Ids to indices in one pass: sorting millions of strings would take longer.
    index: dict[str, int] = {}
    person_index = np.fromiter((index.setdefault(p, len(index)) for p in people), np.int64)
    person_ids = list(index)
    lists = CandidateLists(
        indptr=indptr,
        people=person_index,
        scores=scores,
        positions=np.array([positions.get(n, 1) for n in need_ids], dtype=np.int64),
    )
    earlier = cohorts.exposure(store)
    exposure = np.array([earlier.get(p, 0) for p in person_ids])
    chosen = allocate(lists, policy, exposure)
    need_of = lists.need_of_pair()
    rows = [
        (need_ids[need_of[i]], person_ids[lists.people[i]], float(scores[i]))
        for i in np.flatnonzero(chosen)
    ]
    cohorts.save_proposals(store, run_id, rows)
    summary = summarise(lists, chosen, policy.per_position)
    return {
        "per_position": policy.per_position,
        "per_person": policy.per_person,
        "proposals": summary.proposals,
        "needs_covered": summary.needs_covered,
        "distinct_people": summary.distinct_people,
        "max_per_person": summary.max_per_person,
        "seconds": round(time.perf_counter() - start, 2),
    }


def kept_lists(
    lists: Mapping[str, tuple[Sequence[str], Sequence[float]]], existing: Container[str]
) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """A run's lists as the batch kept them (by need id: its people and their stored scores,
    best first) in the form :func:`storage_cohorts.run_lists` reads them back: needs by id,
    the people not ``existing`` (erased since the batch read them) left out, as the run's
    stored rows leave them out."""
    need_ids, indptr, people, scores = [], [0], [], []
    for need_id in sorted(lists):
        ids, values = lists[need_id]
        kept = [(i, v) for i, v in zip(ids, values, strict=True) if i in existing]
        if kept:
            need_ids.append(need_id)
            people += [i for i, _ in kept]
            scores += [v for _, v in kept]
            indptr.append(len(people))
    return need_ids, np.array(indptr, dtype=np.int64), people, np.array(scores, dtype=float)
