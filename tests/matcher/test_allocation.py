"""The allocation across needs: exact against an LP on small instances, capacities hold, and
it reaches more needs and people than each need ranking alone under the same per-person cap."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.allocation import (
    CandidateLists,
    Policy,
    allocate,
    independent_top,
    keep_best_per_person,
    summarise,
)
from matcher.exceptions import InvalidInput


def random_lists(seed: int, needs: int = 12, people: int = 20, per_need: int = 6):
    rng = np.random.default_rng(seed)
    chosen = [rng.choice(people, per_need, replace=False) for _ in range(needs)]
    # Person 0 and 1 are strong everywhere: they head many lists.
    scores = [np.round(0.4 + 0.5 * (c < 2) + 0.1 * rng.random(per_need), 4) for c in chosen]
    return CandidateLists(
        indptr=np.arange(0, needs * per_need + 1, per_need),
        people=np.concatenate(chosen),
        scores=np.concatenate(scores),
        positions=rng.integers(1, 3, needs),
    )


def best_total_by_lp(lists: CandidateLists, policy: Policy) -> float:
    """The optimum of the same problem without bonuses, by HiGHS's integer programming."""
    pairs = len(lists.people)
    need = lists.need_of_pair()
    by_need = np.zeros((lists.n_needs, pairs))
    by_need[need, np.arange(pairs)] = 1
    people = np.unique(lists.people)
    by_person = (lists.people[None, :] == people[:, None]).astype(float)
    rules = [
        LinearConstraint(by_need, 0, lists.positions * policy.per_position),
        LinearConstraint(by_person, 0, policy.per_person),
    ]
    result = milp(-lists.scores, constraints=rules, integrality=np.ones(pairs), bounds=Bounds(0, 1))
    return -result.fun


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("c, m", [(1, 1), (2, 2), (3, 1)])
def test_allocation_without_bonuses_reaches_the_optimum(seed, c, m):
    lists = random_lists(seed)
    policy = Policy(per_position=c, per_person=m, cover_bonus=0, spread_bonus=0)
    chosen = allocate(lists, policy)
    assert lists.scores[chosen].sum() == pytest.approx(best_total_by_lp(lists, policy), abs=1e-4)


@pytest.mark.parametrize("seed", range(5))
def test_capacities_hold(seed):
    lists = random_lists(seed)
    policy = Policy(per_position=2, per_person=2)
    chosen = allocate(lists, policy)
    per_need = np.bincount(lists.need_of_pair()[chosen], minlength=lists.n_needs)
    assert (per_need <= lists.positions * 2).all()
    assert np.bincount(lists.people[chosen]).max() <= 2


def test_allocation_reaches_more_needs_and_people_than_capped_top_n():
    lists = random_lists(3, needs=40, people=60, per_need=8)
    policy = Policy(per_position=2, per_person=2)
    chosen = allocate(lists, policy)
    top = keep_best_per_person(lists, independent_top(lists, policy), 2)
    ours, theirs = summarise(lists, chosen, 2), summarise(lists, top, 2)
    assert ours.needs_covered > theirs.needs_covered
    assert ours.distinct_people > theirs.distinct_people
    assert summarise(lists, independent_top(lists, policy), 2).max_per_person > 2


def test_fresh_bonus_brings_in_people_never_proposed():
    # Two needs, one seat each; A scores a little better everywhere, B was never proposed.
    lists = CandidateLists(
        indptr=np.array([0, 2]),
        people=np.array([0, 1]),
        scores=np.array([0.80, 0.78]),
        positions=np.array([1]),
    )
    policy = Policy(per_position=1, per_person=1, cover_bonus=0, spread_bonus=0)
    assert allocate(lists, policy).tolist() == [True, False]
    fresh = Policy(per_position=1, per_person=1, cover_bonus=0, spread_bonus=0, fresh_bonus=0.1)
    assert allocate(lists, fresh, exposure=np.array([9, 0])).tolist() == [False, True]


def test_independent_top_takes_each_needs_best():
    lists = CandidateLists(
        indptr=np.array([0, 3, 5]),
        people=np.array([0, 1, 2, 0, 3]),
        scores=np.array([0.5, 0.9, 0.7, 0.6, 0.8]),
        positions=np.array([1, 1]),
    )
    assert independent_top(lists, Policy(per_position=2)).tolist() == [
        False,
        True,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize("field", ["per_position", "per_person"])
def test_policy_refuses_zero_capacities(field):
    with pytest.raises(InvalidInput) as error:
        Policy(**{field: 0})
    assert error.value.field == field
