"""The protocol every feature family follows.

A family is a scikit-learn transformer over a sequence of ``(need, jobseeker)`` pairs that
returns named numeric columns in [0, 1]. A family may also state hard requirements: a pair
that fails one is excluded from ranking, with the reason recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from matcher.domain import Jobseeker, Need, Requirement
from matcher.exceptions import InvalidInput

Pair = tuple[Need, Jobseeker]


def check_pairs(pairs: Sequence[Pair]) -> Sequence[Pair]:
    """Validate that ``pairs`` is a sequence of (Need, Jobseeker) tuples."""
    for index, pair in enumerate(pairs):
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or not isinstance(pair[0], Need)
            or not isinstance(pair[1], Jobseeker)
        ):
            raise InvalidInput("must be a (Need, Jobseeker) tuple", field=f"pairs[{index}]")
    return pairs


class PairFeatures(TransformerMixin, BaseEstimator):
    """Base class of rule feature families: one row of values per pair.

    Subclasses set ``feature_names`` and implement ``values``; those with hard requirements
    override ``requirements``. ``as_of`` is the reference date (today when None).
    """

    feature_names: tuple[str, ...] = ()

    def __init__(self, as_of: dt.date | None = None) -> None:
        self.as_of = as_of

    def fit(self, X: Sequence[Pair] = (), y=None):
        """Validate the pairs and fix the reference date; returns ``self``."""
        check_pairs(X)
        self.as_of_ = self.as_of or dt.date.today()
        self.n_features_out_ = len(self.feature_names)
        return self

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Feature values, one row per pair, one column per name."""
        check_is_fitted(self, "as_of_")
        check_pairs(X)
        rows = [self.values(need, person) for need, person in X]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.feature_names))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the columns that ``transform`` returns."""
        return np.asarray(self.feature_names, dtype=object)

    def values(self, need: Need, person: Jobseeker) -> tuple[float, ...]:
        """Feature values for one pair."""
        raise NotImplementedError

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        """Hard requirements of ``need`` that ``person`` does not meet."""
        return []

    def preferences(self, need: Need, person: Jobseeker) -> list[str]:
        """Soft preferences of ``need`` (or of the person) that the pair does not meet."""
        return []
