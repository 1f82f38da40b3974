"""From a ranked list to a placement over real HTTP: a recruiter shortlists three candidates
and sends them, the company sees those three (pseudonymised until consent) and answers, and
the answer reaches the person's history, the programme report and ``matcher train``'s data."""

from __future__ import annotations

import requests

from tests.e2e.test_http import NEED


def call(server, method: str, path: str, role: str = "recruiter", **kwargs):
    return requests.request(
        method, f"{server.url}{path}", headers=server.headers(role), timeout=60, **kwargs
    )


def test_a_shortlist_from_ranking_to_placement(server, second_company_token, monkeypatch):
    # The session's other tests may have sent the same need: a duplicate on purpose.
    just_like = "/v1/needs?allow_duplicate=true"
    need_id = call(server, "post", just_like, "company", json=NEED).json()["id"]
    company_id = call(server, "get", f"/v1/needs/{need_id}", "company").json()["company_id"]
    ranked = call(server, "get", f"/v1/needs/{need_id}/candidates?limit=10").json()["items"]
    everyone = [i["candidate"]["id"] for i in ranked]
    # The one to be hired: someone with no hire in the demo's history, so the report's count
    # of people hired must grow by exactly one.
    hired = next(
        p
        for p in everyone
        if not [
            o
            for o in call(server, "get", f"/v1/jobseekers/{p}/history").json()["outcomes"]
            if o["outcome"] == "hired"
        ]
    )
    chosen = [hired, *[p for p in everyone if p != hired][2:4]]  # any order, not the top three
    report_query = f"/v1/reports/programme?company_id={company_id}&need_kind=vacancy"
    # Those of the three already on a list sent for one of this company's vacancies (the
    # session's other tests send some) are counted once.
    kinds = {}

    def on_a_sent_vacancy_list(person: str) -> bool:
        for entry in call(server, "get", f"/v1/jobseekers/{person}/history").json()["shortlists"]:
            if entry["company_id"] == company_id and entry["status"] == "sent":
                if entry["need_id"] not in kinds:
                    need = call(server, "get", f"/v1/needs/{entry['need_id']}").json()
                    kinds[entry["need_id"]] = need["kind"]
                if kinds[entry["need_id"]] == "vacancy":
                    return True
        return False

    newly_shortlisted = sum(not on_a_sent_vacancy_list(p) for p in chosen)
    before = call(server, "get", report_query).json()["totals"]

    # The company reads no ranking at all.
    assert call(server, "get", f"/v1/needs/{need_id}/candidates", "company").status_code == 403

    entries = [{"jobseeker_id": p, "note": f"Strong on point {n}"} for n, p in enumerate(chosen)]
    created = call(server, "post", f"/v1/needs/{need_id}/shortlists", json={"entries": entries})
    assert created.status_code == 201, created.text
    shortlist_id = created.json()["id"]
    signed = call(
        server, "post", f"/v1/shortlists/{shortlist_id}/sign", json={"signed_by": "Maija"}
    )
    assert signed.status_code == 200 and signed.json()["signed_at"]
    assert call(server, "post", f"/v1/shortlists/{shortlist_id}/send").status_code == 200

    everything = call(server, "get", "/v1/shortlists", "company").json()["items"]
    assert shortlist_id in [s["id"] for s in everything]
    assert {s["company_id"] for s in everything} == {company_id}
    seen = call(server, "get", f"/v1/needs/{need_id}/shortlists", "company").json()["items"]
    assert [s["id"] for s in seen] == [shortlist_id]
    entries_seen = seen[0]["entries"]
    assert len(entries_seen) == 3
    assert all(e["person"]["id"] is None and e["person"]["name"] is None for e in entries_seen)
    body = call(server, "get", f"/v1/shortlists/{shortlist_id}", "company").text
    assert not [p for p in everyone if p in body]  # the three, and no one else, by pseudonym
    other = requests.get(
        f"{server.url}/v1/shortlists/{shortlist_id}",
        headers={"Authorization": f"Bearer {second_company_token}"},
        timeout=60,
    )
    assert other.status_code == 404

    # Consent reveals the name to this company.
    consent = call(server, "put", f"/v1/jobseekers/{hired}/consents/{company_id}")
    assert consent.status_code == 200
    revealed = call(server, "get", f"/v1/shortlists/{shortlist_id}", "company").json()["entries"]
    person = call(server, "get", f"/v1/jobseekers/{hired}").json()
    assert revealed[0]["person"]["name"] == (person.get("name") or None)
    assert revealed[0]["person"]["consented"] and not revealed[1]["person"]["consented"]

    feedback = call(
        server,
        "post",
        f"/v1/shortlists/{shortlist_id}/entries/1/feedback",
        "company",
        json={"decision": "hired", "reason": "experience"},
    )
    assert feedback.status_code == 201 and feedback.json()["outcome"] == "hired"
    refused = call(
        server,
        "post",
        f"/v1/shortlists/{shortlist_id}/entries/2/feedback",
        "company",
        json={"decision": "not_selected", "reason": "other", "text": "Too old for the team"},
    )
    assert refused.status_code == 422 and refused.json()["invalid_params"][0]["name"] == "text"

    history = call(server, "get", f"/v1/jobseekers/{hired}/history").json()
    assert history["status"]["status"] == "employed"
    assert (history["outcomes"][-1]["need_id"], history["outcomes"][-1]["outcome"]) == (
        need_id,
        "hired",
    )
    assert [f["reason"] for f in history["feedback"]] == ["experience"]

    after = call(server, "get", report_query).json()["totals"]
    assert after["counts"]["hired"] == before["counts"]["hired"] + 1
    assert after["counts"]["shortlisted"] == before["counts"]["shortlisted"] + newly_shortlisted

    # matcher train learns from the recorded outcomes: the hire is among its pairs.
    monkeypatch.setenv("DATABASE_URL", server.database_url)
    monkeypatch.setenv("SECRET_KEY", "e2e-secret")
    monkeypatch.setenv("KOHTAANTO_AS_OF", "2026-12-01")
    from matcher.learning import training_set
    from service.cli import _recorded

    outcomes, needs, people, scorer, _ = _recorded()
    data = training_set(outcomes, needs, people, scorer)
    pairs = set(zip(data.needs, data.jobseekers, strict=True))
    assert (need_id, hired) in pairs

    # The hired person heads no new list: not this need's, nor a new one just like it.
    again = call(server, "get", f"/v1/needs/{need_id}/candidates?limit=50").json()["items"]
    assert hired not in [i["candidate"]["id"] for i in again]
    fresh_need = call(server, "post", just_like, "company", json=NEED).json()["id"]
    fresh = call(server, "get", f"/v1/needs/{fresh_need}/candidates?limit=50").json()["items"]
    assert fresh and hired not in [i["candidate"]["id"] for i in fresh]
