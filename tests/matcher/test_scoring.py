"""The scorer: vectorised paths agree with the per-pair ones, weights are checked."""

import dataclasses
import functools

import numpy as np
import orjson
import pytest

from matcher.domain import NEED_KINDS, relabelled
from matcher.exceptions import InvalidInput
from matcher.scoring import MatchScorer, check_weights
from matcher.weights import CONCEPT_FEATURES, DEFAULT_WEIGHTS, MEANING_OF_PROSE, PROSE_SHIFT
from tests.conftest import AS_OF, SCORER_CHANGES, make_jobseeker, make_need, other_scorer


def test_exclusion_mask_agrees_with_the_stated_reasons(scorer, dataset):
    people = dataset.jobseekers[:200]
    population = scorer.population(people)
    for need in dataset.needs[:40]:
        _, excluded = scorer.need_features(need, population)
        reasons = [bool(scorer.unmet(need, person)) for person in people]
        assert excluded.tolist() == reasons, need.id


def test_need_by_need_features_equal_the_feature_union(scorer, dataset):
    pairs = [(need, person) for need in dataset.needs[:5] for person in dataset.jobseekers[:50]]
    _, values, _ = scorer.score(pairs)
    np.testing.assert_allclose(values, scorer.features(pairs), atol=1e-9)


def test_a_population_slice_scores_like_the_whole(scorer, dataset):
    population = scorer.population(dataset.jobseekers)
    rows = np.array([7, 3, 500, 42])
    whole, _ = scorer.need_features(dataset.needs[0], population)
    part, _ = scorer.need_features(dataset.needs[0], population.take(rows))
    np.testing.assert_allclose(whole[rows], part, atol=1e-6)


def test_a_persons_values_do_not_depend_on_who_else_is_scored(scorer, dataset):
    population = scorer.population(dataset.jobseekers)
    for need in dataset.needs[:10]:
        whole, _ = scorer.need_features(need, population)
        for row in range(0, len(population), 5):
            alone, _ = scorer.need_features(need, population.take(np.array([row])))
            assert whole[row].tobytes() == alone[0].tobytes(), need.id


@pytest.mark.parametrize(
    "at_once",
    [MatchScorer.prepare_texts, MatchScorer.keep_texts],
    ids=["for-a-batch", "kept-for-a-person"],
)
def test_texts_vectorised_at_once_equal_those_of_one_need(dataset, at_once, monkeypatch):
    scorer = MatchScorer(as_of=AS_OF).fit()
    needs = [dataclasses.replace(n, id=f"{n.id}-batch") for n in dataset.needs[:60]]
    fit, space = scorer.skills_, scorer.text_.space_
    alone = {need: space.needs([need]) for need in needs}
    phrases = {n.title for n in needs}
    phrases |= {phrase for n in needs for phrase, _ in fit.need_skills(n).required}
    alone_phrases = {phrase: fit.vectorizer_.transform([phrase]) for phrase in phrases}
    at_once(scorer, needs)

    def vectorised_again(*args):
        raise AssertionError("vectorised one at a time")

    monkeypatch.setattr(space, "needs", vectorised_again)
    monkeypatch.setattr(fit.vectorizer_, "transform", vectorised_again)
    for need in needs:
        assert (space.need_vector(need) != alone[need]).nnz == 0
    for phrase, vector in alone_phrases.items():
        assert (fit._need_phrase_vector(phrase) != vector).nnz == 0, phrase


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vacancy": None}, "weights.vacancy"),
        ({"vacancy": {"skill_coverage": -1}}, "weights.vacancy"),
        ({"apprenticeship": {"charm": 1.0}}, "weights.apprenticeship"),
    ],
)
def test_bad_weights_are_refused(change, field):
    weights = {**DEFAULT_WEIGHTS, **change}
    weights = {k: v for k, v in weights.items() if v is not None}
    with pytest.raises(InvalidInput) as raised:
        check_weights(weights)
    assert raised.value.field == field
    with pytest.raises(InvalidInput):
        MatchScorer(weights=weights).fit()


def test_scorers_built_alike_describe_themselves_alike(scorer):
    again = MatchScorer(as_of=AS_OF).fit().description_
    assert again == scorer.description_
    assert again["features"] == list(scorer.feature_names_) and again["model"] is None
    assert again["weights"]["vacancy"]["skill_coverage"] > 0


@pytest.mark.parametrize("change", SCORER_CHANGES)
def test_a_scorer_that_differs_has_another_fingerprint(scorer, monkeypatch, change):
    other = other_scorer(change, monkeypatch).description_
    assert other["fingerprint"] != scorer.description_["fingerprint"]
    assert other[change] != scorer.description_[change]


def test_path_fit_lifts_only_with_some_evidence(scorer):
    # A person who wants cleaning work, on the path an apprenticeship serves, against a
    # mechanical fitter's apprenticeship: the path alone must not lift them.
    need = make_need(kind="apprenticeship", title="Asentaja", required_skills=["koneasennus"])
    cleaner = make_jobseeker(skills=["siivous"], service_path="osku", headline="Siivooja")
    fitter = make_jobseeker(id="J2", skills=["asennus"], service_path="osku")
    _, values, _ = scorer.score([(need, cleaner), (need, fitter)])
    path = list(scorer.feature_names_).index("path_fit")
    assert values[0, path] == 0.0
    assert values[1, path] > 0.5


def test_a_person_described_only_in_prose_is_weighed_by_their_words(scorer):
    need = make_need(title="Hitsaaja", description="Hitsaat teräsrakenteita MIG-hitsauksella.")
    prose = make_jobseeker(skills=[], summary="Olen hitsannut teräsrakenteita MIG-hitsauksella.")
    structured = dataclasses.replace(prose, id="J2", headline="Hitsaaja")
    names = list(scorer.feature_names_)
    shifted = [names.index(n) for n in CONCEPT_FEATURES]
    plain = scorer.weight_matrix_["vacancy"]
    for person, expected in ((prose, scorer.prose_matrix_["vacancy"]), (structured, plain)):
        match = scorer.match(need, person)
        features = match.explanation.features
        assert [f.weight for f in features] == pytest.approx(expected, abs=1e-4)
        assert sum(f.contribution for f in features) == pytest.approx(match.score, abs=1e-3)
    weights = scorer.prose_matrix_["vacancy"]
    assert weights.sum() == pytest.approx(1.0)
    assert weights[shifted] == pytest.approx((1 - PROSE_SHIFT) * plain[shifted])
    moved = PROSE_SHIFT * plain[shifted].sum()
    text, meaning = names.index("text_similarity"), names.index("meaning_similarity")
    assert weights[text] == pytest.approx(plain[text] + (1 - MEANING_OF_PROSE) * moved)
    assert weights[meaning] == pytest.approx(plain[meaning] + MEANING_OF_PROSE * moved)


def label_in(scorer, concept: str, language: str) -> str | None:
    return scorer.concept_label(concept, language)


def test_a_stored_explanation_reads_in_another_language_as_if_explained_in_it(scorer, dataset):
    needs = [n for kind in NEED_KINDS for n in dataset.needs if n.kind == kind][::9]
    pairs = [(need, person) for need in needs for person in dataset.jobseekers[:12]]
    _, values, excluded = scorer.score(pairs)
    renamed = 0
    for (need, person), row, out in zip(pairs, values, excluded, strict=True):
        stored = orjson.loads(orjson.dumps(scorer.explain(need, person, row, out).to_stored()))
        for language in ("fi", "sv"):
            explained = scorer.explain(need, person, row, out, language).to_dict()
            read = relabelled(stored, functools.partial(label_in, scorer, language=language))
            assert read == orjson.loads(orjson.dumps(explained))
        renamed += len(stored["concept_ids"]["named"])
    assert renamed  # the skills an apprentice would learn, named by their concept
