"""Whole-text lexical similarity: character n-gram TF-IDF over everything a profile says.

Concept mapping only sees the words a vocabulary knows. Free text it does not know (a résumé in
``summary``, a job ad in ``description``, a title like "Hadoop") still shares character n-grams
with the text of the people and needs it is about, whatever the inflection, compound or typo.
:class:`LexicalSpace` turns texts into unit vectors of character 3–5-grams (within words),
hashed so that no vocabulary has to be stored, weighted by sublinear term frequency and by
inverse document frequency. The weights in use (:func:`default_lexicon`) are learnt once from a
fixed public corpus (``scripts/build_lexicon.py``: ESCO's labels in three languages and its
English descriptions), so a text's vector depends on that text alone, never on who else is in
the database. The cosine of two vectors is the ``text_similarity`` feature, and the vectors are
the word block of stage 1.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from sklearn.utils.validation import check_is_fitted

from matcher.domain import Jobseeker, Need
from matcher.text import fold

CACHE_LIMIT = 100_000
# From this many texts on, each distinct word is hashed once (:meth:`LexicalSpace._counts`).
WORDS_HASHED_ONCE = 256
LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.npz"


def need_text(need: Need) -> str:
    """Everything a need says in words: title, description and skills."""
    skills = [*need.required_skills, *need.preferred_skills]
    return " ".join([need.title, need.description, *skills])


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """The n-grams scikit-learn's ``analyzer="char_wb"`` gives for ``fold(text)``, each
    word's n-grams computed once per process: words recur across profiles far more than
    texts do, and this is most of the cost of preparing a national population."""
    grams: list[str] = []
    for word in fold(text).split():
        grams.extend(_word_ngrams(word, *ngram_range))
    return grams


@functools.lru_cache(maxsize=500_000)
def _word_ngrams(word: str, min_n: int, max_n: int) -> tuple[str, ...]:
    padded = f" {word} "
    grams = []
    for n in range(min_n, max_n + 1):
        grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
        if len(padded) <= n:  # a short word counts once, as scikit-learn counts it
            break
    return tuple(grams)


def person_text(person: Jobseeker) -> str:
    """Everything a jobseeker says in words: headline, summary, skills, work and education."""
    parts = [person.headline, person.summary, *person.skills]
    for job in person.work_history:
        parts += [job.title, job.description]
    if person.education:
        parts += [person.education.field, *person.education.qualifications]
    return " ".join(part for part in parts if part)


class LexicalSpace(TransformerMixin, BaseEstimator):
    """Texts as unit vectors of hashed character n-grams, TF-IDF weighted.

    Parameters
    ----------
    ngram_range : tuple of int
        Smallest and largest n-gram length (within word boundaries).
    n_features : int
        Hash buckets.

    Attributes
    ----------
    idf_ : ndarray of float32
        Inverse document frequency per bucket (smoothed; unseen buckets get the largest).
    n_documents_ : int
        How many texts the IDF was learnt from.
    """

    def __init__(self, ngram_range: tuple[int, int] = (3, 5), n_features: int = 2**18) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features

    def _counts(self, texts: Iterable[str]) -> sp.csr_matrix:
        texts = list(texts)
        if not texts:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        if len(texts) >= WORDS_HASHED_ONCE:
            return self._counts_by_word(texts)
        return self._hasher().transform(texts).tocsr()

    def _counts_by_word(self, texts: list[str]) -> sp.csr_matrix:
        """The hasher's counts, with each distinct word's n-grams hashed once: a population's
        texts repeat their words many times over. The texts' word counts times the words'
        n-gram counts (whole numbers, so the sums are exact)."""
        words: dict[str, int] = {}
        ids: list[int] = []
        ends = [0]
        for text in texts:
            ids += [words.setdefault(word, len(words)) for word in fold(text).split()]
            ends.append(len(ids))
        if not words:
            return sp.csr_matrix((len(texts), self.n_features), dtype=np.float32)
        occurrences = sp.csr_matrix(
            (np.ones(len(ids), dtype=np.float32), np.asarray(ids), np.asarray(ends)),
            shape=(len(texts), len(words)),
        )
        span = tuple(self.ngram_range)
        hasher = FeatureHasher(
            self.n_features, input_type="string", dtype=np.float32, alternate_sign=False
        )
        # Each word's n-grams as the analyzer gives them (:func:`char_wb_ngrams`).
        grams = hasher.transform(_word_ngrams(word, *span) for word in words).tocsr()
        counts = sp.csr_matrix(occurrences @ grams)
        counts.sum_duplicates()  # also sorts each row's buckets, as the hasher's are
        return counts

    def _hasher(self) -> HashingVectorizer:
        return HashingVectorizer(
            analyzer=functools.partial(char_wb_ngrams, ngram_range=tuple(self.ngram_range)),
            n_features=self.n_features,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )

    def fit(self, X: Iterable[str], y=None) -> LexicalSpace:
        """Learn the IDF of the n-grams of ``X``; returns ``self``."""
        self._learn(self._counts(X))
        return self

    def fit_transform(self, X: Iterable[str], y=None) -> sp.csr_matrix:
        """Learn the IDF of ``X`` and return its vectors, hashing each text once."""
        counts = self._counts(X)
        self._learn(counts)
        return self._weigh(counts)

    def _learn(self, counts: sp.csr_matrix) -> None:
        self._need_vectors: dict[Need, sp.csr_matrix] = {}
        self._prepared: tuple[dict[Need, int], sp.csr_matrix | None] = ({}, None)
        frequency = np.bincount(counts.indices, minlength=self.n_features)
        self.n_documents_ = counts.shape[0]
        self.idf_ = (np.log((1 + self.n_documents_) / (1 + frequency)) + 1).astype(np.float32)

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Unit TF-IDF vectors of ``X`` (an empty text gives a zero row)."""
        check_is_fitted(self, "idf_")
        return self._weigh(self._counts(X))

    def _weigh(self, vectors: sp.csr_matrix) -> sp.csr_matrix:
        np.log1p(vectors.data, out=vectors.data)
        vectors.data *= self.idf_[vectors.indices]
        inplace_csr_row_normalize_l2(vectors)
        return vectors

    def people(self, people: Sequence[Jobseeker]) -> sp.csr_matrix:
        """The vectors of jobseekers' whole texts."""
        return self.transform(person_text(p) for p in people)

    def needs(self, needs: Sequence[Need]) -> sp.csr_matrix:
        """The vectors of needs' whole texts."""
        return self.transform(need_text(n) for n in needs)

    def need_vector(self, need: Need) -> sp.csr_matrix:
        """The vector of one need (cached: a need meets many people)."""
        vector = self._need_vectors.get(need)
        if vector is None:
            if len(self._need_vectors) > CACHE_LIMIT:
                self._need_vectors.clear()
            rows, prepared = self._prepared
            row = rows.get(need)
            vector = self.needs([need]) if row is None else prepared[row]
            self._need_vectors[need] = vector
        return vector

    def keep(self, needs: Sequence[Need]) -> None:
        """Vectorise at once those of ``needs`` not vectorised yet, and keep them with those
        that were (:meth:`need_vector`)."""
        missing = [need for need in dict.fromkeys(needs) if need not in self._need_vectors]
        if missing:
            keep_rows(self._need_vectors, missing, self.needs(missing), CACHE_LIMIT)

    def prepare(self, needs: Sequence[Need]) -> None:
        """Vectorise ``needs`` at once (a batch); each need's vector is then taken from the
        result when first asked by :meth:`need_vector`."""
        if needs:
            self._prepared = ({need: row for row, need in enumerate(needs)}, self.needs(needs))


def keep_rows(cache: dict, keys: Sequence, vectors: sp.csr_matrix, limit: int) -> None:
    """Keep row ``i`` of ``vectors`` in ``cache`` under ``keys[i]``, the cache emptied first
    when it would hold more than ``limit``."""
    if len(cache) + len(keys) > limit:
        cache.clear()
    cache.update((key, vectors[row]) for row, key in enumerate(keys))


@functools.cache
def default_lexicon() -> LexicalSpace:
    """The lexicon shipped with the package (``matcher/data/lexicon.npz``), loaded once."""
    with np.load(LEXICON_PATH) as stored:
        space = LexicalSpace(
            ngram_range=tuple(int(n) for n in stored["ngram_range"]),
            n_features=int(stored["n_features"]),
        )
        space.idf_ = stored["idf"].astype(np.float32)
        space.n_documents_ = int(stored["n_documents"])
    space._need_vectors = {}
    space._prepared = ({}, None)
    return space


def prune(vectors: sp.csr_matrix, keep: int | np.ndarray) -> sp.csr_matrix:
    """Each row's ``keep`` largest entries (one number for all rows, or one per row),
    rescaled to unit length: the few n-grams that carry a text, so that a sparse product over
    many texts stays cheap."""
    vectors = vectors.tocsr(copy=True)
    lengths = np.diff(vectors.indptr)
    keep = np.broadcast_to(np.asarray(keep), lengths.shape)
    if not len(lengths) or (lengths <= keep).all():
        return vectors
    mask = np.ones(vectors.nnz, dtype=bool)
    for row in np.flatnonzero(lengths > keep):
        start, end = vectors.indptr[row], vectors.indptr[row + 1]
        dropped = end - start - int(keep[row])
        smallest = np.argpartition(vectors.data[start:end], dropped)
        mask[start + smallest[:dropped]] = False
    vectors.data[~mask] = 0
    vectors.eliminate_zeros()
    inplace_csr_row_normalize_l2(vectors)
    return vectors
