"""Meaning fit: how close a need's text and a person's are in meaning (``meaning_similarity``).

The cosine of their sentence embeddings (:mod:`matcher.embedding`): it knows that
"kassapersonal" and "cashier" or "web content manager" and "verkkosisällön tuottaja" are the
same work where neither a vocabulary nor shared letters say so. The model's cosines of
unrelated texts already sit around 0.8, so the feature rescales them: ``floor`` and below
reads as 0, ``floor + span`` and above as 1. Without the model the feature is 0 for every
pair and the scorer gives it no weight.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from matcher.domain import Jobseeker, Need
from matcher.embedding import TextEmbedder, default_embedder
from matcher.features.base import NamedColumns, Pair, check_pairs, group_by_need, row_dot


class MeaningFit(NamedColumns, TransformerMixin, BaseEstimator):
    """Sentence-embedding similarity feature family.

    Parameters
    ----------
    embedder : TextEmbedder, "default" or None
        Where vectors come from: ``"default"`` is :func:`~matcher.embedding.default_embedder`
        (None when the model is not installed); None turns the feature off.
    floor, span : float
        The cosine read as 0, and how far above it a cosine reads as 1.
    """

    feature_names = ("meaning_similarity",)

    def __init__(
        self,
        embedder: TextEmbedder | str | None = "default",
        floor: float = 0.78,
        span: float = 0.12,
    ) -> None:
        self.embedder = embedder
        self.floor = floor
        self.span = span

    def fit(self, X: Sequence[Pair] = (), y=None) -> MeaningFit:
        """Take the embedder (nothing is learnt from ``X``); returns ``self``."""
        check_pairs(X)
        self.embedder_ = default_embedder() if self.embedder == "default" else self.embedder
        return self

    @property
    def active(self) -> bool:
        """Whether the feature has a model (else it is 0 everywhere)."""
        check_is_fitted(self, "embedder_")
        return self.embedder_ is not None

    def people(self, people: Sequence[Jobseeker]) -> np.ndarray:
        """The people's passage vectors (no columns without a model)."""
        if not self.active:
            return np.zeros((len(people), 0), dtype=np.float32)
        return self.embedder_.people(people)

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Feature values, one row per pair."""
        check_is_fitted(self, "embedder_")
        check_pairs(X)
        out = np.zeros((len(X), 1))
        for need, rows in group_by_need(X).items():
            out[rows] = self.need_values(need, self.people([X[r][1] for r in rows]))
        return out

    def need_values(self, need: Need, people: np.ndarray) -> np.ndarray:
        """The rescaled cosine of ``need``'s query vector with each row of ``people`` (their
        passage vectors), as one column."""
        if not self.active or not people.shape[0] or not people.shape[1]:
            return np.zeros((people.shape[0], 1))
        cosine = row_dot(people, self.embedder_.need(need))
        return np.clip((cosine[:, None] - self.floor) / self.span, 0.0, 1.0).astype(float)
