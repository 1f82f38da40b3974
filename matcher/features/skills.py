"""Skill fit: a need's skills against the evidence in a jobseeker's profile, across languages.

Both sides are mapped to vocabulary concepts (:class:`~matcher.taxonomy.ConceptMapper`), so
"hitsaus", "svetsning" and "welding" meet in one concept. A person's evidence comes from the
skill list, work history (recent work counts more; an occupation implies its essential skills),
education, headline and summary; sentences that state a wish ("haluaisin kouluttautua…",
"jag är intresserad av…") are interests, not skills. Need skills that map to no concept fall
back to character n-gram TF-IDF similarity with the person's own phrases.

Values are computed for one need against many people at once: people are rows of sparse
matrices (:class:`PersonMatrix`), so the work per need is a few sparse products.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from matcher.domain import (
    LEARNING_KINDS,
    Jobseeker,
    MissingSkill,
    Need,
    Requirement,
    SkillMatch,
)
from matcher.features.base import NamedColumns, Pair, check_pairs, row_dot, sparse_cosines
from matcher.lexical import keep_rows
from matcher.taxonomy import (
    LANGUAGES,
    ConceptHit,
    SkillVocabulary,
    concept_mapper,
    embedded_vocabulary,
)
from matcher.text import fold, normalise

CACHE_LIMIT = 500_000
# What separates the parts of a job title as recruiters write it ("Kokki, Vaasa", "Hitsaaja /
# Svetsare", "Welder (m/f/d)", "Myyjä - osa-aika"); a hyphen inside a word does not.
TITLE_PARTS = re.compile(r"[,;:()\[\]{}/|•·]+|\s[-–—]\s")
MAX_PHRASE_LENGTH = 80
NO_SECTOR = ("general", "esco")
# Concept hits that show only part of a concept: a word inside a compound.
PARTIAL_METHODS = frozenset({"compound"})
# The fit of a must-have skill below which a person is excluded: the explanation's threshold
# for a matched skill.
MUST_HAVE = 0.5
# Words that turn a sentence into a wish rather than a record of experience.
INTEREST_CUES = re.compile(
    r"\b(kiinnost\w*|haluai?s\w*|haluan|toivo\w*|unelm\w*|etsin|haen|intresse\w*|vill|gärna|önskar"
    r"|drömmer|söker|interest\w*|would like|want to|wish|hope to|keen|looking for|seeking)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


class Evidence(NamedTuple):
    """A piece of a jobseeker's profile: the words, where they stand, and how much they count."""

    text: str
    source: str
    weight: float
    hits: tuple[ConceptHit, ...]
    years: float = 0.0


# How strongly a person shows a concept, by which evidence, and how (direct/implied/related).
# A plain tuple: profiles of a national batch create millions of them.
Support = tuple[float, Evidence, str]


@dataclass
class PersonSkills:
    """One jobseeker's concept profile: best support per concept, interests, sectors, years."""

    evidence: list[Evidence]
    support: dict[str, Support] = field(default_factory=dict)
    interests: dict[str, float] = field(default_factory=dict)
    years: dict[str, float] = field(default_factory=dict)
    phrase_evidence: list[Evidence] = field(default_factory=list)
    phrase_vectors: sp.csr_matrix | None = None
    # Where the phrase vectors already are, when a person matrix vectorised them: (matrix,
    # first row). Explaining then slices them instead of vectorising the phrases again.
    phrase_rows: tuple[sp.csr_matrix, int] | None = None


@dataclass
class PersonMatrix:
    """Many jobseekers' profiles as row-aligned matrices (one row per person).

    ``phrases`` holds the TF-IDF vectors of every person's short phrases; the phrases of person
    ``i`` are rows ``all_offsets[i]:all_offsets[i + 1]``. A matrix made by :meth:`take`
    slices the phrases only when they are read (few needs have phrases no concept covers).
    """

    support: sp.csr_matrix | np.ndarray  # dense after :meth:`dense`
    support_norm: np.ndarray
    interests: sp.csr_matrix | np.ndarray
    years: sp.csr_matrix | np.ndarray
    sectors: np.ndarray
    interest_sectors: np.ndarray
    all_phrases: sp.csr_matrix
    all_offsets: np.ndarray
    all_phrase_years: np.ndarray
    rows: np.ndarray | None = None

    def __len__(self) -> int:
        return self.support.shape[0]

    @functools.cached_property
    def _phrase_rows(self) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        if self.rows is None:
            return self.all_phrases, self.all_offsets, self.all_phrase_years
        starts, ends = self.all_offsets[self.rows], self.all_offsets[self.rows + 1]
        counts = ends - starts
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        picked = np.repeat(starts - first, counts) + np.arange(counts.sum())
        offsets = np.concatenate([[0], np.cumsum(counts)])
        return self.all_phrases[picked], offsets, self.all_phrase_years[picked]

    @property
    def phrases(self) -> sp.csr_matrix:
        """TF-IDF vectors of the people's phrases."""
        return self._phrase_rows[0]

    @property
    def phrase_years(self) -> np.ndarray:
        """Years of work behind each phrase (0 for what is not a job)."""
        return self._phrase_rows[2]

    def best_of_phrases(self, values: np.ndarray) -> np.ndarray:
        """Per person, the largest of ``values`` (one per phrase) over their phrases; 0 for
        a person without phrases (phrases are stored person by person)."""
        offsets = self._phrase_rows[1]
        best = np.zeros(len(self))
        nonempty = np.flatnonzero(np.diff(offsets) > 0)
        if len(nonempty):
            best[nonempty] = np.maximum.reduceat(values, offsets[nonempty])
        return np.maximum(best, 0.0)

    def dense(self) -> PersonMatrix:
        """The same people with dense concept matrices: for one person scored against many
        needs, where slicing a dense row costs far less than slicing a sparse one."""
        return replace(
            self,
            support=self.support.toarray(),
            interests=self.interests.toarray(),
            years=self.years.toarray(),
        )

    @classmethod
    def concat(cls, parts: Sequence[PersonMatrix]) -> PersonMatrix:
        """The people of ``parts`` one after the other, as one matrix."""
        phrases = [part._phrase_rows for part in parts]
        offsets, total = [], 0
        for matrix, starts, _ in phrases:
            offsets.append(starts[:-1] + total)
            total += matrix.shape[0]
        return cls(
            **{
                name: _stacked([getattr(part, name) for part in parts])
                for name in ("support", "interests", "years", "sectors", "interest_sectors")
            },
            support_norm=np.concatenate([part.support_norm for part in parts]),
            all_phrases=sp.vstack([m for m, _, _ in phrases], format="csr"),
            all_offsets=np.concatenate([*offsets, [total]]).astype(np.int64),
            all_phrase_years=np.concatenate([years for _, _, years in phrases]),
        )

    def take(self, rows: np.ndarray) -> PersonMatrix:
        """The sub-matrix of the people at ``rows`` (in that order)."""
        rows = np.asarray(rows, dtype=np.int64)
        base = rows if self.rows is None else self.rows[rows]
        return PersonMatrix(
            support=self.support[rows],
            support_norm=self.support_norm[rows],
            interests=self.interests[rows],
            years=self.years[rows],
            sectors=self.sectors[rows],
            interest_sectors=self.interest_sectors[rows],
            all_phrases=self.all_phrases,
            all_offsets=self.all_offsets,
            all_phrase_years=self.all_phrase_years,
            rows=base,
        )


@dataclass
class NeedSkills:
    """A need's skill phrases with their concepts, title occupations and concept weights;
    ``concepts`` lists every concept the need's values read."""

    required: list[tuple[str, tuple[ConceptHit, ...]]]
    preferred: list[tuple[str, tuple[ConceptHit, ...]]]
    title: tuple[ConceptHit, ...]
    weights: dict[str, float]
    sectors: np.ndarray
    concepts: list[str] = field(default_factory=list)


class _Block:
    """Dense columns of a person matrix's concept matrices, for the concepts of one need."""

    def __init__(self, concepts: list[str], columns: list[int], people: PersonMatrix) -> None:
        self.position = {concept: i for i, concept in enumerate(concepts)}
        self.n = len(people)
        self.dense = {
            name: _dense(getattr(people, name)[:, columns])
            for name in ("support", "interests", "years")
        }

    def columns(self, name: str, concepts: Sequence[str]) -> np.ndarray:
        """The people × ``concepts`` values of one matrix."""
        return self.dense[name][:, [self.position[c] for c in concepts]]

    def best(self, name: str, concepts: Sequence[str], weights: Sequence[float]) -> np.ndarray:
        """Per person, the largest ``weight × value`` over ``concepts``."""
        if not concepts:
            return np.zeros(self.n)
        return (self.columns(name, concepts) * np.asarray(weights, dtype=np.float32)).max(axis=1)


def _dense(matrix) -> np.ndarray:
    """``matrix`` as a dense array, whether it is sparse or already dense."""
    return matrix.toarray() if sp.issparse(matrix) else matrix


class SkillFit(NamedColumns, TransformerMixin, BaseEstimator):
    """Skill feature family.

    Columns: ``skill_coverage`` (mean fit of the required skills), ``preferred_skill_coverage``,
    ``occupation_fit`` (the need's title against the person's occupations), ``profile_similarity``
    (cosine of concept profiles), ``sector_fit`` (cosine of sector profiles),
    ``relevant_experience`` (recency-weighted years with the need's concepts, saturating),
    ``interest_fit`` (the person's stated wishes against the need) and ``trainable_gap``
    (same field but a partial fit: what a training or apprenticeship is for).

    Parameters
    ----------
    vocabulary : SkillVocabulary or None
        Concepts to map text to; the embedded vocabulary when None.
    as_of : datetime.date or None
        Reference date for the recency of work history (today when None).
    related_weight, implied_weight : float
        Credit for a related concept, and for a skill implied by an occupation held.
    min_text_similarity : float
        Lowest TF-IDF cosine that counts as evidence for a phrase that maps to no concept.
    experience_years : float
        Years of relevant work at which ``relevant_experience`` reaches 1.
    title_similarity : float
        Lowest cosine at which a job's title counts as the need's own title (its years then
        count in full).
    partial_years : float
        The share of ``experience_years`` that work evidenced only partially (a compound
        part, a related concept) can reach: such work never saturates the feature alone.
    """

    feature_names = (
        "skill_coverage",
        "preferred_skill_coverage",
        "occupation_fit",
        "profile_similarity",
        "sector_fit",
        "relevant_experience",
        "interest_fit",
        "trainable_gap",
    )

    def __init__(
        self,
        vocabulary: SkillVocabulary | None = None,
        as_of: dt.date | None = None,
        related_weight: float = 0.6,
        implied_weight: float = 0.85,
        min_text_similarity: float = 0.5,
        experience_years: float = 5.0,
        title_similarity: float = 0.8,
        partial_years: float = 0.5,
    ) -> None:
        self.vocabulary = vocabulary
        self.as_of = as_of
        self.related_weight = related_weight
        self.implied_weight = implied_weight
        self.min_text_similarity = min_text_similarity
        self.experience_years = experience_years
        self.title_similarity = title_similarity
        self.partial_years = partial_years

    def fit(self, X: Sequence[Pair] = (), y=None) -> SkillFit:
        """Build the concept mapper and the character n-gram vectoriser; returns ``self``.

        The vectoriser learns its n-gram weights from the vocabulary's labels (all but
        ESCO's), not from ``X``, so that scores do not drift with whichever pairs were fitted on.
        """
        check_pairs(X)
        self.vocabulary_ = self.vocabulary or embedded_vocabulary()
        self.mapper_ = concept_mapper(self.vocabulary_)
        # The region's labels, not an imported classification's: the n-grams serve phrases
        # that no concept knows, and ESCO's 180,000 labels would cost 10 s at every start.
        concepts = self.vocabulary_.concepts.values()
        own = [c for c in concepts if not c.imported] or list(concepts)
        labels = [label for c in own for ls in c.labels.values() for label in ls]
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        ).fit(labels)
        self.concept_index_ = {concept: i for i, concept in enumerate(self.vocabulary_.concepts)}
        sectors = sorted({c.sector for c in self.vocabulary_.concepts.values()} - set(NO_SECTOR))
        self.sector_index_ = {sector: i for i, sector in enumerate(sectors)}
        self.as_of_ = self.as_of or dt.date.today()
        self._people: dict[Jobseeker, PersonSkills] = {}
        self._needs: dict[Need, NeedSkills] = {}
        self._expansions: dict[str, tuple[tuple[str, float, str], ...]] = {}
        self._near_cache: dict[str, tuple[tuple[str, str], ...]] = {}
        self._need_phrases: dict[str, sp.csr_matrix] = {}
        self._prepared_phrases: tuple[dict[str, int], sp.csr_matrix | None] = ({}, None)
        return self

    def title_names(self, title: str) -> tuple[str, ...]:
        """The occupation's names in the other languages when ``title`` names one occupation
        ("hitsaaja": "svetsare", "welder"), as a whole or, failing that, in its parts
        ("Kokki, Vaasa", "Welder (m/f/d)"); none when it names none or several. Meaning
        reads them beside the title (:class:`~matcher.features.meaning.MeaningFit`), so that
        a title reads as the same work in every language."""
        check_is_fitted(self, "mapper_")
        named = self._occupations(title) or {
            concept for part in TITLE_PARTS.split(title) for concept in self._occupations(part)
        }
        if len(named) != 1:
            return ()
        labels = self.vocabulary_[named.pop()].labels
        names = {normalise(title): ""}
        for language in LANGUAGES:
            if labels.get(language):
                names.setdefault(normalise(labels[language][0]), labels[language][0])
        return tuple(name for name in names.values() if name)

    def _occupations(self, text: str) -> set[str]:
        """The occupations ``text`` as a whole names (:meth:`ConceptMapper.named`)."""
        named = self.mapper_.named(text)
        return {c for c in named if self.vocabulary_[c].type == "occupation"}

    def prepare_phrases(self, needs: Sequence[Need]) -> None:
        """Vectorise the titles and skill phrases of ``needs`` at once (a batch: one call per
        phrase costs a millisecond of the vectoriser's overhead); each phrase's vector is
        then taken from the result when first asked."""
        unique = self._phrases_of(needs)
        if unique:
            rows = {phrase: row for row, phrase in enumerate(unique)}
            self._prepared_phrases = (rows, self.vectorizer_.transform(unique))

    def keep_phrases(self, needs: Sequence[Need]) -> None:
        """Vectorise at once the titles and skill phrases of ``needs`` not vectorised yet,
        and keep them with those that were (a person's needs: each request meets needs
        this process may not have read yet)."""
        missing = [p for p in self._phrases_of(needs) if p not in self._need_phrases]
        if missing:
            vectors = self.vectorizer_.transform(missing)
            keep_rows(self._need_phrases, missing, vectors, CACHE_LIMIT)

    def _phrases_of(self, needs: Sequence[Need]) -> list[str]:
        """The distinct titles and skill phrases of ``needs``."""
        profiles = [self.need_skills(need) for need in needs]
        phrases = [need.title for need in needs if need.title]
        phrases += [p for profile in profiles for p, _ in profile.required + profile.preferred]
        return list(dict.fromkeys(phrases))

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Skill feature values, one row per pair (computed need by need, in batch)."""
        check_is_fitted(self, "mapper_")
        check_pairs(X)
        out = np.zeros((len(X), len(self.feature_names)))
        by_need: dict[Need, list[int]] = defaultdict(list)
        for row, (need, _) in enumerate(X):
            by_need[need].append(row)
        for need, rows in by_need.items():
            people = [X[row][1] for row in rows]
            out[rows] = self.need_values(need, self.person_matrix(people))
        return out

    # -- profiles -----------------------------------------------------------------------------

    def person_skills(self, person: Jobseeker) -> PersonSkills:
        """The concept profile of a jobseeker (cached)."""
        profile = self._people.get(person)
        if profile is None:
            if len(self._people) > CACHE_LIMIT:
                self._people.clear()
            profile = self._people[person] = self._build_person(person)
        return profile

    def need_skills(self, need: Need) -> NeedSkills:
        """The concept profile of a need (cached)."""
        profile = self._needs.get(need)
        if profile is None:
            if len(self._needs) > CACHE_LIMIT:
                self._needs.clear()
            profile = self._needs[need] = self._build_need(need)
        return profile

    def person_matrix(self, people: Sequence[Jobseeker]) -> PersonMatrix:
        """Stack the profiles of ``people`` into row-aligned matrices."""
        check_is_fitted(self, "mapper_")
        profiles = [self.person_skills(p) for p in people]
        support = self._matrix([{c: s[0] for c, s in p.support.items()} for p in profiles])
        interests = self._matrix([p.interests for p in profiles])
        texts = [e.text for p in profiles for e in p.phrase_evidence]
        counts = [len(p.phrase_evidence) for p in profiles]
        offsets = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
        phrases = self._phrase_vectors(texts)
        for profile, start in zip(profiles, offsets[:-1].tolist(), strict=True):
            if profile.phrase_vectors is None:
                profile.phrase_rows = (phrases, start)
        return PersonMatrix(
            support=support,
            support_norm=np.sqrt(np.asarray(support.multiply(support).sum(axis=1)).ravel()),
            interests=interests,
            years=self._matrix([p.years for p in profiles]),
            sectors=self._sector_matrix(support),
            interest_sectors=self._sector_matrix(interests),
            all_phrases=phrases,
            all_offsets=offsets,
            all_phrase_years=np.fromiter(
                (e.years for p in profiles for e in p.phrase_evidence),
                dtype=np.float32,
                count=len(texts),
            ),
        )

    def _matrix(self, rows: Sequence[dict[str, float]]) -> sp.csr_matrix:
        """A CSR matrix with one row per mapping of concept → value."""
        index = self.concept_index_
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        total = int(lengths.sum())
        columns = np.fromiter((index[c] for r in rows for c in r), dtype=np.int32, count=total)
        data = np.fromiter((v for r in rows for v in r.values()), dtype=np.float32, count=total)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        matrix = sp.csr_matrix((data, columns, indptr), shape=(len(rows), len(index)))
        matrix.sum_duplicates()
        return matrix

    def _phrase_vectors(self, texts: list[str]) -> sp.csr_matrix:
        """TF-IDF vectors of ``texts``, each distinct text vectorised once."""
        if not texts:
            return sp.csr_matrix((0, len(self.vectorizer_.vocabulary_)), dtype=np.float32)
        # Distinct texts by a dict, not np.unique: sorting Python strings costs far more.
        index: dict[str, int] = {}
        inverse = np.fromiter(
            (index.setdefault(text, len(index)) for text in texts), dtype=np.int64, count=len(texts)
        )
        return self.vectorizer_.transform(list(index))[inverse]

    def _need_phrase_vector(self, phrase: str) -> sp.csr_matrix:
        """The TF-IDF vector of a need's phrase (cached: each need phrase meets many people)."""
        vector = self._need_phrases.get(phrase)
        if vector is None:
            if len(self._need_phrases) > CACHE_LIMIT:
                self._need_phrases.clear()
            rows, prepared = self._prepared_phrases
            row = rows.get(phrase)
            vector = self.vectorizer_.transform([phrase]) if row is None else prepared[row]
            self._need_phrases[phrase] = vector
        return vector

    def _sector_matrix(self, concepts: sp.csr_matrix) -> np.ndarray:
        if not hasattr(self, "_concept_sectors"):
            matrix = sp.lil_matrix(
                (len(self.concept_index_), len(self.sector_index_)), dtype=np.float32
            )
            for concept, i in self.concept_index_.items():
                sector = self.vocabulary_[concept].sector
                if sector in self.sector_index_:
                    matrix[i, self.sector_index_[sector]] = 1.0
            self._concept_sectors = matrix.tocsr()
        sectors = (concepts @ self._concept_sectors).toarray()
        norms = np.linalg.norm(sectors, axis=1, keepdims=True)
        return np.divide(sectors, norms, out=np.zeros_like(sectors), where=norms > 0)

    def _evidence(self, person: Jobseeker) -> tuple[list[Evidence], list[Evidence]]:
        """Skill evidence, and the stated interests, of a person."""
        find = self.mapper_.find
        out = [Evidence(s, "skills", 1.0, find(s)) for s in person.skills]
        for job in person.work_history:
            recency = max(0.5, 1.0 - 0.07 * job.years_since(self.as_of_))
            years = job.years(self.as_of_) * recency
            out.append(Evidence(job.title, "work_history", recency, find(job.title), years))
            if job.description:
                hits = find(job.description, phrase=False)
                out.append(Evidence(job.description, "work_history", 0.9 * recency, hits, years))
        if person.education:
            for text in (*person.education.qualifications, person.education.field):
                if text:
                    out.append(Evidence(text, "education", 0.9, find(text)))
        interests = []
        for source, text, weight in (
            ("headline", person.headline, 1.0),
            ("summary", person.summary, 0.9),
        ):
            for sentence in _SENTENCE.split(text) if text else ():
                hits = find(sentence, phrase=False)
                if INTEREST_CUES.search(fold(sentence)):
                    interests.append(Evidence(sentence, source, 1.0, hits))
                else:
                    out.append(Evidence(sentence, source, weight, hits))
        return out, interests

    def _build_person(self, person: Jobseeker) -> PersonSkills:
        evidence, interests = self._evidence(person)
        profile = PersonSkills(evidence)
        full: dict[str, float] = {}
        partial: dict[str, float] = {}
        support: dict[str, Support] = {}
        for item in evidence:
            for hit in item.hits:
                self._spread(support, hit.concept, item.weight * hit.score, item)
                if item.years:
                    for concept, via in self._near(hit.concept):
                        whole = via != "related" and hit.method not in PARTIAL_METHODS
                        years = full if whole else partial
                        years[concept] = years.get(concept, 0.0) + item.years
        cap = self.partial_years * self.experience_years
        for concept in full.keys() | partial.keys():
            profile.years[concept] = full.get(concept, 0.0) + min(partial.get(concept, 0.0), cap)
        profile.support = support
        wished: dict[str, Support] = {}
        for item in interests:
            for hit in item.hits:
                self._spread(wished, hit.concept, hit.score, item)
        profile.interests = {concept: best[0] for concept, best in wished.items()}
        profile.phrase_evidence = [e for e in evidence if len(e.text) <= MAX_PHRASE_LENGTH]
        return profile

    def _spread(self, support: dict[str, Support], concept: str, strength: float, item) -> None:
        """Credit ``concept`` and what it implies or relates to, keeping each one's best
        ``(strength, evidence, via)``."""
        for target, factor, via in self._expansion(concept):
            value = strength * factor
            current = support.get(target)
            if current is None or value > current[0]:
                support[target] = (value, item, via)

    def _expansion(self, concept: str) -> tuple[tuple[str, float, str], ...]:
        """``concept`` itself, the skills it implies (an occupation's), and the concepts related
        to either, with the factor each is credited at (memoised)."""
        cache = self._expansions
        if concept not in cache:
            reach = {concept: (1.0, "direct")}
            for implied in self.vocabulary_.implies(concept):
                reach.setdefault(implied, (self.implied_weight, "implied"))
            for source, (factor, _) in list(reach.items()):
                for other in self.vocabulary_.related(source):
                    value = factor * self.related_weight
                    if other not in reach or reach[other][0] < value:
                        reach[other] = (value, "related")
            cache[concept] = tuple((c, f, v) for c, (f, v) in reach.items())
        return cache[concept]

    def _near(self, concept: str) -> tuple[tuple[str, str], ...]:
        """The concepts whose experience a job showing ``concept`` counts for, each with how
        (``direct``, ``implied`` or ``related``; memoised)."""
        cache = self._near_cache
        if concept not in cache:
            vocabulary = self.vocabulary_
            near = {other: "related" for other in vocabulary.related(concept)}
            near.update({other: "implied" for other in vocabulary.implies(concept)})
            near[concept] = "direct"
            cache[concept] = tuple(near.items())
        return cache[concept]

    def _row(self, values: dict[str, float]) -> sp.csr_matrix:
        return self._matrix([values])

    def _build_need(self, need: Need) -> NeedSkills:
        find = self.mapper_.find
        required = [(s, find(s)) for s in need.required_skills]
        preferred = [(s, find(s)) for s in need.preferred_skills]
        title = find(need.title)
        weights: dict[str, float] = {}
        sources = [(title, 1.0), (find(need.description, phrase=False), 0.5)]
        sources += [(h, 1.0) for _, h in required] + [(h, 0.5) for _, h in preferred]
        for hits, weight in sources:
            for hit in hits:
                weights[hit.concept] = max(weights.get(hit.concept, 0.0), weight * hit.score)
        for hit in title:
            for implied in self.vocabulary_.implies(hit.concept):
                weights[implied] = max(weights.get(implied, 0.0), 0.5)
        sectors = self._sector_matrix(self._row(weights))[0]
        concepts = list(weights)
        for hits in [title, *(h for _, h in required), *(h for _, h in preferred)]:
            concepts += [hit.concept for hit in hits]
            for hit in hits:
                concepts += self.vocabulary_.implies(hit.concept)
        return NeedSkills(
            required, preferred, title, weights, sectors, list(dict.fromkeys(concepts))
        )

    # -- values -------------------------------------------------------------------------------

    def need_values(self, need: Need, people: PersonMatrix) -> np.ndarray:
        """The feature columns of ``need`` against every person of ``people``."""
        profile = self.need_skills(need)
        # Every concept this need refers to, as dense columns: one sparse slice per matrix.
        block = _Block(profile.concepts, [self.concept_index_[c] for c in profile.concepts], people)
        required = self._coverage(profile.required, block, people)
        preferred = (
            self._coverage(profile.preferred, block, people) if profile.preferred else required
        )
        sector = row_dot(people.sectors, profile.sectors)
        title, title_years = self._title_held(need, people)
        columns = [
            required,
            preferred,
            np.maximum(self._concept_occupation_fit(need, profile, block, people), title),
            self._profile_similarity(profile, block, people),
            sector,
            self._experience(profile, block, title_years),
            self._interest(profile, block, people),
            sector * (1.0 - 0.5 * required),
        ]
        return np.clip(np.column_stack(columns), 0.0, 1.0)

    def _text_fit(self, phrase: str, people: PersonMatrix) -> np.ndarray:
        """Per person, the best TF-IDF cosine of ``phrase`` with the person's own phrases."""
        best = np.zeros(len(people))
        if people.phrases.shape[0]:
            best = people.best_of_phrases(self._phrase_cosines(phrase, people))
        return np.where(best >= self.min_text_similarity, best, 0.0)

    def _phrase_cosines(self, phrase: str, people: PersonMatrix) -> np.ndarray:
        """The TF-IDF cosine of a need's ``phrase`` with each of the people's phrases."""
        return sparse_cosines(people.phrases, self._need_phrase_vector(phrase))

    def _phrase_fit(self, phrase: str, hits, block: _Block, people: PersonMatrix) -> np.ndarray:
        if hits:
            return block.best("support", [h.concept for h in hits], [h.score for h in hits])
        return self._text_fit(phrase, people)

    def _coverage(self, phrases, block: _Block, people: PersonMatrix) -> np.ndarray:
        return np.mean([self._phrase_fit(p, h, block, people) for p, h in phrases], axis=0)

    def _title_held(self, need: Need, people: PersonMatrix) -> tuple[np.ndarray, np.ndarray]:
        """Per person, how closely one of their own phrases (a job title, the headline, a
        skill) reads as the need's title, and the years of work behind those that read as
        it (cosine at least ``title_similarity``): holding a need's title is experience of
        that occupation, whether or not a vocabulary knows the title."""
        similar, years = np.zeros(len(people)), np.zeros(len(people))
        if need.title and people.phrases.shape[0]:
            cosine = self._phrase_cosines(need.title, people)
            similar = people.best_of_phrases(cosine)
            held = np.where(cosine >= self.title_similarity, people.phrase_years, 0.0)
            years = people.best_of_phrases(held)
        return np.where(similar >= self.min_text_similarity, similar, 0.0), years

    def _concept_occupation_fit(self, need, profile: NeedSkills, block: _Block, people):
        occupations = [h for h in profile.title if self.vocabulary_[h.concept].type == "occupation"]
        if not occupations:
            return self._phrase_fit(need.title, profile.title, block, people)
        best = block.best(
            "support", [h.concept for h in occupations], [h.score for h in occupations]
        )
        for hit in occupations:
            implied = self.vocabulary_.implies(hit.concept)
            if implied:
                shown = np.minimum(block.columns("support", implied), 1.0).sum(axis=1)
                best = np.maximum(best, 0.8 * shown / len(implied))
        return best

    def _profile_similarity(self, profile: NeedSkills, block: _Block, people) -> np.ndarray:
        weights = np.fromiter(
            profile.weights.values(), dtype=np.float64, count=len(profile.weights)
        )
        if not len(weights):
            return np.zeros(len(people))
        dot = row_dot(block.columns("support", list(profile.weights)), weights)
        denominator = people.support_norm * float(np.sqrt(weights @ weights))
        return np.divide(dot, denominator, out=np.zeros_like(dot), where=denominator > 0)

    def _experience(self, profile: NeedSkills, block: _Block, title_years) -> np.ndarray:
        """Years of relevant work: by the concepts, or under a title that reads as the need's."""
        years = block.best("years", list(profile.weights), list(profile.weights.values()))
        years = np.maximum(years, title_years)
        return np.minimum(1.0, years / self.experience_years)

    def _interest(self, profile: NeedSkills, block: _Block, people) -> np.ndarray:
        concepts = block.best("interests", list(profile.weights), list(profile.weights.values()))
        return np.maximum(concepts, 0.8 * row_dot(people.interest_sectors, profile.sectors))

    # -- must-have skills -----------------------------------------------------------------------

    def need_unmet(self, need: Need, people: PersonMatrix) -> np.ndarray:
        """Which people show no evidence (fit below ``MUST_HAVE``) of a must-have skill."""
        unmet = np.zeros(len(people), dtype=bool)
        if not need.must_have_skills:
            return unmet
        profile = self.need_skills(need)
        block = _Block(profile.concepts, [self.concept_index_[c] for c in profile.concepts], people)
        for phrase, hits in profile.required:
            if phrase in need.must_have_skills:
                unmet |= self._phrase_fit(phrase, hits, block, people) < MUST_HAVE
        return unmet

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        """The must-have skills of ``need`` that ``person`` shows no evidence of."""
        if not need.must_have_skills:
            return []
        profile, skills = self.need_skills(need), self.person_skills(person)
        return [
            Requirement("must_have_skills", "must_have_skill", {"skill": phrase})
            for phrase, hits in profile.required
            if phrase in need.must_have_skills
            and self._evidence_for(phrase, hits, skills)[0] < MUST_HAVE
        ]

    # -- explanation --------------------------------------------------------------------------

    def explain(
        self, need: Need, person: Jobseeker, language: str = "en", threshold: float = 0.5
    ) -> tuple[list[SkillMatch], list[MissingSkill]]:
        """Need skills the person evidences (with the words) and those missing."""
        if not hasattr(self, "mapper_"):  # the full check costs more than an explanation
            check_is_fitted(self, "mapper_")
        profile, skills = self.need_skills(need), self.person_skills(person)
        matched, missing = [], []
        phrases = [(p, h, True) for p, h in profile.required] + [
            (p, h, False) for p, h in profile.preferred
        ]
        for phrase, hits, required in phrases:
            value, evidence, concept = self._evidence_for(phrase, hits, skills)
            concept = concept or (hits[0].concept if hits else None)
            label = self._label(concept, language)
            if value >= threshold and evidence is not None:
                similarity = round(value, 3)
                matched.append(
                    SkillMatch(phrase, evidence.text, evidence.source, similarity, label, concept)
                )
            else:
                learning = need.kind in LEARNING_KINDS
                missing.append(MissingSkill(phrase, required, learning, label, concept))
        if need.kind in LEARNING_KINDS:
            missing += self._essentials_to_learn(profile, skills, missing, language)
        return matched, missing

    def _essentials_to_learn(self, profile: NeedSkills, skills: PersonSkills, missing, language):
        """The essential skills of the need's occupation that the person lacks: the syllabus."""
        named = {m.concept for m in missing}
        out = []
        for hit in profile.title:
            for concept in self.vocabulary_.implies(hit.concept):
                label = self._label(concept, language)
                if concept not in skills.support and label not in named:
                    named.add(label)
                    out.append(MissingSkill(label, False, True, label, concept, True))
        return out

    def _evidence_for(
        self, phrase, hits, skills: PersonSkills
    ) -> tuple[float, Evidence | None, str | None]:
        best: tuple[float, Evidence | None, str | None] = (0.0, None, None)
        for hit in hits:
            support = skills.support.get(hit.concept)
            if support and hit.score * support[0] > best[0]:
                best = (min(1.0, hit.score * support[0]), support[1], hit.concept)
        if hits or not skills.phrase_evidence:
            return best
        if skills.phrase_vectors is None:
            skills.phrase_vectors = self._own_phrase_vectors(skills)
        similarity = sparse_cosines(skills.phrase_vectors, self._need_phrase_vector(phrase))
        index = int(similarity.argmax())
        if similarity[index] < self.min_text_similarity:
            return best
        return float(similarity[index]), skills.phrase_evidence[index], None

    def _own_phrase_vectors(self, skills: PersonSkills) -> sp.csr_matrix:
        if skills.phrase_rows is None:
            return self._phrase_vectors([e.text for e in skills.phrase_evidence])
        matrix, start = skills.phrase_rows
        skills.phrase_rows = None
        return matrix[start : start + len(skills.phrase_evidence)]

    def _label(self, concept: str | None, language: str) -> str | None:
        return self.vocabulary_[concept].label(language) if concept else None


def _stacked(blocks: Sequence) -> sp.csr_matrix | np.ndarray:
    """Row blocks stacked: sparse as CSR when any block is sparse, else dense."""
    if any(sp.issparse(b) for b in blocks):
        return sp.vstack([sp.csr_matrix(b) for b in blocks], format="csr")
    return np.vstack(blocks)
