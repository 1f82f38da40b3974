"""Learning from outcomes: soft targets, need-grouped validation, a model that beats the
default weights on simulated outcomes, and explanations that still sum to the score."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.dataset import load_dataset
from matcher.learning import (
    OUTCOME_TARGETS,
    Outcome,
    OutcomeModel,
    _group_splits,
    train,
    training_set,
)
from matcher.scoring import MatchScorer
from matcher.simulation import simulate_outcomes


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def default_scorer(dataset):
    return MatchScorer(as_of=dataset.as_of).fit()


@pytest.fixture(scope="module")
def simulated(dataset, default_scorer):
    outcomes = simulate_outcomes(dataset, default_scorer, 3000, seed=1)
    needs = {n.id: n for n in dataset.needs}
    people = {p.id: p for p in dataset.jobseekers}
    return training_set(outcomes, needs, people, default_scorer)


@pytest.fixture(scope="module")
def trained(simulated, default_scorer):
    return train(simulated, lambda kind, v: v @ default_scorer.weight_matrix_[kind])


def test_the_latest_informative_outcome_of_a_pair_counts(dataset, default_scorer):
    need = dataset.needs[0]
    people = {p.id: p for p in dataset.jobseekers[:3]}
    a, b, c = people
    outcomes = [
        Outcome(need.id, a, "interviewed"),
        Outcome(need.id, a, "hired"),
        Outcome(need.id, b, "rejected_by_company"),
        Outcome(need.id, b, "contacted"),  # says nothing: the rejection stands
        Outcome(need.id, c, "contacted"),
    ]
    data = training_set(outcomes, {need.id: need}, people, default_scorer)
    targets = dict(zip(data.jobseekers, data.targets, strict=True))
    excluded = default_scorer.score([(need, people[x]) for x in (a, b)])[2]
    expected = {x: t for x, t, out in zip((a, b), (1.0, 0.0), excluded, strict=True) if not out}
    assert targets == expected


def test_simulated_outcomes_cover_every_kind_of_record(dataset, default_scorer):
    outcomes = simulate_outcomes(dataset, default_scorer, 400, seed=3)
    assert len(outcomes) == 400
    assert len({(o.need_id, o.jobseeker_id) for o in outcomes}) == 400
    kinds = {o.outcome for o in outcomes}
    assert {"contacted", "interviewed", "rejected_by_company", "hired"} <= kinds
    assert kinds <= set(OUTCOME_TARGETS) | {"contacted"}


def test_no_need_is_in_both_a_training_and_a_held_out_fold(simulated):
    for train_rows, test_rows in _group_splits(simulated.needs, 5):
        assert not set(simulated.needs[train_rows]) & set(simulated.needs[test_rows])


def test_the_model_beats_the_default_weights_on_held_out_needs(trained):
    _, validation = trained
    model, default = validation.candidates[validation.chosen], validation.default_weights
    assert model["ndcg@10"] > default["ndcg@10"]
    assert model["auc"] > default["auc"]


def test_probabilities_are_calibrated_on_the_training_data(simulated, trained):
    model, _ = trained
    for kind in np.unique(simulated.kinds):
        rows = simulated.kinds == kind
        predicted = model.scores(kind, simulated.values[rows])
        assert abs(predicted.mean() - simulated.targets[rows].mean()) < 0.05


def test_a_scorer_with_the_model_explains_exactly(dataset, trained):
    model, _ = trained
    scorer = MatchScorer(as_of=dataset.as_of, model=model, weights_version="m").fit()
    need = next(n for n in dataset.needs if n.kind == "apprenticeship")
    checked = 0
    for person in dataset.jobseekers[:80]:
        match = scorer.match(need, person)
        total = sum(f.contribution for f in match.explanation.features)
        assert total == pytest.approx(match.score, abs=2e-3)
        if not match.excluded:
            assert match.explanation.features[-1].name == "baseline"
            checked += 1
    assert checked >= 10


def test_a_scorer_refuses_a_model_of_other_features(dataset, trained):
    model, _ = trained
    other = OutcomeModel(C=model.C)
    other.__dict__.update({k: v for k, v in model.__dict__.items() if k.endswith("_")})
    other.feature_names_ = tuple(reversed(model.feature_names_))
    with pytest.raises(Exception, match="other features"):
        MatchScorer(as_of=dataset.as_of, model=other).fit()


def test_a_scorer_with_a_model_names_the_model_in_its_description(dataset, trained):
    model, _ = trained
    with_model = MatchScorer(as_of=dataset.as_of, model=model, weights_version="m").fit()
    again = MatchScorer(as_of=dataset.as_of, model=model, weights_version="m").fit()
    plain = MatchScorer(as_of=dataset.as_of).fit()
    assert with_model.description_["model"]["name"] == "m"
    assert len(with_model.description_["model"]["sha256"]) == 64
    assert again.description_["fingerprint"] == with_model.description_["fingerprint"]
    assert plain.description_["fingerprint"] != with_model.description_["fingerprint"]
