"""Scoring: hard requirements first, then a weighted mean of feature values, explained.

:class:`MatchScorer` composes the feature families with scikit-learn's ``FeatureUnion`` and
applies the weights of :mod:`matcher.weights`. A pair that fails a hard requirement is
excluded (score 0) with the reasons recorded; every other pair scores in [0, 1] and its
explanation lists each feature's value, weight and contribution (they sum to the score).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import pickle
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from matcher.domain import (
    NEED_KINDS,
    FeatureContribution,
    Jobseeker,
    Match,
    MatchExplanation,
    Need,
    Requirement,
)
from matcher.embedding import MODEL_NAME as EMBEDDING_MODEL
from matcher.exceptions import InvalidInput, ModelError
from matcher.features import (
    AvailabilityFit,
    EducationFit,
    EligibilityFit,
    LanguageFit,
    LocationFit,
    PathFit,
    SkillFit,
    WorkAbilityFit,
)
from matcher.features.base import (
    Pair,
    PersonTable,
    check_pairs,
    group_by_need,
    prose_only,
    row_dot,
)
from matcher.features.lexical import TextFit
from matcher.features.meaning import MeaningFit
from matcher.features.skills import PersonMatrix
from matcher.reasons import Reason
from matcher.taxonomy import SkillVocabulary
from matcher.weights import (
    CONCEPT_FEATURES,
    DEFAULT_WEIGHTS,
    FEATURES,
    MEANING_OF_PROSE,
    PROSE_SHIFT,
    WEIGHTS_VERSION,
)


@dataclass
class Population:
    """Jobseekers prepared for scoring: their skill matrices, rule arrays, text vectors and
    sentence embeddings (no columns without the model), row-aligned."""

    people: list[Jobseeker]
    skills: PersonMatrix
    table: PersonTable
    text: sp.csr_matrix
    meaning: np.ndarray

    def __len__(self) -> int:
        return len(self.people)

    @classmethod
    def concat(cls, parts: Sequence[Population]) -> Population:
        """The people of ``parts`` one after the other, as one population."""
        return cls(
            [person for part in parts for person in part.people],
            PersonMatrix.concat([part.skills for part in parts]),
            PersonTable.concat([part.table for part in parts]),
            sp.vstack([part.text for part in parts], format="csr"),
            np.vstack([part.meaning for part in parts]),
        )

    def take(self, rows: np.ndarray) -> Population:
        """The population of the people at ``rows``."""
        return Population(
            [self.people[i] for i in rows],
            self.skills.take(rows),
            self.table.take(rows),
            self.text[rows],
            self.meaning[rows],
        )


# The features that show a pair has something to do with each other, the value at which one
# of them counts in full and the text similarity that does (path fit is scaled by the
# strongest of them: none at all, and path fit counts for nothing).
EVIDENCE_FEATURES = (
    "skill_coverage",
    "occupation_fit",
    "profile_similarity",
    "sector_fit",
    "relevant_experience",
    "interest_fit",
)
FULL_EVIDENCE = 0.3
TEXT_EVIDENCE = 0.15
# Unrelated texts still share a few character n-grams: below this they show nothing.
TEXT_NOISE = 0.05

RULE_FAMILIES = (
    ("language", LanguageFit),
    ("location", LocationFit),
    ("availability", AvailabilityFit),
    ("education", EducationFit),
    ("eligibility", EligibilityFit),
    ("path", PathFit),
    ("workability", WorkAbilityFit),
)


def check_weights(weights: Mapping[str, Mapping[str, float]]) -> None:
    """Raise :class:`InvalidInput` unless ``weights`` gives every kind non-negative weights."""
    for kind in NEED_KINDS:
        if kind not in weights:
            raise InvalidInput(f"no weights for {kind}", field=f"weights.{kind}")
        unknown = set(weights[kind]) - set(FEATURES)
        if unknown:
            raise InvalidInput(f"unknown features {sorted(unknown)}", field=f"weights.{kind}")
        if any(value < 0 for value in weights[kind].values()) or not sum(weights[kind].values()):
            raise InvalidInput(
                "weights must be non-negative and not all zero", field=f"weights.{kind}"
            )


class MatchScorer(BaseEstimator):
    """Scores (need, jobseeker) pairs with transparent weights.

    Parameters
    ----------
    weights : mapping or None
        ``{kind: {feature: weight}}``; :data:`matcher.weights.DEFAULT_WEIGHTS` when None.
        Each kind's weights are normalised to sum to 1.
    vocabulary : SkillVocabulary or None
        Skill vocabulary for :class:`SkillFit` (the embedded one when None).
    as_of : datetime.date or None
        Reference date (today when None).
    weights_version : str
        Name of the weights (or of the model), recorded with batch runs.
    model : OutcomeModel or None
        A model learnt from outcomes (:mod:`matcher.learning`); when given, a pair's score is
        its calibrated probability of a good outcome instead of the weighted mean, and the
        explanation starts from the model's baseline probability.
    embedder : TextEmbedder, "default" or None
        Sentence embeddings for ``meaning_similarity`` (:class:`MeaningFit`); with None, or
        without the model installed, that feature gets no weight.

    Attributes
    ----------
    feature_versions_ : dict
        Each feature's version (:attr:`~matcher.features.base.NamedColumns.feature_version`):
        what its values mean, which a model learnt from them must have been trained on.
    description_ : dict
        What the fitted scorer scores with, recorded beside stored results so that they are
        used only by the same scorer: ``features`` (names in order), ``weights``
        (normalised, per kind), ``vocabulary`` (its fingerprint), ``model`` (its name and
        the SHA-256 of its pickled state, or None), ``feature_versions`` (those other than
        1) and ``fingerprint``, the SHA-256 of the rest.
    """

    def __init__(
        self,
        weights: Mapping[str, Mapping[str, float]] | None = None,
        vocabulary: SkillVocabulary | None = None,
        as_of: dt.date | None = None,
        weights_version: str | None = None,
        model=None,
        embedder="default",
    ) -> None:
        self.weights = weights
        self.vocabulary = vocabulary
        self.as_of = as_of
        self.weights_version = weights_version
        self.model = model
        self.embedder = embedder

    def fit(self, pairs: Sequence[Pair] = ()) -> MatchScorer:
        """Build and fit the feature families; returns ``self``."""
        weights = self.weights or DEFAULT_WEIGHTS
        check_weights(weights)
        as_of = self.as_of or dt.date.today()
        self.skills_ = SkillFit(vocabulary=self.vocabulary, as_of=as_of)
        self.text_ = TextFit()
        self.meaning_ = MeaningFit(self.embedder, title_names=self.skills_.title_names)
        self.rules_ = [(name, family(as_of=as_of)) for name, family in RULE_FAMILIES]
        self.union_ = FeatureUnion(
            [
                ("skills", self.skills_),
                ("text", self.text_),
                ("meaning", self.meaning_),
                *self.rules_,
            ],
            verbose_feature_names_out=False,
        ).fit(list(pairs))
        self.feature_names_ = tuple(self.union_.get_feature_names_out())
        self.feature_versions_ = {
            name: family.feature_version
            for _, family in self.union_.transformer_list
            for name in family.feature_names
        }
        if self.model is not None and tuple(self.model.feature_names_) != self.feature_names_:
            raise ModelError("the model was trained on other features", field="model")
        self.weight_matrix_ = self._weight_matrix(weights)
        self.prose_matrix_ = {
            kind: prose_weights(vector, self.feature_names_, self.meaning_.active)
            for kind, vector in self.weight_matrix_.items()
        }
        self.version_ = self.weights_version or (
            WEIGHTS_VERSION if self.weights is None else "custom"
        )
        self.description_ = self._description()
        return self

    def with_embedder(self, embedder) -> MatchScorer:
        """This fitted scorer with its sentence embeddings from ``embedder`` (e.g. one that
        keeps them in a database): the same scores, the vectors kept elsewhere."""
        check_is_fitted(self, "union_")
        if not self.meaning_.active:
            return self
        clone = copy.copy(self)
        clone.meaning_ = copy.copy(self.meaning_)
        clone.meaning_.embedder_ = embedder
        clone.union_ = copy.copy(self.union_)
        clone.union_.transformer_list = [
            (name, clone.meaning_ if family is self.meaning_ else family)
            for name, family in self.union_.transformer_list
        ]
        return clone

    def _description(self) -> dict:
        described = {
            "features": list(self.feature_names_),
            "weights": {
                kind: dict(zip(self.feature_names_, vector.tolist(), strict=True))
                for kind, vector in self.weight_matrix_.items()
            },
            "prose_shift": PROSE_SHIFT,
            "embedding": EMBEDDING_MODEL if self.meaning_.active else None,
            "vocabulary": self.skills_.vocabulary_.fingerprint,
            "model": _model_identity(self.model, self.version_),
            # A stored run's feature values were read by these versions (1 left out).
            "feature_versions": {n: v for n, v in self.feature_versions_.items() if v != 1},
        }
        return {**described, "fingerprint": _digest(described)}

    def _weight_matrix(self, weights) -> dict[str, np.ndarray]:
        out = {}
        for kind in NEED_KINDS:
            vector = np.array([weights[kind].get(n, 0.0) for n in self.feature_names_])
            if not self.meaning_.active:
                vector[self.feature_names_.index("meaning_similarity")] = 0.0
            out[kind] = vector / vector.sum()
        return out

    def population(
        self, people: Sequence[Jobseeker], meaning_of: Sequence[Jobseeker] | None = None
    ) -> Population:
        """Prepare ``people`` for scoring against many needs (profiles, text vectors and rule
        arrays); ``meaning_of``: row by row, the people whose sentence embeddings stand for
        them (another version of the same person, such as the person after a training, read
        with the meaning of their profile as it is: no text is embedded anew)."""
        check_is_fitted(self, "union_")
        skills = self.skills_.person_matrix(people)
        return Population(list(people), skills, *self.person_arrays(people, meaning_of))

    def person_arrays(
        self, people: Sequence[Jobseeker], meaning_of: Sequence[Jobseeker] | None = None
    ) -> tuple[PersonTable, sp.csr_matrix, np.ndarray]:
        """What a :class:`Population` of ``people`` holds beside their skill profiles: the
        rule table, the text vectors and the sentence embeddings (``meaning_of`` as in
        :meth:`population`). Arrays only, which fill no cache of the scorer's: another
        process can compute them while this one builds the profiles."""
        check_is_fitted(self, "union_")
        return (
            PersonTable.from_people(people),
            self.text_.space_.people(people),
            self.meaning_.people(people if meaning_of is None else meaning_of),
        )

    def prepare_needs(self, needs: Sequence[Need]) -> None:
        """Compute (or read) what scoring ``needs`` takes once per need, for all of them at
        once: their sentence embeddings."""
        check_is_fitted(self, "union_")
        if self.meaning_.active:
            self.meaning_.embedder_.needs(needs)

    def prepare_texts(self, needs: Sequence[Need]) -> None:
        """Vectorise the texts of ``needs`` at once, for scoring all of them (a batch): one
        need at a time costs the vectorisers' overhead per call."""
        check_is_fitted(self, "union_")
        self.skills_.prepare_phrases(needs)
        self.text_.space_.prepare(needs)

    def keep_texts(self, needs: Sequence[Need]) -> None:
        """Vectorise at once the texts of ``needs`` not vectorised yet, and keep them (one
        person's needs: a request would otherwise pay the vectorisers' overhead per need)."""
        check_is_fitted(self, "union_")
        self.skills_.keep_phrases(needs)
        self.text_.space_.keep(needs)

    def need_features(
        self, need: Need, people: Population, meaning: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Feature values (people × ``feature_names_``) and the exclusion mask for ``need``
        (``meaning``: the need's vector from :meth:`MeaningFit.needs`, when already known)."""
        values = [self.skills_.need_values(need, people.skills)]
        values += [self.text_.need_values(need, people.text)]
        values += [self.meaning_.need_values(need, people.meaning, meaning)]
        values += [family.need_values(need, people.table) for _, family in self.rules_]
        excluded = self.excluded(need, people.table) | self.skills_.need_unmet(need, people.skills)
        return self._gated(np.hstack(values)), excluded

    def _gated(self, values: np.ndarray) -> np.ndarray:
        """``values`` with path fit scaled by the pair's evidence: a service path says which
        kind of need serves a person, not which need, so it lifts a candidate only together
        with some sign of the skills, the field or the wish for this work."""
        if not len(values):
            return values
        column = {name: i for i, name in enumerate(self.feature_names_)}
        evidence = values[:, [column[name] for name in EVIDENCE_FEATURES]].max(axis=1)
        text = (values[:, column["text_similarity"]] - TEXT_NOISE) / TEXT_EVIDENCE
        gate = np.clip(np.maximum(evidence / FULL_EVIDENCE, text), 0.0, 1.0)
        values[:, column["path_fit"]] *= gate
        return values

    def excluded(self, need: Need, table: PersonTable, but: Collection[str] = ()) -> np.ndarray:
        """Which people of ``table`` fail a hard requirement of ``need`` (of the rule
        families not named in ``but``)."""
        mask = np.zeros(len(table), dtype=bool)
        for name, family in self.rules_:
            if name not in but:
                mask |= family.need_unmet(need, table)
        return mask

    def family(self, name: str):
        """The fitted rule family called ``name`` (``"location"``, ``"language"``…)."""
        return dict(self.rules_)[name]

    def need_scores(
        self, need: Need, values: np.ndarray, excluded: np.ndarray, prose: np.ndarray | None = None
    ) -> np.ndarray:
        """Scores from feature values: the weighted mean (or the model's probability), 0 where
        excluded; ``prose`` marks the rows of people described only in prose, weighed with
        ``prose_matrix_``."""
        if self.model is not None and len(values):
            return np.where(excluded, 0.0, self.model.scores(need.kind, values))
        scores = row_dot(values, self.weight_matrix_[need.kind])
        if prose is not None and prose.any():
            scores[prose] = row_dot(values[prose], self.prose_matrix_[need.kind])
        return np.where(excluded, 0.0, scores)

    def remedied_scores(
        self, need: Need, values: np.ndarray, prose: np.ndarray | None = None
    ) -> np.ndarray:
        """The scores the pairs would have with every hard requirement met: how near-misses
        are ordered among themselves."""
        return self.need_scores(need, values, np.zeros(len(values), dtype=bool), prose)

    def features(self, pairs: Sequence[Pair]) -> np.ndarray:
        """Feature matrix (pairs × ``feature_names_``), through the ``FeatureUnion``."""
        if not pairs:
            return np.zeros((0, len(self.feature_names_)))
        return self._gated(self.union_.transform(check_pairs(list(pairs))))

    def unmet(self, need: Need, person: Jobseeker) -> list[Requirement]:
        """Hard requirements of ``need`` that ``person`` does not meet, with reasons."""
        unmet = [r for _, family in self.rules_ for r in family.requirements(need, person)]
        return unmet + self.skills_.requirements(need, person)

    def score(
        self, pairs: Sequence[Pair], meaning_of: Sequence[Jobseeker] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scores, the feature matrix and the exclusion mask of ``pairs`` (need by need);
        ``meaning_of``: row by row, whose sentence embeddings stand for the pairs' people
        (:meth:`population`)."""
        check_pairs(pairs)
        scores = np.zeros(len(pairs))
        values = np.zeros((len(pairs), len(self.feature_names_)))
        excluded = np.zeros(len(pairs), dtype=bool)
        for need, rows in group_by_need(pairs).items():
            like = None if meaning_of is None else [meaning_of[r] for r in rows]
            people = self.population([pairs[r][1] for r in rows], like)
            values[rows], excluded[rows] = self.need_features(need, people)
            scores[rows] = self.need_scores(need, values[rows], excluded[rows], people.table.prose)
        return scores, values, excluded

    def explain(
        self,
        need: Need,
        person: Jobseeker,
        values: np.ndarray,
        excluded: bool,
        language: str = "en",
    ) -> MatchExplanation:
        """The explanation of one scored pair (the contributions sum to its score)."""
        unmet = self.unmet(need, person) if excluded else []
        weights, shares, gains, baseline = self._shares(
            need.kind, values, excluded, prose_only(person)
        )
        columns = np.round(np.vstack([values, weights, shares]), 4).T.tolist()
        features = tuple(
            FeatureContribution(name, *column)
            for name, column in zip(self.feature_names_, columns, strict=True)
        )
        if baseline is not None:
            features += (FeatureContribution("baseline", 1.0, baseline, baseline),)
        matched, missing = self.skills_.explain(need, person, language)
        preferences = [p for _, family in self.rules_ for p in family.preferences(need, person)]
        return MatchExplanation(
            features=features,
            matched_skills=tuple(matched),
            missing_skills=tuple(missing),
            unmet_requirements=tuple(unmet),
            unmet_preferences=tuple(preferences),
            suggestion=_suggestion(features, gains, missing, unmet, preferences),
        )

    def _shares(self, kind: str, values: np.ndarray, excluded: bool, prose: bool = False):
        """Per feature: weight, contribution and the gain if it were 1; and the baseline (the
        model's probability for the kind's average row; None for the weighted mean)."""
        if self.model is None:
            weights = (self.prose_matrix_ if prose else self.weight_matrix_)[kind]
            shares = np.zeros_like(weights) if excluded else weights * values
            return weights, shares, weights * (1.0 - values), None
        weights = self.model.coefficients(kind)
        if excluded:
            return weights, np.zeros_like(weights), np.zeros_like(weights), None
        baseline, shares, score = self.model.explain(kind, values)
        return weights, shares, self.model.gains(kind, values, score), round(baseline, 4)

    def concept_label(self, concept: str, language: str) -> str | None:
        """The label of the vocabulary's ``concept`` in ``language`` (None if unknown)."""
        vocabulary = self.skills_.vocabulary_
        return vocabulary[concept].label(language) if concept in vocabulary else None

    def match(self, need: Need, person: Jobseeker, language: str = "en") -> Match:
        """Score and explain a single pair."""
        scores, values, excluded = self.score([(need, person)])
        return self.explained(need, person, scores[0], values[0], excluded[0], language)

    def explained(
        self,
        need: Need,
        person: Jobseeker,
        score: float,
        values: np.ndarray,
        excluded: bool,
        language: str = "en",
    ) -> Match:
        """A pair already scored, as a :class:`Match` with its explanation."""
        excluded = bool(excluded)
        explanation = self.explain(need, person, values, excluded, language)
        remedied = None
        if excluded:
            prose = np.array([prose_only(person)])
            remedied = self.remedied_scores(need, values[None], prose)[0]
        return Match(
            need.id,
            person.id,
            round(float(score), 6),
            excluded,
            explanation,
            None if remedied is None else round(float(remedied), 6),
        )


def prose_weights(weights: np.ndarray, names: Sequence[str], meaning: bool = True) -> np.ndarray:
    """A kind's ``weights`` (by feature ``names``) for a person described only in prose:
    :data:`~matcher.weights.PROSE_SHIFT` of the concept features' weight moved to the
    whole-text features, :data:`~matcher.weights.MEANING_OF_PROSE` of it to
    ``meaning_similarity`` when the embedding model is there (else all to
    ``text_similarity``)."""
    names = list(names)
    shifted = np.array(weights, dtype=float)
    concepts = [names.index(name) for name in CONCEPT_FEATURES]
    moved = PROSE_SHIFT * shifted[concepts]
    shifted[concepts] -= moved
    to_meaning = MEANING_OF_PROSE if meaning else 0.0
    shifted[names.index("meaning_similarity")] += to_meaning * moved.sum()
    shifted[names.index("text_similarity")] += (1.0 - to_meaning) * moved.sum()
    return shifted


def _model_identity(model, name: str) -> dict | None:
    if model is None:
        return None
    return {"name": name, "sha256": hashlib.sha256(pickle.dumps(model, protocol=5)).hexdigest()}


def _digest(value) -> str:
    """SHA-256 of ``value``'s canonical JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# The unmet preference that stands for a feature's shortfall, by the feature's name.
PREFERENCE_OF = {
    "language_fit": "language_preferred",
    "education_fit": "education_below",
    "availability_fit": "available_later",
    "path_fit": "other_kinds_wanted",
}


# Features that measure how the texts read, not something a person can do: their gain is
# credited to a missing required skill, or else left out of the suggestion.
TEXT_FEATURES = frozenset({"text_similarity", "meaning_similarity", "profile_similarity"})
SKILL_FEATURES = frozenset({"skill_coverage", "occupation_fit"}) | TEXT_FEATURES


def _suggestion(features, gains, missing, unmet, preferences) -> Reason | None:
    """The smallest change that would move the person up, as a reason."""
    if unmet:
        remedies = [r.remedy for r in unmet]
        if len(remedies) == 1:
            return Reason("only_missing_requirement", {"remedy": remedies[0]})
        return Reason("missing_requirements", {"remedies": remedies})
    required_missing = [m.need_skill for m in missing if m.required]
    # A learned model's baseline comes last and has no gain: strict=False. A missing required
    # skill is the change to name when there is one (it can be learnt or shown, unlike
    # "more experience"); otherwise text similarity is never a change to ask for.
    gains = [
        (g if f.name in SKILL_FEATURES else 0.0)
        if required_missing
        else (0.0 if f.name in TEXT_FEATURES else g)
        for f, g in zip(features, gains, strict=False)
    ]
    best = max(range(len(gains)), key=gains.__getitem__)  # the first largest, as argmax
    gain = float(gains[best])
    if gain < 0.01:
        return None
    gain = round(gain, 2)
    name = features[best].name
    if name in SKILL_FEATURES and required_missing:
        code = "learn_skill" if missing[0].to_learn else "show_skill"
        return Reason(code, {"skill": required_missing[0], "gain": gain})
    for preference in preferences:
        if preference.code == PREFERENCE_OF.get(name):
            return Reason("meet_preference", {"preference": preference, "gain": gain})
    return Reason("raise_feature", {"feature": name, "gain": gain})
