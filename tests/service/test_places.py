"""Municipalities in the API: a filter finds a place by either official name in any case, and an
unknown name is refused with the closest names, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"
SPELLINGS = ["Vasa", "Vaasa", "VAASA", "vasa"]
VAASA = {"Vaasa", "Vasa"}
NEED = {"kind": "vacancy", "title": "Svetsare", "required_skills": ["svetsning"]}
PERSON = {"skills": ["hitsaus"]}


@pytest.fixture
def both_names(client, world):
    """One need and one jobseeker stored under each name of Vaasa (besides the fixture data)."""
    headers = world.headers(world.recruiter)
    for name in ("Vasa", "Vaasa"):
        need = {**NEED, "municipality": name, "company_id": world.company_a}
        # The same need under both names: a duplicate on purpose.
        url = "/v1/needs?allow_duplicate=true"
        assert client.post(url, json=need, headers=headers).status_code == 201
        person = {**PERSON, "municipality": name}
        assert client.post("/v1/jobseekers", json=person, headers=headers).status_code == 201
    return headers


def ids(client, path: str, headers) -> list[str]:
    body = client.get(path, headers=headers).get_json()
    return [item["id"] for item in body["items"]]


def stored_in_vaasa(client, resource: str, headers) -> list[str]:
    body = client.get(f"/v1/{resource}?page_size=100", headers=headers).get_json()
    assert body["total"] <= 100
    return [item["id"] for item in body["items"] if item["municipality"] in VAASA]


@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_every_spelling_of_vaasa_finds_the_same_rows(client, world, both_names, resource):
    expected = stored_in_vaasa(client, resource, both_names)
    for name in SPELLINGS:
        path = f"/v1/{resource}?municipality={name}&page_size=100"
        assert ids(client, path, both_names) == expected, name


@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_an_answer_keeps_the_name_each_row_was_stored_with(client, world, both_names, resource):
    body = client.get(f"/v1/{resource}?municipality=vasa&page_size=100", headers=both_names)
    assert {item["municipality"] for item in body.get_json()["items"]} == VAASA


@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_an_unknown_municipality_in_a_filter_suggests_the_closest(client, world, resource):
    response = client.get(f"/v1/{resource}?municipality=Vassa", headers=world.headers(world.admin))
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    [param] = response.get_json()["invalid_params"]
    assert param["name"] == "municipality"
    assert "did you mean Vasa" in param["reason"]


@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_an_unknown_municipality_in_a_body_suggests_the_closest(client, world, resource):
    body = {**(NEED if resource == "needs" else PERSON), "municipality": "Vassa"}
    if resource == "needs":
        body["company_id"] = world.company_a
    response = client.post(f"/v1/{resource}", json=body, headers=world.headers(world.recruiter))
    assert response.status_code == 422
    [param] = response.get_json()["invalid_params"]
    assert (param["name"], "did you mean Vasa" in param["reason"]) == ("municipality", True)


def test_the_document_says_how_the_filter_reads_a_name(client):
    document = client.get("/openapi.json").get_json()
    params = document["paths"]["/v1/needs"]["get"]["parameters"]
    [municipality] = [p for p in params if p["name"] == "municipality"]
    assert "Vasa and VASA find the same rows" in municipality["description"]
