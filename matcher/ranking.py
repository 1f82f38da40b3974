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


def _rank(pairs, ids, limit, scorer, include_excluded, language, explain) -> list[Match]:
    scorer = scorer or default_scorer()
    scores, values, unmet = scorer.score(pairs)
    # Round before ordering so that float noise never reorders equal scores; ties go by id.
    rounded = np.round(scores, 9)
    included = sorted(
        (i for i in range(len(pairs)) if not unmet[i]), key=lambda i: (-rounded[i], ids[i])
    )
    chosen = included[:limit]
    if include_excluded:
        excluded = sorted((i for i in range(len(pairs)) if unmet[i]), key=lambda i: ids[i])
        chosen += excluded[:limit]
    return [
        Match(
            pairs[i][0].id,
            pairs[i][1].id,
            round(float(scores[i]), 6),
            bool(unmet[i]),
            scorer.explain(*pairs[i], values[i], unmet[i], language)
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
