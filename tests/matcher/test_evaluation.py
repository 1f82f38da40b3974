import math

import pytest

from matcher import evaluation
from matcher.engine import MatchEngine
from matcher.evaluation import evaluate, evaluate_dataset, ndcg_at_k, recall_at_k, reciprocal_rank


def test_ndcg_perfect_and_reversed():
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], grades) == pytest.approx(1.0)
    reversed_value = ndcg_at_k(["c", "b", "a"], grades)
    ideal = 7 + 3 / math.log2(3) + 1 / 2
    assert reversed_value == pytest.approx((1 + 3 / math.log2(3) + 7 / 2) / ideal)
    assert ndcg_at_k(["x"], {}) == 0.0


def test_recall_and_reciprocal_rank():
    assert recall_at_k(["a", "x", "b"], {"a", "b", "c", "d"}, k=2) == 0.25
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a"}) == 0.0


def test_evaluate_groups_by_kind_and_language_pair():
    labels = {"n1": {"p1": 3, "p2": 2}, "n2": {"p3": 3}}
    ranking = {"n1": ["p1", "x", "p2"], "n2": ["x"] * 25 + ["p3"]}
    report = evaluate(
        ranking.__getitem__,
        labels,
        need_kind={"n1": "vacancy", "n2": "apprenticeship"},
        need_language={"n1": "fi", "n2": "sv"},
        person_language={"p1": "fi", "p2": "sv", "p3": "sv"},
    )
    assert report.by_kind["apprenticeship"]["recall@20"] == 0.0
    assert report.by_language_pair["fi→sv"]["recall@20"] == 1.0
    assert report.by_language_pair["sv→sv"]["recall@20"] == 0.0
    assert report.overall["n"] == 2
    assert "NDCG@10" in report.format()


def test_the_engine_meets_its_bars_on_the_labelled_set(dataset, scorer):
    report = evaluate_dataset(dataset, scorer)
    print(report.format())
    assert report.overall["ndcg@10"] >= 0.85
    assert abs(report.cross_language_gap()) <= 0.05
    assert set(report.by_kind) == {"vacancy", "apprenticeship", "recruitment_training"}


def test_the_evaluation_ranks_each_need_as_the_engine_does(dataset, scorer, monkeypatch):
    seen = {}
    real = evaluation.evaluate

    def spy(rank, labels, **kwargs):
        return real(lambda need_id: seen.setdefault(need_id, rank(need_id)), labels, **kwargs)

    monkeypatch.setattr(evaluation, "evaluate", spy)
    evaluate_dataset(dataset, scorer)
    engine = MatchEngine(scorer, dataset.jobseekers)
    assert set(seen) == set(dataset.labels)
    for need in dataset.needs:
        ranked = engine.rank(need)
        assert seen[need.id] == list(engine.ids[ranked.rows[~ranked.excluded]][:20]), need.id
