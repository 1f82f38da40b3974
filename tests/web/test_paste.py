"""The pages of item 15's intake: a pasted job ad read into the need form (saved only when the
user saves it), and a need's list downloaded as a file."""

from __future__ import annotations

import html
import re

from service.storage import table_counts
from tests.matcher.test_drafts import AD_SV, POSTING


def field_value(page: str, name: str) -> str:
    found = re.search(rf'<input id="f-{name}" name="{name}" type="[a-z]+" value="([^"]*)"', page)
    return html.unescape(found[1]) if found else ""


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea id="f-{name}" name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found[1]).strip()


def test_a_pasted_ad_fills_the_need_form_and_nothing_is_saved(company_a, world, client):
    before = table_counts(world.store)
    response = company_a.post("/needs/paste", {"text": AD_SV})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert table_counts(world.store) == before
    proposed = client.post(
        "/v1/needs/draft", json={"text": AD_SV}, headers=world.headers(world.token_a)
    ).get_json()["body"]
    assert field_value(page, "title") == proposed["title"]
    assert field_value(page, "municipality") == proposed["municipality"] == "Vasa"
    assert field_value(page, "start_date") == proposed["start_date"]
    assert textarea(page, "required_skills").splitlines() == proposed["required_skills"]
    assert 'action="/needs/new"' in page and 'id="draft-summary"' in page


def test_the_proposed_need_is_saved_as_the_form_sends_it(company_a, world):
    page = company_a.post("/needs/paste", {"text": AD_SV}).get_data(as_text=True)
    form = {
        "kind": "vacancy",
        "title": field_value(page, "title"),
        "municipality": field_value(page, "municipality"),
        "start_date": field_value(page, "start_date"),
        "required_skills": textarea(page, "required_skills"),
        "preferred_skills": textarea(page, "preferred_skills"),
        "language_rows": "0",
    }
    saved = company_a.post("/needs/new", form, from_page="/needs/paste")
    assert saved.status_code == 302
    need_id = saved.headers["Location"].rsplit("/", 1)[-1]
    need, _ = world.store.need(need_id)
    assert list(need.required_skills) == form["required_skills"].splitlines()
    assert need.company_id == world.company_a


def test_a_pasted_job_board_page_reads_its_jobposting(recruiter):
    import json

    page_source = (
        '<script type="application/ld+json">' + json.dumps(POSTING) + "</script><p>Kock</p>"
    )
    page = recruiter.post("/needs/paste", {"text": page_source}).get_data(as_text=True)
    assert field_value(page, "municipality") == "Jakobstad"
    assert field_value(page, "positions") == "2"


def test_an_empty_paste_asks_again(company_a):
    response = company_a.post("/needs/paste", {"text": "   "})
    assert response.status_code == 422
    assert "Paste the text of an ad" in response.get_data(as_text=True)


def test_a_needs_page_offers_its_list_as_files(recruiter, company_a, world):
    page = recruiter.text(f"/needs/{world.need_a}?limit=10")
    link = re.search(r'href="(/needs/[^"]+/candidates\.csv[^"]*)"', page)[1]
    response = recruiter.get(html.unescape(link))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(rows) == 11  # the header and the ten shown
    xlsx = recruiter.get(f"/needs/{world.need_a}/candidates.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    exports = world.store.audit_log(page=1, page_size=5, action="candidates.export").items
    assert [e["detail"]["format"] for e in exports] == ["xlsx", "csv"]
    # A company reads the shortlists sent to it, never the full ranking, not even as a file.
    assert company_a.get(f"/needs/{world.need_a}/candidates.xlsx").status_code == 403
    assert company_a.get(f"/needs/{world.need_b}/candidates.csv").status_code in (403, 404)
    assert recruiter.get(f"/needs/{world.need_a}/candidates.pdf").status_code == 404


def test_a_pasted_page_whose_jobposting_spells_a_lone_surrogate_still_shows(recruiter):
    page_source = (
        '<script type="application/ld+json">{"@type": "JobPosting", "title": "Svetsare\\ud800",'
        ' "description": "a\\ud800b"}</script>'
    )
    response = recruiter.post("/needs/paste", {"text": page_source})
    assert response.status_code == 200
    assert field_value(response.get_data(as_text=True), "title") == "Svetsare\ufffd"
