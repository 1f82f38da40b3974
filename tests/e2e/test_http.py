"""End to end over real HTTP against the gunicorn-served app on the embedded database."""

from __future__ import annotations

import requests
from sqlalchemy import create_engine, inspect, text

NEED = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "description": "MIG-hitsausta konepajassa, kaksivuorotyö.",
    "required_skills": ["MIG-hitsaus", "piirustusten lukeminen"],
    "preferred_skills": ["trukkikortti"],
    "languages": [{"language": "fi", "level": "B1"}],
    "municipality": "Vaasa",
    "start_date": "2027-01-15",
}


def all_text(database_url: str) -> str:
    """Every row of every table, as one string (to search for a trace of a person)."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        dump = [
            str(row)
            for table in tables
            for row in connection.execute(text(f'SELECT * FROM "{table}"'))
        ]
    engine.dispose()
    return "\n".join(dump)


def test_company_need_recruiter_candidates_outcome_and_erasure(server):
    company_a = server.tokens["company"]
    company_id = requests.get(
        f"{server.url}/v1/companies", headers=server.headers("company")
    ).json()["items"][0]["id"]
    other = [
        c
        for c in requests.get(
            f"{server.url}/v1/companies?page_size=100", headers=server.headers("recruiter")
        ).json()["items"]
        if c["id"] != company_id
    ][0]
    company_b = server.cli("token", "create", "--role", "company", "--company", other["id"])
    assert company_a != company_b

    # The session's server may hold a need like it from another test: a duplicate on purpose.
    created = requests.post(
        f"{server.url}/v1/needs?allow_duplicate=true", json=NEED, headers=server.headers("company")
    )
    assert created.status_code == 201, created.text
    need_id = created.json()["id"]

    candidates = requests.get(
        f"{server.url}/v1/needs/{need_id}/candidates?limit=10", headers=server.headers("recruiter")
    )
    assert candidates.status_code == 200
    items = candidates.json()["items"]
    assert items and items[0]["explanation"]["matched_skills"]
    top = items[0]["candidate"]["id"]

    denied = requests.get(
        f"{server.url}/v1/needs/{need_id}/candidates",
        headers={"Authorization": f"Bearer {company_b}"},
    )
    # No company reads a ranking, its own need's or another's: it reads the shortlists sent.
    assert (
        denied.status_code == 403 and denied.headers["Content-Type"] == "application/problem+json"
    )

    outcome = requests.post(
        f"{server.url}/v1/needs/{need_id}/candidates/{top}/outcome",
        json={"outcome": "interviewed"},
        headers=server.headers("recruiter"),
    )
    assert outcome.status_code == 201

    assert top in all_text(server.database_url)
    held = requests.get(f"{server.url}/v1/jobseekers/{top}/export", headers=server.headers("admin"))
    recorded = len(held.json()["outcomes"])  # the demo's history may hold earlier ones
    assert recorded >= 1
    erased = requests.delete(f"{server.url}/v1/jobseekers/{top}", headers=server.headers("admin"))
    assert erased.status_code == 200 and erased.json()["removed"]["outcomes"] == recorded
    assert top not in all_text(server.database_url)
    gone = requests.get(f"{server.url}/v1/jobseekers/{top}", headers=server.headers("recruiter"))
    assert gone.status_code == 404

    audit = requests.get(
        f"{server.url}/v1/audit?page_size=100", headers=server.headers("admin")
    ).json()["items"]
    assert {"candidates.read", "outcome.record", "jobseeker.erase"} <= {
        entry["action"] for entry in audit
    }


def test_served_openapi_docs_and_metrics(server):
    spec = requests.get(f"{server.url}/openapi.json").json()
    assert spec["info"]["title"] == "Kohtaanto" and "/v1/match" in spec["paths"]
    assert requests.get(f"{server.url}/docs").status_code == 200
    requests.get(f"{server.url}/healthz")
    metrics = requests.get(f"{server.url}/metrics").text
    assert 'kohtaanto_http_requests_total{endpoint="/healthz"' in metrics


def test_bad_input_over_http_is_problem_json(server):
    response = requests.post(
        f"{server.url}/v1/needs",
        json={**NEED, "languages": [{"language": "sv", "level": "D7"}]},
        headers=server.headers("company"),
    )
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0]["name"] == "languages[0].level"
    too_big = requests.post(
        f"{server.url}/v1/needs",
        data=b"x" * (6 * 1024 * 1024),
        headers={**server.headers("company"), "Content-Type": "application/json"},
    )
    assert too_big.status_code == 413


def test_errors_the_server_answers_itself_are_problem_json(server):
    """gunicorn refuses a request line over its limit before the app sees it (414)."""
    response = requests.get(f"{server.url}/v1/needs?q={'a' * 10_000}", timeout=30)
    assert response.status_code == 414
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 414


def test_405_is_problem_json_with_allow(server):
    response = requests.put(f"{server.url}/v1/needs", headers=server.headers("admin"), timeout=30)
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/problem+json"
    assert {"GET", "POST"} <= set(response.headers["Allow"].split(", "))
