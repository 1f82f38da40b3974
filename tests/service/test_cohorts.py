"""Cohorts over HTTP: solved, stored, explained, re-solved with people fixed or excluded;
nobody in two cohorts; and the batch's proposals served beside the ranking."""

from __future__ import annotations

import dataclasses

import pytest

from matcher.allocation import Policy
from matcher.languages import CEFR_RANK
from service import storage_cohorts
from service.batch import run_batch
from service.storage import Conflict, Principal


@pytest.fixture
def training(world):
    """``need_a`` as a recruitment training of four seats, and ``need_b`` of three."""
    for need_id, seats in ((world.need_a, 4), (world.need_b, 3)):
        need, _ = world.store.need(need_id)
        world.store.replace_need(
            dataclasses.replace(need, kind="recruitment_training", positions=seats)
        )
    return world


def solve(client, world, need_id, **body):
    return client.post(
        f"/v1/needs/{need_id}/cohort", json=body, headers=world.headers(world.recruiter)
    )


def ids(members):
    return [m["jobseeker_id"] for m in members]


def test_a_cohort_fills_the_seats_with_reserves_and_explains_each(client, training):
    response = solve(client, training, training.need_a, reserves=2)
    assert response.status_code == 200, response.get_json()
    cohort = response.get_json()
    assert len(cohort["seats"]) == 4 and len(cohort["reserves"]) == 2
    scores = [m["score"] for m in cohort["seats"]]
    assert min(scores) >= max(m["score"] for m in cohort["reserves"])
    assert all(m["reasons"] for m in cohort["seats"] + cohort["reserves"] + cohort["near_misses"])
    assert cohort["total_score"] == pytest.approx(sum(scores), abs=1e-5)
    again = client.get(
        f"/v1/needs/{training.need_a}/cohort", headers=training.headers(training.recruiter)
    ).get_json()
    assert ids(again["seats"]) == ids(cohort["seats"])
    actions = [e["action"] for e, _ in _audit(training)]
    assert "cohort.solve" in actions and "cohort.read" in actions


def _audit(world):
    return [(e, None) for e in world.store.audit_log(page=1, page_size=100).items]


def test_fixing_a_near_miss_seats_them_and_excluding_unseats(client, training):
    first = solve(client, training, training.need_a).get_json()
    outsider = next(
        m["jobseeker_id"]
        for m in first["near_misses"]
        if m["reasons"][0]["code"] == "below_last_seat"
    )
    dropped = first["seats"][0]["jobseeker_id"]
    second = solve(
        client, training, training.need_a, fixed=[outsider], excluded=[dropped]
    ).get_json()
    seated = ids(second["seats"])
    assert outsider in seated and dropped not in seated and len(seated) == 4
    fixed = next(m for m in second["seats"] if m["jobseeker_id"] == outsider)
    assert fixed["reasons"][0]["code"] == "fixed_by_coordinator"
    assert second["total_score"] <= first["total_score"]


def test_nobody_sits_in_two_cohorts(client, training):
    a = solve(client, training, training.need_a, reserves=1).get_json()
    b = solve(client, training, training.need_b, reserves=1).get_json()
    placed_a = set(ids(a["seats"]) + ids(a["reserves"]))
    assert not placed_a & set(ids(b["seats"]) + ids(b["reserves"]))
    # Even written directly, the database refuses a second place for the same person.
    with pytest.raises(Conflict):
        storage_cohorts.save_cohort(
            training.store,
            _cohort_with(training.need_b, a["seats"][0]),
            {},
            Principal(None, "recruiter"),
            {},
        )


def _cohort_with(need_id, member):
    from matcher.cohort import Cohort, Member, Reason

    seat = Member(member["jobseeker_id"], member["score"], "seat", False, (Reason("seat"),))
    return Cohort(need_id, (seat,), (), (), member["score"])


def test_the_language_minimum_holds(client, training):
    cohort = solve(
        client, training, training.need_a, min_language={"language": "sv", "level": "B1"}
    ).get_json()
    people = training.store.jobseekers_by_id(ids(cohort["seats"]))
    for person in people.values():
        levels = [CEFR_RANK[s.level] for s in person.languages if s.language == "sv"]
        assert max(levels, default=0) >= CEFR_RANK["B1"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"fixed": ["J-nobody"]}, "fixed"),
        ({"reserves": -1}, "reserves"),
        ({"fixed": ["J1"], "excluded": ["J1"]}, "fixed"),
        ({"min_language": {"language": "sv", "level": "B7"}}, "min_language.level"),
        ({"seats": 3}, "seats"),
    ],
)
def test_invalid_requests_name_the_field(client, training, body, field):
    response = solve(client, training, training.need_a, **body)
    assert response.status_code == 422
    assert field in [p["name"] for p in response.get_json()["invalid_params"]]


def test_companies_cannot_build_cohorts_and_unknown_needs_are_404(client, training):
    response = client.post(
        f"/v1/needs/{training.need_a}/cohort", json={}, headers=training.headers(training.token_a)
    )
    assert response.status_code == 403
    assert solve(client, training, "N-unknown").status_code == 404


def test_releasing_a_cohort_frees_its_people(client, training):
    a = solve(client, training, training.need_a).get_json()
    headers = training.headers(training.recruiter)
    assert client.delete(f"/v1/needs/{training.need_a}/cohort", headers=headers).status_code == 204
    assert client.get(f"/v1/needs/{training.need_a}/cohort", headers=headers).status_code == 404
    b = solve(client, training, training.need_b).get_json()
    # need_b may now seat people that need_a held.
    assert storage_cohorts.placed_elsewhere(training.store, training.need_a) == set(ids(b["seats"]))
    assert a["seats"]


def test_the_batch_allocates_proposals_within_the_capacities(client, training):
    policy = Policy(per_position=2, per_person=1)
    summary = run_batch(training.store, scorer_of(training), k=30, allocation=policy)
    allocation = summary["allocation"]
    assert allocation["proposals"] > 0 and allocation["max_per_person"] == 1
    headers = training.headers(training.recruiter)
    body = client.get(f"/v1/needs/{training.need_a}/proposals", headers=headers).get_json()
    assert body["run_id"] == summary["run_id"]
    assert 0 < len(body["proposed"]) <= 4 * 2
    proposed_here = set(ids(body["proposed"]))
    for entry in body["proposed_elsewhere"]:
        assert entry["jobseeker_id"] not in proposed_here
        assert all(n["need_id"] != training.need_a for n in entry["needs"])
    person = body["proposed"][0]["jobseeker_id"]
    mine = client.get(f"/v1/jobseekers/{person}/proposals", headers=headers).get_json()
    assert [p["need_id"] for p in mine["proposals"]] == [training.need_a]
    assert mine["exposure"] == 1 and mine["runs"] == 1
    run_batch(training.store, scorer_of(training), k=30, allocation=policy)
    again = client.get(f"/v1/jobseekers/{person}/proposals", headers=headers).get_json()
    assert again["runs"] == 2 and again["exposure"] >= 1


def scorer_of(world):
    return world.app.extensions["kohtaanto"].scorer


def test_erasure_removes_cohort_places_and_proposals(client, training):
    run_batch(training.store, scorer_of(training), k=30)
    headers = training.headers(training.recruiter)
    proposed = client.get(f"/v1/needs/{training.need_a}/proposals", headers=headers).get_json()
    person = proposed["proposed"][0]["jobseeker_id"]
    cohort = solve(client, training, training.need_a, fixed=[person]).get_json()
    assert person in ids(cohort["seats"])
    before = _rows_naming(training, person)
    assert before["cohort_members"] == 1 and before["proposals"] >= 1
    response = client.delete(f"/v1/jobseekers/{person}", headers=training.headers(training.admin))
    assert response.status_code in (200, 204), response.get_json()
    assert _rows_naming(training, person) == {"cohort_members": 0, "proposals": 0}


def _rows_naming(world, person):
    from sqlalchemy import func, select

    from service.storage_cohorts import CohortMemberRow, ProposalRow

    with world.store.engine.connect() as connection:
        return {
            row.__tablename__: connection.scalar(
                select(func.count()).select_from(row).where(row.jobseeker_id == person)
            )
            for row in (CohortMemberRow, ProposalRow)
        }


def test_the_fairness_report_shows_exposure_per_self_reported_group(client, training):
    run_batch(training.store, scorer_of(training), k=30, allocation=Policy(per_person=1))
    listed = set(storage_cohorts.run_lists(training.store, training.store.latest_run()["id"])[2])
    proposed = set(storage_cohorts.exposure(training.store))
    people = sorted(listed)
    headers = training.headers(training.recruiter)
    for i, person in enumerate(people):
        report = {"sex": "female" if i % 2 else "male", "age_band": None, "mother_tongue": None}
        response = client.put(f"/v1/jobseekers/{person}/self-report", json=report, headers=headers)
        assert response.status_code == 200, response.get_json()
    body = client.get("/v1/reports/fairness?min_people=1", headers=headers).get_json()
    rows = {r["group"]: r for r in body["attributes"]["sex"]["overall"]["exposure"]}
    for i, sex in ((0, "male"), (1, "female")):
        group = people[i::2]
        assert rows[sex]["people"] == len(group)
        assert rows[sex]["selected"] == len(set(group) & proposed)
    best = max(rows["male"]["rate"], rows["female"]["rate"])
    for row in rows.values():
        assert row["impact_ratio"] == pytest.approx(row["rate"] / best, abs=1e-3)


@pytest.fixture
def warehouse(world):
    """A forklift vacancy in Vaasa from March, and a training that teaches its skills first."""
    from matcher.domain import Need

    base = {
        "company_id": world.company_a,
        "required_skills": ["trukkikortti", "varastonhallinta"],
        "municipality": "Vaasa",
    }
    vacancy = Need.from_dict(
        {
            **base,
            "id": "N-forklift",
            "kind": "vacancy",
            "title": "Trukinkuljettaja",
            "start_date": "2027-03-01",
        }
    )
    training = Need.from_dict(
        {
            **base,
            "id": "N-course",
            "kind": "recruitment_training",
            "title": "Varastokoulutus",
            "start_date": "2027-01-10",
            "end_date": "2027-02-20",
            "positions": 12,
        }
    )
    world.store.add_needs([vacancy, training])
    return world


def test_a_vacancy_lists_who_would_be_ready_after_a_training(client, warehouse):
    headers = warehouse.headers(warehouse.recruiter)
    body = client.get("/v1/needs/N-forklift/pathways?limit=50", headers=headers).get_json()
    assert body["ready_now"] and body["after_training"]
    for path in body["after_training"]:
        assert path["training"]["id"] == "N-course" and path["vacancy_id"] == "N-forklift"
        assert path["score_after"] >= (path["score_now"] or 0) + 0.05
    people = [p["jobseeker_id"] for p in body["after_training"]]
    assert len(people) == len(set(people))
    # The same path, from the person's side.
    person = people[0]
    mine = client.get(f"/v1/jobseekers/{person}/pathways", headers=headers).get_json()
    routes = {(p["training_id"], p["vacancy_id"]) for p in mine["after_training"]}
    assert ("N-course", "N-forklift") in routes
    assert client.get(
        "/v1/needs/N-forklift/pathways", headers=warehouse.headers(warehouse.token_b)
    ).status_code in (403, 404)
