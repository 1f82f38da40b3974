"""Text fit: the cosine of a need's whole text with a jobseeker's (``text_similarity``).

The one feature that needs no vocabulary: a person described only in free text, or a need
whose words map to no concept, is compared by the character n-grams they share
(:mod:`matcher.lexical`), weighted by the lexicon shipped with the package.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from matcher.domain import Need
from matcher.features.base import NamedColumns, Pair, check_pairs, group_by_need, sparse_cosines
from matcher.lexical import LexicalSpace, default_lexicon


class TextFit(NamedColumns, TransformerMixin, BaseEstimator):
    """Whole-text lexical similarity feature family.

    Parameters
    ----------
    lexicon : LexicalSpace or None
        The n-gram weights; the shipped :func:`~matcher.lexical.default_lexicon` when None.
    """

    feature_names = ("text_similarity",)

    def __init__(self, lexicon: LexicalSpace | None = None) -> None:
        self.lexicon = lexicon

    def fit(self, X: Sequence[Pair] = (), y=None) -> TextFit:
        """Take the lexicon (nothing is learnt from ``X``); returns ``self``."""
        check_pairs(X)
        self.space_ = self.lexicon or default_lexicon()
        return self

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Feature values, one row per pair."""
        check_is_fitted(self, "space_")
        check_pairs(X)
        out = np.zeros((len(X), 1))
        for need, rows in group_by_need(X).items():
            out[rows] = self.need_values(need, self.space_.people([X[r][1] for r in rows]))
        return out

    def need_values(self, need: Need, people: sp.csr_matrix) -> np.ndarray:
        """The cosine of ``need``'s text with each row of ``people`` (the people's vectors in
        this family's lexicon), as one column."""
        if not people.shape[0]:
            return np.zeros((0, 1))
        cosine = sparse_cosines(people, self.space_.need_vector(need))
        return np.clip(cosine, 0.0, 1.0)[:, None]
