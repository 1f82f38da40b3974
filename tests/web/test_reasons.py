"""Explanations on the pages: a Finnish or Swedish reader sees every reason in their own
language, live and from a batch run, and never the library's English or a raw code; a run
stored before reasons were data still shows."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select, update

from matcher.batch import unpacked_explanation
from matcher.reasons import ENGLISH
from service.batch import run_batch
from service.storage import BatchCandidateRow
from tests.leaks import PARAMETER, codes_left, english_left
from tests.matcher.test_reasons import sample
from tests.service.conftest import send_shortlist
from tests.service.test_reasons import NEED
from tests.web.conftest import Pages
from tests.web.test_translations import shown_text

# What each language's reader is told of a missing Swedish B1 (the need's required language).
SWEDISH_MISSING = {
    "fi": "ruotsi tasolla B1 vaaditaan",
    "sv": "svenska på nivå B1 krävs",
}
# The suggestion's heading and a preference of the need, in each language.
SAID = {
    "fi": ("Eniten auttaisi:", "englanti tasolla B2 toivotaan"),
    "sv": ("Mest skulle hjälpa:", "engelska på nivå B2 önskas"),
}


@pytest.fixture
def need_id(world) -> str:
    """A need most people miss in some way (a language, a licence, a date, a demand)."""
    client = world.app.test_client()
    body = {**NEED, "company_id": world.company_a}
    response = client.post("/v1/needs", json=body, headers=world.headers(world.recruiter))
    return response.get_json()["id"]


def reader(world, language: str, token: str | None = None) -> Pages:
    pages = Pages(world.app.test_client(), language)
    pages.sign_in(token or world.recruiter)
    return pages


def assert_readable(html: str, language: str) -> str:
    """The text a reader of ``language`` sees, checked: no English sentence of the library,
    no raw code."""
    text = shown_text(html, language)
    assert not english_left(text), english_left(text)
    assert not codes_left(text), codes_left(text)
    return text


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_near_misses_are_explained_in_the_readers_language(world, need_id, language):
    html = reader(world, language).text(f"/needs/{need_id}?include_excluded=true&limit=100")
    text = assert_readable(html, language)
    assert SWEDISH_MISSING[language] in text
    for words in SAID[language]:
        assert words in text
    # Nothing is marked as English to be skipped by a screen reader's Finnish or Swedish voice.
    assert '<span lang="en">' not in html and '<li lang="en">' not in html


MUST_HAVE = {"fi": "Välttämättömät taidot", "sv": "Nödvändiga färdigheter"}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_missing_must_have_skill_is_named_in_the_readers_language(world, language):
    client = world.app.test_client()
    body = {**NEED, "company_id": world.company_a, "must_have_skills": ["trukkikortti"]}
    response = client.post("/v1/needs", json=body, headers=world.headers(world.recruiter))
    need_id, pages = response.get_json()["id"], reader(world, language)
    query = "include_excluded=true&limit=100&unmet=must_have_skills"
    text = assert_readable(pages.text(f"/needs/{need_id}?{query}"), language)
    assert f"{MUST_HAVE[language]}:" in text
    person = world.store.active_jobseekers()[0]
    query = "include_excluded=true&unmet=must_have_skills"
    assert_readable(pages.text(f"/jobseekers/{person.id}?{query}"), language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_company_reads_the_shortlist_sent_to_it_in_its_language(world, need_id, language):
    client, staff = world.app.test_client(), world.headers(world.recruiter)
    ranked = client.get(
        f"/v1/needs/{need_id}/candidates?include_excluded=true&limit=100", headers=staff
    ).get_json()["items"]
    without_swedish = [
        c["candidate"]["id"]
        for c in ranked
        if any(r["field"] == "languages.sv" for r in c["explanation"]["unmet_requirements"])
    ]
    send_shortlist(client, world, need_id, without_swedish[:2])
    html = reader(world, language, world.token_a).text(f"/needs/{need_id}")
    assert SWEDISH_MISSING[language] in assert_readable(html, language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_persons_needs_are_explained_in_the_readers_language(world, need_id, language):
    person = world.store.active_jobseekers()[0]
    html = reader(world, language).text(f"/jobseekers/{person.id}?include_excluded=true")
    assert_readable(html, language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_list_from_the_nights_run_is_explained_in_the_readers_language(world, need_id, language):
    run_batch(world.store, world.app.extensions["kohtaanto"].scorer, k=30)
    html = reader(world, language).text(f"/needs/{need_id}?limit=20")
    assert 'class="candidate' in html
    text = assert_readable(html, language)
    assert SAID[language][1] in text


def test_a_run_stored_before_reasons_were_data_still_shows(world, need_id):
    """Rows whose stored explanation holds English sentences are explained again from their
    stored feature values: the list shows, in the reader's language, with reasons as data."""
    summary = run_batch(world.store, world.app.extensions["kohtaanto"].scorer, k=30)
    stored = BatchCandidateRow.__table__
    where = (stored.c.run_id == summary["run_id"]) & (stored.c.need_id == need_id)
    with world.store.engine.begin() as connection:
        rows = connection.execute(select(stored.c.jobseeker_id, stored.c.explanation).where(where))
        for person, raw in rows.all():
            old = unpacked_explanation(raw)
            old["unmet_preferences"] = ["English B2 preferred, has B1"]
            old["suggestion"] = (
                "Evidence of 'trukkikortti' would raise the score most (up to +0.18)"
            )
            connection.execute(
                update(stored)
                .where(where & (stored.c.jobseeker_id == person))
                .values(explanation=orjson.dumps(old))
            )
    for language in ("fi", "sv"):
        html = reader(world, language).text(f"/needs/{need_id}?limit=20")
        assert_readable(html, language)
    client = world.app.test_client()
    items = client.get(
        f"/v1/needs/{need_id}/candidates?limit=20&language=en",
        headers=world.headers(world.recruiter),
    ).get_json()["items"]
    suggestions = [i["explanation"]["suggestion_reason"] for i in items]
    assert items and all(s is None or s["code"] for s in suggestions)


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_the_check_finds_each_english_sentence_of_the_library(code):
    """The pages' check is not vacuous: every template with words of its own is caught."""
    words = [p for p in PARAMETER.split(ENGLISH[code]) if " " in p.strip(" .,:;()'+?")]
    found = english_left(f"Ehdokas 1. {sample(code)} Kiinnitä")
    assert bool(found) == bool(words), (code, found)


def test_the_check_finds_raw_codes():
    assert codes_left("henkilö hakee recruitment_training, ei vacancy (interest_fit)") == [
        "interest_fit",
        "recruitment_training",
        "vacancy",
    ]



def test_every_code_of_the_library_has_a_sentence_in_the_catalogs():
    from service.web.explain import SENTENCES

    assert set(ENGLISH) - set(SENTENCES) == {"available_later"}  # a plural, said by ngettext


def test_a_reason_rendered_again_reads_as_it_did_first_in_each_language(world):
    from service.web import explain

    languages = ("fi", "sv", "en")
    with world.app.test_request_context():
        for code in sorted(ENGLISH):
            reason = sample(code).to_dict()
            explain._RENDERED.clear()
            first = {language: explain.render(reason, language) for language in languages}
            again = {language: explain.render(reason, language) for language in languages}
            alone = {}
            for language in languages:
                explain._RENDERED.clear()
                alone[language] = explain.render(reason, language)
            assert first == again == alone, code
            assert len(set(alone.values())) == 3, (code, alone)


HEADINGS = {"fi": ("Sija", "Täyttymättömät vaatimukset"), "sv": ("Placering", "Ouppfyllda krav")}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_downloaded_list_speaks_the_readers_language(world, need_id, language):
    pages = reader(world, language)
    client, staff = world.app.test_client(), world.headers(world.recruiter)
    listed = f"/v1/needs/{need_id}/candidates?include_excluded=true&limit=100"
    ranked = client.get(listed, headers=staff).get_json()["items"]
    client.put(
        f"/v1/needs/{need_id}/candidates/{ranked[0]['candidate']['id']}/decision",
        json={"action": "pin", "reason": "Hyvä"},
        headers=staff,
    )
    response = pages.get(f"/needs/{need_id}/candidates.csv?include_excluded=true&limit=100")
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    header = text.splitlines()[0]
    assert all(heading in header for heading in HEADINGS[language])
    assert "feature:" not in text and "True" not in text and "False" not in text
    assert not english_left(text), english_left(text)
    assert not codes_left(text), codes_left(text)
