"""Skill fit: a need's skills against the evidence in a jobseeker's profile, across languages.

Both sides are mapped to vocabulary concepts (:class:`~matcher.taxonomy.ConceptMapper`), so
"hitsaus", "svetsning" and "welding" meet in one concept. A person's evidence comes from the
skill list, work history (recent work counts more; an occupation implies its essential skills),
education, headline and summary. Need skills that map to no concept fall back to character
n-gram TF-IDF similarity with the person's own phrases.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from matcher.domain import Jobseeker, MissingSkill, Need, SkillMatch
from matcher.features.base import Pair, check_pairs
from matcher.taxonomy import ConceptHit, ConceptMapper, SkillVocabulary, embedded_vocabulary

LEARNING_KINDS = ("apprenticeship", "recruitment_training")
CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Evidence:
    """A piece of a jobseeker's profile: the words, where they stand, and how much they count."""

    text: str
    source: str
    weight: float
    hits: tuple[ConceptHit, ...]
    years: float = 0.0


@dataclass(frozen=True)
class Support:
    """How strongly a person shows a concept, through which evidence and how (direct/implied/related)."""

    strength: float
    evidence: Evidence
    via: str


@dataclass
class PersonSkills:
    """A jobseeker's concepts with their best support, sectors and per-concept years of work."""

    evidence: list[Evidence]
    support: dict[str, Support] = field(default_factory=dict)
    sectors: dict[str, float] = field(default_factory=dict)
    phrase_vectors: object = None
    phrase_evidence: list[Evidence] = field(default_factory=list)


@dataclass
class NeedSkills:
    """A need's skill phrases with their concepts, title occupations and concept weights."""

    required: list[tuple[str, tuple[ConceptHit, ...]]]
    preferred: list[tuple[str, tuple[ConceptHit, ...]]]
    title: tuple[ConceptHit, ...]
    weights: dict[str, float]
    sectors: dict[str, float]


class SkillFit(TransformerMixin, BaseEstimator):
    """Skill feature family.

    Columns: ``skill_coverage`` (mean fit of the required skills), ``preferred_skill_coverage``,
    ``occupation_fit`` (the need's title against the person's occupations), ``profile_similarity``
    (cosine of concept profiles), ``sector_fit`` (cosine of sector profiles) and
    ``relevant_experience`` (recency-weighted years in related work, saturating).

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
    """

    feature_names = (
        "skill_coverage",
        "preferred_skill_coverage",
        "occupation_fit",
        "profile_similarity",
        "sector_fit",
        "relevant_experience",
    )

    def __init__(
        self,
        vocabulary: SkillVocabulary | None = None,
        as_of: dt.date | None = None,
        related_weight: float = 0.6,
        implied_weight: float = 0.85,
        min_text_similarity: float = 0.5,
        experience_years: float = 5.0,
    ) -> None:
        self.vocabulary = vocabulary
        self.as_of = as_of
        self.related_weight = related_weight
        self.implied_weight = implied_weight
        self.min_text_similarity = min_text_similarity
        self.experience_years = experience_years

    def fit(self, X: Sequence[Pair] = (), y=None) -> SkillFit:
        """Build the concept mapper and the character n-gram vectoriser; returns ``self``.

        The vectoriser learns its n-gram weights from the vocabulary's labels, not from
        ``X``, so that scores do not drift with whichever pairs were fitted on.
        """
        check_pairs(X)
        self.vocabulary_ = self.vocabulary or embedded_vocabulary()
        self.mapper_ = ConceptMapper(self.vocabulary_)
        labels = [
            label for c in self.vocabulary_.concepts.values() for ls in c.labels.values() for label in ls
        ]
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        ).fit(labels)
        self.as_of_ = self.as_of or dt.date.today()
        self._people: dict[Jobseeker, PersonSkills] = {}
        self._needs: dict[Need, NeedSkills] = {}
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the columns that ``transform`` returns."""
        return np.asarray(self.feature_names, dtype=object)

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Skill feature values, one row per pair."""
        check_is_fitted(self, "mapper_")
        check_pairs(X)
        rows = [self._row(self.need_skills(n), self.person_skills(p), n, p) for n, p in X]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.feature_names))

    # -- profiles -----------------------------------------------------------------------------

    def person_skills(self, person: Jobseeker) -> PersonSkills:
        """The concept profile of a jobseeker (cached)."""
        if person not in self._people:
            if len(self._people) > CACHE_LIMIT:
                self._people.clear()
            self._people[person] = self._build_person(person)
        return self._people[person]

    def need_skills(self, need: Need) -> NeedSkills:
        """The concept profile of a need (cached)."""
        if need not in self._needs:
            if len(self._needs) > CACHE_LIMIT:
                self._needs.clear()
            self._needs[need] = self._build_need(need)
        return self._needs[need]

    def _evidence(self, person: Jobseeker) -> list[Evidence]:
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
        if person.headline:
            out.append(Evidence(person.headline, "headline", 1.0, find(person.headline, phrase=False)))
        if person.summary:
            out.append(Evidence(person.summary, "summary", 0.9, find(person.summary, phrase=False)))
        return out

    def _build_person(self, person: Jobseeker) -> PersonSkills:
        profile = PersonSkills(self._evidence(person))
        for item in profile.evidence:
            for hit in item.hits:
                self._support(profile, hit.concept, item.weight * hit.score, item, "direct")
        for concept, support in list(profile.support.items()):
            if support.via != "direct":
                continue
            for implied in self.vocabulary_.implies(concept):
                strength = support.strength * self.implied_weight
                self._support(profile, implied, strength, support.evidence, "implied")
        for concept, support in list(profile.support.items()):
            for other in self.vocabulary_.related(concept):
                strength = support.strength * self.related_weight
                self._support(profile, other, strength, support.evidence, "related")
        profile.sectors = self._sectors({c: s.strength for c, s in profile.support.items()})
        profile.phrase_evidence = [e for e in profile.evidence if len(e.text) <= 80]
        if profile.phrase_evidence:
            texts = [e.text for e in profile.phrase_evidence]
            profile.phrase_vectors = self.vectorizer_.transform(texts)
        return profile

    @staticmethod
    def _support(profile: PersonSkills, concept: str, strength: float, item: Evidence, via: str):
        current = profile.support.get(concept)
        if current is None or strength > current.strength:
            profile.support[concept] = Support(strength, item, via)

    def _sectors(self, weights: dict[str, float]) -> dict[str, float]:
        sectors: dict[str, float] = defaultdict(float)
        for concept, weight in weights.items():
            sector = self.vocabulary_[concept].sector
            if sector not in ("general", "esco"):
                sectors[sector] += weight
        return dict(sectors)

    def _build_need(self, need: Need) -> NeedSkills:
        find = self.mapper_.find
        required = [(s, find(s)) for s in need.required_skills]
        preferred = [(s, find(s)) for s in need.preferred_skills]
        title = find(need.title)
        weights: dict[str, float] = defaultdict(float)
        for hits, weight in [(title, 1.0), (find(need.description, phrase=False), 0.5)] + [
            (h, 1.0) for _, h in required
        ] + [(h, 0.5) for _, h in preferred]:
            for hit in hits:
                weights[hit.concept] = max(weights[hit.concept], weight * hit.score)
        for hit in title:
            for implied in self.vocabulary_.implies(hit.concept):
                weights[implied] = max(weights[implied], 0.5)
        return NeedSkills(required, preferred, title, dict(weights), self._sectors(weights))

    # -- values -------------------------------------------------------------------------------

    def phrase_fit(
        self, phrase: str, hits: tuple[ConceptHit, ...], person: PersonSkills
    ) -> tuple[float, Evidence | None, str | None]:
        """How well ``person`` evidences a need phrase: (similarity, evidence, concept)."""
        best: tuple[float, Evidence | None, str | None] = (0.0, None, None)
        for hit in hits:
            support = person.support.get(hit.concept)
            if support and hit.score * support.strength > best[0]:
                best = (min(1.0, hit.score * support.strength), support.evidence, hit.concept)
        if hits or person.phrase_vectors is None:
            return best
        similarities = (person.phrase_vectors @ self.vectorizer_.transform([phrase]).T).toarray()
        index = int(similarities.argmax())
        value = float(similarities[index, 0])
        if value < self.min_text_similarity:
            return best
        return value, person.phrase_evidence[index], None

    def _coverage(self, phrases, person: PersonSkills) -> float:
        if not phrases:
            return math.nan
        return float(np.mean([self.phrase_fit(p, h, person)[0] for p, h in phrases]))

    def _occupation_fit(self, need: Need, profile: NeedSkills, person: PersonSkills) -> float:
        occupations = [h for h in profile.title if self.vocabulary_[h.concept].type == "occupation"]
        best = 0.0
        for hit in occupations:
            support = person.support.get(hit.concept)
            held = support.strength if support else 0.0
            implied = self.vocabulary_.implies(hit.concept)
            shown = [min(person.support[c].strength, 1.0) for c in implied if c in person.support]
            share = sum(shown) / len(implied) if implied else 0.0
            best = max(best, hit.score * held, 0.8 * share)
        if occupations:
            return min(best, 1.0)
        return self.phrase_fit(need.title, profile.title, person)[0]

    def _experience(self, profile: NeedSkills, person: PersonSkills) -> float:
        concepts = set(profile.weights)
        years = 0.0
        for item in person.evidence:
            if item.source == "work_history" and item.years and self._touches(item, concepts):
                years += item.years
        return min(1.0, years / (2 * self.experience_years))

    def _touches(self, item: Evidence, concepts: set[str]) -> bool:
        for hit in item.hits:
            near = {hit.concept, *self.vocabulary_.implies(hit.concept)}
            near |= self.vocabulary_.related(hit.concept)
            if near & concepts:
                return True
        return False

    def _row(self, profile: NeedSkills, person: PersonSkills, need: Need, p: Jobseeker):
        required = self._coverage(profile.required, person)
        preferred = self._coverage(profile.preferred, person)
        return (
            required,
            required if math.isnan(preferred) else preferred,
            self._occupation_fit(need, profile, person),
            _cosine(profile.weights, {c: s.strength for c, s in person.support.items()}),
            _cosine(profile.sectors, person.sectors),
            self._experience(profile, person),
        )

    # -- explanation --------------------------------------------------------------------------

    def explain(
        self, need: Need, person: Jobseeker, language: str = "en", threshold: float = 0.5
    ) -> tuple[list[SkillMatch], list[MissingSkill]]:
        """Need skills the person evidences (with the words) and those missing."""
        check_is_fitted(self, "mapper_")
        profile, skills = self.need_skills(need), self.person_skills(person)
        matched, missing = [], []
        phrases = [(p, h, True) for p, h in profile.required]
        phrases += [(p, h, False) for p, h in profile.preferred]
        for phrase, hits, required in phrases:
            value, evidence, concept = self.phrase_fit(phrase, hits, skills)
            label = self._label(concept or (hits[0].concept if hits else None), language)
            if value >= threshold and evidence is not None:
                matched.append(SkillMatch(phrase, evidence.text, evidence.source, round(value, 3), label))
            else:
                to_learn = need.kind in LEARNING_KINDS
                missing.append(MissingSkill(phrase, required, to_learn, label))
        return matched, missing

    def _label(self, concept: str | None, language: str) -> str | None:
        return self.vocabulary_[concept].label(language) if concept else None


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(weight * b.get(key, 0.0) for key, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return float(min(dot / norm, 1.0)) if norm else 0.0
