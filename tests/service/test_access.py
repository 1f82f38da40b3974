"""Object-level access: every endpoint, called by a second company on the first one's data.

schemathesis finds no such bugs (it knows nothing of ownership), so this table covers every
route of the OpenAPI document; a test fails when a route is added without a row here.
"""

from __future__ import annotations

import json

import pytest

NEED = {
    "kind": "vacancy",
    "title": "Kokki",
    "required_skills": ["ruoanvalmistus"],
    "municipality": "Vaasa",
}

# (method, path, body): {need_a}/{company_a}/{person} are company A's need and company, a jobseeker.
PIN = {"action": "pin", "reason": "Strong fit"}
FEEDBACK = {"decision": "hired", "reason": "skills"}
ROUTES = [
    ("get", "/v1/companies/{company_a}", None, 404),
    ("patch", "/v1/companies/{company_a}", {"name": "Taken over"}, 404),
    ("post", "/v1/companies/{company_a}/archive", None, 403),
    ("post", "/v1/companies", {"name": "New Oy"}, 403),
    ("get", "/v1/needs/{need_a}", None, 404),
    ("patch", "/v1/needs/{need_a}", {"title": "Mine now"}, 404),
    ("post", "/v1/needs/{need_a}/close", None, 404),
    # A company reads shortlists sent to it, never a full ranking: not even its own need's.
    ("get", "/v1/needs/{need_a}/candidates", None, 403),
    ("post", "/v1/match", {"need": NEED}, 403),
    ("get", "/v1/needs/{need_a}/shortlists", None, 404),
    ("post", "/v1/needs/{need_a}/shortlists", {"entries": [{"jobseeker_id": "J"}]}, 403),
    ("get", "/v1/shortlists/{shortlist}", None, 404),
    ("put", "/v1/shortlists/{shortlist}", {"entries": [{"jobseeker_id": "J"}]}, 403),
    ("post", "/v1/shortlists/{shortlist}/sign", {"signed_by": "Me"}, 403),
    ("post", "/v1/shortlists/{shortlist}/send", None, 403),
    ("post", "/v1/shortlists/{shortlist}/entries/{position}/feedback", FEEDBACK, 404),
    ("get", "/v1/feedback/review", None, 403),
    ("post", "/v1/feedback/{feedback}/review", None, 403),
    ("put", "/v1/jobseekers/{person}/consents/{company_a}", None, 403),
    ("delete", "/v1/jobseekers/{person}/consents/{company_a}", None, 403),
    ("post", "/v1/jobseekers/{person}/contacts", {"channel": "phone", "result": "reached"}, 403),
    ("post", "/v1/jobseekers/{person}/confirm", None, 403),
    ("get", "/v1/jobseekers/{person}/history", None, 403),
    ("get", "/v1/reports/programme", None, 403),
    ("post", "/v1/needs/{need_a}/candidates/{person}/outcome", {"outcome": "hired"}, 403),
    ("get", "/v1/jobseekers", None, 403),
    ("post", "/v1/jobseekers", {"municipality": "Vaasa", "skills": ["x"]}, 403),
    ("post", "/v1/jobseekers:bulk", None, 403),
    ("get", "/v1/jobseekers/{person}", None, 403),
    ("patch", "/v1/jobseekers/{person}", {"headline": "x"}, 403),
    ("delete", "/v1/jobseekers/{person}", None, 403),
    ("post", "/v1/jobseekers/{person}/archive", None, 403),
    ("get", "/v1/jobseekers/{person}/export", None, 403),
    ("get", "/v1/jobseekers/{person}/needs", None, 403),
    ("get", "/v1/audit", None, 403),
    ("put", "/v1/needs/{need_a}/candidates/{person}/decision", PIN, 403),
    ("delete", "/v1/needs/{need_a}/candidates/{person}/decision", None, 403),
    ("put", "/v1/jobseekers/{person}/self-report", {"sex": "female"}, 403),
    ("get", "/v1/reports/fairness", None, 403),
    ("get", "/v1/reports/outcomes", None, 403),
    ("get", "/v1/model", None, 403),
    ("get", "/v1/admin/tokens", None, 403),
    ("post", "/v1/admin/tokens/{token}/revoke", None, 403),
    ("post", "/v1/needs/{need_a}/merge", {"duplicate_id": "N-x"}, 403),
    ("post", "/v1/jobseekers/{person}/merge", {"duplicate_id": "J-x"}, 403),
    ("post", "/v1/jobseekers/draft", {"text": "Aino Mäkinen, hitsaaja"}, 403),
    ("post", "/v1/needs/{need_a}/cohort", {}, 403),
    ("get", "/v1/needs/{need_a}/cohort", None, 403),
    ("delete", "/v1/needs/{need_a}/cohort", None, 403),
    ("get", "/v1/needs/{need_a}/proposals", None, 403),
    ("get", "/v1/needs/{need_a}/pathways", None, 403),
    ("get", "/v1/jobseekers/{person}/proposals", None, 403),
    ("get", "/v1/jobseekers/{person}/pathways", None, 403),
    ("get", "/v1/organisations", None, 403),
    ("post", "/v1/organisations", {"name": "Vamia", "kind": "education_provider"}, 403),
    ("get", "/v1/organisations/{org}", None, 403),
    ("get", "/v1/jobseekers/{person}/path", None, 403),
    ("post", "/v1/jobseekers/{person}/steps", {"service": "coaching"}, 403),
    ("post", "/v1/jobseekers/{person}/steps/{step}/end", None, 403),
    ("post", "/v1/handovers/{handover}/acknowledge", None, 403),
    ("get", "/v1/reports/continuity", None, 403),
]
# Routes a company may call, where it must see only its own data (checked below).
OWN_DATA_ROUTES = {
    ("get", "/v1/companies"),
    ("get", "/v1/needs"),
    ("post", "/v1/needs"),
    ("post", "/v1/needs:bulk"),
    ("get", "/v1/shortlists"),
    ("post", "/v1/needs/draft"),  # proposes a need for the caller's own company only
    ("post", "/v1/skills/suggest"),  # the shared skill vocabulary; no company's data
}
PUBLIC_ROUTES = {("get", "/healthz"), ("get", "/readyz"), ("get", "/metrics")}


def _url(template: str, world, person: str, shortlist: str = "") -> str:
    return template.format(
        need_a=world.need_a,
        company_a=world.company_a,
        person=person,
        token=world.store.principal(world.recruiter).token_id,
        shortlist=shortlist,
        position=1,
        feedback=1,
        org="O-1",
        step=1,
        handover=1,
    )


@pytest.fixture
def person(world):
    return world.store.active_jobseekers()[0].id


@pytest.fixture
def shortlist(client, world, person):
    """Company A's need's shortlist, sent to company A, with company A's feedback on it."""
    staff = world.headers(world.recruiter)
    created = client.post(
        f"/v1/needs/{world.need_a}/shortlists",
        json={"entries": [{"jobseeker_id": person}]},
        headers=staff,
    ).get_json()
    client.post(f"/v1/shortlists/{created['id']}/sign", json={"signed_by": "Me"}, headers=staff)
    client.post(f"/v1/shortlists/{created['id']}/send", headers=staff)
    feedback = {"decision": "interview", "reason": "other", "text": "Asks for a second round"}
    url = f"/v1/shortlists/{created['id']}/entries/1/feedback"
    assert client.post(url, json=feedback, headers=world.headers(world.token_a)).status_code == 201
    return created["id"]


@pytest.mark.parametrize(("method", "template", "body", "status"), ROUTES)
def test_second_company_cannot_reach_the_first_ones_data(
    client, world, person, shortlist, method, template, body, status
):
    before = client.get(
        f"/v1/needs/{world.need_a}", headers=world.headers(world.recruiter)
    ).get_json()
    response = getattr(client, method)(
        _url(template, world, person, shortlist), json=body, headers=world.headers(world.token_b)
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert (
        client.get(f"/v1/needs/{world.need_a}", headers=world.headers(world.recruiter)).get_json()
        == before
    )


def test_a_need_that_exists_and_one_that_does_not_look_the_same(client, world):
    other = client.get(f"/v1/needs/{world.need_a}", headers=world.headers(world.token_b))
    missing = client.get("/v1/needs/N-doesnotexist", headers=world.headers(world.token_b))
    assert other.status_code == missing.status_code == 404
    assert other.get_json() == missing.get_json()


def test_company_lists_contain_only_its_own_data(client, world):
    headers = world.headers(world.token_b)
    needs = client.get("/v1/needs?page_size=100", headers=headers).get_json()["items"]
    assert needs and {n["company_id"] for n in needs} == {world.company_b}
    filtered = client.get(f"/v1/needs?company_id={world.company_a}", headers=headers).get_json()[
        "items"
    ]
    assert {n["company_id"] for n in filtered} <= {world.company_b}
    companies = client.get("/v1/companies", headers=headers).get_json()["items"]
    assert [c["id"] for c in companies] == [world.company_b]


def test_company_cannot_create_needs_for_another_company(client, world):
    response = client.post(
        "/v1/needs",
        json={**NEED, "company_id": world.company_a},
        headers=world.headers(world.token_b),
    )
    assert response.status_code == 422
    bulk = client.post(
        "/v1/needs:bulk",
        data=json.dumps({**NEED, "company_id": world.company_a}),
        headers={**world.headers(world.token_b), "Content-Type": "application/x-ndjson"},
    )
    assert bulk.status_code == 422 and bulk.get_json()["errors"][0]["name"] == "company_id"


def test_every_route_is_covered(client, world):
    spec = client.get("/openapi.json").get_json()
    documented = {
        (m, p)
        for p, ops in spec["paths"].items()
        for m in ops
        if m in ("get", "post", "patch", "delete")
    }
    covered = {
        (
            m,
            t.replace("{need_a}", "{need_id}")
            .replace("{company_a}", "{company_id}")
            .replace("{person}", "{jobseeker_id}")
            .replace("{token}", "{token_id}")
            .replace("{shortlist}", "{shortlist_id}")
            .replace("{feedback}", "{feedback_id}")
            .replace("{org}", "{organisation_id}")
            .replace("{step}", "{step_id}")
            .replace("{handover}", "{handover_id}"),
        )
        for m, t, _, _ in ROUTES
    }
    assert documented - covered - OWN_DATA_ROUTES - PUBLIC_ROUTES == set()
