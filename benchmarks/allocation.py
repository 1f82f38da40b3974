"""The allocation across all needs at national size, against independent per-need top-N.

Candidate lists are synthetic (:func:`synthetic_lists`): each need lists the 50 best of a
pool drawn from its area, so strong people head many lists of their area. Prints wall time
and peak memory of the solve, and for the allocation, the independent top-N and the top-N
with each person keeping their best ``m``: needs covered with at least ``c`` proposals,
distinct people, the most proposals any one person holds, and total score lost against the
independent top-N.

    python benchmarks/allocation.py                    # 100,000 needs × 50, 300,000 people
    python benchmarks/allocation.py --needs 10000 --people 30000
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

from matcher.allocation import (
    CandidateLists,
    Policy,
    allocate,
    independent_top,
    keep_best_per_person,
    score_lost,
    summarise,
)


def synthetic_lists(
    needs: int, people: int, per_need: int, pool: int = 500, seed: int = 7
) -> CandidateLists:
    """Candidate lists as the batch makes them: people and needs live in 300 areas of
    Zipf-like sizes; each need draws a pool of ``pool`` people of its area and lists its
    ``per_need`` best by score, which mixes the person's strength and the pair's fit (so
    strong people head many lists of their area)."""
    rng = np.random.default_rng(seed)
    sizes = 1.0 / np.arange(1, 301) ** 0.8
    person_area = rng.choice(300, people, p=sizes / sizes.sum())
    need_area = rng.choice(300, needs, p=sizes / sizes.sum())
    strength = rng.beta(2, 2, people)
    by_area = np.argsort(person_area, kind="stable")
    starts = np.searchsorted(person_area[by_area], np.arange(301))
    chosen, scores = [], []
    for area in need_area:
        members = by_area[starts[area] : starts[area + 1]]
        drawn = rng.choice(members, min(pool, len(members)), replace=False)
        score = 0.3 + 0.3 * strength[drawn] + 0.4 * rng.beta(2, 3, len(drawn))
        best = np.argsort(-score)[:per_need]
        chosen.append(drawn[best])
        scores.append(score[best])
    positions = np.where(rng.random(needs) < 0.9, 1, rng.integers(2, 13, needs))
    return CandidateLists(
        indptr=np.concatenate([[0], np.cumsum([len(c) for c in chosen])]),
        people=np.concatenate(chosen),
        scores=np.concatenate(scores),
        positions=positions,
    )


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--per-need", type=int, default=50)
    parser.add_argument("--c", type=int, default=3)
    parser.add_argument("--m", type=int, default=4)
    parser.add_argument("--cover-bonus", type=float, default=Policy.cover_bonus)
    parser.add_argument("--spread-bonus", type=float, default=Policy.spread_bonus)
    args = parser.parse_args()
    lists = synthetic_lists(args.needs, args.people, args.per_need)
    policy = Policy(
        per_position=args.c,
        per_person=args.m,
        cover_bonus=args.cover_bonus,
        spread_bonus=args.spread_bonus,
    )
    before = peak_mib()
    start = time.perf_counter()
    chosen = allocate(lists, policy)
    seconds = time.perf_counter() - start
    top = independent_top(lists, policy)
    reference = summarise(lists, top, args.c)
    rows = {
        "allocation": summarise(lists, chosen, args.c),
        "independent top-N": reference,
        "top-N, each person keeps best m": summarise(
            lists, keep_best_per_person(lists, top, args.m), args.c
        ),
    }
    print(
        json.dumps(
            {
                "needs": args.needs,
                "people": args.people,
                "pairs": len(lists.people),
                "c": args.c,
                "m": args.m,
                "cover_bonus": args.cover_bonus,
                "spread_bonus": args.spread_bonus,
                "solve_seconds": round(seconds, 2),
                "peak_rss_mib_before_solve": round(before),
                "peak_rss_mib": round(peak_mib()),
            }
        )
    )
    print(f"{'':34} {'covered≥c':>10} {'people':>8} {'max/person':>10} {'score':>11} {'lost %':>7}")
    for name, s in rows.items():
        lost = score_lost(reference, s)
        print(
            f"{name:34} {s.needs_covered:>10} {s.distinct_people:>8} {s.max_per_person:>10}"
            f" {s.total_score:>11.1f} {lost:>7.2f}"
        )


if __name__ == "__main__":
    main()
