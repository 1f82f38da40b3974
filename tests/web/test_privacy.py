"""The pages keep personal data out of caches, audit reads of profiles, and show a company
no more than the API does."""

from __future__ import annotations

import pytest

from tests.service.conftest import client, database_url, small_dataset, world  # noqa: F401
from tests.web.conftest import Pages, company_a, pages, recruiter  # noqa: F401


@pytest.mark.parametrize("path", ["/needs", "/needs/{need}", "/jobseekers", "/jobseekers/{person}"])
def test_pages_with_personal_data_are_not_stored(recruiter, world, path):  # noqa: F811
    person = world.store.active_jobseekers()[0].id
    response = recruiter.get(path.format(need=world.need_a, person=person))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_sign_in_page_and_assets_may_be_cached(pages):  # noqa: F811
    assert "no-store" not in pages.get("/sign-in").headers.get("Cache-Control", "")
    asset = pages.get("/assets/style.css")
    asset.close()
    assert asset.status_code == 200 and "no-store" not in asset.headers.get("Cache-Control", "")


def test_the_jobseeker_pages_audit_their_reads(recruiter, world):  # noqa: F811
    person = world.store.active_jobseekers()[0].id
    recruiter.text("/jobseekers")
    recruiter.text(f"/jobseekers/{person}")
    actions = [e["action"] for e in world.store.audit_log(page=1, page_size=50).items]
    assert "jobseekers.read" in actions and "jobseeker.read" in actions


def send_shortlist(world, need_id: str, limit: int = 20) -> int:  # noqa: F811
    """A shortlist of a need's first ``limit`` candidates (near-misses too), signed and sent;
    how many are on it."""
    browser, staff = world.app.test_client(), world.headers(world.recruiter)
    listing = browser.get(
        f"/v1/needs/{need_id}/candidates?include_excluded=true&limit={limit}", headers=staff
    ).get_json()
    entries = [{"jobseeker_id": i["candidate"]["id"]} for i in listing["items"]]
    url = f"/v1/needs/{need_id}/shortlists"
    shortlist = browser.post(url, json={"entries": entries}, headers=staff).get_json()["id"]
    browser.post(f"/v1/shortlists/{shortlist}/sign", json={"signed_by": "R"}, headers=staff)
    assert browser.post(f"/v1/shortlists/{shortlist}/send", headers=staff).status_code == 200
    return len(entries)


def test_a_companys_need_page_shows_no_headline_nor_the_persons_words(company_a, world):  # noqa: F811
    sent = send_shortlist(world, world.need_a)
    html = company_a.text(f"/needs/{world.need_a}")
    headlines = [p.headline for p in world.store.active_jobseekers() if p.headline]
    assert html.count('class="rank"') == sent > 0 and not [h for h in headlines if h in html]


@pytest.mark.parametrize(
    ("language", "name"), [("fi", "Tarpeen vaatimus"), ("sv", "Ett krav i behovet")]
)
def test_a_company_reads_the_neutral_requirement_in_its_language(
    client, world, language, name  # noqa: F811
):
    from tests.service.test_privacy import WELDER

    response = client.post("/v1/needs", json=WELDER, headers=world.headers(world.token_a))
    need_id = response.get_json()["id"]
    send_shortlist(world, need_id, limit=50)
    browser = Pages(world.app.test_client(), language)
    assert browser.sign_in(world.token_a).status_code == 302
    html = browser.text(f"/needs/{need_id}")
    assert f"<strong>{name}:</strong>" in html
    assert "<strong>requirement:</strong>" not in html
