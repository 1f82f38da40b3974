"""The continuity page: who is falling off the path, as staff and as a counsellor see it; and
the need form's "English suffices"."""

from __future__ import annotations

from tests.web.conftest import Pages


def test_a_counsellor_starts_on_the_continuity_page_and_sees_only_their_people(finnish_world):
    app, tokens = finnish_world
    counsellor = Pages(app.test_client(), "en")
    response = counsellor.sign_in(tokens["counsellor"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/continuity"
    page = counsellor.text("/reports/continuity")
    assert "J-fi-1" in page and "J-fi-2" in page and "J-fi-3" not in page
    assert "Vaasan ammattiopisto" in page and "Pekka Opettaja" in page
    assert counsellor.get("/needs").status_code == 403
    assert counsellor.get("/jobseekers").status_code == 403


def test_staff_see_everyone_off_the_path_and_companies_nothing(finnish_world):
    app, tokens = finnish_world
    recruiter, company = Pages(app.test_client(), "en"), Pages(app.test_client(), "en")
    recruiter.sign_in(tokens["recruiter"])
    company.sign_in(tokens["company"])
    page = recruiter.text("/reports/continuity")
    # Four of the six have no step at all; the two of the school are listed under it.
    assert "6 people on the report" in page
    assert "No current step" in page and "No organisation" in page
    assert company.get("/reports/continuity").status_code == 403


def test_a_need_form_states_that_english_suffices(finnish_world):
    app, tokens = finnish_world
    company = Pages(app.test_client(), "en")
    company.sign_in(tokens["company"])
    form = {
        "kind": "vacancy",
        "title": "Hitsaaja",
        "municipality": "Vaasa",
        "positions": "1",
        "required_skills": "hitsaus",
        "language_rows": "1",
        "languages-0-language": "fi",
        "languages-0-level": "B1",
        "languages-0-required": "on",
    }
    for checked in (False, True):
        data = {**form, "english_suffices": "on"} if checked else form
        response = company.post("/needs/new", data)
        assert response.status_code == 302
        need_id = response.headers["Location"].rsplit("/", 1)[1]
        need, _ = app.extensions["kohtaanto"].store.need(need_id)
        assert need.english_suffices is checked
    assert 'name="english_suffices"' in company.text("/needs/new")
