"""Service paths over real HTTP (gunicorn): two organisations hand a person over, a third
organisation's counsellor is kept out, an unacknowledged handover reaches the continuity report
once the configured days have passed (the reference date is configuration, never a sleep), and
the continuity page in three languages (screenshots in var/screenshots/)."""

from __future__ import annotations

import subprocess

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.e2e.conftest import MATCHER, served
from tests.e2e.test_web import follow, screenshot, wait_for

TODAY = "2026-12-20"
ACK_DAYS = 5


@pytest.fixture(scope="module")
def paths_server(tmp_path_factory):
    """The demo served with the continuity report's reference date and handover days set."""
    yield from served(
        tmp_path_factory.mktemp("paths"),
        KOHTAANTO_CONTINUITY_AS_OF=TODAY,
        KOHTAANTO_HANDOVER_ACK_DAYS=str(ACK_DAYS),
    )


class Client:
    """Calls to the served API with one token."""

    def __init__(self, server, token: str) -> None:
        self.url, self.headers = server.url, {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", headers=self.headers, timeout=60)

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return requests.post(f"{self.url}{path}", json=body or {}, headers=self.headers, timeout=60)


@pytest.fixture(scope="module")
def network(paths_server):
    """Three organisations, a counsellor of each, and four demo people on their paths:
    A handed over from the office to the school and acknowledged, B handed over 6 days before
    the reference date and not acknowledged, C handed over 3 days before it, D at the school
    with a next step 5 days late."""
    recruiter = Client(paths_server, paths_server.tokens["recruiter"])
    orgs = {}
    for key, name, kind in (
        ("office", "TE-toimisto Vaasa", "employment_office"),
        ("school", "Vaasan ammattiopisto", "education_provider"),
        ("third", "Kokkolan kuntakokeilu", "municipal_services"),
    ):
        made = recruiter.post("/v1/organisations", {"name": name, "kind": kind})
        assert made.status_code == 201, made.text
        orgs[key] = made.json()["id"]
    counsellors = {
        key: Client(
            paths_server,
            paths_server.cli("token", "create", "--role", "counsellor", "--organisation", org),
        )
        for key, org in orgs.items()
    }
    people = [p["id"] for p in recruiter.get("/v1/jobseekers?page_size=4").json()["items"]]
    network = {
        "orgs": orgs,
        "counsellors": counsellors,
        "people": dict(zip("ABCD", people, strict=True)),
    }
    network["handovers"] = {
        key: _hand_over(paths_server, network, network["people"][key], on)
        for key, on in (("A", "2026-12-10"), ("B", "2026-12-14"), ("C", "2026-12-17"))
    }
    school = orgs["school"]
    _step(recruiter, people[3], school, "education", "2026-09-01", "current", "Pekka Opettaja")
    _step(recruiter, people[3], school, "apprenticeship", "2026-12-15", "planned", "Pekka Opettaja")
    return network


def _step(client, person, org, service, start, status, counsellor):
    body = {
        "service": service,
        "organisation_id": org,
        "counsellor": counsellor,
        "start": start,
        "status": status,
    }
    response = client.post(f"/v1/jobseekers/{person}/steps", body)
    assert response.status_code == 201, response.text
    return response.json()


def _hand_over(server, network, person, on):
    """The office's coaching, then (by the office's counsellor) the school as the next step,
    ended on ``on``: the handover."""
    recruiter = Client(server, server.tokens["recruiter"])
    orgs, office = network["orgs"], network["counsellors"]["office"]
    coaching = _step(
        recruiter, person, orgs["office"], "coaching", "2026-09-01", "current", "Aino Ohjaaja"
    )
    _step(office, person, orgs["school"], "apprenticeship", on, "planned", "Pekka Opettaja")
    ended = office.post(f"/v1/jobseekers/{person}/steps/{coaching['id']}/end", {"ended_on": on})
    assert ended.status_code == 200, ended.text
    [handover] = ended.json()["handovers"]
    assert handover["to_organisation_id"] == orgs["school"]
    return handover


def _entries(response):
    assert response.status_code == 200, response.text
    return {
        (e["jobseeker_id"], e["reason"]): e
        for g in response.json()["organisations"]
        for c in g["counsellors"]
        for e in c["people"]
    }


def test_two_organisations_hand_over_and_a_third_is_kept_out(paths_server, network):
    people, orgs, counsellors = network["people"], network["orgs"], network["counsellors"]
    school, third = counsellors["school"], counsellors["third"]
    first, second, recent = (network["handovers"][key] for key in "ABC")
    recruiter = Client(paths_server, paths_server.tokens["recruiter"])

    # The school acknowledges the first handover; the third organisation may not.
    assert third.post(f"/v1/handovers/{first['id']}/acknowledge").status_code == 404
    acknowledged = school.post(f"/v1/handovers/{first['id']}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_on"] == TODAY

    # The school's counsellor sees the people it holds, and nobody else.
    person_a = school.get(f"/v1/jobseekers/{people['A']}")
    assert person_a.status_code == 200 and person_a.json()["id"] == people["A"]
    path = school.get(f"/v1/jobseekers/{people['A']}/path").json()
    assert [(s["service"], s["status"]) for s in path["steps"]] == [
        ("coaching", "ended"),
        ("apprenticeship", "current"),
    ]
    others = recruiter.get("/v1/jobseekers?page_size=10").json()["items"]
    stranger = next(p["id"] for p in others if p["id"] not in people.values())
    assert school.get(f"/v1/jobseekers/{stranger}").status_code == 404
    assert school.get("/v1/jobseekers").status_code == 403
    # The office no longer holds A: it is kept out as well.
    assert counsellors["office"].get(f"/v1/jobseekers/{people['A']}").status_code == 404

    # A third organisation's counsellor gets 404 on both people, and on their paths.
    for person in (people["A"], people["B"]):
        assert third.get(f"/v1/jobseekers/{person}").status_code == 404
        assert third.get(f"/v1/jobseekers/{person}/path").status_code == 404
    missing = third.get("/v1/jobseekers/J-does-not-exist")
    assert missing.status_code == 404
    assert third.get(f"/v1/jobseekers/{people['A']}").json()["title"] == missing.json()["title"]

    # On the reference date B's handover has waited 6 days (≥ 5): on the report, to both
    # organisations; C's (3 days) not yet; A's was acknowledged; D's next step is 5 days late.
    report = _entries(school.get("/v1/reports/continuity"))
    assert set(report) == {
        (people["B"], "handover_unacknowledged"),
        (people["D"], "next_step_overdue"),
    }
    entry = report[(people["B"], "handover_unacknowledged")]
    assert (entry["days"], entry["since"], entry["handover_id"]) == (6, "2026-12-14", second["id"])
    assert (entry["organisation_id"], entry["from_organisation_id"]) == (
        orgs["school"],
        orgs["office"],
    )
    assert report[(people["D"], "next_step_overdue")]["days"] == 5
    office_report = _entries(counsellors["office"].get("/v1/reports/continuity"))
    assert set(office_report) == {(people["B"], "handover_unacknowledged")}
    assert _entries(third.get("/v1/reports/continuity")) == {}
    everyone = _entries(recruiter.get("/v1/reports/continuity"))
    assert (people["C"], "handover_unacknowledged") not in everyone
    assert recent["handed_over_on"] == "2026-12-17"

    # Every read was audit-logged, the people only as pseudonyms.
    admin = Client(paths_server, paths_server.tokens["admin"])
    audit = admin.get("/v1/audit?action=report.continuity&page_size=100").json()["items"]
    assert {e["role"] for e in audit} >= {"counsellor", "recruiter"}
    reads = admin.get("/v1/audit?action=jobseeker.read&page_size=100").json()["items"]
    assert any(e["role"] == "counsellor" for e in reads)
    assert not any(p in str(audit + reads) for p in people.values())

    # For cron: the command exits 1 while anyone is on the report.
    done = subprocess.run(
        [MATCHER, "report", "continuity"],
        env=paths_server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert people["B"] in done.stdout and "handover_unacknowledged" in done.stdout


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_continuity_page(paths_server, network, browser, screenshots, language):
    token = paths_server.cli(
        "token", "create", "--role", "counsellor", "--organisation", network["orgs"]["school"]
    )
    browser.delete_all_cookies()
    browser.get(f"{paths_server.url}/sign-in")
    Select(browser.find_element(By.ID, "language-choice")).select_by_value(language)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.inline-form button[type=submit]"))
    wait_for(browser, f'html[lang="{language}"]')
    browser.find_element(By.ID, "token").send_keys(token)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]"))
    wait_for(browser, "nav a[href='/reports/continuity'][aria-current=page]")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert network["people"]["B"] in page and "Vaasan ammattiopisto" in page
    screenshot(browser, screenshots / f"continuity-{language}.png")
