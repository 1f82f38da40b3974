"""What a recruiter compares candidates by: each candidate's availability, languages and
distance, and the near-misses filtered by the hard requirement they lack (``unmet``)."""

from __future__ import annotations

import pytest

from matcher.geo import municipalities
from service.matching import SENSITIVE_FEATURES
from tests.service.conftest import send_shortlist

NEED = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "required_skills": ["hitsaus", "asiakaspalvelu", "trukin ajo"],
    "municipality": "Vaasa",
    "languages": [{"language": "sv", "level": "C1"}],
    "driving_licence": True,
    "start_date": "2026-12-15",
}
# A welder who lacks only a work permit.
NO_PERMIT = {
    "name": "Ahmed Ali",
    "municipality": "Vaasa",
    "skills": ["hitsaus", "MIG-hitsaus", "trukin ajo"],
    "languages": [{"language": "sv", "level": "C2"}],
    "driving_licence": True,
    "work_permit": False,
}


@pytest.fixture
def need_id(client, world) -> str:
    headers = world.headers(world.recruiter)
    assert client.post("/v1/jobseekers", json=NO_PERMIT, headers=headers).status_code == 201
    body = {**NEED, "company_id": world.company_a}
    response = client.post("/v1/needs", json=body, headers=world.headers(world.recruiter))
    return response.get_json()["id"]


def candidates(client, world, need_id: str, token: str, query: str = "") -> list[dict]:
    url = f"/v1/needs/{need_id}/candidates?limit=200{query}"
    response = client.get(url, headers=world.headers(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def unmet_fields(item: dict) -> set[str]:
    return {r["field"] for r in item["explanation"]["unmet_requirements"]}


def test_each_candidate_carries_availability_languages_and_distance(client, world, need_id):
    items = candidates(client, world, need_id, world.recruiter)
    people = {p.id: p for p in world.store.active_jobseekers()}
    for item in items:
        person, shown = people[item["candidate"]["id"]], item["candidate"]
        expected = round(municipalities().distance_km("Vaasa", person.municipality))
        assert shown["distance_km"] == expected
        held = [{"language": s.language, "level": s.level} for s in person.languages]
        assert shown["languages"] == held
        start = person.available_from.isoformat() if person.available_from else None
        assert shown["available_from"] == start


@pytest.mark.parametrize("field", ["languages", "languages.sv", "driving_licence", "work_permit"])
def test_near_misses_filter_by_the_requirement_they_lack(client, world, need_id, field):
    every = candidates(client, world, need_id, world.recruiter, "&include_excluded=true")
    lacking = [
        i for i in every if i["excluded"] and any(f.startswith(field) for f in unmet_fields(i))
    ]
    assert lacking, "the fixture should hold near-misses lacking it"
    items = candidates(client, world, need_id, world.recruiter, f"&unmet={field}")
    assert [i["candidate"]["id"] for i in items] == [i["candidate"]["id"] for i in lacking]
    remedied = [i["score_with_remedy"] for i in items]
    assert remedied == sorted(remedied, reverse=True)


def test_the_filter_pages_through_the_near_misses(client, world, need_id):
    whole = candidates(client, world, need_id, world.recruiter, "&unmet=languages")
    assert len(whole) > 4
    first = candidates(client, world, need_id, world.recruiter, "&unmet=languages&limit=3")
    url = f"/v1/needs/{need_id}/candidates?unmet=languages&limit=3&offset=3"
    second = client.get(url, headers=world.headers(world.recruiter)).get_json()["items"]
    assert [i["candidate"]["id"] for i in first[:3] + second] == [
        i["candidate"]["id"] for i in whole[:6]
    ]


def test_a_company_reads_health_and_eligibility_only_as_a_requirement(client, world, need_id):
    """The recruiter filters by the work permit a near-miss lacks; the company, reading the
    shortlist sent to it, learns only that a requirement of the need is not met."""
    staff = candidates(client, world, need_id, world.recruiter, "&unmet=work_permit")
    shortlist_id = send_shortlist(client, world, need_id, [i["candidate"]["id"] for i in staff])
    url = f"/v1/shortlists/{shortlist_id}"
    entries = client.get(url, headers=world.headers(world.token_a)).get_json()["entries"]
    assert entries and all("requirement" in unmet_fields(e) for e in entries)
    assert not any("work_permit" in unmet_fields(e) for e in entries)
    shown = {f["name"] for e in entries for f in e["explanation"]["features"]}
    assert shown and not shown & SENSITIVE_FEATURES
    ranking = f"/v1/needs/{need_id}/candidates?unmet=requirement"
    assert client.get(ranking, headers=world.headers(world.token_a)).status_code == 403


def test_an_unknown_requirement_is_refused_by_name(client, world, need_id):
    url = f"/v1/needs/{need_id}/candidates?unmet=age"
    response = client.get(url, headers=world.headers(world.recruiter))
    assert response.status_code == 422
    assert [p["name"] for p in response.get_json()["invalid_params"]] == ["unmet"]


def test_a_persons_needs_filter_by_the_requirement_they_lack(client, world):
    headers = world.headers(world.recruiter)
    for person in world.store.active_jobseekers()[:20]:
        url = f"/v1/jobseekers/{person.id}/needs?limit=200"
        every = client.get(f"{url}&include_excluded=true", headers=headers).get_json()["items"]
        lacking = [i for i in every if i["excluded"] and "municipality" in unmet_fields(i)]
        items = client.get(f"{url}&unmet=municipality", headers=headers).get_json()["items"]
        assert [i["need_id"] for i in items] == [i["need_id"] for i in lacking]
