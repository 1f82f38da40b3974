"""The programme results dashboard in headless Chromium, in Finnish, Swedish and English, with
its chart, its numbers and its CSV; screenshots in var/screenshots/programme-*.png."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_web import NEED, screenshot, sign_in, wait_for

TITLES = {"fi": "Ohjelman tulokset", "sv": "Programmets resultat", "en": "Programme results"}
CSV_HEADERS = {"fi": "Jakso,Palveltu", "sv": "Period,Betjänade", "en": "Period,Served"}


@pytest.fixture(scope="module")
def sent(server) -> str:
    """A shortlist of three sent to the demo company, one of them hired: the dashboard has
    something of this session to show."""
    staff = server.headers("recruiter")
    # Other tests of the session may have sent the same need: a duplicate on purpose.
    need = requests.post(
        f"{server.url}/v1/needs?allow_duplicate=true",
        json=NEED,
        headers=server.headers("company"),
        timeout=30,
    ).json()["id"]
    ranked = requests.get(
        f"{server.url}/v1/needs/{need}/candidates?limit=3", headers=staff, timeout=60
    ).json()["items"]
    entries = [{"jobseeker_id": i["candidate"]["id"]} for i in ranked]
    shortlist = requests.post(
        f"{server.url}/v1/needs/{need}/shortlists", json={"entries": entries}, headers=staff,
        timeout=60,
    ).json()["id"]  # fmt: skip
    for step, body in (("sign", {"signed_by": "Maija"}), ("send", None)):
        requests.post(
            f"{server.url}/v1/shortlists/{shortlist}/{step}", json=body, headers=staff, timeout=60
        ).raise_for_status()
    requests.post(
        f"{server.url}/v1/shortlists/{shortlist}/entries/1/feedback",
        json={"decision": "interview", "reason": "skills"},
        headers=server.headers("company"),
        timeout=60,
    ).raise_for_status()
    return shortlist


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_programme_dashboard(server, browser, screenshots, sent, language):
    sign_in(browser, server, server.tokens["recruiter"], language)
    browser.get(f"{server.url}/reports/programme")
    assert wait_for(browser, "main h1").text == TITLES[language]
    lines = WebDriverWait(browser, 60).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "figure.chart svg polyline.series-line")
    )
    assert len(lines) == 7  # people served and six stages
    totals = browser.find_elements(By.CSS_SELECTOR, "#programme-totals tbody tr")
    assert len(totals) == 6
    shortlisted = int(totals[0].find_elements(By.TAG_NAME, "td")[0].text)
    assert shortlisted >= 3
    months = browser.find_elements(By.CSS_SELECTOR, "#programme-series tbody tr")
    assert len(months) >= 12
    screenshot(browser, screenshots / f"programme-{language}.png")

    link = browser.find_element(By.ID, "programme-csv").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    csv = requests.get(link, cookies=cookies, timeout=60)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert csv.text.startswith(CSV_HEADERS[language])
    assert int(csv.text.splitlines()[1].split(",")[2]) == shortlisted
