"""The morning after the night's batch, over real HTTP: ``matcher batch`` runs against the
served database, then a recruiter signs in through the pages and reads a need's candidates
from that run, in each language."""

from __future__ import annotations

import json
import re

import pytest
import requests

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
STATUS = re.compile(r'<p class="count" role="status">(.*?)</p>', re.S)
FROM_THE_RUN = {
    "en": "From the nightly run {run}, computed ",
    "fi": "Yöajosta {run}, laskettu ",
    "sv": "Från nattkörning {run}, beräknad ",
}


def post_form(session: requests.Session, url: str, path: str, data: dict, from_page: str):
    """Post a form as a browser does: with the CSRF token of the page it is on."""
    page = session.get(f"{url}{from_page}", timeout=30)
    assert page.status_code == 200, (from_page, page.status_code)
    token = CSRF.search(page.text)[1]
    return session.post(
        f"{url}{path}", data={**data, "csrf_token": token}, allow_redirects=False, timeout=30
    )


@pytest.fixture(scope="module")
def night(own_server) -> dict:
    """The summary of a real ``matcher batch`` against the served database."""
    summary = json.loads(own_server.cli("batch", "--k", "50").splitlines()[-1])
    assert summary["event"] == "batch.complete" and summary["candidates"] > 0
    return summary


@pytest.fixture
def recruiter(own_server) -> requests.Session:
    """A browser session signed in through the sign-in form with the recruiter's token."""
    session = requests.Session()
    token = own_server.tokens["recruiter"]
    signed_in = post_form(session, own_server.url, "/sign-in", {"token": token}, "/sign-in")
    assert signed_in.status_code == 302
    return session


@pytest.mark.parametrize("language", sorted(FROM_THE_RUN))
def test_a_need_page_the_morning_after_shows_the_nights_run(
    own_server, night, recruiter, language
):
    chosen = {"language": language, "next": "/needs"}
    assert post_form(recruiter, own_server.url, "/language", chosen, "/needs").status_code == 302
    needs = requests.get(
        f"{own_server.url}/v1/needs?status=open",
        headers=own_server.headers("recruiter"),
        timeout=30,
    ).json()["items"]
    page = recruiter.get(f"{own_server.url}/needs/{needs[0]['id']}", timeout=60)
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.text
    status = STATUS.search(page.text)[1].strip()
    assert status.startswith(FROM_THE_RUN[language].format(run=night["run_id"])), status
    assert page.text.count('<tbody class="candidate') > 0
