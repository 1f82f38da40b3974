"""The two-stage engine: same answers live and in batch, reach respected, scale-safe."""

import numpy as np
import pytest

from matcher import batch
from matcher.engine import MatchEngine
from matcher.evaluation import ndcg_at_k
from matcher.ranking import rank_candidates


@pytest.fixture(scope="module")
def engine(scorer, dataset):
    return MatchEngine(scorer, dataset.jobseekers, pool=200)


def test_live_and_batch_answers_are_identical(engine, dataset):
    results = {r.need_id: r for r in batch.run(engine, dataset.needs, 30, chunk_size=7)}
    for need in dataset.needs[:40]:
        live = engine.rank(need)
        keep = np.flatnonzero(~live.excluded)[:30]
        assert results[need.id].jobseeker_ids == [engine.ids[r] for r in live.rows[keep]]
        assert results[need.id].scores == [round(float(s), 6) for s in live.scores[keep]]


def test_two_stages_rank_like_the_exhaustive_scorer(engine, scorer, dataset):
    gaps = []
    for need in dataset.needs:
        exact = [
            m.jobseeker_id
            for m in rank_candidates(need, dataset.jobseekers, 10, scorer=scorer, explain=False)
        ]
        ranked = engine.rank(need)
        fast = list(engine.ids[ranked.rows[~ranked.excluded][:10]])
        gaps.append(ndcg_at_k(fast, {p: 10 - i for i, p in enumerate(exact)}))
    assert np.mean(gaps) > 0.97


def test_candidates_are_only_people_who_can_reach_the_need(engine, dataset):
    need = dataset.needs[0]
    reachable = set(engine.reachable(need).tolist())
    assert set(engine.rank(need).rows.tolist()) <= reachable
    unreachable = np.setdiff1d(np.arange(len(engine)), list(reachable))
    _, excluded = engine.scorer.need_features(need, engine.population.take(unreachable))
    assert excluded.all()


def test_matches_are_explained_and_ordered(engine, dataset):
    ranked = engine.rank(dataset.needs[3])
    matches = engine.matches(ranked, 5, include_excluded=True)
    included = [m for m in matches if not m.excluded]
    assert [m.score for m in included] == sorted((m.score for m in included), reverse=True)
    assert all(m.explanation.features for m in matches)
    assert all(m.explanation.unmet_requirements for m in matches if m.excluded)


def test_an_empty_population_gives_empty_answers(scorer, dataset):
    empty = MatchEngine(scorer, [])
    assert len(empty.rank(dataset.needs[0]).rows) == 0
    assert empty.eligible(dataset.needs[0]) == 0
    assert list(batch.run(empty, dataset.needs[:3], 5))[0].jobseeker_ids == []


def test_batch_and_live_pick_the_same_people_even_among_many_ties(scorer, dataset):
    import dataclasses

    twins = [dataclasses.replace(p, id=f"{p.id}-{i}") for i in range(6) for p in dataset.jobseekers]
    engine = MatchEngine(scorer, twins, pool=40)
    needs = dataset.needs[:30]
    for need, rows in zip(needs, engine.candidates(needs), strict=True):
        assert np.array_equal(rows, engine.candidates_for(need)), need.id
