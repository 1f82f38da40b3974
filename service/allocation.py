"""The allocation step of the nightly batch: one capacitated assignment over the run's stored
candidate lists (:mod:`matcher.allocation`), stored as the run's proposals.

Proposals are served beside each need's ranking, never instead of it; earlier runs'
proposals give each person's exposure, which the fairness report compares across groups and
which, with ``fresh_bonus``, lets people rarely proposed rise.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np

from matcher.allocation import CandidateLists, Policy, allocate, summarise
from service import storage_cohorts as cohorts
from service.storage import Store


def allocate_run(store: Store, run_id: int, positions: Mapping[str, int], policy: Policy) -> dict:
    """Allocate the run's candidate lists and store the proposals; the summary says what it
    achieved (needs covered with at least ``c`` proposals, distinct people, the most any
    one person holds) and how long it took."""
    start = time.perf_counter()
    need_ids, indptr, people, scores = cohorts.run_lists(store, run_id)
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
