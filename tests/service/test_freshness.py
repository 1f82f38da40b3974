"""Writes update every worker's prepared engine in place: no rebuild, and the same lists as a
freshly started worker's."""

from __future__ import annotations

import dataclasses

import pytest

from matcher.engine import MatchEngine, UpdatedEngine
from matcher.scoring import MatchScorer
from service import create_app

CONFIG = {"SECRET_KEY": "test-secret", "AS_OF": "2026-12-01"}


def worker(database_url: str):
    """Another app over the same database, as a second gunicorn worker would be."""
    return create_app({"DATABASE_URL": database_url, **CONFIG})


def candidates(app, world, need_id: str) -> list[tuple[str, float]]:
    answer = app.test_client().get(
        f"/v1/needs/{need_id}/candidates?limit=30", headers=world.headers(world.recruiter)
    )
    assert answer.status_code == 200, answer.get_json()
    return [(c["candidate"]["id"], c["score"]) for c in answer.get_json()["items"]]


def engine_of(app) -> MatchEngine:
    return app.extensions["kohtaanto"].engine()


def base_of(engine: MatchEngine) -> MatchEngine:
    """The prepared engine an updated one is built on."""
    return engine.base if isinstance(engine, UpdatedEngine) else engine


@pytest.fixture
def workers(world, database_url):
    other = worker(database_url)
    yield world.app, other
    other.extensions["kohtaanto"].store.engine.dispose()


def test_writes_through_one_worker_reach_the_others_lists_without_a_rebuild(
    world, workers, database_url, small_dataset, monkeypatch
):
    first, second = workers
    staff = world.headers(world.recruiter)
    before = {app: candidates(app, world, world.need_a) for app in workers}
    prepared = []  # how many people each preparation took, from here on
    prepare = MatchScorer.population
    monkeypatch.setattr(
        MatchScorer,
        "population",
        lambda self, people: prepared.append(len(people)) or prepare(self, people),
    )
    top = before[first][0][0]
    _, needs, people = small_dataset
    need = next(n for n in needs if n.id == world.need_a)
    # A newcomer who fits the need; a changed person; an archived and an erased one.
    newcomer = {
        **{
            k: v
            for k, v in people[0].to_dict().items()
            if k not in ("id", "name", "email", "phone")
        },
        "skills": list(need.required_skills),
        "municipality": need.municipality,
        "headline": need.title,
    }
    made = first.test_client().post(
        "/v1/jobseekers?allow_duplicate=true", json=newcomer, headers=staff
    )
    assert made.status_code == 201, made.get_json()
    new_id = made.get_json()["id"]
    changed = second.test_client().patch(
        f"/v1/jobseekers/{before[first][1][0]}", json={"skills": ["siivous"]}, headers=staff
    )
    assert changed.status_code == 200, changed.get_json()
    archived = first.test_client().post(f"/v1/jobseekers/{top}/archive", headers=staff)
    assert archived.status_code == 200
    admin = world.headers(world.admin)
    gone = before[first][2][0]
    assert second.test_client().delete(f"/v1/jobseekers/{gone}", headers=admin).status_code == 200

    for app in workers:
        candidates(app, world, world.need_a)
        engine = engine_of(app)
        # The erasure folded the engine: the erased person is nowhere in its memory.
        assert type(engine) is MatchEngine and gone not in {p.id for p in engine.people}
    # No worker prepared more than the people written since it last answered.
    assert prepared and max(prepared) <= 2

    fresh = worker(database_url)
    expected = candidates(fresh, world, world.need_a)
    fresh.extensions["kohtaanto"].store.engine.dispose()
    ids = [i for i, _ in expected]
    assert new_id in ids and top not in ids and gone not in ids
    for app in workers:
        assert candidates(app, world, world.need_a) == expected
        assert len(engine_of(app)) == len(engine_of(fresh))


def test_a_worker_that_starts_after_the_writes_needs_no_changes(world, database_url):
    staff = world.headers(world.recruiter)
    person = world.store.active_jobseekers()[0]
    body = {"headline": person.headline + " ja hitsaaja"}
    assert (
        world.app.test_client()
        .patch(f"/v1/jobseekers/{person.id}", json=body, headers=staff)
        .status_code
        == 200
    )
    late = worker(database_url)
    engine = engine_of(late)
    assert type(engine) is MatchEngine
    assert engine.people[engine.row_of[person.id]] == dataclasses.replace(person, **body)
    late.extensions["kohtaanto"].store.engine.dispose()


def test_changes_without_a_deletion_are_held_beside_the_prepared_people(world, workers):
    first, second = workers
    candidates(second, world, world.need_a)
    base = base_of(engine_of(second))
    person = world.store.active_jobseekers()[3]
    staff = world.headers(world.recruiter)
    body = {"headline": person.headline + " ja hitsaaja"}
    answer = first.test_client().patch(f"/v1/jobseekers/{person.id}", json=body, headers=staff)
    assert answer.status_code == 200
    candidates(second, world, world.need_a)
    engine = engine_of(second)
    assert isinstance(engine, UpdatedEngine) and engine.base is base
    assert engine.people[engine.row_of[person.id]].headline == body["headline"]
