"""One validation: the request schemas check every rule the server enforces and the OpenAPI
document states it; empty PUT and PATCH bodies change nothing; company_id as documented."""

from __future__ import annotations

import json

import marshmallow as ma
import pytest

from service.batch import run_batch
from service.errors import flatten
from service.schemas.companies import CompanyInSchema
from service.schemas.jobseekers import JobseekerInSchema
from service.schemas.needs import NeedInSchema
from service.storage import table_counts

PROBLEM = "application/problem+json"
NEED = {
    "kind": "vacancy",
    "title": "Svetsare",
    "required_skills": ["svetsning"],
    "municipality": "Vasa",
}
PERSON = {"municipality": "Vaasa", "skills": ["hitsaus"]}
COMPANY = {"name": "Pohjanmaan Teräs Oy", "municipality": "Vaasa"}
SV = {"language": "sv", "level": "B1"}
LATE = {"title": "Hitsaaja", "start": "2020-02-01", "end": "2020-01-01"}

# (path, schema, component, valid body, change, field named, where the document states the
# rule: a JSON pointer into the component, and the value found there)
INVALID = [
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"title": "   "}, "title",
     "properties/title/pattern", r"\s*\S"),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"title": "x" * 201}, "title",
     "properties/title/maxLength", 200),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"required_skills": []}, "required_skills",
     "properties/required_skills/minItems", 1),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"required_skills": [" "]},
     "required_skills[0]", "properties/required_skills/items/pattern", r"\s*\S"),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"municipality": "Atlantis"}, "municipality",
     "properties/municipality/description", "A Finnish municipality"),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"municipality": "  "}, "municipality",
     "properties/municipality/pattern", r"\s*\S"),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED,
     {"start_date": "2027-02-01", "end_date": "2027-01-01"}, "end_date",
     "properties/end_date/description", "Not before start_date"),
    ("/v1/needs", NeedInSchema, "NeedIn", NEED, {"languages": [SV, {**SV, "level": "C1"}]},
     "languages[1].language", "properties/languages/description", "at most once"),
    ("/v1/jobseekers", JobseekerInSchema, "JobseekerIn", PERSON, {"skills": []}, "skills",
     "properties/skills/description", "at least one skill"),
    ("/v1/jobseekers", JobseekerInSchema, "JobseekerIn", PERSON, {"municipality": "Atlantis"},
     "municipality", "properties/municipality/description", "A Finnish municipality"),
    ("/v1/jobseekers", JobseekerInSchema, "JobseekerIn", PERSON, {"work_history": [LATE]},
     "work_history[0].end", "/WorkExperience/properties/end/description", "not before start"),
    ("/v1/jobseekers", JobseekerInSchema, "JobseekerIn", PERSON,
     {"languages": [SV, SV]}, "languages[1].language",
     "properties/languages/description", "at most once"),
    ("/v1/companies", CompanyInSchema, "CompanyIn", COMPANY, {"name": " "}, "name",
     "properties/name/pattern", r"\s*\S"),
    ("/v1/companies", CompanyInSchema, "CompanyIn", COMPANY, {"municipality": "Atlantis"},
     "municipality", "properties/municipality/description", "A Finnish municipality"),
]  # fmt: skip


def invalid_names(response) -> list[str]:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return [p["name"] for p in response.get_json().get("invalid_params", [])]


def documented(spec: dict, component: str, pointer: str):
    """The value at ``pointer`` in a component schema (``/Other/...`` starts at another)."""
    node = spec["components"]["schemas"]
    parts = pointer.strip("/").split("/")
    for part in parts if pointer.startswith("/") else [component, *parts]:
        node = node[part]
    return node


@pytest.mark.parametrize(
    ("path", "schema", "component", "valid", "change", "field", "pointer", "stated"),
    INVALID,
    ids=[f"{row[0]}-{row[5]}-{i}" for i, row in enumerate(INVALID)],
)
def test_the_schema_refuses_and_the_document_says_so(
    client, world, path, schema, component, valid, change, field, pointer, stated
):
    with pytest.raises(ma.ValidationError) as refused:
        schema().load({**valid, **change})
    assert field in [p["name"] for p in flatten(refused.value.messages)]
    body = {**valid, **change, **({"company_id": world.company_a} if path == "/v1/needs" else {})}
    before = table_counts(world.store, ["needs", "jobseekers", "companies"])
    response = client.post(path, json=body, headers=world.headers(world.recruiter))
    assert field in invalid_names(response)
    assert table_counts(world.store, ["needs", "jobseekers", "companies"]) == before
    value = documented(client.get("/openapi.json").get_json(), component, pointer)
    assert stated in value if pointer.endswith("description") else value == stated


def test_strings_are_stored_stripped_and_municipalities_in_their_official_spelling(client, world):
    body = {**NEED, "title": "  Svetsare ", "municipality": "  vasa", "company_id": world.company_a}
    response = client.post("/v1/needs", json=body, headers=world.headers(world.recruiter))
    assert response.status_code == 201
    stored = response.get_json()
    assert (stored["title"], stored["municipality"]) == ("Svetsare", "Vasa")


@pytest.mark.parametrize("token", ["token_a", "recruiter"])
def test_company_id_of_the_callers_own_company_is_accepted(client, world, token):
    body = {**NEED, "company_id": world.company_a}
    response = client.post("/v1/needs", json=body, headers=world.headers(getattr(world, token)))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["company_id"] == world.company_a
    bulk = client.post(
        "/v1/needs:bulk",
        data=json.dumps(body),
        headers={**world.headers(getattr(world, token)), "Content-Type": "application/x-ndjson"},
    )
    assert bulk.status_code == 201, bulk.get_json()
    assert world.store.need(bulk.get_json()["ids"][0])[0].company_id == world.company_a


@pytest.mark.parametrize("other", ["company_b", "nobody"])
def test_a_company_naming_another_company_is_answered_as_unknown(client, world, other):
    body = {**NEED, "company_id": getattr(world, other, "C-none")}
    before = table_counts(world.store, ["needs"])
    response = client.post("/v1/needs", json=body, headers=world.headers(world.token_a))
    assert "company_id" in invalid_names(response)
    assert response.get_json()["invalid_params"][0]["reason"] == "No such company."
    assert table_counts(world.store, ["needs"]) == before


def test_the_document_says_who_gives_company_id(client):
    spec = client.get("/openapi.json").get_json()
    text = documented(spec, "NeedIn", "properties/company_id/description")
    assert "Recruiters and admins must give it" in text and "company token may leave it out" in text


def self_report_url(world) -> str:
    return f"/v1/jobseekers/{world.store.active_jobseekers()[0].id}/self-report"


ANSWERS = {"sex": "female", "age_band": "25-34", "mother_tongue": "sv"}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (None, ["body"]),
        ({}, ["body"]),
        ({"sex": "male"}, ["age_band", "mother_tongue"]),
    ],
    ids=["no-body", "empty-object", "fields-left-out"],
)
def test_a_self_report_put_must_give_every_answer(client, world, body, fields):
    url, headers = self_report_url(world), world.headers(world.recruiter)
    assert client.put(url, json=ANSWERS, headers=headers).status_code == 200
    response = client.put(url, headers=headers, **({} if body is None else {"json": body}))
    assert sorted(invalid_names(response)) == fields
    stored = world.store.self_reports()[url.split("/")[3]]
    assert {k: stored[k] for k in ANSWERS} == ANSWERS


def test_a_self_report_withdraws_answers_with_null(client, world):
    url, headers = self_report_url(world), world.headers(world.recruiter)
    client.put(url, json=ANSWERS, headers=headers)
    response = client.put(url, json={**ANSWERS, "sex": None}, headers=headers)
    assert response.status_code == 200 and response.get_json()["sex"] is None
    assert world.store.self_reports()[url.split("/")[3]]["age_band"] == "25-34"


def patch_target(world, kind: str) -> tuple[str, str]:
    """The URL of one stored record and a text field of it."""
    if kind == "needs":
        return f"/v1/needs/{world.need_a}", "title"
    if kind == "jobseekers":
        return f"/v1/jobseekers/{world.store.active_jobseekers()[0].id}", "headline"
    return f"/v1/companies/{world.company_a}", "name"


def record_state(client, world, url: str) -> tuple:
    """What a write would change: the record's updated_at and the data versions."""
    record = client.get(url, headers=world.headers(world.recruiter)).get_json()
    return record["updated_at"], world.store.needs_version(), world.store.jobseekers_version()


@pytest.mark.parametrize("kind", ["needs", "jobseekers", "companies"])
@pytest.mark.parametrize(
    "body", [None, {}, "same"], ids=["no-body", "empty-object", "same-values"]
)
def test_a_patch_that_changes_nothing_writes_nothing(client, world, kind, body):
    url, name = patch_target(world, kind)
    headers = world.headers(world.recruiter)
    stored = client.get(url, headers=headers).get_json()
    before = record_state(client, world, url)
    if body == "same":
        response = client.patch(url, json={name: stored[name]}, headers=headers)
        assert response.status_code == 200, response.get_json()
    else:
        response = client.patch(url, headers=headers, **({} if body is None else {"json": body}))
        assert invalid_names(response) == ["body"]
    assert record_state(client, world, url) == before
    changed = client.patch(url, json={name: f"{stored[name]} (muutettu)"}, headers=headers)
    assert changed.status_code == 200 and record_state(client, world, url) != before


@pytest.mark.parametrize("kind", ["needs", "jobseekers", "companies"])
def test_patch_bodies_are_documented_as_non_empty(client, kind):
    spec = client.get("/openapi.json").get_json()
    component = {"needs": "NeedPatch", "jobseekers": "JobseekerPatch"}.get(kind, "CompanyPatch")
    assert documented(spec, component, "minProperties") == 1


@pytest.mark.parametrize("body", [{}, "same"], ids=["empty-object", "same-values"])
def test_a_patch_that_changes_nothing_keeps_the_need_in_the_batch_lists(client, world, body):
    headers = world.headers(world.recruiter)
    run_batch(world.store, world.app.extensions["kohtaanto"].scorer, k=20)
    url = f"/v1/needs/{world.need_a}"
    title = client.get(url, headers=headers).get_json()["title"]
    client.patch(url, json={} if body == {} else {"title": title}, headers=headers)
    listed = client.get(f"{url}/candidates?limit=5", headers=headers).get_json()
    assert listed["source"] == "batch"
