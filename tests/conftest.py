"""Shared fixtures: a fixed reference date, a fitted scorer, and builders of domain objects."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher import scoring
from matcher.domain import Jobseeker, Need
from matcher.features.lexical import TextFit
from matcher.scoring import MatchScorer
from matcher.taxonomy import Concept, SkillVocabulary, embedded_vocabulary
from matcher.weights import DEFAULT_WEIGHTS

AS_OF = dt.date(2026, 12, 1)


def make_need(**overrides) -> Need:
    """A valid need in Vaasa; keyword arguments override fields (as in the JSON form)."""
    data = {
        "id": "N1",
        "company_id": "C1",
        "kind": "vacancy",
        "title": "Hitsaaja",
        "required_skills": ["hitsaus"],
        "municipality": "Vaasa",
        "start_date": "2026-12-15",
    }
    data.update(overrides)
    return Need.from_dict(data)


def make_jobseeker(**overrides) -> Jobseeker:
    """A valid jobseeker in Vaasa; keyword arguments override fields (as in the JSON form)."""
    data = {
        "id": "J1",
        "skills": ["hitsaus"],
        "municipality": "Vaasa",
        "languages": [{"language": "fi", "level": "native"}],
        "available_from": "2026-12-01",
    }
    data.update(overrides)
    return Jobseeker.from_dict(data)


@pytest.fixture(scope="session")
def scorer() -> MatchScorer:
    """The default scorer at the fixed reference date."""
    return MatchScorer(as_of=AS_OF).fit()


@pytest.fixture(scope="session")
def dataset():
    """The project's fixture data set."""
    from matcher.dataset import load_dataset

    return load_dataset()


# Ways a scorer can differ from the default one at the same date (:func:`other_scorer`).
SCORER_CHANGES = ("vocabulary", "weights", "features", "embedding", "feature_versions")


def other_scorer(change: str, monkeypatch, as_of: dt.date = AS_OF) -> MatchScorer:
    """A scorer like the default one but for one ``change`` from :data:`SCORER_CHANGES`: a
    vocabulary with one more concept, another weight, one feature family fewer, no sentence
    embeddings, or a feature whose values read otherwise (a new version)."""
    if change == "vocabulary":
        labels = {"en": ("glassblowing",), "fi": ("lasinpuhallus",)}
        extra = Concept("glassblowing", "skill", labels)
        vocabulary = embedded_vocabulary().merged(SkillVocabulary([extra]))
        return MatchScorer(vocabulary=vocabulary, as_of=as_of).fit()
    if change == "weights":
        vacancy = {**DEFAULT_WEIGHTS["vacancy"], "skill_coverage": 9.0}
        return MatchScorer(weights={**DEFAULT_WEIGHTS, "vacancy": vacancy}, as_of=as_of).fit()
    if change == "embedding":
        return MatchScorer(as_of=as_of, embedder=None).fit()
    if change == "feature_versions":
        with monkeypatch.context() as patch:
            patch.setattr(TextFit, "feature_version", TextFit.feature_version + 1)
            return MatchScorer(as_of=as_of).fit()
    with monkeypatch.context() as patch:
        patch.setattr(scoring, "RULE_FAMILIES", scoring.RULE_FAMILIES[:-1])
        return MatchScorer(as_of=as_of).fit()


@pytest.fixture(scope="session", autouse=True)
def fixture_vectors():
    """The fixtures' shipped sentence embeddings in the process's embedder, as a demo start
    stores them (``tests/matcher/test_embedding.py`` checks they are the model's)."""
    from matcher.dataset import FIXTURES
    from matcher.embedding import preload

    preload(FIXTURES)
