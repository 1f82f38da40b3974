"""The ranking contract shared by the engine, the baselines and the evaluation.

A ranker holds its candidates, prepared once, and answers ``top(need, limit=...)`` with a
:class:`Ranking`: the best candidates' ids, best first, with their scores. The engine
(:meth:`matcher.engine.MatchEngine.top`) is the only ranker the service, the batch and the
command line use; the baselines (:mod:`matcher.baselines`) exist to be compared with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from matcher.domain import MatchExplanation, Need
from matcher.exceptions import InvalidInput


@dataclass(frozen=True)
class Ranking:
    """A ranked list for one need: candidate ids best first, their scores, and (when asked
    for) their explanations."""

    ids: list[str]
    scores: list[float]
    explanations: list[MatchExplanation] | None = None


@runtime_checkable
class Ranker(Protocol):
    """Anything that ranks its prepared candidates for a need."""

    def top(self, need: Need, *, limit: int) -> Ranking:
        """The best ``limit`` candidates for ``need``, best first."""
        ...


def check_limit(limit: int) -> int:
    """``limit`` when it is a positive integer, else :class:`InvalidInput` naming ``limit``."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput("must be a positive integer", field="limit")
    return limit


def order(
    scores: np.ndarray,
    excluded: np.ndarray,
    ids,
    limit: int,
    include_excluded: bool = False,
    remedied: np.ndarray | None = None,
) -> list[int]:
    """Positions of the best ``limit`` included entries, best first, ties by id; then, when
    asked, up to ``limit`` excluded ones: best first by ``remedied`` (the scores they would
    have with their unmet requirements met), else by id."""
    ids = np.asarray(ids)
    included = np.flatnonzero(~excluded)
    chosen = _best_first(included, scores, ids)[:limit].tolist()
    if include_excluded:
        dropped = np.flatnonzero(excluded)
        if remedied is None:
            chosen += dropped[np.argsort(ids[dropped], kind="stable")][:limit].tolist()
        else:
            chosen += _best_first(dropped, remedied, ids)[:limit].tolist()
    return chosen


def _best_first(positions: np.ndarray, scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    # Round before ordering so that float noise never reorders equal scores.
    rounded = np.round(scores[positions], 9)
    return positions[np.lexsort((ids[positions], -rounded))]
