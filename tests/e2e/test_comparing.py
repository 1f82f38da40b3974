"""Pages built for comparing, measured in headless Chromium against the gunicorn-served demo:
20 candidates within about three screen heights of a 1366×768 laptop, no page wider than a
400 px phone, the person's whole record, and every flag of the reports in sight. Screenshots
of the candidate list, the person's page and the reports in each language are left in
var/screenshots/."""

from __future__ import annotations

import json

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_web import NEED, sign_in, wait_for

LAPTOP = (1366, 768)
PHONE = 400
LANGUAGES = ["fi", "sv", "en"]
DESCRIPTION = "Levyseppä-hitsaajaksi konepajaan.\nMIG-hitsausta, piirustusten lukemista."


@pytest.fixture(scope="module")
def need_id(server) -> str:
    """A need with a description, its candidates' first three with an outcome or a pin."""
    body = {**NEED, "description": DESCRIPTION}
    headers = server.headers("company")
    response = requests.post(f"{server.url}/v1/needs", json=body, headers=headers, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture(scope="module")
def person_id(server, need_id) -> str:
    """The need's first candidate, contacted, interviewed and pinned."""
    staff = server.headers("recruiter")
    listed = requests.get(
        f"{server.url}/v1/needs/{need_id}/candidates?limit=1", headers=staff, timeout=60
    ).json()
    person = listed["items"][0]["candidate"]["id"]
    base = f"{server.url}/v1/needs/{need_id}/candidates/{person}"
    for outcome in ("contacted", "interviewed"):
        body = {"outcome": outcome, "note": "Puhelu"}
        assert requests.post(f"{base}/outcome", json=body, headers=staff, timeout=30).ok
    pin = {"action": "pin", "reason": "Vahva MIG-kokemus"}
    assert requests.put(f"{base}/decision", json=pin, headers=staff, timeout=30).ok
    return person


def measure(browser) -> dict[str, int]:
    """The page's size against the window's."""
    return browser.execute_script(
        "return {height: document.body.scrollHeight, width: document.documentElement.scrollWidth,"
        " bodyWidth: document.body.scrollWidth, innerWidth: window.innerWidth,"
        " innerHeight: window.innerHeight}"
    )


def screenshot(browser, path, width: int) -> None:
    """Save the whole page at ``width`` (the window stretched to the page's height)."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 800), 12000))
    browser.save_screenshot(str(path))


def test_twenty_candidates_fit_three_laptop_screens(server, browser, need_id, screenshots):
    sign_in(browser, server, server.tokens["recruiter"])
    browser.set_window_size(*LAPTOP)
    browser.get(f"{server.url}/needs/{need_id}?limit=20")
    wait_for(browser, "table.compare tbody.candidate")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.compare tbody.candidate")) == 20
    assert browser.find_element(By.CSS_SELECTOR, ".description").text == DESCRIPTION
    size = measure(browser)
    print("laptop", json.dumps(size))
    screenshot(browser, screenshots / "candidate-list-20.png", LAPTOP[0])
    assert size["width"] <= size["innerWidth"], size
    assert size["height"] <= 3 * LAPTOP[1], size
    # Details open on demand: the explanation is out of sight until asked for.
    first = browser.find_element(By.CSS_SELECTOR, "tbody.candidate")
    assert not first.find_element(By.CSS_SELECTOR, ".explanation").is_displayed()
    first.find_element(By.CSS_SELECTOR, "details > summary").click()
    assert first.find_element(By.CSS_SELECTOR, ".explanation").is_displayed()


@pytest.mark.parametrize(
    "path",
    [
        "/needs",
        "/needs/{need}?limit=20&include_excluded=true",
        "/jobseekers",
        "/jobseekers/{person}",
        "/reports",
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(server, browser, need_id, person_id, path):
    sign_in(browser, server, server.tokens["recruiter"])
    browser.set_window_size(PHONE, 800)
    browser.get(server.url + path.format(need=need_id, person=person_id))
    wait_for(browser, "main h1")
    size = measure(browser)
    print("phone", path, json.dumps(size))
    assert size["innerWidth"] <= PHONE
    assert size["width"] <= size["innerWidth"] and size["bodyWidth"] <= size["innerWidth"], size
    # Details opened do not widen the page either.
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    opened = measure(browser)
    print("phone, details open", path, json.dumps(opened))
    assert opened["width"] <= opened["innerWidth"], opened


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_candidate_list_in_each_language(
    server, browser, need_id, person_id, screenshots, language
):
    sign_in(browser, server, server.tokens["recruiter"], language)
    browser.set_window_size(*LAPTOP)
    browser.get(f"{server.url}/needs/{need_id}?limit=20&include_excluded=true")
    wait_for(browser, "table.compare tbody.candidate")
    pinned = browser.find_element(By.CSS_SELECTOR, "tbody.candidate")
    assert pinned.get_attribute("id") == f"candidate-{person_id}"
    screenshot(browser, screenshots / f"candidate-list-{language}.png", LAPTOP[0])
    browser.set_window_size(PHONE, 800)
    screenshot(browser, screenshots / f"candidate-list-phone-{language}.png", PHONE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_persons_page_in_each_language(
    server, browser, need_id, person_id, screenshots, language
):
    sign_in(browser, server, server.tokens["recruiter"], language)
    browser.set_window_size(*LAPTOP)
    browser.get(f"{server.url}/jobseekers/{person_id}")
    rows = wait_for(browser, "#history + table.history").find_elements(By.CSS_SELECTOR, "tbody tr")
    kinds = [row.get_attribute("class") for row in rows]
    # The demo's own history of the person comes first; what this module recorded, last.
    assert kinds[-3:] == ["history-outcome", "history-outcome", "history-decision"]
    times = [
        t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".history time")
    ]
    assert len(times) == len(rows) and times == sorted(times)
    assert browser.find_element(By.ID, "work-history").is_displayed()
    screenshot(browser, screenshots / f"jobseeker-{language}.png", LAPTOP[0])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reports_show_every_flag_the_banner_counts(server, browser, screenshots, language):
    report = requests.get(
        f"{server.url}/v1/reports/fairness", headers=server.headers("recruiter"), timeout=300
    ).json()
    sign_in(browser, server, server.tokens["recruiter"], language)
    browser.set_window_size(*LAPTOP)
    browser.get(f"{server.url}/reports")
    WebDriverWait(browser, 300).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
    )
    banner = browser.find_elements(By.CSS_SELECTOR, ".flag-banner li")
    flagged = browser.find_elements(By.CSS_SELECTOR, "rect.chart-bar-flagged")
    visible = [bar for bar in flagged if bar.is_displayed()]
    print(language, "flags", len(report["flags"]), "banner", len(banner), "bars", len(visible))
    assert len(banner) == len(visible) == len(flagged) == len(report["flags"])
    screenshot(browser, screenshots / f"reports-{language}.png", LAPTOP[0])
