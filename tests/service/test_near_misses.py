"""Near-misses (``include_excluded``): listed best first by the score they would have with
their unmet requirements met, that score beside each, on a need's list and a person's."""

from __future__ import annotations

import pytest

NEED = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "required_skills": ["hitsaus"],
    "municipality": "Vaasa",
    "remote": True,
    "languages": [{"language": "sv", "level": "C2"}],
}


def _excluded(items: list[dict]) -> list[float]:
    return [i["score_with_remedy"] for i in items if i["excluded"]]


@pytest.mark.parametrize("route", ["stored", "ad-hoc"])
def test_a_needs_near_misses_come_best_first_with_the_score_they_would_have(
    client, world, route
):
    headers = world.headers(world.recruiter)
    if route == "stored":
        body = {**NEED, "company_id": world.company_a}
        need_id = client.post("/v1/needs", json=body, headers=headers).get_json()["id"]
        url = f"/v1/needs/{need_id}/candidates?include_excluded=true&limit=50"
        response = client.get(url, headers=headers)
    else:
        body = {"need": NEED, "include_excluded": True, "limit": 50}
        response = client.post("/v1/match", json=body, headers=headers)
    items = response.get_json()["items"]
    remedied = _excluded(items)
    assert len(remedied) >= 3 and remedied == sorted(remedied, reverse=True)
    assert remedied[0] > remedied[-1] > 0.0
    assert all(i["score_with_remedy"] is None for i in items if not i["excluded"])


def test_a_persons_near_misses_come_best_first_too(client, world):
    headers = world.headers(world.recruiter)
    lists = (
        client.get(
            f"/v1/jobseekers/{person.id}/needs?include_excluded=true&limit=50", headers=headers
        ).get_json()["items"]
        for person in world.store.active_jobseekers()
    )
    remedied = [r for r in map(_excluded, lists) if len(set(r)) >= 3]
    assert remedied and all(r == sorted(r, reverse=True) for r in remedied)
