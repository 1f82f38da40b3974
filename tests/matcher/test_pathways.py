"""Ready after a training: the trained person holds its skills and is available after it; a
path is kept only when it clears the vacancy's rules and raises the score."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.pathways import pathways, trained
from tests.conftest import make_jobseeker, make_need

VACANCY = dict(
    id="V1",
    kind="vacancy",
    title="Trukinkuljettaja",
    required_skills=["trukkikortti", "varastonhallinta"],
    start_date="2027-03-01",
)
TRAINING = dict(
    id="T1",
    kind="recruitment_training",
    title="Rekrytointikoulutus: varastotyö",
    required_skills=["trukkikortti", "varastonhallinta"],
    start_date="2027-01-10",
    end_date="2027-02-20",
)


def test_the_trained_person_learns_the_skills_and_is_free_after_the_training():
    person = make_jobseeker(skills=["siivous"], available_from="2026-12-01")
    after = trained(person, make_need(**TRAINING))
    assert after.skills == ("siivous", "trukkikortti", "varastonhallinta")
    assert after.available_from == dt.date(2027, 2, 20)


def test_a_vacancy_teaches_nothing():
    with pytest.raises(ValueError):
        trained(make_jobseeker(), make_need(**VACANCY))


def test_a_path_is_kept_when_the_training_raises_the_score(scorer):
    vacancy, training = make_need(**VACANCY), make_need(**TRAINING)
    novice = make_jobseeker(id="J-novice", skills=["siivous"])
    ready = make_jobseeker(id="J-ready", skills=["trukkikortti", "varastonhallinta"])
    now_scores, _, _ = scorer.score([(vacancy, novice), (vacancy, ready)])
    now = {("J-novice", "V1"): float(now_scores[0]), ("J-ready", "V1"): float(now_scores[1])}
    paths = pathways(scorer, [(novice, training, vacancy), (ready, training, vacancy)], now)
    assert [p.jobseeker_id for p in paths] == ["J-novice"]
    assert paths[0].score_after >= paths[0].score_now + 0.05
    assert paths[0].training_id == "T1" and paths[0].vacancy_id == "V1"


def test_a_training_that_ends_after_the_vacancy_ends_makes_no_path(scorer):
    vacancy = make_need(**{**VACANCY, "end_date": "2027-02-01", "start_date": "2027-01-01"})
    late = make_need(**{**TRAINING, "end_date": "2027-06-30"})
    novice = make_jobseeker(id="J-novice", skills=["siivous"])
    assert pathways(scorer, [(novice, late, vacancy)], {}) == []


def test_routes_embed_no_text_of_their_own(scorer):
    """A trained person reads as their own words: thousands of routes embed nothing."""
    embedder = scorer.meaning_.embedder_
    if embedder is None:
        pytest.skip("the embedding model is not installed")
    vacancy, training = make_need(**VACANCY), make_need(**TRAINING)
    people = [make_jobseeker(id=f"J-{i}", skills=["siivous", f"taito {i}"]) for i in range(3)]
    scorer.score([(vacancy, p) for p in people])
    before = len(embedder.remembered("person"))
    paths = pathways(scorer, [(p, training, vacancy) for p in people], {})
    assert len(embedder.remembered("person")) == before
    assert {p.jobseeker_id for p in paths} == {"J-0", "J-1", "J-2"}
