"""Model artifacts: saved with metadata, loaded only when they fit the running code."""

from __future__ import annotations

import json

import pytest

from matcher.artifacts import ModelRefused, load_model, save_model
from matcher.dataset import load_dataset
from matcher.learning import train, training_set
from matcher.scoring import MatchScorer
from matcher.simulation import simulate_outcomes


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    dataset = load_dataset()
    scorer = MatchScorer(as_of=dataset.as_of).fit()
    outcomes = simulate_outcomes(dataset, scorer, 600, seed=2)
    needs = {n.id: n for n in dataset.needs}
    people = {p.id: p for p in dataset.jobseekers}
    data = training_set(outcomes, needs, people, scorer)
    model, validation = train(
        data, lambda kind, v: v @ scorer.weight_matrix_[kind], folds=3, Cs=(1.0,)
    )
    directory = tmp_path_factory.mktemp("models")
    path = save_model(
        model,
        data,
        validation,
        directory,
        source="test",
        outcome_counts={},
        feature_versions=scorer.feature_versions_,
    )
    return path, scorer, data


def test_metadata_records_what_an_auditor_asks(saved):
    path, scorer, data = saved
    metadata = json.loads(path.read_text())
    assert metadata["feature_names"] == list(scorer.feature_names_)
    assert metadata["feature_versions"] == scorer.feature_versions_
    assert metadata["feature_versions"]["meaning_similarity"] == 3
    assert metadata["training"]["fingerprint"] == data.fingerprint()
    assert {"scikit-learn", "numpy", "python"} <= set(metadata["libraries"])
    validation = metadata["cross_validation"]
    assert validation["grouped_by"] == "need"
    assert {"ndcg@10", "auc"} <= set(validation["model"]) & set(validation["default_weights"])


def test_a_matching_model_loads_and_scores(saved):
    path, scorer, data = saved
    model, metadata = load_model(path, scorer.feature_names_, scorer.feature_versions_)
    assert model.scores("vacancy", data.values[:5]).shape == (5,)
    assert metadata["name"] in path.name


def rewrite(path, tmp_path, change) -> object:
    metadata = json.loads(path.read_text())
    change(metadata)
    copy = tmp_path / path.name
    copy.write_text(json.dumps(metadata))
    (tmp_path / metadata["artifact"]).write_bytes((path.parent / metadata["artifact"]).read_bytes())
    return copy


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["feature_names"].pop(), "other features"),
        (lambda m: m["feature_names"].reverse(), "another order"),
        (lambda m: m["libraries"].update({"scikit-learn": "0.24.2"}), "scikit-learn 0.24.2"),
        (lambda m: m.update({"artifact_sha256": "0" * 64}), "missing or altered"),
        # Trained on the similarity of the whole embeddings, before it was read without the
        # languages' directions on another scale: the same name, other values.
        (
            lambda m: m["feature_versions"].update({"meaning_similarity": 1}),
            r"meaning_similarity \(trained on version 1, now 3\)",
        ),
        # Metadata written before versions were recorded: every feature of version 1.
        (lambda m: m.pop("feature_versions"), "meaning_similarity"),
        (lambda m: m.update({"feature_versions": ["x"]}), "unreadable feature_versions"),
    ],
    ids=[
        "feature-missing",
        "feature-order",
        "library-version",
        "artifact-altered",
        "feature-reads-otherwise",
        "versions-not-recorded",
        "versions-unreadable",
    ],
)
def test_a_model_that_does_not_fit_is_refused(saved, tmp_path, change, message):
    path, scorer, _ = saved
    with pytest.raises(ModelRefused, match=message):
        load_model(rewrite(path, tmp_path, change), scorer.feature_names_, scorer.feature_versions_)


def test_unreadable_metadata_is_refused(tmp_path):
    with pytest.raises(ModelRefused, match="cannot read"):
        load_model(tmp_path / "nothing.json", ("a",))
