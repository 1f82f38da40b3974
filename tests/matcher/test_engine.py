"""The two-stage engine: same answers live and in batch, reach respected, scale-safe."""

import dataclasses
import sys

import numpy as np
import pytest

from matcher import batch
from matcher.engine import PROSE_NGRAMS, STAGE1_NGRAMS, MatchEngine, Proposal, _Joined
from matcher.evaluation import ndcg_at_k
from matcher.ranking import order
from tests.conftest import make_jobseeker, make_need


def exhaustive(scorer, need, people, ids, limit):
    """The ``limit`` best of ``people`` (a prepared population) for ``need``, every one
    scored with every feature (no stage 1)."""
    values, excluded = scorer.need_features(need, people)
    scores = scorer.need_scores(need, values, excluded, people.table.prose)
    return [ids[i] for i in order(scores, excluded, ids, limit)]


def exhaustive_needs(scorer, needs, people, limit):
    """For each of ``people``, the ``limit`` best of ``needs``, every pair scored with every
    feature (need by need over all of them at once)."""
    population = scorer.population(people)
    scores, excluded = (
        np.zeros((len(needs), len(people))),
        np.zeros((len(needs), len(people)), bool),
    )
    for row, need in enumerate(needs):
        values, excluded[row] = scorer.need_features(need, population)
        scores[row] = scorer.need_scores(need, values, excluded[row], population.table.prose)
    ids = [n.id for n in needs]
    return [
        [ids[i] for i in order(scores[:, j], excluded[:, j], ids, limit)]
        for j in range(len(people))
    ]


@pytest.fixture(scope="module")
def engine(scorer, dataset):
    return MatchEngine(scorer, dataset.jobseekers, pool=200)


def in_prose(person):
    """``person`` described only in prose: their profile's words as a summary."""
    words = [person.headline, *person.skills, *(job.title for job in person.work_history)]
    return dataclasses.replace(
        person,
        id=f"{person.id}-prose",
        headline="",
        skills=(),
        work_history=(),
        education=None,
        summary="Olen tehnyt näitä töitä: " + ", ".join(w for w in words if w) + ".",
    )


@pytest.fixture(scope="module")
def mixed_engine(scorer, dataset):
    """The fixture people, and a third of them again described only in prose."""
    return MatchEngine(scorer, dataset.jobseekers + [in_prose(p) for p in dataset.jobseekers[::3]])


@pytest.fixture(scope="module")
def small_pool_engine(scorer, dataset):
    """The fixture people with a pool of 20: stage 1's proposals then decide completions."""
    return MatchEngine(scorer, dataset.jobseekers, pool=20)


@pytest.mark.parametrize("which", ["engine", "mixed_engine", "small_pool_engine"])
# Chunks of 7 rank every need one by one; of 250, the places with ten needs or more
# (57 of the 120) share stage 1's product.
@pytest.mark.parametrize("chunk_size", [7, 250])
def test_live_and_batch_answers_are_identical(which, chunk_size, request, dataset, monkeypatch):
    engine = request.getfixturevalue(which)
    decided = []
    among = MatchEngine._completion_among
    monkeypatch.setattr(
        MatchEngine,
        "_completion_among",
        lambda self, *args: decided.append(among(self, *args)) or decided[-1],
    )
    results = {r.need_id: r for r in batch.run(engine, dataset.needs, 30, chunk_size=chunk_size)}
    if which == "small_pool_engine" and chunk_size == 250:
        # Completions decided from the proposals alone, and some left to everyone's scores.
        assert any(d is not None for d in decided) and None in decided
    for need in dataset.needs:
        live = engine.rank(need)
        keep = np.flatnonzero(~live.excluded)[:30]
        assert results[need.id].jobseeker_ids == [engine.ids[r] for r in live.rows[keep]]
        assert results[need.id].scores == [round(float(s), 6) for s in live.scores[keep]]
        assert results[need.id].cut == live.cut, need.id


def test_two_stages_rank_like_the_exhaustive_scorer(engine, scorer, dataset):
    gaps, everyone = [], scorer.population(dataset.jobseekers)
    for need in dataset.needs:
        exact = exhaustive(scorer, need, everyone, [p.id for p in dataset.jobseekers], 10)
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


def test_no_open_needs_give_a_jobseeker_an_empty_answer(engine, dataset):
    ranked = engine.rank_person(dataset.jobseekers[0], engine.open_needs([]))
    assert ranked.needs == [] and engine.need_matches(ranked, 5) == []


def test_batch_and_live_pick_the_same_people_even_among_many_ties(scorer, dataset):
    twins = [dataclasses.replace(p, id=f"{p.id}-{i}") for i in range(6) for p in dataset.jobseekers]
    engine = MatchEngine(scorer, twins, pool=40)
    needs = dataset.needs[:30]
    for need, rows in zip(needs, engine.candidates(needs), strict=True):
        assert np.array_equal(rows, engine.candidates_for(need)), need.id


def test_proposals_decide_a_completion_only_above_their_floor(small_pool_engine, dataset):
    engine, need = small_pool_engine, dataset.needs[0]
    proposed = engine.reachable(need)[: 2 * engine.pool]
    eligible = ~engine.scorer.excluded(need, engine._table(proposed))
    assert eligible.sum() > engine.pool
    scores = np.full(len(proposed), 0.5)
    # The pool-th eligible proposal ties with the floor: someone not proposed could tie it.
    assert engine._completion_among(need, Proposal(proposed, scores, proposed, scores, 0.5)) is None
    rows, kept = engine._completion_among(need, Proposal(proposed, scores, proposed, scores, 0.4))
    assert np.array_equal(rows, proposed[eligible][: engine.pool]) and (kept == 0.5).all()


def test_scores_of_the_reachable_are_everyones_at_those_rows_bit_for_bit(scorer, dataset):
    engine = MatchEngine(scorer, dataset.jobseekers, pool=40)
    needs = dataset.needs[:40]
    vectors = engine.need_vectors(needs)
    engine.candidates(needs, vectors)  # leaves stage 1's transposed vectors at hand
    computed = 0
    for position, need in enumerate(needs):
        rows = engine.reachable(need)
        computed += rows.tobytes() in engine._transposed
        vector = vectors[position]
        reachable = engine._reachable_scores(vector, rows)[rows]
        assert reachable.tobytes() == engine._scores(vector)[rows].tobytes(), need.id
    assert computed  # some were computed from the transposed vectors


@pytest.fixture(scope="module")
def open_needs(engine, dataset):
    return engine.open_needs(dataset.needs)


def test_a_jobseekers_needs_rank_like_the_exhaustive_scorer(scorer, dataset):
    # A pool well under the 120 fixture needs, so that stage 1 really leaves needs out.
    engine = MatchEngine(scorer, dataset.jobseekers, pool=20)
    needs = engine.open_needs(dataset.needs)
    gaps, sample = [], dataset.jobseekers[::5]
    best = exhaustive_needs(scorer, dataset.needs, sample, 10)
    for person, exact in zip(sample, best, strict=True):
        fast = [m.need_id for m in engine.need_matches(engine.rank_person(person, needs), 10)]
        if exact or fast:  # someone no need is open to has nothing to rank
            gaps.append(ndcg_at_k(fast, {n: 10 - i for i, n in enumerate(exact)}))
    assert np.mean(gaps) > 0.98


def test_a_jobseekers_scores_are_the_scorers(engine, scorer, dataset, open_needs):
    person = dataset.jobseekers[7]
    for match in engine.need_matches(engine.rank_person(person, open_needs), 5):
        need = next(n for n in dataset.needs if n.id == match.need_id)
        assert match == scorer.match(need, person)


def test_a_jobseeker_is_offered_every_need_they_can_reach_and_no_other(scorer, dataset):
    engine = MatchEngine(scorer, dataset.jobseekers, pool=len(dataset.needs))
    needs = engine.open_needs(dataset.needs)
    location = scorer.family("location")
    for person in dataset.jobseekers[:60]:
        table = scorer.population([person]).table
        offered = {n.id for n in engine.rank_person(person, needs).needs}
        reachable = {n.id for n in dataset.needs if not location.need_unmet(n, table)[0]}
        assert offered == reachable, person.id


def test_a_small_pool_keeps_the_needs_most_like_the_person(scorer, dataset):
    small = MatchEngine(scorer, dataset.jobseekers, pool=4)
    needs = small.open_needs(dataset.needs)
    person = dataset.jobseekers[11]
    population, vector = small._person(person)
    everyone = MatchEngine(scorer, dataset.jobseekers, pool=len(dataset.needs))
    kept = small.needs_for(population, vector, needs)
    reachable = everyone.needs_for(population, vector, needs)
    dropped = np.setdiff1d(reachable, kept)
    similarity = np.round((small.need_vectors(needs.needs) @ vector.T).toarray().ravel(), 9)
    learning = needs.learning
    assert 4 <= len(kept) <= 8 and set(kept) <= set(reachable) and len(dropped)
    # The pool most similar of all kinds, and of the apprenticeships and trainings alone.
    assert np.sort(similarity[kept])[-4] >= similarity[dropped].max()
    assert learning[kept].sum() == 4
    assert similarity[kept[learning[kept]]].min() >= similarity[dropped[learning[dropped]]].max()


def test_a_jobseeker_outside_the_engine_is_ranked_as_one_inside(scorer, dataset):
    person = dataset.jobseekers[3]
    inside = MatchEngine(scorer, dataset.jobseekers)
    outside = MatchEngine(scorer, [p for p in dataset.jobseekers if p.id != person.id])
    ranked = [e.rank_person(person, e.open_needs(dataset.needs)) for e in (inside, outside)]
    assert [n.id for n in ranked[0].needs] == [n.id for n in ranked[1].needs]
    assert np.array_equal(ranked[0].scores, ranked[1].scores)


def test_a_changed_jobseeker_is_ranked_as_they_are_now(engine, scorer, dataset, open_needs):
    person = dataset.jobseekers[3]
    changed = dataclasses.replace(person, skills=(), headline="", work_history=())
    fresh = MatchEngine(scorer, [changed])
    expected = fresh.rank_person(changed, fresh.open_needs(dataset.needs))
    ranked = engine.rank_person(changed, open_needs)
    assert [n.id for n in ranked.needs] == [n.id for n in expected.needs]
    assert np.array_equal(ranked.scores, expected.scores)
    assert [n.id for n in ranked.needs] != [
        n.id for n in engine.rank_person(person, open_needs).needs
    ]


def test_pages_of_a_jobseekers_needs_follow_each_other(engine, dataset, open_needs):
    ranked = engine.rank_person(dataset.jobseekers[20], open_needs)
    whole = engine.need_matches(ranked, 12)
    pages = engine.need_matches(ranked, 6) + engine.need_matches(ranked, 6, offset=6)
    assert [m.need_id for m in pages] == [m.need_id for m in whole]
    scores = [m.score for m in whole]
    assert scores == sorted(scores, reverse=True)


def test_a_person_described_only_in_free_text_is_found(scorer):
    # Words no vocabulary knows: only whole-text similarity can connect them.
    people = [
        make_jobseeker(id=f"J{i}", skills=[], summary=summary)
        for i, summary in enumerate(
            [
                "Built and ran Hadoop clusters and Spark pipelines for five years.",
                "Cooked lunches in a school kitchen.",
                "Drove a forklift in a warehouse.",
            ]
        )
    ]
    need = make_need(title="Hadoop engineer", required_skills=["Hadoop"], remote=True)
    ranking = MatchEngine(scorer, people).top(need, limit=3)
    assert ranking.ids[0] == "J0"


def test_a_list_is_never_shorter_than_the_eligible_people_allow(scorer):
    # Fifteen people who know Swedish share nothing with the need's words; five who do
    # share them lack Swedish. With a pool of five, stage 1 alone would keep the five.
    fluent = [{"language": "sv", "level": "C1"}]
    lacking = [{"language": "fi", "level": "native"}]
    people = [make_jobseeker(id=f"A{i}", skills=["hitsaus"], languages=lacking) for i in range(5)]
    people += [
        make_jobseeker(id=f"B{i:02d}", skills=["kokki"], languages=fluent) for i in range(15)
    ]
    need = make_need(languages=[{"language": "sv", "level": "B1"}])
    engine = MatchEngine(scorer, people, pool=5)
    ranked = engine.rank(need)
    assert (~ranked.excluded).sum() >= 5
    assert len(engine.top(need, limit=5).ids) == 5


def changes(people, round_: int):
    """A round of writes over ``people``: new people (some copying another's profile, so
    that stage-1 ties span the engine's parts), changed profiles and removals."""
    rng = np.random.default_rng(round_)
    picked = [people[i] for i in rng.choice(len(people), 24, replace=False)]
    # Ids sorting before everyone's: they win the ties they are in.
    new = [dataclasses.replace(p, id=f"A{round_}-{p.id}") for p in picked[:8]]
    moved = [
        dataclasses.replace(p, municipality=q.municipality, skills=q.skills, headline=q.headline)
        for p, q in zip(picked[8:16], picked[16:], strict=True)
    ]
    return new + moved, [p.id for p in picked[16:20]]


def same_answers(updated, rebuilt, needs, people):
    """Every answer of ``updated`` equals the one of ``rebuilt``."""
    assert len(updated) == len(rebuilt)
    for need in needs:
        a, b = updated.rank(need), rebuilt.rank(need)
        assert list(updated.ids[a.rows]) == list(rebuilt.ids[b.rows]), need.id
        # Equal values; the weighted sums may differ in the last bit (BLAS blocking).
        assert np.array_equal(a.values, b.values) and np.array_equal(a.excluded, b.excluded)
        assert np.allclose(a.scores, b.scores, rtol=0, atol=1e-12)
        assert updated.eligible(need) == rebuilt.eligible(need)
        assert updated.top(need, limit=10, explain=True) == rebuilt.top(
            need, limit=10, explain=True
        )
    open_a, open_b = updated.open_needs(needs), rebuilt.open_needs(needs)
    for person in people:
        a, b = updated.rank_person(person, open_a), rebuilt.rank_person(person, open_b)
        assert [n.id for n in a.needs] == [n.id for n in b.needs]
        assert np.allclose(a.scores, b.scores, rtol=0, atol=1e-12)


@pytest.mark.parametrize("fold_at", [10_000, 20], ids=["beside", "folded"])
def test_an_updated_engine_answers_as_one_built_over_the_new_people(
    scorer, dataset, monkeypatch, fold_at
):
    monkeypatch.setattr("matcher.engine.FOLD_AT", fold_at)
    monkeypatch.setattr("matcher.engine.FOLD_SHARE", 0.0)
    people = {p.id: p for p in dataset.jobseekers}
    engine, kinds = MatchEngine(scorer, dataset.jobseekers, pool=40), set()
    for round_ in range(3):
        changed, removed = changes(list(people.values()), round_)
        engine = engine.updated(changed, removed)
        kinds.add(type(engine).__name__)
        people.update((p.id, p) for p in changed)
        for gone in removed:
            people.pop(gone)
        rebuilt = MatchEngine(scorer, people.values(), pool=40)
        same_answers(engine, rebuilt, dataset.needs[::3], changed[:4] + dataset.jobseekers[:2])
        assert {engine.ids[engine.row_of[i]] for i in people} == set(people)
        assert not set(removed) & set(engine.row_of)
    assert kinds == ({"UpdatedEngine"} if fold_at > 100 else {"UpdatedEngine", "MatchEngine"})


def listed(ranked, engine, k):
    """A run's list from a ranking: its ``k`` best eligible people as (id, stored score)."""
    keep = np.flatnonzero(~ranked.excluded)[:k]
    return [
        (engine.ids[r], round(float(s), 6))
        for r, s in zip(ranked.rows[keep], ranked.scores[keep], strict=True)
    ]


@pytest.mark.parametrize("fold_at", [10_000, 20], ids=["beside", "folded"])
def test_a_runs_list_brought_up_to_date_is_what_a_full_run_now_gives(
    scorer, dataset, monkeypatch, fold_at
):
    monkeypatch.setattr("matcher.engine.FOLD_AT", fold_at)
    monkeypatch.setattr("matcher.engine.FOLD_SHARE", 0.0)
    k, needs = 15, dataset.needs
    engine = MatchEngine(scorer, dataset.jobseekers, pool=40)
    run = {r.need.id: (listed(r, engine, k), r.cut) for r in engine.rank_many(needs)}
    assert any(cut.completed for _, cut in run.values())
    people, changed_ids = {p.id: p for p in dataset.jobseekers}, set()
    certain = fresh_listed = 0
    for round_ in range(3):
        changed, removed = changes(list(people.values()), round_)
        engine = engine.updated(changed, removed)
        people.update((p.id, p) for p in changed)
        for gone in removed:
            people.pop(gone)
        changed_ids |= {p.id for p in changed} | set(removed)
        rebuilt = MatchEngine(scorer, people.values(), pool=40)
        for need in needs:
            before, cut = run[need.id]
            now = engine.brought_up_to_date(need, before, k, cut, changed_ids)
            full = listed(rebuilt.rank(need), rebuilt, k)
            assert list(zip(now.ids, now.scores, strict=True)) == full[: len(now.ids)], need.id
            certain += len(now.ids) >= min(len(full), k - len(changed_ids))
            fresh_listed += len(set(now.ids) & changed_ids)
    # Not vacuous: most lists are certain far down, and hold changed people.
    assert certain >= 0.9 * 3 * len(needs)
    assert fresh_listed >= 20


def test_an_update_prepares_only_the_changed_people(scorer, dataset, monkeypatch):
    engine = MatchEngine(scorer, dataset.jobseekers, pool=40)
    prepared = []
    population = scorer.population
    monkeypatch.setattr(
        type(scorer),
        "population",
        lambda self, people: prepared.append(len(people)) or population(people),
    )
    changed, removed = changes(dataset.jobseekers, 0)
    engine.updated(changed, removed).updated(changed[:1])
    assert prepared == [len(changed), 1]


def test_an_update_leaves_the_base_peoples_reference_counts_alone(scorer, dataset):
    # In a worker forked from a preloaded server, writing a base person's reference count
    # copies the memory page it lies on: an update that copied the lists of people and ids
    # copied a few hundred megabytes at 100,000 people.
    engine = MatchEngine(scorer, dataset.jobseekers, pool=40)
    changed, removed = changes(dataset.jobseekers, 0)
    # The changed people's ids are shared with their new versions, which hold them.
    touched = {p.id for p in changed} | set(removed)
    untouched = [p for p in engine.people if p.id not in touched]

    def counts():
        return [sys.getrefcount(item) for p in untouched for item in (p, p.id)]

    before = counts()
    updated = engine.updated(changed, removed)
    assert counts() == before
    # The base's rows (those changed or removed hidden, not dropped), then the changed.
    assert len(updated.people) == len(updated.ids) == len(engine.people) + len(changed)
    assert [updated.people[updated.row_of[p.id]] for p in changed] == changed


@pytest.mark.parametrize(
    "index",
    [
        3,
        -1,
        np.int64(9),
        slice(2, 11, 3),
        [0, 11, 4],
        np.array([11, 0, -2]),
        np.arange(12) % 2 == 0,
    ],
    ids=["int", "negative", "numpy-int", "slice", "list", "rows", "mask"],
)
def test_joined_sequences_index_as_one_array(index):
    first, second = (
        np.array([f"a{i}" for i in range(7)], dtype=object),
        np.array([f"b{i}" for i in range(5)], dtype=object),
    )
    whole = np.concatenate([first, second])
    for joined in (_Joined(first, second), _Joined(list(first), list(second))):
        assert np.array_equal(joined[index], whole[index])
    with pytest.raises(IndexError):
        _Joined(first, second)[np.array([12])]


WEB_CONTENT_AD = (
    "We are looking for a web content manager to keep our website up to date: you write and "
    "edit web pages and news, publish them in our content management system (WordPress) and "
    "follow the visitor statistics."
)
# Prose only, as a résumé pasted into ``summary``. The need's "web programming" maps to
# software development, which the vocabulary also reads off the developers' sentences (a
# required skill covered); the words of the ad and of the editors' résumés are the same.
DEVELOPER = (
    "I have developed software for {} years: web applications and mobile apps in Java and "
    "Kotlin, programming backend services, databases and automated tests."
)
EDITOR = (
    "For {} years I wrote and edited the pages and news of a company website, published them "
    "in WordPress and followed the visitor statistics to keep the web content up to date."
)


def test_stage_one_keeps_more_of_the_words_of_a_person_described_only_in_prose(scorer):
    text = " ".join([EDITOR.format(3), DEVELOPER.format(4), WEB_CONTENT_AD])
    structured = make_jobseeker(id="S", skills=["WordPress"], summary=text)
    prose = make_jobseeker(id="T", skills=[], summary=text)
    engine = MatchEngine(scorer, [structured, prose])
    start = engine._words_at()
    words = engine.vectors[:, start : start + engine.lexicon.n_features]
    assert words.getnnz(axis=1).tolist() == [STAGE1_NGRAMS, PROSE_NGRAMS]


def test_stage_one_proposes_a_person_close_in_meaning_with_no_word_in_common(scorer):
    need = make_need(title="Sjuksköterska", required_skills=["Sjuksköterska"], text_language="sv")
    near = make_jobseeker(id="near", skills=[], summary=NURSING, text_language="fi")
    far = make_jobseeker(id="far", skills=[], summary=EDITOR.format(3), text_language="en")
    scores = {}
    for weight in (0.0, 0.3):
        engine = MatchEngine(scorer, [far, near], meaning_weight=weight)
        scores[weight] = engine._scores(engine.need_vectors([need])).tolist()
    assert scores[0.0] == [0.0, 0.0]
    assert scores[0.3][1] > scores[0.3][0]


NURSING = "Hoidin potilaita sairaalan osastolla ja jaoin lääkkeet."


def test_people_described_only_in_prose_are_ranked_by_their_words(scorer):
    developers = [
        make_jobseeker(id=f"D{k:02d}", skills=[], summary=DEVELOPER.format(k % 9 + 2))
        for k in range(40)
    ]
    editors = [
        make_jobseeker(id=f"E{k}", skills=[], summary=EDITOR.format(k + 2)) for k in range(3)
    ]
    need = make_need(
        title="Web content manager",
        required_skills=["web programming"],
        description=WEB_CONTENT_AD,
    )
    engine = MatchEngine(scorer, developers + editors, pool=10)
    assert sorted(engine.top(need, limit=3).ids) == ["E0", "E1", "E2"]


def test_the_closest_trainings_teach_what_a_vacancy_asks(engine):
    vacancy = make_need(id="V", kind="vacancy", title="Hitsaaja", required_skills=["hitsaus"])
    welding = make_need(
        id="T3", kind="recruitment_training", title="Hitsauskoulutus", required_skills=["hitsaus"]
    )
    cooking = make_need(
        id="T1", kind="apprenticeship", title="Kokki", required_skills=["ruoanvalmistus"]
    )
    cleaning = make_need(
        id="T2", kind="recruitment_training", title="Siivooja", required_skills=["siivous"]
    )
    other = make_need(id="V2", kind="vacancy", title="Hitsaaja", required_skills=["hitsaus"])
    needs = engine.open_needs([vacancy, welding, cooking, cleaning, other])
    assert [n.id for n in engine.closest_learning(vacancy, needs, 1)] == ["T3"]
    # Any training when fewer share a term with it, in id order; never a vacancy or itself.
    assert [n.id for n in engine.closest_learning(vacancy, needs, 3)] == ["T1", "T2", "T3"]
    assert [n.id for n in engine.closest_learning(welding, needs, 5)] == ["T1", "T2"]
