"""Shortlists, company feedback, consents, a person's status and the freshness of profiles."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from service import storage_shortlists as lists
from service.storage import JobseekerRow, table_counts, utcnow

NEW_TABLES = (
    "shortlist_entries",
    "share_consents",
    "feedback",
    "contacts",
    "status_changes",
    "profile_confirmations",
)

# What a company's "hired" means for each kind of need: the outcome, and the person's status.
HIRE = {
    "vacancy": ("hired", "employed"),
    "apprenticeship": ("apprenticeship_started", "in_apprenticeship"),
    "recruitment_training": ("training_started", "in_training"),
}


def ranked(client, world, need_id=None, limit=10) -> list[str]:
    response = client.get(
        f"/v1/needs/{need_id or world.need_a}/candidates?limit={limit}",
        headers=world.headers(world.recruiter),
    )
    assert response.status_code == 200, response.get_json()
    return [item["candidate"]["id"] for item in response.get_json()["items"]]


def build(client, world, people, need_id=None):
    entries = [{"jobseeker_id": p, "note": f"Fits, see point {n}"} for n, p in enumerate(people)]
    return client.post(
        f"/v1/needs/{need_id or world.need_a}/shortlists",
        json={"entries": entries},
        headers=world.headers(world.recruiter),
    )


def sent_shortlist(client, world, people) -> dict:
    created = build(client, world, people)
    assert created.status_code == 201, created.get_json()
    shortlist_id = created.get_json()["id"]
    staff = world.headers(world.recruiter)
    signed = client.post(
        f"/v1/shortlists/{shortlist_id}/sign", json={"signed_by": "Maija R."}, headers=staff
    )
    assert signed.status_code == 200, signed.get_json()
    sent = client.post(f"/v1/shortlists/{shortlist_id}/send", headers=staff)
    assert sent.status_code == 200, sent.get_json()
    return sent.get_json()


def test_a_company_reads_only_the_shortlist_sent_to_it_in_the_chosen_order(client, world):
    top = ranked(client, world)
    chosen = [top[4], top[0], top[7]]
    created = build(client, world, chosen).get_json()
    assert created["status"] == "draft" and created["signed_by"] is None
    url = f"/v1/shortlists/{created['id']}"
    company = world.headers(world.token_a)
    assert client.get(url, headers=company).status_code == 404  # a draft is not sent
    shortlist = sent_shortlist_from(client, world, created["id"])
    assert [e["person"]["id"] for e in shortlist["entries"]] == chosen
    assert shortlist["signed_by"]["label"] == "Maija R." and shortlist["signed_at"]
    seen = client.get(url, headers=company).get_json()
    assert [e["position"] for e in seen["entries"]] == [1, 2, 3]
    for entry in seen["entries"]:
        person = entry["person"]
        assert person["id"] is None and person["name"] is None and person["email"] is None
        assert person["ref"] and entry["note"].startswith("Fits, see point")
        assert all(m["evidence"] is None for m in entry["explanation"]["matched_skills"])
        assert 0 <= entry["score"] <= 1 and entry["explanation"]["features"]
    body = client.get(url, headers=company).get_data(as_text=True)
    assert not any(person in body for person in chosen)
    listed = client.get("/v1/shortlists", headers=company).get_json()["items"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert client.get(url, headers=world.headers(world.token_b)).status_code == 404
    assert client.get("/v1/shortlists", headers=world.headers(world.token_b)).get_json() == {
        "items": []
    }


def sent_shortlist_from(client, world, shortlist_id) -> dict:
    staff = world.headers(world.recruiter)
    client.post(
        f"/v1/shortlists/{shortlist_id}/sign", json={"signed_by": "Maija R."}, headers=staff
    )
    return client.post(f"/v1/shortlists/{shortlist_id}/send", headers=staff).get_json()


@pytest.mark.parametrize("path", ["/v1/needs/{need}/candidates", "/v1/match"])
def test_a_company_never_reads_a_full_ranking(client, world, path):
    company = world.headers(world.token_a)
    if "match" in path:
        need = {
            "kind": "vacancy",
            "title": "Kokki",
            "required_skills": ["ruoanvalmistus"],
            "municipality": "Vaasa",
        }
        response = client.post(path, json={"need": need}, headers=company)
    else:
        response = client.get(path.format(need=world.need_a), headers=company)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_the_signed_scores_and_explanations_stay_as_they_were(client, world):
    person = ranked(client, world)[0]
    shortlist = sent_shortlist(client, world, [person])
    kept = shortlist["entries"][0]
    staff = world.headers(world.recruiter)
    changed = client.patch(
        f"/v1/jobseekers/{person}", json={"skills": ["kirjanpito"]}, headers=staff
    )
    assert changed.status_code == 200
    again = client.get(f"/v1/shortlists/{shortlist['id']}", headers=staff).get_json()
    assert again["entries"][0]["score"] == kept["score"]
    assert again["entries"][0]["explanation"] == kept["explanation"]
    need, _ = world.store.need(world.need_a)
    services = world.app.extensions["kohtaanto"]
    now = services.scorer.match(need, world.store.jobseeker(person)[0], "en")
    assert now.score != pytest.approx(kept["score"])


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_kept_explanation_names_its_skills_in_the_readers_language(client, world, language):
    staff = world.headers(world.recruiter)
    url = f"/v1/needs/{world.need_a}/candidates?limit=5&language={language}"
    listed = {i["candidate"]["id"]: i for i in client.get(url, headers=staff).get_json()["items"]}
    person = next(p for p, item in listed.items() if item["explanation"]["matched_skills"])
    shortlist = sent_shortlist(client, world, [person])
    read = client.get(f"/v1/shortlists/{shortlist['id']}?language={language}", headers=staff)
    kept = read.get_json()["entries"][0]["explanation"]
    assert "concept_ids" not in kept
    concepts = [m["concept"] for m in kept["matched_skills"]]
    assert concepts == [m["concept"] for m in listed[person]["explanation"]["matched_skills"]]


def test_names_and_contacts_appear_only_after_consent(client, world):
    person = ranked(client, world)[0]
    shortlist = sent_shortlist(client, world, [person])
    url, company = f"/v1/shortlists/{shortlist['id']}", world.headers(world.token_a)
    consent = f"/v1/jobseekers/{person}/consents/{world.company_a}"
    staff = world.headers(world.recruiter)
    stored = world.store.jobseeker(person)[0]
    assert client.put(consent, headers=staff).get_json()["consented"] is True
    shown = client.get(url, headers=company).get_json()["entries"][0]["person"]
    assert shown["name"] == (stored.name or None) and shown["consented"] is True
    assert shown["email"] == (stored.email or None) and shown["id"] is None
    assert client.delete(consent, headers=staff).status_code == 200
    hidden = client.get(url, headers=company).get_json()["entries"][0]["person"]
    assert hidden["name"] is None and hidden["email"] is None and hidden["ref"] == shown["ref"]


def test_a_signed_shortlist_no_longer_changes_and_only_a_signed_one_is_sent(client, world):
    top = ranked(client, world)
    staff = world.headers(world.recruiter)
    created = build(client, world, top[:2]).get_json()
    url = f"/v1/shortlists/{created['id']}"
    early = client.post(f"{url}/send", headers=staff)
    assert early.status_code == 409
    edit = {"entries": [{"jobseeker_id": top[3], "note": "Better fit"}]}
    edited = client.put(url, json=edit, headers=staff).get_json()
    assert [e["person"]["id"] for e in edited["entries"]] == [top[3]]
    client.post(f"{url}/sign", json={"signed_by": "Maija R."}, headers=staff)
    assert client.put(url, json=edit, headers=staff).status_code == 409
    twice = {"entries": [{"jobseeker_id": top[0]}, {"jobseeker_id": top[0]}]}
    refused = build(client, world, [])
    assert refused.status_code == 422
    response = client.post(f"/v1/needs/{world.need_a}/shortlists", json=twice, headers=staff)
    assert response.status_code == 422 and "entries" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "not_selected", "reason": "other"}, "text"),
        ({"decision": "not_selected", "reason": "other", "text": "Too old for the team"}, "text"),
        ({"decision": "not_selected", "reason": "skills", "text": "Liian nuori"}, "text"),
        ({"decision": "not_selected", "reason": "skills", "text": "Hon är gravid"}, "text"),
        ({"decision": "not_selected", "reason": "gender"}, "reason"),
        ({"decision": "maybe", "reason": "skills"}, "decision"),
    ],
)
def test_feedback_gives_a_job_relevant_reason(client, world, body, field):
    shortlist = sent_shortlist(client, world, ranked(client, world)[:1])
    url = f"/v1/shortlists/{shortlist['id']}/entries/1/feedback"
    response = client.post(url, json=body, headers=world.headers(world.token_a))
    assert response.status_code == 422
    assert [p["name"] for p in response.get_json()["invalid_params"]] == [field]
    assert table_counts(world.store, ["feedback", "outcomes"]) == {"feedback": 0, "outcomes": 0}


def test_feedback_becomes_an_outcome_and_a_hire_takes_the_person_out_of_new_lists(client, world):
    top = ranked(client, world)
    shortlist = sent_shortlist(client, world, top[:3])
    company = world.headers(world.token_a)
    url = f"/v1/shortlists/{shortlist['id']}/entries/{{}}/feedback"
    hired = client.post(
        url.format(1), json={"decision": "hired", "reason": "experience"}, headers=company
    )
    outcome, status = HIRE[world.store.need(world.need_a)[0].kind]
    assert hired.status_code == 201 and hired.get_json()["outcome"] == outcome
    other = {"decision": "not_selected", "reason": "other", "text": "Chose an internal move"}
    assert client.post(url.format(2), json=other, headers=company).status_code == 201
    interview = {"decision": "interview", "reason": "skills"}
    assert client.post(url.format(3), json=interview, headers=company).status_code == 201
    assert world.store.outcome_history() == [
        (world.need_a, top[0], outcome),
        (world.need_a, top[1], "rejected_by_company"),
        (world.need_a, top[2], "interviewed"),
    ]
    staff = world.headers(world.recruiter)
    history = client.get(f"/v1/jobseekers/{top[0]}/history", headers=staff).get_json()
    assert history["status"]["status"] == status
    ends = dt.date.fromisoformat(history["status"]["ends"])
    assert ends - dt.date.fromisoformat(history["status"]["starts"]) == dt.timedelta(days=180)
    assert [f["decision"] for f in history["feedback"]] == ["hired"]
    assert top[0] not in ranked(client, world, limit=50)
    review = client.get("/v1/feedback/review", headers=staff).get_json()["items"]
    assert [f["text"] for f in review] == ["Chose an internal move"]
    client.post(f"/v1/feedback/{review[0]['id']}/review", headers=staff)
    for unknown in (review[0]["id"] + 1, 2**70):
        assert client.post(f"/v1/feedback/{unknown}/review", headers=staff).status_code == 404
    assert client.get("/v1/feedback/review", headers=staff).get_json()["items"] == []
    again = build(client, world, [top[0]])
    assert again.status_code == 422
    assert again.get_json()["invalid_params"][0]["name"] == "entries[0].jobseeker_id"


def test_a_placement_lasts_the_configured_days(client, world):
    services = world.app.extensions["kohtaanto"]
    person = ranked(client, world)[0]
    services.placement_days = 0
    staff = world.headers(world.recruiter)
    url = f"/v1/needs/{world.need_a}/candidates/{person}/outcome"
    assert client.post(url, json={"outcome": "hired"}, headers=staff).status_code == 201
    assert lists.placed(world.store, utcnow().date()) == {}
    assert person in ranked(client, world)


def test_a_stale_profile_must_be_confirmed_before_it_goes_on_a_shortlist(client, world):
    person = ranked(client, world)[0]
    long_ago = utcnow() - dt.timedelta(days=91)
    with world.store.transaction() as session:
        session.execute(
            update(JobseekerRow).where(JobseekerRow.id == person).values(updated_at=long_ago)
        )
    staff = world.headers(world.recruiter)
    history = client.get(f"/v1/jobseekers/{person}/history", headers=staff).get_json()
    assert history["freshness"]["stale"] is True
    refused = build(client, world, [person])
    assert refused.status_code == 422
    assert refused.get_json()["invalid_params"][0]["name"] == "entries[0].jobseeker_id"
    confirmed = client.post(f"/v1/jobseekers/{person}/confirm", headers=staff).get_json()
    assert confirmed["stale"] is False
    assert build(client, world, [person]).status_code == 201


def test_contacts_are_logged_and_shortlisted_and_contacted_are_counted_apart(client, world):
    # The outcome report counts people on a service path only.
    top = [p for p in ranked(client, world, limit=20) if world.store.jobseeker(p)[0].service_path]
    sent_shortlist(client, world, top[:3])
    staff = world.headers(world.recruiter)
    contact = {"need_id": world.need_a, "channel": "phone", "result": "interested"}
    logged = client.post(f"/v1/jobseekers/{top[0]}/contacts", json=contact, headers=staff)
    assert logged.status_code == 201 and logged.get_json()["result"] == "interested"
    bad = client.post(
        f"/v1/jobseekers/{top[0]}/contacts", json={**contact, "need_id": "N-x"}, headers=staff
    )
    assert bad.status_code == 422
    report = client.get("/v1/reports/outcomes", headers=staff).get_json()
    kind = world.store.need(world.need_a)[0].kind
    rows = [r for r in report["by_path_and_kind"] if r["need_kind"] == kind]
    assert sum(r["shortlisted"] for r in rows) == 3
    assert sum(r["contacted"] for r in rows) == 1


def test_erasure_removes_every_row_about_the_person(client, world):
    person = ranked(client, world)[0]
    shortlist = sent_shortlist(client, world, [person])
    staff, admin = world.headers(world.recruiter), world.headers(world.admin)
    client.put(f"/v1/jobseekers/{person}/consents/{world.company_a}", headers=staff)
    client.post(
        f"/v1/jobseekers/{person}/contacts",
        json={"channel": "email", "result": "reached", "note": "Asked about start date"},
        headers=staff,
    )
    client.post(f"/v1/jobseekers/{person}/confirm", headers=staff)
    client.post(
        f"/v1/shortlists/{shortlist['id']}/entries/1/feedback",
        json={"decision": "hired", "reason": "skills"},
        headers=world.headers(world.token_a),
    )
    assert all(table_counts(world.store, NEW_TABLES).values())
    export = client.get(f"/v1/jobseekers/{person}/export", headers=staff).get_json()
    assert export["after_ranking"]["contacts"][0]["note"] == "Asked about start date"
    erased = client.delete(f"/v1/jobseekers/{person}", headers=admin)
    assert erased.status_code == 200
    assert erased.get_json()["removed"]["feedback"] == 1
    assert table_counts(world.store, NEW_TABLES) == dict.fromkeys(NEW_TABLES, 0)


def test_feedback_feeds_the_fairness_report(client, world):
    top = ranked(client, world)
    shortlist = sent_shortlist(client, world, top[:2])
    url = f"/v1/shortlists/{shortlist['id']}/entries/{{}}/feedback"
    company = world.headers(world.token_a)
    client.post(url.format(1), json={"decision": "hired", "reason": "skills"}, headers=company)
    client.post(
        url.format(2), json={"decision": "not_selected", "reason": "location"}, headers=company
    )
    staff = world.headers(world.recruiter)
    report = client.get("/v1/reports/fairness?min_people=1", headers=staff).get_json()
    rows = report["attributes"]["sex"]["overall"]["outcomes"]
    assert sum(r["rows"] for r in rows) == 2 and sum(r["selected"] for r in rows) == 1


@pytest.mark.parametrize("who", ["archived", "unknown"])
def test_only_active_known_people_go_on_a_shortlist(client, world, who):
    person = ranked(client, world)[0] if who == "archived" else "J-nobody"
    staff = world.headers(world.recruiter)
    if who == "archived":
        client.post(f"/v1/jobseekers/{person}/archive", headers=staff)
    refused = build(client, world, [ranked(client, world)[1], person])
    assert refused.status_code == 422
    assert refused.get_json()["invalid_params"][0]["name"] == "entries[1].jobseeker_id"
    assert table_counts(world.store, ["shortlists", "shortlist_entries"]) == {
        "shortlists": 0,
        "shortlist_entries": 0,
    }
