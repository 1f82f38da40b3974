"""Municipalities on the pages: the filters find a place by either name in any case, the pages
show it in the reader's language, and a typo is answered with the closest names."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Pages

SPELLINGS = ["Vasa", "Vaasa", "VAASA", "vasa"]
VAASA = {"Vaasa", "Vasa"}
SHOWN = {"fi": "Vaasa", "sv": "Vasa", "en": "Vaasa (Vasa)"}
ROW = re.compile(r'<th scope="row"><a href="([^"]+)"')
CELL = re.compile(r"<td(?: data-label=\"[^\"]*\")?>(Vaasa|Vasa|Vaasa \(Vasa\))</td>")
NEED = {"kind": "vacancy", "title": "Svetsare", "required_skills": ["svetsning"]}


@pytest.fixture
def vasa_need(world) -> str:
    """A need stored under the Swedish name (the fixture's needs are all under the Finnish)."""
    body = {**NEED, "municipality": "Vasa", "company_id": world.company_a}
    client = world.app.test_client()
    response = client.post("/v1/needs", json=body, headers=world.headers(world.recruiter))
    assert response.status_code == 201
    return response.get_json()["id"]


def browser(world, language: str) -> Pages:
    pages = Pages(world.app.test_client(), language)
    assert pages.sign_in(world.recruiter).status_code == 302
    return pages


def stored_in_vaasa(world, resource: str) -> int:
    filters = {"status": "open"} if resource == "needs" else {"active": True}
    page = getattr(world.store, resource)(page=1, page_size=100, **filters)
    return sum(item.municipality in VAASA for item, _ in page.items)


@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_every_spelling_lists_the_same_rows(world, vasa_need, resource):
    pages = browser(world, "fi")
    rows = {name: ROW.findall(pages.text(f"/{resource}?municipality={name}")) for name in SPELLINGS}
    assert len(rows["Vaasa"]) == stored_in_vaasa(world, resource)
    assert all(found == rows["Vaasa"] for found in rows.values()), rows


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_a_list_shows_the_municipality_in_the_readers_language(
    world, vasa_need, resource, language
):
    html = browser(world, language).text(f"/{resource}?municipality=vasa")
    assert set(CELL.findall(html)) == {SHOWN[language]}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_need_stored_as_vasa_is_shown_in_the_readers_language(world, vasa_need, language):
    html = browser(world, language).text(f"/needs/{vasa_need}")
    assert f"<dd>{SHOWN[language]}" in html


# What a reader of each language is told for "Vassa": the closest name in their language.
DID_YOU_MEAN = {
    "fi": "Suomessa ei ole kuntaa nimeltä ”Vassa”. Tarkoititko: Vaasa",
    "sv": "Ingen kommun i Finland heter ”Vassa”. Menade du Vasa",
    "en": "No Finnish municipality is called “Vassa”. Did you mean Vaasa (Vasa)",
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("resource", ["needs", "jobseekers"])
def test_a_typo_in_a_filter_suggests_the_closest_names(world, resource, language):
    html = browser(world, language).text(f"/{resource}?municipality=Vassa")
    assert DID_YOU_MEAN[language] in html
    assert "unknown Finnish municipality" not in html


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_typo_in_the_need_form_suggests_the_closest_names(world, language):
    pages = browser(world, language)
    form = {"kind": "vacancy", "title": "Hitsaaja", "municipality": "Vassa", "positions": "1"}
    form |= {"required_skills": "hitsaus", "language_rows": "1", "company_id": world.company_a}
    response = pages.post("/needs/new", form)
    assert response.status_code == 422
    assert DID_YOU_MEAN[language] in response.get_data(as_text=True)
