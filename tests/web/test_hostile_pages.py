"""The pages with hostile input: stored rows written before the unsafe-text rule, and forms
posting text that cannot be stored."""

from __future__ import annotations

import pytest

from service.storage import table_counts
from tests.service.test_hostile import spoiled  # noqa: F401
from tests.web.conftest import Pages
from tests.web.test_pages import NEED_FORM, field_error


def test_the_pages_read_a_stored_row_with_unsafe_text(recruiter, world, spoiled):  # noqa: F811
    assert "old\ufffdtext" in recruiter.text("/needs?page_size=100")
    assert "old\ufffdtext" in recruiter.text(f"/needs/{world.need_a}")
    assert "old\ufffdtext" in recruiter.text(f"/jobseekers/{spoiled}")


@pytest.mark.parametrize(
    ("field", "value", "shown_at"),
    [
        ("title", "Hitsaaja\x0bpasted", "f-title"),
        ("description", "nul \x00 byte", "f-description"),
        ("required_skills", "MIG\nTIG\x1b", "f-required_skills"),
        ("company_id", "C\x00", "f-company_id"),
    ],
)
def test_the_need_form_shows_unsafe_text_as_a_field_error(
    recruiter, world, field, value, shown_at
):
    before = table_counts(world.store, ["needs"])
    form = {**NEED_FORM, "company_id": world.company_a, field: value}
    response = recruiter.post("/needs/new", form)
    assert response.status_code == 422
    assert "cannot be stored" in field_error(response.get_data(as_text=True), shown_at)
    assert table_counts(world.store, ["needs"]) == before


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("outcome", {"outcome": "contacted", "note": "nul \x00"}),
        ("decision", {"action": "pin", "reason": "strong \x00 fit"}),
    ],
)
def test_unsafe_text_in_a_candidate_form_is_refused_with_a_message(
    recruiter, world, action, form
):
    person = world.store.jobseekers(page=1, page_size=1).items[0][0].id
    before = table_counts(world.store, ["outcomes", "candidate_decisions"])
    response = recruiter.post(
        f"/needs/{world.need_a}/candidates/{person}/{action}",
        form,
        from_page=f"/needs/{world.need_a}",
    )
    assert response.status_code == 302
    assert table_counts(world.store, ["outcomes", "candidate_decisions"]) == before
    assert "cannot be stored" in recruiter.text(f"/needs/{world.need_a}")


@pytest.mark.parametrize(
    ("language", "field", "value", "said"),
    [
        ("fi", "title", "Hitsaaja\x00", "Sisältää merkin U+0000, jota ei voi tallentaa."),
        ("sv", "title", "Svetsare\x7f", "Innehåller tecknet U+007F, som inte kan sparas."),
        ("fi", "title", "x" * 201, "Kirjoita enintään 200 merkkiä."),
        ("sv", "title", "x" * 201, "Skriv högst 200 tecken."),
    ],
)
def test_the_need_form_refuses_in_the_readers_language(world, language, field, value, said):
    browser = Pages(world.app.test_client(), language)
    browser.sign_in(world.recruiter)
    form = {**NEED_FORM, "company_id": world.company_a, field: value}
    response = browser.post("/needs/new", form)
    assert response.status_code == 422
    assert said in field_error(response.get_data(as_text=True), f"f-{field}")


@pytest.mark.parametrize(
    ("language", "query", "said"),
    [
        ("fi", "start=2020-01-01&end=2010-01-01", "Alku ei saa olla lopun jälkeen."),
        ("sv", "start=2000-01-01&end=2020-01-01", "Välj en period på högst tio år."),
    ],
)
def test_the_programme_report_refuses_a_period_in_the_readers_language(
    world, language, query, said
):
    browser = Pages(world.app.test_client(), language)
    browser.sign_in(world.recruiter)
    assert said in browser.text(f"/reports/programme?{query}")
