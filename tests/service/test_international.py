"""International candidates over the API: a work permit's type and expiry, the recognition of
qualifications and languages being studied, and needs where English suffices."""

from __future__ import annotations

import json

from tests.service.conftest import send_shortlist

NEED = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "required_skills": ["hitsaus"],
    "municipality": "Vaasa",
    "start_date": "2027-01-01",
    "end_date": "2027-06-30",
}
PERSON = {
    "name": "Test Person",
    "skills": ["hitsaus", "MIG-hitsaus"],
    "municipality": "Vaasa",
    "languages": [{"language": "en", "level": "B2"}],
    "available_from": "2026-12-01",
    "work_permit_type": "temporary",
    "work_permit_expires": "2027-03-31",
    "qualification_recognitions": [{"field": "Welding", "status": "pending"}],
    "languages_studied": [{"language": "fi", "target_level": "A2", "target_date": "2027-05-01"}],
}


def _candidates(client, world, token, need_id):
    url = f"/v1/needs/{need_id}/candidates?include_excluded=true&limit=200"
    response = client.get(url, headers=world.headers(token))
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_international_data_round_trips_and_is_validated(client, world):
    made = client.post("/v1/jobseekers", json=PERSON, headers=world.headers(world.recruiter))
    assert made.status_code == 201, made.json
    for key in ("work_permit_type", "work_permit_expires", "qualification_recognitions"):
        assert made.json[key] == PERSON[key]
    bad = {**PERSON, "qualification_recognitions": [{"field": "Welding", "status": "maybe"}]}
    refused = client.post("/v1/jobseekers", json=bad, headers=world.headers(world.recruiter))
    assert refused.status_code == 422
    assert refused.json["invalid_params"][0]["name"] == "qualification_recognitions[0].status"


def test_a_permit_expiring_before_the_need_ends_excludes_with_the_renewal_remedy(client, world):
    person = client.post("/v1/jobseekers", json=PERSON, headers=world.headers(world.recruiter))
    need = client.post("/v1/needs", json=NEED, headers=world.headers(world.token_a)).json["id"]
    staff = next(
        i
        for i in _candidates(client, world, world.recruiter, need)
        if i["candidate"]["id"] == person.json["id"]
    )
    assert staff["excluded"]
    [unmet] = staff["explanation"]["unmet_requirements"]
    assert (unmet["field"], unmet["remedy"]) == ("work_permit", "permit renewal")
    # A company reads only that a requirement is not met: no permit detail.
    shortlist_id = send_shortlist(client, world, need, [person.json["id"]])
    company = client.get(f"/v1/shortlists/{shortlist_id}", headers=world.headers(world.token_a))
    assert company.status_code == 200 and "permit" not in json.dumps(company.json["entries"])
    # Renewed past the need's end, the person is a candidate.
    client.patch(
        f"/v1/jobseekers/{person.json['id']}",
        json={"work_permit_expires": "2027-12-31"},
        headers=world.headers(world.recruiter),
    )
    renewed = next(
        i
        for i in _candidates(client, world, world.recruiter, need)
        if i["candidate"]["id"] == person.json["id"]
    )
    assert not renewed["excluded"] and renewed["score"] > 0


def test_english_suffices_lets_an_english_speaker_meet_a_swedish_need(client, world):
    person = client.post(
        "/v1/jobseekers",
        json={**PERSON, "work_permit_expires": None},
        headers=world.headers(world.recruiter),
    ).json["id"]
    swedish = {**NEED, "languages": [{"language": "sv", "level": "B1"}]}
    excluded = {}
    for suffices in (False, True):
        need = client.post(
            "/v1/needs?allow_duplicate=true",  # the same need but for english_suffices
            json={**swedish, "english_suffices": suffices},
            headers=world.headers(world.token_a),
        ).json
        assert need["english_suffices"] is suffices
        item = next(
            i
            for i in _candidates(client, world, world.recruiter, need["id"])
            if i["candidate"]["id"] == person
        )
        excluded[suffices] = item["excluded"]
    assert excluded == {False: True, True: False}
