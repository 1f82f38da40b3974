"""Meaning fit: how close a need's text and a person's are in meaning (``meaning_similarity``).

The cosine of their sentence embeddings (:mod:`matcher.embedding`): it knows that
"kassapersonal" and "cashier" or "web content manager" and "verkkosisällön tuottaja" are the
same work where neither a vocabulary nor shared letters say so. The model places texts of
one language close together whatever work they name (its cosines of unrelated texts sit
around 0.8, higher within a language), so each vector is first taken less the mean embedding
of the languages' occupation labels and without the directions that tell those languages
apart (:meth:`MeaningFit.language_free`): the cosines of unrelated texts then sit around 0,
and a Finnish need meets Swedish and English profiles on the work they name rather than
behind those in its own language. A need's title that names an occupation is read together
with that occupation's names in the other languages (``title_names``): the small model reads
"vesiviljelyasiantuntija" far less surely than "aquaculture specialist". The feature
rescales the cosine: ``floor`` and below reads as 0, ``floor + span`` and above as 1.
Without the model the feature is 0 for every pair and the scorer gives it no weight.

For stage 1, whose sparse product cannot read dense vectors, :meth:`MeaningFit.regions`
names the few regions of the embedding space nearest a text (centres learnt once from ESCO's
occupation labels by ``scripts/build_meaning_regions.py``): two texts in the same region
share a column, so a person is proposed for a need close in meaning even with no word or
concept in common.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from matcher.domain import Jobseeker, Need
from matcher.embedding import DIMENSIONS, NAME, TextEmbedder, default_embedder, digest
from matcher.features.base import NamedColumns, Pair, check_pairs, group_by_need, row_dot
from matcher.text import normalise

REGIONS_PATH = Path(__file__).parent.parent / "data" / "meaning_regions.npz"
REGION_CHUNK = 16_384
#: The query vectors of every occupation's names in the shipped vocabulary
#: (``scripts/build_occupation_names.py``).
NAMES_PATH = Path(__file__).parent.parent / "data" / "occupation_names.npz"
# Titles whose names' vector is kept, before the memory starts over.
NAMES_CACHE_LIMIT = 100_000
# How much a need's title counts against the whole text of a person with no title, beside
# the whole texts' cosine (ESCO descriptions, ranking everyone: 0.401 at 0, 0.412 at 0.5,
# 0.404 at 1).
TITLE_ON_PROSE = 0.5
# Where the shipped regions' file keeps each kind's languages' means.
MEANS_OF = {"person": "means", "need": "query_means"}


@functools.cache
def shipped_regions() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The centres of the embedding space's regions shipped with the package (unit rows),
    and by kind (``person``: as passages, ``need``: as queries) the mean embedding of each
    language's labels they were found from (a row per language)."""
    with np.load(REGIONS_PATH) as stored:
        means = {kind: stored[key].astype(np.float64) for kind, key in MEANS_OF.items()}
        return stored["centres"].astype(np.float64), means


@functools.cache
def shipped_names() -> dict[str, np.ndarray]:
    """The shipped names' query vectors (:data:`NAMES_PATH`) by the digest of the name."""
    with np.load(NAMES_PATH) as stored:
        vectors = stored["vectors"].astype(np.float32)
        return {
            digest(str(text)): vector for text, vector in zip(stored["texts"], vectors, strict=True)
        }


class MeaningFit(NamedColumns, TransformerMixin, BaseEstimator):
    """Sentence-embedding similarity feature family.

    Parameters
    ----------
    embedder : TextEmbedder, "default" or None
        Where vectors come from: ``"default"`` is :func:`~matcher.embedding.default_embedder`
        (None when the model is not installed); None turns the feature off.
    floor, span : float
        The cosine read as 0, and how far above it a cosine reads as 1.
    regions_per_text : int
        How many regions (:meth:`regions`) a text names.
    region_spread : float
        How fast a region's weight falls with its cosine below the nearest one's.
    title_names : callable or None
        A title's names in the other languages when it names an occupation
        (:meth:`~matcher.features.skills.SkillFit.title_names`), read beside it; None reads
        the title alone.
    """

    feature_names = ("meaning_similarity",)
    # 2: read without the languages' directions, on the scale 0.1 → 0, 0.45 → 1.
    # 3: a need's title read with its occupation's names in the other languages.
    feature_version = 3

    def __init__(
        self,
        embedder: TextEmbedder | str | None = "default",
        floor: float = 0.1,
        span: float = 0.35,
        regions_per_text: int = 5,
        region_spread: float = 0.1,
        title_names: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self.embedder = embedder
        self.floor = floor
        self.span = span
        self.regions_per_text = regions_per_text
        self.region_spread = region_spread
        self.title_names = title_names

    def fit(self, X: Sequence[Pair] = (), y=None) -> MeaningFit:
        """Take the embedder and, with a model, the shipped regions (nothing is learnt from
        ``X``); returns ``self``."""
        check_pairs(X)
        self.embedder_ = default_embedder() if self.embedder == "default" else self.embedder
        if self.embedder_ is None:
            self.centres_, self.language_axes_ = np.zeros((0, 0)), {}
        else:
            self.centres_, means = shipped_regions()
            self.language_axes_ = {kind: language_axes(rows) for kind, rows in means.items()}
            # Only where names are read, and they are the bundled model's vectors.
            if self.title_names is not None and self.embedder_.bundled:
                self.embedder_.remember(NAME, shipped_names())
        self._names: dict[str, np.ndarray | None] = {}
        return self

    @property
    def active(self) -> bool:
        """Whether the feature has a model (else it is 0 everywhere)."""
        check_is_fitted(self, "embedder_")
        return self.embedder_ is not None

    def people(self, people: Sequence[Jobseeker]) -> np.ndarray:
        """The people's vectors (no columns without a model), without their languages'
        directions (:meth:`language_free`)."""
        if not self.active:
            return np.zeros((len(people), 0), dtype=np.float32)
        return self.language_free(self.embedder_.people(people), "person")

    def language_free(self, vectors: np.ndarray, kind: str) -> np.ndarray:
        """``vectors`` (owners' embeddings: of ``kind``'s whole texts, then of their titles)
        with each part less the mean of the languages' and less its component along the
        directions that tell the languages apart (:func:`language_axes`), at unit length (a
        part of zeros, no title, stays zeros).

        The model places texts of one language near each other whatever work they name;
        without those directions a cosine says more about the work than about the language
        (ESCO occupations across en/fi/sv, titles and whole texts ranking everyone: NDCG@10
        0.26 → 0.35). No language field is read: the same text gives the same vector
        whatever language a profile says it is in."""
        check_is_fitted(self, "language_axes_")
        vectors = np.asarray(vectors)
        if len(vectors) > REGION_CHUNK:  # bounds the double-precision copies' memory
            chunks = [vectors[i : i + REGION_CHUNK] for i in range(0, len(vectors), REGION_CHUNK)]
            return np.vstack([self.language_free(chunk, kind) for chunk in chunks])
        # Titles are embedded as queries (:mod:`matcher.embedding`), whoever holds them.
        parts = [(slice(0, DIMENSIONS), kind), (slice(DIMENSIONS, vectors.shape[1]), "need")]
        out = np.zeros(vectors.shape, dtype=np.float32)
        for columns, part_kind in parts:
            part = np.array(vectors[:, columns], dtype=np.float64)  # row-major, a copy
            if not part.shape[1]:
                continue
            centre, axes = self.language_axes_[part_kind]
            held = part.any(axis=1)
            part[held] -= centre
            # Row by row (:func:`row_dot`, not BLAS): a text's vector never depends on the
            # others computed with it.
            for axis in axes.T:
                part -= row_dot(part, axis)[:, None] * axis
            lengths = np.sqrt(row_dot(part * part, np.ones(part.shape[1])))
            part /= np.maximum(lengths, 1e-12)[:, None]
            out[:, columns] = part
        return out

    def regions(self, vectors: np.ndarray) -> sp.csr_matrix:
        """Per row of ``vectors`` (people's or needs' as :meth:`people` and :meth:`needs`
        give them: without their languages' directions), its whole text's
        ``regions_per_text`` nearest regions, weighted by closeness (the nearest 1, each
        other ``exp(-gap / region_spread)``) and scaled to unit length; no columns without a
        model."""
        check_is_fitted(self, "centres_")
        count = len(self.centres_)
        if not count or not len(vectors):
            return sp.csr_matrix((len(vectors), count), dtype=np.float32)
        if len(vectors) > REGION_CHUNK:  # bounds the memory of a national population's
            parts = range(0, len(vectors), REGION_CHUNK)
            return sp.vstack(
                [self.regions(vectors[i : i + REGION_CHUNK]) for i in parts], format="csr"
            )
        # In double precision, so that a text's regions do not depend on the others
        # computed with it (a batch of people, or one person changed since).
        whole = whole_texts(vectors).astype(np.float64)
        cosines = whole @ self.centres_.T
        per_text = min(self.regions_per_text, count)
        nearest = np.argpartition(-cosines, per_text - 1, axis=1)[:, :per_text]
        near = np.take_along_axis(cosines, nearest, axis=1)
        weights = np.exp((near - near.max(axis=1, keepdims=True)) / self.region_spread)
        weights /= np.linalg.norm(weights, axis=1, keepdims=True)
        by_column = np.argsort(nearest, axis=1)
        indices = np.take_along_axis(nearest, by_column, axis=1).ravel()
        data = np.take_along_axis(weights, by_column, axis=1).ravel().astype(np.float32)
        indptr = np.arange(0, len(indices) + 1, per_text)
        return sp.csr_matrix((data, indices, indptr), shape=(len(vectors), count))

    def needs(self, needs: Sequence[Need]) -> np.ndarray:
        """The needs' vectors (no columns without a model), without their languages'
        directions (:meth:`language_free`)."""
        if not self.active:
            return np.zeros((len(needs), 0), dtype=np.float32)
        return self._named(needs, self.language_free(self.embedder_.needs(needs), "need"))

    def _named(self, needs: Sequence[Need], vectors: np.ndarray) -> np.ndarray:
        """``vectors`` (of ``needs``, without their languages' directions) with, where a
        need's title names an occupation, its names' vector (:meth:`names_vector`) added to
        the title's part, and to the whole text's when the title is all the need says, each
        at unit length again: a title reads as the same work in every language."""
        for i, need in enumerate(needs):
            names = self.names_vector(need.title)
            if names is not None:
                first = 0 if _title_only(need) else DIMENSIONS
                for start in range(first, vectors.shape[1], DIMENSIONS):
                    part = slice(start, start + DIMENSIONS)
                    vectors[i, part] = _unit(vectors[i, part] + names)
        return vectors

    def names_vector(self, title: str) -> np.ndarray | None:
        """The mean of the vectors of ``title``'s names in the other languages
        (``title_names``), without their languages' directions; None when it has none.
        Kept per title: the batch reads each need's vector once per stage."""
        if not self.title_names or not title:
            return None
        vector = self._names.get(title, False)
        if vector is not False:
            return vector
        names = self.title_names(title)
        vector = None
        if names:
            raw = self.embedder_.names(names)
            free = self.language_free(np.hstack([np.zeros_like(raw), raw]), "need")
            vector = _unit(free[:, DIMENSIONS:].mean(axis=0))
        if len(self._names) > NAMES_CACHE_LIMIT:  # titles come from clients
            self._names.clear()
        self._names[title] = vector
        return vector

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Feature values, one row per pair."""
        check_is_fitted(self, "embedder_")
        check_pairs(X)
        out = np.zeros((len(X), 1))
        for need, rows in group_by_need(X).items():
            out[rows] = self.need_values(need, self.people([X[r][1] for r in rows]))
        return out

    def need_values(
        self, need: Need, people: np.ndarray, vector: np.ndarray | None = None
    ) -> np.ndarray:
        """The rescaled cosine of ``need``'s vector with each row of ``people`` (their
        vectors), as one column: of the whole texts, averaged with that of the titles where
        both sides have one. ``vector``: the need's, as :meth:`needs` gives it, when the
        caller computed it already (for many needs at once)."""
        if not self.active or not people.shape[0] or not people.shape[1]:
            return np.zeros((people.shape[0], 1))
        if vector is None:
            vector = self.needs([need])[0]
        cosine = meaning_cosines(people, vector)
        return np.clip((cosine[:, None] - self.floor) / self.span, 0.0, 1.0).astype(float)


def _title_only(need: Need) -> bool:
    """Whether all ``need`` says in words is its title (no description, no other skill)."""
    title = normalise(need.title)
    skills = (*need.required_skills, *need.preferred_skills)
    return not need.description.strip() and all(normalise(s) == title for s in skills)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.sqrt(vector @ vector)), 1e-12)


def language_axes(means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean of the languages' mean embeddings ``means`` (a row per language, from
    :func:`shipped_regions`), and an orthonormal basis (columns) of the directions from it
    to each language's mean."""
    centre = means.mean(axis=0)
    axes, _ = np.linalg.qr((means - centre).T)
    return centre, axes[:, : len(means) - 1]


def whole_texts(vectors: np.ndarray) -> np.ndarray:
    """The whole texts' part of owners' vectors (:class:`~matcher.embedding.TextEmbedder`)."""
    return vectors[:, :DIMENSIONS]


def meaning_cosines(people: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Per row of ``people``, the cosine of the whole texts with ``need``'s, averaged with
    the titles' where both have titles (vectors as :meth:`MeaningFit.people` and
    :meth:`MeaningFit.needs` give them): a title read against a title is the surer sign of
    the same work (on ESCO's occupations across languages, ranking everyone, NDCG@10 0.19 by
    the whole texts alone, 0.26 with the titles, 0.35 with both free of their languages'
    directions), the whole text says the rest. A person with no title (described in prose)
    is read against the need's title too, at ``TITLE_ON_PROSE`` of the whole texts' cosine:
    a short query against a passage, as the model was trained."""
    whole = row_dot(whole_texts(people), need[:DIMENSIONS])
    if people.shape[1] <= DIMENSIONS or not need[DIMENSIONS:].any():
        return whole
    titles = people[:, DIMENSIONS:]
    held = titles.any(axis=1)
    titled, untitled = np.flatnonzero(held), np.flatnonzero(~held)
    whole[titled] = (whole[titled] + row_dot(titles[titled], need[DIMENSIONS:])) / 2
    asked = row_dot(whole_texts(people[untitled]), need[DIMENSIONS:])
    whole[untitled] = (whole[untitled] + TITLE_ON_PROSE * asked) / (1 + TITLE_ON_PROSE)
    return whole
