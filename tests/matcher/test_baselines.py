"""The text baselines keep the ranking contract and rank by shared character n-grams."""

import pytest

from matcher.baselines import TfidfRanker, need_text, person_text
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
