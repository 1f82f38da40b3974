"""Duplicates: the same person posted twice and the same need in Finnish and Swedish are
offered for a merge; a merge keeps every outcome and audit entry; erasure reaches what was
merged."""

from __future__ import annotations

import json

import pytest

from service.storage import table_counts

PERSON = {
    "name": "Aino Mäkinen",
    "email": "aino.makinen@example.fi",
    "phone": "+358 40 765 4321",
    "skills": ["hitsaus", "trukkikortti"],
    "municipality": "Vaasa",
}
# One need written twice, in Finnish and in Swedish: the same company, place and dates.
NEED_FI = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "required_skills": ["MIG-hitsaus", "trukkikortti"],
    "preferred_skills": ["asiakaspalvelu"],
    "municipality": "Vaasa",
    "start_date": "2027-03-15",
    "text_language": "fi",
}
NEED_SV = {
    **NEED_FI,
    "title": "Svetsare",
    "required_skills": ["MIG-svetsning", "truckkort"],
    "preferred_skills": ["kundservice"],
    "municipality": "Vasa",
    "text_language": "sv",
}


def post(client, world, path, body, allow=False):
    url = f"{path}?allow_duplicate=true" if allow else path
    return client.post(url, json=body, headers=world.headers(world.recruiter))


def audit_entries(world) -> list[str]:
    items = world.store.audit_log(page=1, page_size=100).items
    return sorted(json.dumps(e, default=str, sort_keys=True) for e in items)


def record_outcome(client, world, need, person, outcome):
    url = f"/v1/needs/{need}/candidates/{person}/outcome"
    body = {"outcome": outcome}
    response = client.post(url, json=body, headers=world.headers(world.recruiter))
    assert response.status_code == 201, response.get_json()


def test_the_same_person_posted_twice_is_offered_for_a_merge(client, world):
    first = post(client, world, "/v1/jobseekers", PERSON)
    assert first.status_code == 201
    # The same person, the phone written another way and the e-mail in capitals.
    again = {**PERSON, "phone": "040-7654321", "email": PERSON["email"].upper()}
    refused = post(client, world, "/v1/jobseekers", again)
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    [found] = refused.get_json()["duplicates"]
    assert found["id"] == first.get_json()["id"]
    assert {"email", "phone", "name", "skills"} <= set(found["reasons"])
    assert post(client, world, "/v1/jobseekers", again, allow=True).status_code == 201


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Aino Virtanen", "email": "", "phone": ""},
        {
            "email": "someone.else@example.fi",
            "phone": "",
            "municipality": "Oulu",
            "skills": ["kokki"],
        },
    ],
)
def test_another_person_is_not_a_duplicate(client, world, change):
    assert post(client, world, "/v1/jobseekers", PERSON).status_code == 201
    other = {**PERSON, **change}
    assert post(client, world, "/v1/jobseekers", other).status_code == 201


def test_a_need_in_finnish_and_in_swedish_is_offered_for_a_merge(client, world):
    body_fi = {**NEED_FI, "company_id": world.company_a}
    first = post(client, world, "/v1/needs", body_fi)
    assert first.status_code == 201, first.get_json()
    refused = post(client, world, "/v1/needs", {**NEED_SV, "company_id": world.company_a})
    assert refused.status_code == 409
    assert [d["id"] for d in refused.get_json()["duplicates"]] == [first.get_json()["id"]]


@pytest.mark.parametrize(
    "change",
    [
        {"start_date": "2027-05-01"},
        {"municipality": "Oulu"},
        {"required_skills": ["ruoanvalmistus"], "preferred_skills": [], "title": "Kock"},
        {"kind": "apprenticeship"},
    ],
)
def test_another_need_is_not_a_duplicate(client, world, change):
    assert (
        post(client, world, "/v1/needs", {**NEED_FI, "company_id": world.company_a}).status_code
        == 201
    )
    other = {**NEED_SV, "company_id": world.company_a, **change}
    assert post(client, world, "/v1/needs", other).status_code == 201


def test_a_company_sees_duplicates_only_among_its_own_needs(client, world):
    assert (
        post(client, world, "/v1/needs", {**NEED_FI, "company_id": world.company_a}).status_code
        == 201
    )
    response = client.post("/v1/needs", json=NEED_SV, headers=world.headers(world.token_b))
    assert response.status_code == 201


def test_merging_people_keeps_every_outcome_and_audit_entry(client, world):
    kept = post(client, world, "/v1/jobseekers", PERSON).get_json()["id"]
    merged = post(client, world, "/v1/jobseekers", PERSON, allow=True).get_json()["id"]
    recruiter = world.headers(world.recruiter)
    record_outcome(client, world, world.need_a, kept, "contacted")
    record_outcome(client, world, world.need_a, merged, "interviewed")
    record_outcome(client, world, world.need_b, merged, "hired")
    client.put(
        f"/v1/needs/{world.need_b}/candidates/{merged}/decision",
        json={"action": "pin", "reason": "strong welder"},
        headers=recruiter,
    )
    client.put(
        f"/v1/jobseekers/{merged}/self-report",
        json={"sex": None, "age_band": None, "mother_tongue": "fi"},
        headers=recruiter,
    )
    client.get(f"/v1/jobseekers/{merged}", headers=recruiter)
    before = audit_entries(world)
    outcomes = world.store.outcome_counts()

    response = client.post(
        f"/v1/jobseekers/{kept}/merge", json={"duplicate_id": merged}, headers=recruiter
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["moved"]["outcomes"] == 2

    after = audit_entries(world)
    assert set(before) < set(after)  # every entry kept, and the merge's own added
    merge_entry = json.loads(next(e for e in after if '"jobseeker.merge"' in e))
    services = world.app.extensions["kohtaanto"]
    assert merge_entry["detail"]["merged"] == services.person_ref(merged)
    export = client.get(f"/v1/jobseekers/{kept}/export", headers=recruiter).get_json()
    assert sorted(o["outcome"] for o in export["outcomes"]) == ["contacted", "hired", "interviewed"]
    assert sorted((n, o) for n, _, o, _ in world.store.outcome_counts()) == sorted(
        (n, o) for n, _, o, _ in outcomes
    )
    assert [d["need_id"] for d in export["decisions"]] == [world.need_b]
    assert export["self_report"]["mother_tongue"] == "fi"
    assert [m["merged_id"] for m in export["merged"]] == [merged]
    assert export["merged"][0]["data"]["email"] == PERSON["email"]
    assert client.get(f"/v1/jobseekers/{merged}", headers=recruiter).status_code == 404
    # The person posted again now finds only the one kept.
    again = post(client, world, "/v1/jobseekers", PERSON).get_json()["duplicates"]
    assert [d["id"] for d in again] == [kept]


def test_merging_needs_keeps_every_outcome_and_audit_entry(client, world):
    recruiter = world.headers(world.recruiter)
    kept = post(client, world, "/v1/needs", {**NEED_FI, "company_id": world.company_a})
    merged = post(
        client, world, "/v1/needs", {**NEED_SV, "company_id": world.company_a}, allow=True
    )
    kept, merged = kept.get_json()["id"], merged.get_json()["id"]
    people = [p.id for p in world.store.active_jobseekers()[:3]]
    record_outcome(client, world, kept, people[0], "interviewed")
    record_outcome(client, world, merged, people[1], "hired")
    record_outcome(client, world, merged, people[2], "contacted")
    client.get(f"/v1/needs/{merged}/candidates?limit=3", headers=recruiter)
    # A person erased after an outcome leaves an anonymous tally, which moves too.
    admin = world.headers(world.admin)
    assert client.delete(f"/v1/jobseekers/{people[2]}", headers=admin).status_code == 200
    before = audit_entries(world)

    response = client.post(
        f"/v1/needs/{kept}/merge", json={"duplicate_id": merged}, headers=recruiter
    )
    assert response.status_code == 200, response.get_json()

    assert set(before) < set(after := audit_entries(world))
    assert any(f'"target": "need:{merged}"' in e for e in after)
    counts = [(n, o, c) for n, _, o, c in world.store.outcome_counts() if n in (kept, merged)]
    assert sorted(counts) == [(kept, "contacted", 1), (kept, "hired", 1), (kept, "interviewed", 1)]
    assert client.get(f"/v1/needs/{merged}", headers=recruiter).status_code == 404


@pytest.mark.parametrize(
    ("path", "duplicate", "status"),
    [
        ("/v1/jobseekers/{kept}/merge", "{kept}", 422),
        ("/v1/jobseekers/{kept}/merge", "J-none", 422),
        ("/v1/jobseekers/J-none/merge", "{kept}", 404),
    ],
)
def test_a_merge_that_cannot_be_done_writes_nothing(client, world, path, duplicate, status):
    kept = post(client, world, "/v1/jobseekers", PERSON).get_json()["id"]
    before = table_counts(world.store)
    url = path.format(kept=kept)
    body = {"duplicate_id": duplicate.format(kept=kept)}
    assert client.post(url, json=body, headers=world.headers(world.recruiter)).status_code == status
    assert table_counts(world.store) == before


def test_needs_of_two_companies_are_not_merged(client, world):
    recruiter = world.headers(world.recruiter)
    url = f"/v1/needs/{world.need_a}/merge"
    response = client.post(url, json={"duplicate_id": world.need_b}, headers=recruiter)
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"] == "duplicate_id"
    company = client.post(
        url, json={"duplicate_id": world.need_a}, headers=world.headers(world.token_a)
    )
    assert company.status_code == 403


def test_erasing_a_person_erases_what_was_merged_into_them(client, world):
    services = world.app.extensions["kohtaanto"]
    recruiter, admin = world.headers(world.recruiter), world.headers(world.admin)
    kept = post(client, world, "/v1/jobseekers", PERSON).get_json()["id"]
    merged = post(client, world, "/v1/jobseekers", PERSON, allow=True).get_json()["id"]
    client.get(f"/v1/jobseekers/{merged}", headers=recruiter)
    client.post(f"/v1/jobseekers/{kept}/merge", json={"duplicate_id": merged}, headers=recruiter)
    removed = client.delete(f"/v1/jobseekers/{kept}", headers=admin).get_json()["removed"]
    assert removed["jobseeker_merges"] == 1
    assert table_counts(world.store, ["jobseeker_merges"]) == {"jobseeker_merges": 0}
    log = json.dumps(world.store.audit_log(page=1, page_size=100).items, default=str)
    assert services.person_ref(merged) not in log and services.person_ref(kept) not in log
