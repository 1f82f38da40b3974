"""Ranking: candidates for a need, and needs for a jobseeker, deterministic and explained."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from matcher.domain import Jobseeker, Match, MatchExplanation, Need
from matcher.exceptions import InvalidInput
from matcher.scoring import MatchScorer


@functools.cache
def default_scorer() -> MatchScorer:
    """A scorer with the default weights and the embedded vocabulary (built once)."""
    return MatchScorer().fit()


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput("must be a positive integer", field="limit")
    return limit


def order(
    scores: np.ndarray, excluded: np.ndarray, ids, limit: int, include_excluded: bool = False
) -> list[int]:
    """Positions of the best ``limit`` included entries, best first, ties by id; then, when
    asked, up to ``limit`` excluded ones by id."""
    # Round before ordering so that float noise never reorders equal scores.
    rounded, ids = np.round(scores, 9), np.asarray(ids)
    included = np.flatnonzero(~excluded)
    chosen = included[np.lexsort((ids[included], -rounded[included]))][:limit].tolist()
    if include_excluded:
        dropped = np.flatnonzero(excluded)
        chosen += dropped[np.argsort(ids[dropped], kind="stable")][:limit].tolist()
    return chosen


def _rank(pairs, ids, limit, scorer, include_excluded, language, explain) -> list[Match]:
    scorer = scorer or default_scorer()
    scores, values, excluded = scorer.score(pairs)
    chosen = order(scores, excluded, ids, limit, include_excluded)
    return [
        Match(
            pairs[i][0].id,
            pairs[i][1].id,
            round(float(scores[i]), 6),
            bool(excluded[i]),
            scorer.explain(*pairs[i], values[i], bool(excluded[i]), language)
            if explain
            else MatchExplanation(),
        )
        for i in chosen
    ]


def rank_candidates(
    need: Need,
    jobseekers: Sequence[Jobseeker],
    limit: int = 20,
    *,
    scorer: MatchScorer | None = None,
    include_excluded: bool = False,
    language: str = "en",
    explain: bool = True,
) -> list[Match]:
    """The best ``limit`` jobseekers for ``need``, best first, each explained.

    Excluded jobseekers (a hard requirement unmet) are left out unless ``include_excluded``,
    which appends up to ``limit`` of them, by id, with the reasons in their explanation.
    ``explain=False`` skips the explanations (for evaluation and candidate counts).
    """
    _check_limit(limit)
    pairs = [(need, person) for person in jobseekers]
    ids = [p.id for p in jobseekers]
    return _rank(pairs, ids, limit, scorer, include_excluded, language, explain)


def rank_needs(
    jobseeker: Jobseeker,
    needs: Sequence[Need],
    limit: int = 20,
    *,
    scorer: MatchScorer | None = None,
    include_excluded: bool = False,
    language: str = "en",
    explain: bool = True,
) -> list[Match]:
    """The best ``limit`` needs for ``jobseeker``, best first, each explained."""
    _check_limit(limit)
    pairs = [(need, jobseeker) for need in needs]
    ids = [n.id for n in needs]
    return _rank(pairs, ids, limit, scorer, include_excluded, language, explain)
