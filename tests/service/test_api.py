"""The HTTP API through Flask's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from service.storage import table_counts

PROBLEM = "application/problem+json"

NEW_NEED = {
    "kind": "vacancy",
    "title": "Svetsare",
    "required_skills": ["svetsning", "truckkort"],
    "municipality": "Vasa",
    "languages": [{"language": "sv", "level": "B1"}],
}


def invalid_names(response) -> list[str]:
    assert response.mimetype == PROBLEM, response.get_data(as_text=True)
    return [p["name"] for p in response.get_json().get("invalid_params", [])]


def test_requests_without_a_valid_token_are_refused(client, world):
    response = client.get("/v1/needs")
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/v1/needs", headers=world.headers("kt_wrong")).status_code == 401


def test_company_creates_a_need_for_its_own_company(client, world):
    response = client.post("/v1/needs", json=NEW_NEED, headers=world.headers(world.token_a))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["company_id"] == world.company_a and body["status"] == "open"
    assert body["id"].startswith("N-")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company_id": "C999"}, "company_id"),
        ({"id": "N1"}, "id"),
        ({"created_at": "2026-01-01T00:00:00"}, "created_at"),
        ({"languages": [{"language": "sv", "level": "D7"}]}, "languages[0].level"),
        ({"languages": [{"language": "xx", "level": "B1"}]}, "languages[0].language"),
        ({"required_skills": []}, "required_skills"),
        ({"municipality": "Atlantis"}, "municipality"),
        ({"kind": "internship"}, "kind"),
        ({"start_date": "2027-02-01", "end_date": "2027-01-01"}, "end_date"),
    ],
)
def test_bad_need_is_rejected_naming_the_field(client, world, change, field):
    before = table_counts(world.store, ["needs"])
    response = client.post(
        "/v1/needs", json={**NEW_NEED, **change}, headers=world.headers(world.token_a)
    )
    assert response.status_code == 422
    assert field in invalid_names(response)
    assert table_counts(world.store, ["needs"]) == before


def test_recruiter_must_name_an_existing_company(client, world):
    headers = world.headers(world.recruiter)
    assert "company_id" in invalid_names(client.post("/v1/needs", json=NEW_NEED, headers=headers))
    missing = client.post("/v1/needs", json={**NEW_NEED, "company_id": "nope"}, headers=headers)
    assert "company_id" in invalid_names(missing)
    ok = client.post("/v1/needs", json={**NEW_NEED, "company_id": world.company_b}, headers=headers)
    assert ok.status_code == 201


def test_page_size_is_capped(client, world):
    response = client.get("/v1/needs?page_size=1000", headers=world.headers(world.recruiter))
    assert response.status_code == 422 and "page_size" in invalid_names(response)
    page = client.get(
        "/v1/jobseekers?page=2&page_size=25", headers=world.headers(world.recruiter)
    ).get_json()
    assert page["total"] == 60 and len(page["items"]) == 25 and page["page"] == 2


def test_oversized_body_gets_413(client, world):
    body = {**NEW_NEED, "description": "x" * (6 * 1024 * 1024)}
    response = client.post("/v1/needs", json=body, headers=world.headers(world.token_a))
    assert response.status_code == 413 and response.mimetype == PROBLEM


def test_malformed_json_is_a_problem(client, world):
    response = client.post(
        "/v1/needs", data="{", content_type="application/json", headers=world.headers(world.token_a)
    )
    assert response.status_code in (400, 422) and response.mimetype == PROBLEM


def test_list_filters(client, world):
    headers = world.headers(world.recruiter)
    kind = client.get(f"/v1/needs/{world.need_a}", headers=headers).get_json()["kind"]
    page = client.get(
        f"/v1/needs?company_id={world.company_a}&kind={kind}", headers=headers
    ).get_json()
    assert page["items"] and all(
        n["company_id"] == world.company_a and n["kind"] == kind for n in page["items"]
    )
    assert page["total"] < client.get("/v1/needs", headers=headers).get_json()["total"]


def test_recruiter_reads_explained_candidates_and_the_read_is_audited(client, world):
    response = client.get(
        f"/v1/needs/{world.need_a}/candidates?limit=5", headers=world.headers(world.recruiter)
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["source"] == "live" and 0 < len(body["items"]) <= 5
    first = body["items"][0]
    assert first["candidate"]["id"] and first["explanation"]["features"]
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    audit = client.get(
        "/v1/audit?action=candidates.read", headers=world.headers(world.admin)
    ).get_json()
    assert (
        audit["items"][0]["target"] == f"need:{world.need_a}"
        and audit["items"][0]["role"] == "recruiter"
    )


def test_company_reads_shortlists_not_its_candidate_lists(client, world):
    response = client.get(
        f"/v1/needs/{world.need_a}/candidates", headers=world.headers(world.token_a)
    )
    assert response.status_code == 403


def test_offset_pages_through_the_same_ranking(client, world):
    headers = world.headers(world.recruiter)
    whole = client.get(f"/v1/needs/{world.need_a}/candidates?limit=6", headers=headers).get_json()[
        "items"
    ]
    second = client.get(
        f"/v1/needs/{world.need_a}/candidates?limit=3&offset=3", headers=headers
    ).get_json()
    assert [i["candidate"]["id"] for i in second["items"]] == [
        i["candidate"]["id"] for i in whole[3:6]
    ]
    assert [i["rank"] for i in second["items"]] == [4, 5, 6]


def test_include_excluded_shows_reasons(client, world):
    strict = {**NEW_NEED, "languages": [{"language": "sv", "level": "C2"}]}
    need = client.post("/v1/needs", json=strict, headers=world.headers(world.token_a)).get_json()
    body = client.get(
        f"/v1/needs/{need['id']}/candidates?include_excluded=true&limit=200",
        headers=world.headers(world.recruiter),
    ).get_json()
    excluded = [i for i in body["items"] if i["excluded"]]
    assert excluded and all(i["explanation"]["unmet_requirements"] for i in excluded)
    assert all(i["rank"] is None and i["score"] == 0 for i in excluded)
    assert sum(not i["excluded"] for i in body["items"]) <= body["eligible"]


def test_reverse_matching_and_ad_hoc_match(client, world):
    headers = world.headers(world.recruiter)
    person = client.get("/v1/jobseekers?page_size=1", headers=headers).get_json()["items"][0]["id"]
    needs = client.get(f"/v1/jobseekers/{person}/needs?limit=3", headers=headers)
    assert needs.status_code == 200 and len(needs.get_json()["items"]) <= 3
    adhoc = client.post("/v1/match", json={"need": NEW_NEED, "limit": 4}, headers=headers)
    assert adhoc.status_code == 200 and adhoc.get_json()["need_id"] is None
    bad = client.post(
        "/v1/match", json={"need": {**NEW_NEED, "municipality": "Atlantis"}}, headers=headers
    )
    assert "need.municipality" in invalid_names(bad)


def test_outcome_is_recorded(client, world):
    headers = world.headers(world.recruiter)
    person = client.get(f"/v1/needs/{world.need_a}/candidates?limit=1", headers=headers).get_json()
    person_id = person["items"][0]["candidate"]["id"]
    url = f"/v1/needs/{world.need_a}/candidates/{person_id}/outcome"
    response = client.post(url, json={"outcome": "interviewed", "note": "good"}, headers=headers)
    assert response.status_code == 201 and response.get_json()["outcome"] == "interviewed"
    assert "outcome" in invalid_names(
        client.post(url, json={"outcome": "married"}, headers=headers)
    )
    assert table_counts(world.store, ["outcomes"])["outcomes"] == 1


def test_erasure_removes_the_person_and_derived_rows(client, world):
    recruiter, admin = world.headers(world.recruiter), world.headers(world.admin)
    person_id = client.get("/v1/jobseekers?page_size=1", headers=recruiter).get_json()["items"][0][
        "id"
    ]
    client.post(
        f"/v1/needs/{world.need_a}/candidates/{person_id}/outcome",
        json={"outcome": "hired"},
        headers=recruiter,
    )
    export = client.get(f"/v1/jobseekers/{person_id}/export", headers=recruiter).get_json()
    assert export["jobseeker"]["id"] == person_id and len(export["outcomes"]) == 1
    assert client.delete(f"/v1/jobseekers/{person_id}", headers=recruiter).status_code == 403
    response = client.delete(f"/v1/jobseekers/{person_id}", headers=admin)
    assert response.status_code == 200 and response.get_json()["removed"]["outcomes"] == 1
    assert client.get(f"/v1/jobseekers/{person_id}", headers=recruiter).status_code == 404
    counts = table_counts(world.store, ["outcomes", "outcome_tallies"])
    assert counts == {"outcomes": 0, "outcome_tallies": 1}
    audit = client.get("/v1/audit?page_size=100", headers=admin).get_json()
    assert person_id not in str(audit)


def test_sentence_embeddings_are_stored_once_per_text_and_erased_with_the_person(client, world):
    from sqlalchemy import select

    from service.storage import PersonVectorRow

    recruiter, admin = world.headers(world.recruiter), world.headers(world.admin)
    assert client.get(f"/v1/needs/{world.need_a}/candidates", headers=recruiter).status_code == 200
    with world.store.transaction() as session:
        stored = dict(
            session.execute(select(PersonVectorRow.jobseeker_id, PersonVectorRow.digest)).all()
        )
    assert len(stored) == table_counts(world.store, ["jobseekers"])["jobseekers"]
    person_id = sorted(stored)[0]
    changed = client.patch(
        f"/v1/jobseekers/{person_id}", json={"headline": "Leipuri"}, headers=recruiter
    )
    assert changed.status_code == 200
    client.get(f"/v1/needs/{world.need_a}/candidates", headers=recruiter)
    with world.store.transaction() as session:
        rows = session.execute(
            select(PersonVectorRow.digest).where(PersonVectorRow.jobseeker_id == person_id)
        ).all()
    # One row per person: the new text's vector replaced the old one.
    assert len(rows) == 1 and rows[0][0] != stored[person_id]
    response = client.delete(f"/v1/jobseekers/{person_id}", headers=admin)
    assert response.status_code == 200 and response.get_json()["removed"]["person_vectors"] == 1
    with world.store.transaction() as session:
        left = session.scalars(select(PersonVectorRow.jobseeker_id)).all()
    assert person_id not in left and len(left) == len(stored) - 1


def test_bulk_is_all_or_nothing_by_default(client, world):
    headers = {**world.headers(world.token_a), "Content-Type": "application/x-ndjson"}
    import json

    rows = [
        NEW_NEED,
        {**NEW_NEED, "languages": [{"language": "sv", "level": "D7"}]},
        "not json",
        NEW_NEED,
    ]
    body = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows)
    before = table_counts(world.store, ["needs"])
    response = client.post("/v1/needs:bulk", data=body, headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["line"], e["name"]) for e in errors] == [(2, "languages[0].level"), (3, "body")]
    assert table_counts(world.store, ["needs"]) == before
    partial = client.post("/v1/needs:bulk?partial=true", data=body, headers=headers)
    assert partial.status_code == 201 and partial.get_json()["created"] == 2
    assert table_counts(world.store, ["needs"])["needs"] == before["needs"] + 2


def test_health_readiness_metrics_and_openapi(client, world):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}
    client.get(f"/v1/needs/{world.need_a}/candidates", headers=world.headers(world.recruiter))
    metrics = client.get("/metrics").get_data(as_text=True)
    assert (
        "kohtaanto_http_requests_total" in metrics and "kohtaanto_matches_served_total" in metrics
    )
    spec = client.get("/openapi.json").get_json()
    assert "/v1/needs/{need_id}/candidates" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_a_jobseekers_needs_follow_the_needs_as_they_change(client, world):
    staff, company = world.headers(world.recruiter), world.headers(world.token_a)
    listed = client.get(f"/v1/needs/{world.need_a}/candidates?limit=1", headers=staff).get_json()
    person = listed["items"][0]["candidate"]["id"]
    url = f"/v1/jobseekers/{person}/needs?limit=200"

    def scores() -> dict[str, float]:
        items = client.get(url, headers=staff).get_json()["items"]
        return {i["need_id"]: i["score"] for i in items}

    assert world.need_a in scores()
    original = client.get(f"/v1/needs/{world.need_a}", headers=staff).get_json()
    fields = {"id", "company_id", "status", "created_at", "updated_at"}
    twin = client.post(
        "/v1/needs?allow_duplicate=true",
        json={k: v for k, v in original.items() if k not in fields},
        headers=company,
    ).get_json()["id"]
    now = scores()
    assert now[twin] == now[world.need_a]
    assert client.post(f"/v1/needs/{twin}/close", headers=company).status_code == 200
    assert twin not in scores()


def test_pages_of_a_jobseekers_needs_follow_each_other(client, world):
    headers = world.headers(world.recruiter)
    listed = client.get(f"/v1/needs/{world.need_a}/candidates?limit=1", headers=headers)
    url = f"/v1/jobseekers/{listed.get_json()['items'][0]['candidate']['id']}/needs"
    whole = client.get(f"{url}?limit=3", headers=headers).get_json()["items"]
    rest = client.get(f"{url}?limit=2&offset=1", headers=headers).get_json()["items"]
    assert [i["rank"] for i in whole] == [1, 2, 3]
    assert [(i["need_id"], i["rank"]) for i in rest] == [
        (i["need_id"], i["rank"]) for i in whole[1:]
    ]
