"""Drafts over HTTP: a pasted ad, refused as a need, becomes a proposed need that, once
confirmed, is created; the same ad in Swedish is then offered for a merge; a CV and a
Europass CV become proposed profiles; nothing is stored until confirmed."""

from __future__ import annotations

import pytest

from service.storage import table_counts
from tests.matcher.test_drafts import AD_FI, AD_SV, EUROPASS_XML, POSTING


def draft(client, world, path, body, token=None):
    return client.post(path, json=body, headers=world.headers(token or world.recruiter))


def test_a_pasted_ad_becomes_a_need_once_confirmed(client, world):
    recruiter = world.headers(world.recruiter)
    as_need = {"kind": "vacancy", "title": "Hitsaaja", "description": AD_FI}
    refused = client.post(
        "/v1/needs", json={**as_need, "company_id": world.company_a}, headers=recruiter
    )
    assert refused.status_code == 422
    before = table_counts(world.store)
    response = draft(
        client, world, "/v1/needs/draft", {"text": AD_FI, "company_id": world.company_a}
    )
    assert response.status_code == 200, response.get_json()
    proposed = response.get_json()
    assert proposed["missing"] == [] and proposed["invalid_params"] == []
    assert table_counts(world.store) == before  # nothing stored
    created = client.post("/v1/needs", json=proposed["body"], headers=recruiter)
    assert created.status_code == 201, created.get_json()
    # The same need's Swedish ad, confirmed as proposed, is offered for a merge.
    swedish = draft(
        client, world, "/v1/needs/draft", {"text": AD_SV, "company_id": world.company_a}
    )
    again = client.post("/v1/needs", json=swedish.get_json()["body"], headers=recruiter)
    assert again.status_code == 409
    assert [d["id"] for d in again.get_json()["duplicates"]] == [created.get_json()["id"]]


def test_a_company_drafts_for_itself_and_a_recruiter_must_name_a_company(client, world):
    own = draft(client, world, "/v1/needs/draft", {"text": AD_FI}, world.token_a).get_json()
    assert own["body"]["company_id"] == world.company_a and own["missing"] == []
    other = {"text": AD_FI, "company_id": world.company_b}
    taken = draft(client, world, "/v1/needs/draft", other, world.token_a).get_json()
    assert taken["body"]["company_id"] == world.company_a
    unnamed = draft(client, world, "/v1/needs/draft", {"text": AD_FI}).get_json()
    assert unnamed["missing"] == ["company_id"] and "company_id" not in unnamed["body"]
    unknown = {"text": AD_FI, "company_id": "no-such"}
    assert draft(client, world, "/v1/needs/draft", unknown).get_json()["missing"] == ["company_id"]


def test_a_jobposting_becomes_a_proposed_need(client, world):
    body = {"jobposting": POSTING, "company_id": world.company_a}
    proposed = draft(client, world, "/v1/needs/draft", body).get_json()
    assert proposed["body"]["municipality"] == "Jakobstad"
    assert proposed["body"]["positions"] == 2
    fields = {r["field"]: r["evidence"] for r in proposed["recognised"]}
    assert fields["municipality"] == "jobLocation.address.addressLocality"


def test_an_ad_that_proposes_too_little_says_what_is_missing(client, world):
    body = {"text": "Myyjä\nTule meille töihin!", "company_id": world.company_a}
    proposed = draft(client, world, "/v1/needs/draft", body).get_json()
    assert set(proposed["missing"]) == {"required_skills", "municipality"}
    assert {p["name"] for p in proposed["invalid_params"]} >= {"required_skills", "municipality"}


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({}, "text"),
        ({"text": AD_FI, "jobposting": POSTING}, "text"),
        ({"text": " "}, "text"),
        ({"jobposting": {"@type": "Organization"}}, "jobposting"),
    ],
)
def test_a_need_draft_needs_one_readable_source(client, world, body, name):
    response = draft(client, world, "/v1/needs/draft", body)
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"] == name


def test_a_europass_cv_becomes_a_proposed_profile_that_can_be_created(client, world):
    before = table_counts(world.store)
    proposed = draft(client, world, "/v1/jobseekers/draft", {"europass": EUROPASS_XML}).get_json()
    assert table_counts(world.store) == before
    assert proposed["missing"] == [] and proposed["invalid_params"] == []
    created = client.post(
        "/v1/jobseekers", json=proposed["body"], headers=world.headers(world.recruiter)
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["name"] == "Stina Åkerlund"


def test_a_cv_text_becomes_a_proposed_profile(client, world):
    cv = "Aino Mäkinen\naino@example.fi, Kokkola\nKokki. Osaaminen: ruoanvalmistus, hygieniapassi."
    proposed = draft(client, world, "/v1/jobseekers/draft", {"text": cv}).get_json()
    assert proposed["body"]["email"] == "aino@example.fi"
    assert proposed["body"]["municipality"] == "Kokkola" and proposed["body"]["skills"]


def test_only_staff_draft_profiles_and_a_bad_europass_names_the_field(client, world):
    cv = {"text": "Aino Mäkinen"}
    assert draft(client, world, "/v1/jobseekers/draft", cv, world.token_a).status_code == 403
    response = draft(client, world, "/v1/jobseekers/draft", {"europass": "<SkillsPassport>"})
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"] == "europass"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/needs/draft", {"text": "[" * 5000}, 200),
        ("/v1/needs/draft", {"text": "<script type='application/ld+json'>" + "[" * 5000}, 200),
        ("/v1/jobseekers/draft", {"europass": '{"a":' * 5000}, 422),
        ("/v1/jobseekers/draft", {"europass": "<a>" * 2000 + "</a>" * 2000}, 422),
    ],
)
def test_text_nested_too_deep_is_no_server_error(client, world, path, body, status):
    if path == "/v1/needs/draft":
        body = {**body, "company_id": world.company_a}
    response = draft(client, world, path, body)
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 422:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["invalid_params"][0]["name"] == "europass"
