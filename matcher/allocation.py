"""One allocation across all open needs: a capacitated assignment over stored candidate lists.

Each need ranks alone, so the same strong people head dozens of lists while others appear on
none. The allocation chooses *proposals* from the lists so that each need gets at most
``positions × c`` of them and each person holds at most ``m``, maximising the total score,
solved exactly as a min-cost flow (OR-Tools' ``SimpleMinCostFlow``).

The network: source → person (capacity ``m``) → need (capacity 1, cost −score) → sink
(capacity ``positions × c``), and a bypass source → sink so that nobody has to be proposed.
Two optional bonuses trade a little score for reach, kept exact because costs stay convex: a
need's first ``c`` proposals earn ``cover_bonus`` each (covering a need beats adding a fourth
proposal elsewhere), and a person's first proposal earns ``spread_bonus`` plus, for people
rarely proposed in earlier runs, ``fresh_bonus / (1 + earlier proposals)``. The bonuses are in
score units and never read who a person is, only how often they were proposed.

The lists are a CSR structure: ``indptr`` (one slice per need), ``people`` (integer person
indices) and ``scores``; everything is vectorised, so 100,000 needs × 50 candidates solve in
seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matcher.exceptions import InvalidInput

# Scores are in [0, 1]; the solver wants integer costs.
SCALE = 1_000_000


@dataclass(frozen=True)
class CandidateLists:
    """Every need's candidates, as CSR arrays.

    Parameters
    ----------
    indptr : ndarray of int, shape (n_needs + 1,)
        Need ``i``'s candidates are ``people[indptr[i]:indptr[i + 1]]``.
    people : ndarray of int, shape (n_pairs,)
        Person index of each pair (into the caller's list of person ids).
    scores : ndarray of float, shape (n_pairs,)
        Score of each pair, in [0, 1].
    positions : ndarray of int, shape (n_needs,)
        Each need's ``positions``.
    """

    indptr: np.ndarray
    people: np.ndarray
    scores: np.ndarray
    positions: np.ndarray

    @property
    def n_needs(self) -> int:
        """How many needs."""
        return len(self.indptr) - 1

    def need_of_pair(self) -> np.ndarray:
        """The need index of every pair."""
        return np.repeat(np.arange(self.n_needs), np.diff(self.indptr))


@dataclass(frozen=True)
class Policy:
    """The coordinator's settings for an allocation.

    Parameters
    ----------
    per_position : int
        ``c``: a need gets at most ``positions × c`` proposals; covered means at least ``c``.
    per_person : int
        ``m``: a person holds at most this many proposals at once.
    cover_bonus, spread_bonus, fresh_bonus : float
        Score units gained by a need's first ``c`` proposals, by a person's first proposal,
        and (divided by one plus their earlier proposals) by a rarely proposed person's first.
    """

    per_position: int = 3
    per_person: int = 4
    cover_bonus: float = 0.05
    spread_bonus: float = 0.02
    fresh_bonus: float = 0.0

    def __post_init__(self) -> None:
        if self.per_position < 1:
            raise InvalidInput("must be at least 1", field="per_position")
        if self.per_person < 1:
            raise InvalidInput("must be at least 1", field="per_person")
        for name in ("cover_bonus", "spread_bonus", "fresh_bonus"):
            if not 0 <= getattr(self, name) <= 1:
                raise InvalidInput("must be between 0 and 1", field=name)


DEFAULT_POLICY = Policy()


def allocate(
    lists: CandidateLists, policy: Policy = DEFAULT_POLICY, exposure: np.ndarray | None = None
) -> np.ndarray:
    """The optimal proposals: a boolean mask over the pairs of ``lists``.

    ``exposure[p]`` is how often person ``p`` was proposed in earlier runs (used with
    ``policy.fresh_bonus``). The answer maximises the total score plus bonuses under the
    capacities exactly; ties are broken by the solver.
    """
    people, person_node = np.unique(lists.people, return_inverse=True)
    need_cap = lists.positions.astype(np.int64) * policy.per_position
    arcs = _arcs(lists, policy, people, person_node, need_cap, exposure)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(*arcs)
    supply = int(need_cap.sum())
    flow.set_node_supply(0, supply)
    flow.set_node_supply(1, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    first_pair = 2 * len(people)
    return flow.flows(np.arange(first_pair, first_pair + len(lists.people))) > 0


def _arcs(lists, policy, people, person_node, need_cap, exposure):
    n_people, n_needs = len(people), lists.n_needs
    person = 2 + np.arange(n_people)
    need = 2 + n_people + np.arange(n_needs)
    first = np.minimum(need_cap, policy.per_position)
    bonus = np.full(n_people, float(policy.spread_bonus))
    if exposure is not None and policy.fresh_bonus:
        bonus += policy.fresh_bonus / (1.0 + np.asarray(exposure, dtype=float)[people])
    source, sink = np.zeros(n_people, np.int64), np.ones(n_needs, np.int64)
    parts = [
        # Pairs come right after the two arcs per person, so their flows are one slice.
        (source, person, np.ones(n_people), -_cost(bonus)),
        (source, person, np.full(n_people, policy.per_person - 1), np.zeros(n_people)),
        (
            2 + person_node,
            2 + n_people + lists.need_of_pair(),
            np.ones(len(lists.people)),
            -_cost(lists.scores),
        ),
        (need, sink, first, np.full(n_needs, -_cost(policy.cover_bonus))),
        (need, sink, need_cap - first, np.zeros(n_needs)),
        (np.zeros(1), np.ones(1), np.array([need_cap.sum()]), np.zeros(1)),
    ]
    return [np.concatenate([p[i] for p in parts]).astype(np.int64) for i in range(4)]


def _cost(values) -> np.ndarray:
    return np.rint(np.asarray(values, dtype=float) * SCALE).astype(np.int64)


def independent_top(lists: CandidateLists, policy: Policy = DEFAULT_POLICY) -> np.ndarray:
    """Each need's best ``positions × c`` candidates, each need alone (the per-need ranking)."""
    need = lists.need_of_pair()
    order = np.lexsort((-lists.scores, need))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - lists.indptr[need[order]]
    return rank < lists.positions[need] * policy.per_position


def keep_best_per_person(lists: CandidateLists, chosen: np.ndarray, per_person: int) -> np.ndarray:
    """``chosen`` with each person keeping only their ``per_person`` best-scoring pairs."""
    picked = np.flatnonzero(chosen)
    order = picked[np.lexsort((-lists.scores[picked], lists.people[picked]))]
    people = lists.people[order]
    start = np.searchsorted(people, people, side="left")
    kept = np.zeros_like(chosen)
    kept[order[np.arange(len(order)) - start < per_person]] = True
    return kept


@dataclass(frozen=True)
class Summary:
    """What a set of proposals achieves."""

    proposals: int
    needs_covered: int
    distinct_people: int
    max_per_person: int
    total_score: float


def summarise(lists: CandidateLists, chosen: np.ndarray, per_position: int) -> Summary:
    """Needs with at least ``per_position`` proposals, distinct people, the most any one
    person holds, and the total score of ``chosen``."""
    per_need = np.bincount(lists.need_of_pair()[chosen], minlength=lists.n_needs)
    per_person = np.bincount(lists.people[chosen]) if chosen.any() else np.zeros(1, np.int64)
    return Summary(
        proposals=int(chosen.sum()),
        needs_covered=int((per_need >= per_position).sum()),
        distinct_people=int((per_person > 0).sum()),
        max_per_person=int(per_person.max()),
        total_score=float(lists.scores[chosen].sum()),
    )


def score_lost(reference: Summary, other: Summary) -> float:
    """How much less total score ``other`` has than ``reference``, in %."""
    if reference.total_score == 0:
        return 0.0
    return 100.0 * (reference.total_score - other.total_score) / reference.total_score
