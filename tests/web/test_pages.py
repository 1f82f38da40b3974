"""The web pages through Flask's test client: signing in, CSRF, company isolation, the need
form, candidate lists and what is recorded from them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from service.batch import run_batch
from service.config import load_config
from service.storage import Principal, TokenRow, WebSessionRow, hash_token, utcnow
from service.web.auth import local_path
from service.web.i18n import LANGUAGE_COOKIE

NEED_FORM = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "description": "MIG-hitsausta konepajassa.",
    "municipality": "Vaasa",
    "positions": "2",
    "required_skills": "MIG-hitsaus\npiirustusten lukeminen",
    "preferred_skills": "trukkikortti",
    "language_rows": "3",
    "languages-0-language": "fi",
    "languages-0-level": "B1",
    "languages-0-required": "on",
    "start_date": "2027-01-15",
}


def audit_actions(world, action: str) -> list[dict]:
    return [e for e in world.store.audit_log(page=1, page_size=100).items if e["action"] == action]


def field_error(html: str, field_id: str) -> str:
    """The text of the error list shown with a field."""
    match = re.search(
        rf'<ul class="field-errors" id="{re.escape(field_id)}-error">(.*?)</ul>', html, re.S
    )
    assert match, f"no error shown for {field_id}"
    return re.sub(r"<[^>]+>|\s+", " ", match[1]).strip()


# -- signing in ----------------------------------------------------------------------------------


def test_a_page_asks_to_sign_in_first(pages):
    response = pages.get("/needs?kind=vacancy")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/needs?kind%3Dvacancy"


def test_signing_in_with_a_token_starts_a_session_and_signing_out_ends_it(pages, world):
    response = pages.sign_in(world.recruiter)
    assert response.status_code == 302 and response.headers["Location"] == "/needs"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert world.recruiter not in cookie
    assert pages.get("/needs").status_code == 200
    assert pages.post("/sign-out", {}, from_page="/needs").status_code == 302
    assert pages.get("/needs").status_code == 302


def test_the_session_cookie_is_secure_over_https(world):
    client = world.app.test_client()
    page = client.get("/sign-in", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    response = client.post(
        "/sign-in",
        data={"token": world.recruiter, "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/sign-in"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_an_unknown_token_is_refused(pages):
    response = pages.sign_in("kt_not-a-token")
    assert response.status_code == 401
    assert "The token is unknown or no longer valid." in response.get_data(as_text=True)
    assert pages.get("/needs").status_code == 302


def test_a_revoked_token_ends_its_session_at_once(recruiter, world):
    assert recruiter.get("/needs").status_code == 200
    with world.store.transaction() as session:
        session.execute(update(TokenRow).values(revoked_at=utcnow()))
    assert recruiter.get("/needs").status_code == 302


def copy_of_cookie(world, browser):
    """A second browser holding a copy of ``browser``'s session cookie."""
    thief = world.app.test_client()
    thief.set_cookie("session", browser.client.get_cookie("session").value)
    return thief


def test_a_copied_session_cookie_stops_working_at_sign_out(recruiter, world):
    thief = copy_of_cookie(world, recruiter)
    assert thief.get("/needs").status_code == 200
    recruiter.post("/sign-out", {}, from_page="/needs")
    response = thief.get("/needs")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signing_in_again_ends_the_session_it_replaces(recruiter, world):
    thief = copy_of_cookie(world, recruiter)
    assert recruiter.sign_in(world.recruiter).status_code == 302
    assert recruiter.get("/needs").status_code == 200
    assert thief.get("/needs").status_code == 302


def test_the_cookie_holds_a_session_id_stored_only_hashed(recruiter, world):
    with world.store.transaction() as session:
        (row,) = session.scalars(select(WebSessionRow)).all()
    cookie = recruiter.client.get_cookie("session").value
    session_id = world.app.session_interface.get_signing_serializer(world.app).loads(cookie)
    assert row.id == hash_token(session_id["web_session"]) != session_id["web_session"]
    assert row.ended_at is None


def test_revoking_a_token_ends_its_sessions(recruiter, world):
    thief = copy_of_cookie(world, recruiter)
    token_id = world.store.principal(world.recruiter).token_id
    world.store.revoke_token(token_id, Principal(None, "admin"))
    assert recruiter.get("/needs").status_code == 302
    assert thief.get("/needs").status_code == 302
    with world.store.transaction() as session:
        assert all(row.ended_at for row in session.scalars(select(WebSessionRow)))


@pytest.mark.parametrize(("hours_ago", "status"), [(11, 200), (13, 302)])
def test_a_session_ends_twelve_hours_after_signing_in(recruiter, world, hours_ago, status):
    started = utcnow() - dt.timedelta(hours=hours_ago)
    with world.store.transaction() as session:
        session.execute(update(WebSessionRow).values(created_at=started))
    assert recruiter.get("/needs").status_code == status


def test_signing_in_forgets_expired_sessions(recruiter, world):
    with world.store.transaction() as session:
        session.execute(update(WebSessionRow).values(created_at=utcnow() - dt.timedelta(hours=13)))
    recruiter.sign_in(world.admin)
    with world.store.transaction() as session:
        assert len(session.scalars(select(WebSessionRow)).all()) == 1


def test_the_session_length_is_configured_in_hours():
    base = {"DATABASE_URL": "sqlite:///x", "SECRET_KEY": "x"}
    config = load_config(environ={"KOHTAANTO_WEB_SESSION_HOURS": "1.5"}, overrides=base)
    assert config["WEB_SESSION_HOURS"] == 1.5
    with pytest.raises(ValueError, match="WEB_SESSION_HOURS"):
        load_config({**base, "WEB_SESSION_HOURS": 0})


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/needs?kind=vacancy", "/needs?kind=vacancy"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        ("/needs\r\nX-Injected: 1", "/"),
        ("/needs/N001\n/edit?", "/"),
        ("/needs\x00", "/"),
    ],
)
def test_only_local_paths_are_followed_after_signing_in(target, expected):
    assert local_path(target) == expected


def test_a_line_break_in_next_is_no_server_error(pages, world):
    token = pages.csrf_token()
    form = {"csrf_token": token, "token": world.recruiter, "next": "/needs\r\nX: y"}
    response = pages.client.post("/sign-in", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/needs"


def test_sign_in_does_not_redirect_off_site(pages, world):
    response = pages.post(
        "/sign-in", {"token": world.recruiter, "next": "https://evil.example/"}, "/sign-in"
    )
    assert response.headers["Location"] == "/needs"


# -- CSRF --------------------------------------------------------------------------------------


def test_a_form_posted_without_its_csrf_token_is_refused(recruiter, world):
    before = world.store.needs(page=1, page_size=1).total
    response = recruiter.client.post("/needs/new", data=NEED_FORM)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "The form could not be accepted" in response.get_data(as_text=True)
    assert world.store.needs(page=1, page_size=1).total == before


def test_signing_in_needs_the_csrf_token_too(pages, world):
    response = pages.client.post("/sign-in", data={"token": world.recruiter})
    assert response.status_code == 400


def test_the_json_api_takes_bearer_tokens_without_csrf(recruiter, world):
    # The same client holds a session cookie; the API still answers on the bearer token alone.
    response = recruiter.client.post(
        "/v1/needs",
        json={
            "kind": "vacancy",
            "title": "Kokki",
            "required_skills": ["ruoanvalmistus"],
            "municipality": "Vaasa",
        },
        headers=world.headers(world.token_a),
    )
    assert response.status_code == 201


def test_the_api_does_not_take_the_session_instead_of_a_token(recruiter):
    assert recruiter.client.get("/v1/needs").status_code == 401


# -- company isolation -------------------------------------------------------------------------


def test_a_company_lists_only_its_own_needs(company_b, world):
    html = company_b.text(f"/needs?status=any&company_id={world.company_a}")
    assert f"/needs/{world.need_b}" in html
    assert f"/needs/{world.need_a}" not in html


CSRF_TOKEN = re.compile(
    r'(?<=name="csrf-token" content=")[^"]*|(?<=name="csrf_token" value=")[^"]*'
)


@pytest.mark.parametrize(
    "path", ["/needs/{need}", "/needs/{need}/edit", "/needs/{need}?since_run=1"]
)
def test_a_company_cannot_reach_another_companys_need(company_b, world, path):
    other = company_b.get(path.format(need=world.need_a))
    missing = company_b.get(path.format(need="N-doesnotexist"))
    assert other.status_code == missing.status_code == 404
    # The same page, but for the address asked for (which the language switch returns to) and
    # the CSRF token, which is signed with the second it was made in.
    def page(response, need: str) -> str:
        return CSRF_TOKEN.sub("", response.get_data(as_text=True).replace(need, "N"))

    assert page(other, world.need_a) == page(missing, "N-doesnotexist")
    assert "Page not found" in other.get_data(as_text=True)


def test_a_company_cannot_change_another_companys_need(company_b, world):
    before = world.store.need(world.need_a)
    response = company_b.post(
        f"/needs/{world.need_a}/edit", {**NEED_FORM, "title": "Mine now"}, from_page="/needs"
    )
    assert response.status_code == 404
    assert world.store.need(world.need_a) == before


@pytest.mark.parametrize("path", ["/jobseekers", "/reports", "/jobseekers/{person}"])
def test_a_company_cannot_open_staff_pages(company_a, world, path):
    person = world.store.active_jobseekers()[0].id
    assert company_a.get(path.format(person=person)).status_code == 403


def test_a_company_sees_only_the_shortlists_sent_to_it_pseudonymised_and_cannot_record(
    company_a, world
):
    people = world.store.active_jobseekers()
    assert "Candidate " not in company_a.text(f"/needs/{world.need_a}")  # no ranking
    client, staff = world.app.test_client(), world.headers(world.recruiter)
    entries = [{"jobseeker_id": p.id} for p in people[:2]]
    url = f"/v1/needs/{world.need_a}/shortlists"
    shortlist = client.post(url, json={"entries": entries}, headers=staff).get_json()["id"]
    client.post(f"/v1/shortlists/{shortlist}/sign", json={"signed_by": "Maija"}, headers=staff)
    client.post(f"/v1/shortlists/{shortlist}/send", headers=staff)
    html = company_a.text(f"/needs/{world.need_a}")
    assert html.count("Candidate ") == 2 and "signed off by Maija" in html
    assert not any(f"/jobseekers/{p.id}" in html or p.name in html for p in people if p.name)
    assert "/outcome" not in html and "/decision" not in html
    person = people[0].id
    response = company_a.post(
        f"/needs/{world.need_a}/candidates/{person}/outcome", {"outcome": "hired"}, "/needs"
    )
    assert response.status_code == 403


def test_a_company_answers_about_a_person_on_its_shortlist(company_a, world):
    people = world.store.active_jobseekers()
    client, staff = world.app.test_client(), world.headers(world.recruiter)
    url = f"/v1/needs/{world.need_a}/shortlists"
    body = {"entries": [{"jobseeker_id": people[0].id}]}
    shortlist = client.post(url, json=body, headers=staff).get_json()["id"]
    client.post(f"/v1/shortlists/{shortlist}/sign", json={"signed_by": "Maija"}, headers=staff)
    client.post(f"/v1/shortlists/{shortlist}/send", headers=staff)
    page = f"/needs/{world.need_a}"
    answer = f"{page}/shortlists/{shortlist}/entries/1/feedback"
    refused = company_a.post(
        answer, {"decision": "not_selected", "reason": "other", "text": "Liian vanha"}, page
    )
    assert refused.status_code == 302 and world.store.outcome_history() == []
    assert "must not name age" in company_a.text(page)
    given = company_a.post(answer, {"decision": "interview", "reason": "skills"}, page)
    assert given.status_code == 302
    assert world.store.outcome_history() == [(world.need_a, people[0].id, "interviewed")]
    html = company_a.text(page)
    assert "Your answer was recorded: Invited to an interview." in html
    assert "Your answer: Invited to an interview (Skills)" in html


def test_a_recruiter_ticks_candidates_signs_the_shortlist_off_and_sends_it(recruiter, world):
    listing = world.app.test_client().get(
        f"/v1/needs/{world.need_a}/candidates?limit=5", headers=world.headers(world.recruiter)
    )
    people = [i["candidate"]["id"] for i in listing.get_json()["items"]]
    page = f"/needs/{world.need_a}"
    assert f'id="pick-{people[0]}"' in recruiter.text(page)
    form = {"jobseeker_id": [people[3], people[1]], f"note-{people[3]}": "Welds aluminium"}
    started = recruiter.post(f"{page}/shortlists", form, page)
    assert started.status_code == 302
    url = started.headers["Location"]
    draft = world.store.audit_log(page=1, page_size=5).items[0]
    assert draft["action"] == "shortlist.create"
    assert "A draft" in recruiter.text(url)
    assert recruiter.post(f"{url}/send", {}, url).status_code == 302
    assert "Sign the shortlist off before sending it." in recruiter.text(url)
    recruiter.post(f"{url}/sign", {"signed_by": "Maija R."}, url)
    recruiter.post(f"{url}/send", {}, url)
    html = recruiter.text(url)
    assert "Sent to the company" in html and "signed off by Maija R." in html
    shortlist_id = url.rstrip("/").rsplit("/", 1)[-1]
    from service import storage_shortlists as lists

    stored = lists.shortlist(world.store, shortlist_id)
    assert [e["jobseeker_id"] for e in stored["entries"]] == [people[3], people[1]]
    assert stored["entries"][0]["note"] == "Welds aluminium" and stored["status"] == "sent"
    assert all(e["explanation"] for e in stored["entries"])


def test_a_person_ticked_twice_is_on_the_shortlist_once(recruiter, world):
    listing = world.app.test_client().get(
        f"/v1/needs/{world.need_a}/candidates?limit=2", headers=world.headers(world.recruiter)
    )
    person = listing.get_json()["items"][0]["candidate"]["id"]
    page = f"/needs/{world.need_a}"
    started = recruiter.post(f"{page}/shortlists", {"jobseeker_id": [person, person]}, page)
    assert started.status_code == 302
    from service import storage_shortlists as lists

    shortlist_id = started.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    stored = lists.shortlist(world.store, shortlist_id)
    assert [e["jobseeker_id"] for e in stored["entries"]] == [person]


def test_a_recruiter_is_told_in_finnish_why_nobody_was_shortlisted(world):
    from tests.web.conftest import Pages

    browser = Pages(world.app.test_client(), "fi")
    assert browser.sign_in(world.recruiter).status_code == 302
    page = f"/needs/{world.need_a}"
    browser.post(f"{page}/shortlists", {}, page)
    assert "Valitse lyhytlistalle lisättävät ehdokkaat." in browser.text(page)


# -- the need form -------------------------------------------------------------------------------


def test_a_company_submits_a_need_for_its_own_company(company_a, world):
    response = company_a.post("/needs/new", {**NEED_FORM, "company_id": world.company_b})
    assert response.status_code == 302
    need_id = response.headers["Location"].rsplit("/", 1)[1]
    need, _ = world.store.need(need_id)
    assert need.company_id == world.company_a
    assert need.required_skills == ("MIG-hitsaus", "piirustusten lukeminen")
    assert need.positions == 2 and need.languages[0].level == "B1"
    assert "The need was saved." in company_a.text(f"/needs/{need_id}")


def test_errors_are_shown_by_field_and_nothing_typed_is_lost(company_a, world):
    before = world.store.needs(page=1, page_size=1).total
    typed = {
        **NEED_FORM,
        "title": "",
        "positions": "0",
        "languages-0-level": "Z9",
        "languages-1-language": "sv",
        "end_date": "2026-01-01",
    }
    response = company_a.post("/needs/new", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "f-title") == "Required."
    assert field_error(html, "f-positions").startswith("Give a number from 1")
    assert field_error(html, "f-languages-0-level") == "Choose one of the options."
    assert field_error(html, "f-languages-1-level") == "Required."
    assert 'id="f-title" name="title" type="text" value="" required aria-describedby' in html
    assert 'value="Vaasa"' in html and "MIG-hitsaus\npiirustusten lukeminen</textarea>" in html
    assert 'value="2027-01-15"' in html and "MIG-hitsausta konepajassa.</textarea>" in html
    assert '<option value="sv" selected>' in html
    assert 'href="#f-title"' in html  # the summary links to the field
    assert world.store.needs(page=1, page_size=1).total == before


def test_the_domains_own_checks_are_shown_by_field_too(company_a):
    response = company_a.post("/needs/new", {**NEED_FORM, "end_date": "2027-01-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "f-end_date") == "The end must not be before the start."


def test_a_recruiter_chooses_the_company(recruiter, world):
    html = recruiter.post("/needs/new", NEED_FORM).get_data(as_text=True)
    assert field_error(html, "f-company_id") == "Choose a company."
    response = recruiter.post("/needs/new", {**NEED_FORM, "company_id": world.company_b})
    need_id = response.headers["Location"].rsplit("/", 1)[1]
    assert world.store.need(need_id)[0].company_id == world.company_b


def test_a_need_is_edited_and_validated_as_a_whole(company_a, world):
    path = f"/needs/{world.need_a}/edit"
    form = company_a.text(path)
    assert 'name="title"' in form
    bad = company_a.post(path, {**NEED_FORM, "required_skills": "  \n"})
    assert bad.status_code == 422
    assert field_error(bad.get_data(as_text=True), "f-required_skills") == "Give at least one."
    assert company_a.post(path, {**NEED_FORM, "title": "Hitsaaja (MIG)"}).status_code == 302
    need, _ = world.store.need(world.need_a)
    assert need.title == "Hitsaaja (MIG)" and need.company_id == world.company_a


def test_saving_an_unchanged_need_writes_nothing(company_a, world):
    path = f"/needs/{world.need_a}/edit"
    assert company_a.post(path, {**NEED_FORM, "title": "Hitsaaja (MIG)"}).status_code == 302
    before = world.store.need(world.need_a)[1]["updated_at"], world.store.needs_version()
    assert company_a.post(path, {**NEED_FORM, "title": "Hitsaaja (MIG)"}).status_code == 302
    assert (world.store.need(world.need_a)[1]["updated_at"], world.store.needs_version()) == before


# -- candidates, outcomes, decisions -------------------------------------------------------------


def test_the_candidate_list_is_explained_and_audit_logged_as_the_api_does(recruiter, world):
    html = recruiter.text(f"/needs/{world.need_a}?limit=10")
    assert html.count('<tbody class="candidate') == 10
    assert "Matched skills" in html and "Score by feature" in html and "<svg" in html
    entry = audit_actions(world, "candidates.read")[0]
    assert entry["target"] == f"need:{world.need_a}"
    assert set(entry["detail"]) == {"source", "limit", "offset", "returned"}
    assert entry["detail"]["limit"] == 10 and entry["detail"]["returned"] == 10


def test_a_recruiter_records_an_outcome(recruiter, world):
    person = world.store.active_jobseekers()[0].id
    path = f"/needs/{world.need_a}/candidates/{person}/outcome"
    response = recruiter.post(path, {"outcome": "interviewed", "note": "hyvä"}, "/needs")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/needs/{world.need_a}#candidate-{person}")
    outcomes = world.store.export_jobseeker(person)["outcomes"]
    assert [(o["outcome"], o["note"]) for o in outcomes] == [("interviewed", "hyvä")]
    assert audit_actions(world, "outcome.record")[0]["detail"]["outcome"] == "interviewed"
    assert "Recorded: Interviewed." in recruiter.text(f"/needs/{world.need_a}")


def test_an_unknown_outcome_is_not_recorded(recruiter, world):
    person = world.store.active_jobseekers()[0].id
    path = f"/needs/{world.need_a}/candidates/{person}/outcome"
    recruiter.post(path, {"outcome": "promoted"}, "/needs")
    assert world.store.export_jobseeker(person)["outcomes"] == []
    assert "Choose an outcome to record." in recruiter.text(f"/needs/{world.need_a}")


def test_a_recruiter_pins_and_hides_candidates_with_a_reason(recruiter, world):
    html = recruiter.text(f"/needs/{world.need_a}?limit=5")
    ids = re.findall(r'<tbody class="candidate" id="candidate-([^"]+)"', html)
    last, first = ids[-1], ids[0]
    base = f"/needs/{world.need_a}/candidates"
    recruiter.post(f"{base}/{last}/decision", {"action": "pin", "reason": "Vahva"}, "/needs")
    recruiter.post(f"{base}/{first}/decision", {"action": "hide", "reason": "Ei sovi"}, "/needs")
    html = recruiter.text(f"/needs/{world.need_a}?limit=5")
    ids = re.findall(r'<tbody class="candidate" id="candidate-([^"]+)"', html)
    assert ids[0] == last and first not in ids
    assert "Reason: Vahva" in html
    shown = recruiter.text(f"/needs/{world.need_a}?limit=50&show_hidden=true")
    assert f'id="candidate-{first}"' in shown
    no_reason = recruiter.post(
        f"{base}/{first}/decision", {"action": "pin", "reason": ""}, "/needs"
    )
    assert no_reason.status_code == 302
    assert world.store.decisions(world.need_a)[first]["action"] == "hide"


def test_new_since_a_run_is_offered_once_a_run_exists(recruiter, world):
    assert "New since run" not in recruiter.text(f"/needs/{world.need_a}")
    assert recruiter.get(f"/needs/{world.need_a}?since_run=99").status_code == 404


BATCH_SOURCE = {
    "en": "From the nightly run {run}, computed ",
    "fi": "Yöajosta {run}, laskettu ",
    "sv": "Från nattkörning {run}, beräknad ",
}


@pytest.mark.parametrize("language", sorted(BATCH_SOURCE))
def test_a_need_page_after_a_batch_is_served_from_the_run(recruiter, world, language):
    summary = run_batch(world.store, world.app.extensions["kohtaanto"].scorer, k=30)
    recruiter.client.set_cookie(LANGUAGE_COOKIE, language)
    html = recruiter.text(f"/needs/{world.need_a}?limit=10")
    finished = world.store.batch_run(summary["run_id"])["finished_at"]
    status = re.search(r'<p class="count" role="status">(.*?)</p>', html, re.S)[1].strip()
    assert status.startswith(BATCH_SOURCE[language].format(run=summary["run_id"]))
    assert str(finished.year) in status
    assert html.count('<tbody class="candidate') == 10


# -- jobseekers, reports, suggestions, languages -----------------------------------------------


def test_a_jobseekers_page_shows_the_needs_that_fit_and_is_audit_logged(recruiter, world):
    person = world.store.active_jobseekers()[0]
    html = recruiter.text(f"/jobseekers/{person.id}")
    assert "Needs that fit" in html and "/needs/" in html
    entry = audit_actions(world, "needs_for_jobseeker.read")[0]
    assert entry["target"].startswith("jobseeker:") and person.id not in entry["target"]


def test_a_jobseekers_page_shows_where_the_latest_run_shortlisted_them(recruiter, world):
    listed = world.app.test_client().get(
        f"/v1/needs/{world.need_a}/candidates?limit=1", headers=world.headers(world.recruiter)
    )
    person = listed.get_json()["items"][0]["candidate"]["id"]
    assert "No batch run has finished yet." in recruiter.text(f"/jobseekers/{person}")
    run_batch(world.store, world.app.extensions["kohtaanto"].scorer, k=10)
    html = recruiter.text(f"/jobseekers/{person}")
    title = world.store.need(world.need_a)[0].title
    assert "Shortlisted in the latest batch run" in html
    shortlist = html[html.index("Shortlisted in the latest batch run") :]
    assert f"/needs/{world.need_a}" in shortlist and title in shortlist


def test_the_jobseeker_list_filters(recruiter, world):
    html = recruiter.text("/jobseekers?service_path=osmo")
    assert "/jobseekers/" in html


def test_the_reports_page_draws_charts_with_their_numbers(recruiter):
    html = recruiter.text("/reports")
    assert html.count('<figure class="chart">') >= 3
    assert 'role="img"' in html and "Impact ratio" in html


def test_needs_filter_by_freshness(recruiter, world):
    assert f"/needs/{world.need_a}" in recruiter.text("/needs?updated_within_days=1&status=any")
    bad = recruiter.text("/needs?updated_within_days=0")
    assert field_error(bad, "f-updated_within_days").startswith("Give a number from 1")


def test_the_page_suggests_skills_for_a_session_with_its_csrf_header(recruiter):
    token = recruiter.csrf_token("/needs/new")
    response = recruiter.client.post(
        "/skills/suggest", json={"text": "hitsa"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert any(i["labels"]["fi"] == "hitsaus" for i in response.get_json()["items"])
    assert recruiter.client.post("/skills/suggest", json={"text": "hitsa"}).status_code == 400


def test_the_chosen_language_is_remembered_after_signing_out(recruiter):
    response = recruiter.post("/language", {"language": "sv", "next": "/needs"}, "/needs")
    assert response.headers["Location"] == "/needs"
    assert "kohtaanto_language=sv" in response.headers["Set-Cookie"]
    assert '<html lang="sv">' in recruiter.text("/needs")
    recruiter.post("/sign-out", {}, "/needs")
    assert "Logga in" in recruiter.text("/sign-in")


def test_pages_carry_security_headers(pages):
    headers = pages.get("/sign-in").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_web_pages_are_not_in_the_openapi_document(pages):
    paths = pages.get("/openapi.json").get_json()["paths"]
    assert not [p for p in paths if not p.startswith("/v1/") and p not in _PUBLIC]


_PUBLIC = {"/healthz", "/readyz", "/metrics"}
