"""The nightly batch: atomic runs, the lock, what changed, identical live/batch/Dask answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import orjson
import pytest
from sqlalchemy import select, update

from matcher.batch import unpacked_explanation
from matcher.dataset import FIXTURES
from service import storage_cohorts
from service.allocation import kept_lists
from service.batch import holder_alive, run_batch
from service.retention import apply_retention
from service.seed import add_shipped_vectors
from service.storage import (
    BatchCandidateRow,
    BatchLocked,
    BatchRunRow,
    JobseekerRow,
    Store,
    table_counts,
    utcnow,
)
from tests.conftest import SCORER_CHANGES, other_scorer

MATCHER = str(Path(sys.executable).with_name("matcher"))


def candidates(client, world, need_id, **query):
    query = "&".join(f"{k}={v}" for k, v in {"limit": 20, **query}.items())
    response = client.get(
        f"/v1/needs/{need_id}/candidates?{query}", headers=world.headers(world.recruiter)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def scorer_of(world):
    return world.app.extensions["kohtaanto"].scorer


def ranked(answer) -> list[dict]:
    """A list's items as ranked and explained, without saying where they were computed."""
    return [{k: v for k, v in item.items() if k != "newer_than_run"} for item in answer["items"]]


@pytest.mark.parametrize(
    ("language", "offset"),
    [("en", 0), ("fi", 0), ("en", 10)],
    ids=["stored-explanations", "other-language", "second-page"],
)
def test_batch_results_are_served_and_equal_the_live_answer(client, world, language, offset):
    live = candidates(client, world, world.need_a, language=language, offset=offset)
    assert live["source"] == "live" and live["items"]
    summary = run_batch(world.store, scorer_of(world), k=50)
    assert summary["explained"] == {"top": 20, "language": "en"}
    served = candidates(client, world, world.need_a, language=language, offset=offset)
    assert served["source"] == "batch" and served["run_id"] == summary["run_id"]
    assert ranked(served) == ranked(live)
    assert {item["newer_than_run"] for item in served["items"]} == {False}
    assert {item["newer_than_run"] for item in live["items"]} == {None}


def test_people_changed_after_the_run_are_merged_into_its_lists_as_a_new_run_lists_them(
    client, world
):
    first = run_batch(world.store, scorer_of(world), k=50)
    ids = [i["candidate"]["id"] for i in candidates(client, world, world.need_a)["items"]]
    outside = next(p for p in world.store.active_jobseekers() if p.id not in ids)
    staff = world.headers(world.recruiter)
    top, third = world.store.jobseeker(ids[0])[0], world.store.jobseeker(ids[2])[0]
    # The best changes, the second leaves matching, someone unlisted becomes like the
    # third, and a new person like the third arrives.
    worst = world.store.jobseeker(ids[-1])[0]
    moved = {"headline": worst.headline, "skills": list(worst.skills), "work_history": []}
    assert client.patch(f"/v1/jobseekers/{top.id}", json=moved, headers=staff).status_code == 200
    assert client.post(f"/v1/jobseekers/{ids[1]}/archive", headers=staff).status_code == 200
    world.store.replace_jobseeker(dataclasses.replace(third, id=outside.id, name=outside.name))
    world.store.add_jobseekers([dataclasses.replace(third, id="J-new", name="New")])
    served = candidates(client, world, world.need_a)
    assert served["source"] == "batch" and served["run_id"] == first["run_id"]
    newer = {i["candidate"]["id"] for i in served["items"] if i["newer_than_run"]}
    listed = [i["candidate"]["id"] for i in served["items"]]
    assert {"J-new", outside.id} <= newer <= {"J-new", outside.id, top.id}
    assert ids[1] not in listed and (top.id in newer) == (top.id in listed)
    second = run_batch(world.store, scorer_of(world), k=50)
    again = candidates(client, world, world.need_a)
    assert again["run_id"] == second["run_id"] and ranked(again) == ranked(served)


def test_erasing_the_person_a_runs_cut_names_serves_that_list_live(client, world):
    summary = run_batch(world.store, scorer_of(world), k=50, pool=10)
    cut = world.store.run_cut(summary["run_id"], world.need_a)
    assert cut is not None and cut.floor is not None
    erased = client.delete(f"/v1/jobseekers/{cut.floor[1]}", headers=world.headers(world.admin))
    assert erased.status_code == 200 and erased.get_json()["removed"]["batch_cuts"] >= 1
    assert world.store.run_cut(summary["run_id"], world.need_a) is None


def test_a_person_placed_after_the_run_leaves_its_lists_as_the_run_keeps_serving(client, world):
    run_batch(world.store, scorer_of(world), k=50)
    before = candidates(client, world, world.need_a, limit=21)
    ids = [item["candidate"]["id"] for item in before["items"]]
    url = f"/v1/needs/{world.need_b}/candidates/{ids[1]}/outcome"
    hired = client.post(url, json={"outcome": "hired"}, headers=world.headers(world.recruiter))
    assert hired.status_code == 201, hired.get_json()
    after = candidates(client, world, world.need_a)
    assert after["source"] == "batch"
    assert [item["candidate"]["id"] for item in after["items"]] == ids[:1] + ids[2:]


def test_people_placed_elsewhere_do_not_keep_a_list_from_the_run(client, world):
    # More people placed than the run keeps per need, none of them on this need's list.
    summary = run_batch(world.store, scorer_of(world), k=15)
    rows = world.store.run_candidates(summary["run_id"], world.need_a)
    listed = {c["jobseeker_id"] for c in rows}
    others = sorted({p.id for p in world.store.active_jobseekers()} - listed)[:16]
    assert len(others) == 16
    for person in others:
        url = f"/v1/needs/{world.need_b}/candidates/{person}/outcome"
        staff = world.headers(world.recruiter)
        assert client.post(url, json={"outcome": "hired"}, headers=staff).status_code == 201
    assert candidates(client, world, world.need_a, limit=10)["source"] == "batch"


def test_a_jobseekers_best_needs_are_read_from_the_candidate_lists(world):
    summary = run_batch(world.store, scorer_of(world), k=15)
    listed: dict[str, list[dict]] = {}
    for need in world.store.open_needs():
        for row in world.store.run_candidates(summary["run_id"], need.id):
            entry = {"need_id": need.id, "rank": row["rank"], "score": row["score"]}
            listed.setdefault(row["jobseeker_id"], []).append({**entry, "new": row["new"]})
    assert any(len(needs) > 3 for needs in listed.values())
    for person, needs in listed.items():
        best = sorted(needs, key=lambda n: (-n["score"], n["need_id"]))[:3]
        assert world.store.run_needs_for(summary["run_id"], person, 3) == best


def test_a_jobseekers_needs_say_where_the_latest_run_shortlisted_them(client, world):
    headers = world.headers(world.recruiter)
    listed = candidates(client, world, world.need_a)["items"]
    person = listed[1]["candidate"]["id"]
    url = f"/v1/jobseekers/{person}/needs"
    assert client.get(url, headers=headers).get_json()["shortlisted"] is None
    summary = run_batch(world.store, scorer_of(world), k=15)
    shortlisted = client.get(url, headers=headers).get_json()["shortlisted"]
    assert shortlisted["run_id"] == summary["run_id"]
    entry = next(i for i in shortlisted["items"] if i["need_id"] == world.need_a)
    assert (entry["rank"], entry["score"]) == (2, listed[1]["score"])
    expected = world.store.run_needs_for(summary["run_id"], person)
    assert [i["need_id"] for i in shortlisted["items"]] == [e["need_id"] for e in expected]
    closed = client.post(f"/v1/needs/{world.need_a}/close", headers=world.headers(world.token_a))
    assert closed.status_code == 200
    after = client.get(url, headers=headers).get_json()["shortlisted"]["items"]
    assert world.need_a not in {i["need_id"] for i in after}


def test_a_batch_leaves_the_write_ahead_log_folded_in(world):
    if world.store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    wal = Path(f"{world.store.engine.url.database}-wal")
    run_batch(world.store, scorer_of(world), k=30)
    assert wal.exists() and wal.stat().st_size == 0


def test_the_first_page_is_stored_explained(world):
    summary = run_batch(world.store, scorer_of(world), k=30)
    rows = world.store.run_candidates(summary["run_id"], world.need_a)
    assert [r["explanation"] is not None for r in rows] == [r["rank"] <= 20 for r in rows]
    assert unpacked_explanation(rows[0]["explanation"])["features"]


def test_a_run_written_before_explanations_were_packed_is_served_as_stored(client, world):
    summary = run_batch(world.store, scorer_of(world), k=30)
    served = candidates(client, world, world.need_a, limit=5, language="sv")
    # Rewrite the run's explanations as plain JSON, as runs kept them before.
    table = BatchCandidateRow.__table__
    with world.store.engine.begin() as connection:
        rows = connection.execute(
            select(table.c.need_id, table.c.jobseeker_id, table.c.explanation).where(
                table.c.run_id == summary["run_id"], table.c.explanation.is_not(None)
            )
        ).all()
        assert rows and all(bytes(raw).startswith(b"z1") for _, _, raw in rows)
        for need_id, person_id, raw in rows:
            plain = orjson.dumps(unpacked_explanation(bytes(raw)))
            connection.execute(
                update(table)
                .where(
                    table.c.run_id == summary["run_id"],
                    table.c.need_id == need_id,
                    table.c.jobseeker_id == person_id,
                )
                .values(explanation=plain)
            )
    again = candidates(client, world, world.need_a, limit=5, language="sv")
    assert again["source"] == served["source"] == "batch"
    assert again["run_id"] == summary["run_id"]
    assert again["items"] == served["items"]


def test_same_inputs_give_the_same_run_and_nothing_new(world):
    first = run_batch(world.store, scorer_of(world), k=30)
    second = run_batch(world.store, scorer_of(world), k=30)
    assert second["new_candidates"] == 0 and second["previous_run"] == first["run_id"]
    for need_id in (world.need_a, world.need_b):
        one = world.store.run_candidates(first["run_id"], need_id)
        two = world.store.run_candidates(second["run_id"], need_id)
        assert [(c["jobseeker_id"], c["score"]) for c in one] == [
            (c["jobseeker_id"], c["score"]) for c in two
        ]


def test_what_changed_since_a_run(client, world):
    first = run_batch(world.store, scorer_of(world), k=50)
    served = candidates(client, world, world.need_a)["items"]
    top = world.store.jobseeker(served[0]["candidate"]["id"])[0]
    twin = dataclasses.replace(top, id="J-twin", name="Twin")
    world.store.add_jobseekers([twin])
    second = run_batch(world.store, scorer_of(world), k=50)
    assert second["new_candidates"] >= 1
    new = candidates(client, world, world.need_a, since_run=first["run_id"], limit=50)
    assert "J-twin" in [i["candidate"]["id"] for i in new["items"]]
    assert not {i["candidate"]["id"] for i in new["items"]} & {i["candidate"]["id"] for i in served}
    flagged = world.store.run_candidates(second["run_id"], world.need_a)
    assert [c["jobseeker_id"] for c in flagged if c["new"]] == ["J-twin"]


def test_unknown_since_run_is_404(client, world):
    response = client.get(
        f"/v1/needs/{world.need_a}/candidates?since_run=999", headers=world.headers(world.recruiter)
    )
    assert response.status_code == 404


def test_stale_run_is_not_served(client, world):
    run_batch(world.store, scorer_of(world), k=50)
    client.patch(
        f"/v1/needs/{world.need_a}",
        json={"title": "Changed title"},
        headers=world.headers(world.recruiter),
    )
    assert candidates(client, world, world.need_a)["source"] == "live"
    assert candidates(client, world, world.need_b)["source"] == "batch"


@pytest.mark.parametrize("change", SCORER_CHANGES)
def test_a_run_made_by_another_scorer_is_not_served(client, world, monkeypatch, change):
    other = run_batch(world.store, other_scorer(change, monkeypatch), k=50)
    recorded = world.store.batch_run(other["run_id"])["scorer"]
    assert recorded["fingerprint"] != scorer_of(world).description_["fingerprint"]
    assert candidates(client, world, world.need_a)["source"] == "live"
    same = run_batch(world.store, scorer_of(world), k=50)
    assert world.store.batch_run(same["run_id"])["scorer"] == scorer_of(world).description_
    assert candidates(client, world, world.need_a)["source"] == "batch"


def test_a_run_that_does_not_say_which_scorer_made_it_is_not_served(client, world):
    summary = run_batch(world.store, scorer_of(world), k=50)
    with world.store.transaction() as session:
        session.execute(
            update(BatchRunRow).where(BatchRunRow.id == summary["run_id"]).values(scorer=None)
        )
    assert candidates(client, world, world.need_a)["source"] == "live"


def test_two_batches_never_run_at_once(world):
    world.store.begin_run(10, "v", "elsewhere:1", alive=lambda holder: True)
    with pytest.raises(BatchLocked):
        run_batch(world.store, scorer_of(world), k=10)


def test_a_dead_holder_loses_the_lock_and_its_run_is_failed(world):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = world.store.begin_run(10, "v", f"{socket.gethostname()}:{dead.pid}", alive=holder_alive)
    summary = run_batch(world.store, scorer_of(world), k=10)
    assert world.store.batch_run(stale)["status"] == "failed"
    assert world.store.latest_run()["id"] == summary["run_id"]


def test_erasure_removes_batch_rows(client, world):
    summary = run_batch(world.store, scorer_of(world), k=50)
    person = world.store.run_candidates(summary["run_id"], world.need_a)[0]["jobseeker_id"]
    client.delete(f"/v1/jobseekers/{person}", headers=world.headers(world.admin))
    assert person not in {
        c["jobseeker_id"] for c in world.store.run_candidates(summary["run_id"], world.need_a)
    }


def during_the_write(monkeypatch, store, change) -> list:
    """Make ``change(rows)`` happen once, after the batch scored and before it writes its
    rows; the list returned receives what ``change`` returned."""
    write, changed = store.add_run_results, []

    def first_write(run_id, rows, cuts=()):
        if not changed:
            changed.append(change(rows))
        write(run_id, rows, cuts)

    monkeypatch.setattr(store, "add_run_results", first_write)
    return changed


def erase_through_the_api(client, world, rows) -> str:
    person = rows[0][1]
    response = client.delete(f"/v1/jobseekers/{person}", headers=world.headers(world.admin))
    assert response.status_code == 200
    return person


def erase_by_retention(client, world, rows) -> str:
    person = rows[0][1]
    with world.store.transaction() as session:
        session.execute(
            update(JobseekerRow)
            .where(JobseekerRow.id == person)
            .values(updated_at=utcnow() - dt.timedelta(days=400))
        )
    assert apply_retention(world.store, 365, 365, str)["jobseekers_erased"] == 1
    return person


def add_a_person(client, world, rows) -> None:
    person = world.store.jobseeker(rows[0][1])[0]
    world.store.add_jobseekers([dataclasses.replace(person, id="J-new", name="New")])


def close_a_need(client, world, rows) -> None:
    url = f"/v1/needs/{world.need_b}/close"
    assert client.post(url, headers=world.headers(world.token_b)).status_code == 200


def add_a_need(client, world, rows) -> None:
    world.store.add_needs([dataclasses.replace(world.store.need(world.need_b)[0], id="N-new")])


@pytest.mark.parametrize(
    ("change", "source"),
    [
        (erase_through_the_api, "batch"),
        (erase_by_retention, "batch"),
        (add_a_person, "batch"),  # scored for each list, merged into it
        (close_a_need, "batch"),
        (add_a_need, "batch"),
    ],
)
def test_the_batch_completes_when_people_or_needs_change_while_it_runs(
    client, world, monkeypatch, change, source
):
    changed = during_the_write(monkeypatch, world.store, lambda rows: change(client, world, rows))
    summary = run_batch(world.store, scorer_of(world), k=50)
    assert changed and world.store.batch_run(summary["run_id"])["status"] == "complete"
    assert candidates(client, world, world.need_a)["source"] == source
    listed = {
        row["jobseeker_id"]
        for need in world.store.open_needs()
        for row in world.store.run_candidates(summary["run_id"], need.id)
    }
    assert listed and listed <= {p.id for p in world.store.active_jobseekers()}
    assert changed[0] not in listed
    cuts = [world.store.run_cut(summary["run_id"], n.id) for n in world.store.open_needs()]
    named = {c.floor[1] for c in cuts if c and c.floor} | {
        c.completed_floor[1] for c in cuts if c and c.completed_floor
    }
    assert changed[0] not in named


@pytest.mark.parametrize(
    "where", [{"workers": 2}, {"processes": 2}], ids=["dask-local-cluster", "forked-processes"]
)
def test_other_ways_to_run_give_identical_results(world, where, monkeypatch):
    # Forked processes prepare the engine on two cores too, with their own connections.
    monkeypatch.setattr("matcher.batch.SHARED_PREPARATION", 0)
    local = run_batch(world.store, scorer_of(world), k=20)
    other = run_batch(world.store, scorer_of(world), k=20, chunk_size=5, **where)
    assert other["new_candidates"] == 0
    for need in world.store.open_needs():
        one = world.store.run_candidates(local["run_id"], need.id)
        two = world.store.run_candidates(other["run_id"], need.id)
        assert [(c["jobseeker_id"], c["rank"], c["score"], c["features"]) for c in one] == [
            (c["jobseeker_id"], c["rank"], c["score"], c["features"]) for c in two
        ]


def test_a_batch_killed_midway_leaves_the_last_good_run_serving(tmp_path, small_dataset):
    companies, needs, people = small_dataset
    database_url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    store = Store.connect(database_url)
    store.add_companies(companies)
    store.add_jobseekers(people)
    copies = [dataclasses.replace(n, id=f"{n.id}-{i}") for i in range(60) for n in needs]
    store.add_needs(copies)
    add_shipped_vectors(store, FIXTURES, copies, people)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "k",
        "KOHTAANTO_AS_OF": "2026-12-01",
    }
    subprocess.run([MATCHER, "batch", "--k", "10"], env=env, check=True, capture_output=True)
    good = store.latest_run()
    served = store.run_candidates(good["id"], needs[0].id + "-0")
    with subprocess.Popen(
        [MATCHER, "batch", "--k", "10", "--chunk-size", "50"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as child:
        try:
            for line in child.stderr:
                if '"done": 100' in line:
                    break
        finally:
            child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    killed = store.batch_run(good["id"] + 1)
    assert killed["status"] == "running"
    assert table_counts(store, ["batch_candidates"])["batch_candidates"] > len(served) * len(needs)
    assert store.latest_run()["id"] == good["id"]
    assert store.run_candidates(good["id"], needs[0].id + "-0") == served
    again = subprocess.run(
        [MATCHER, "batch", "--k", "10"], env=env, check=True, capture_output=True, text=True
    )
    assert json.loads(again.stdout.splitlines()[-1])["new_candidates"] == 0
    assert store.batch_run(killed["id"])["status"] == "failed"
    store.engine.dispose()


def test_the_lists_a_batch_keeps_for_its_allocation_are_those_it_wrote(world):
    run_id = run_batch(world.store, scorer_of(world), k=20, allocation=None)["run_id"]
    lists = {}
    for need in world.store.open_needs():
        written = world.store.run_candidates(run_id, need.id)
        lists[need.id] = ([c["jobseeker_id"] for c in written], [c["score"] for c in written])
    # Someone listed is erased after the run: their rows go, and so must their kept entries.
    gone = next(ids[0] for ids, _ in lists.values() if ids)
    world.store.erase_jobseeker(gone)
    kept = kept_lists(lists, storage_cohorts.existing_jobseekers(world.store))
    read = storage_cohorts.run_lists(world.store, run_id)
    assert kept[0] == read[0] and kept[2] == read[2] and gone not in kept[2]
    assert np.array_equal(kept[1], read[1]) and np.array_equal(kept[3], read[3])
