"""The web pages in headless Chromium against the gunicorn-served app: a company submits a need
(an error first), a recruiter works through its candidates, another company is kept out.
Screenshots of the main pages are left in var/screenshots/."""

from __future__ import annotations

import pytest
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

NEED = {
    "kind": "vacancy",
    "title": "Levyseppä-hitsaaja",
    "required_skills": ["MIG-hitsaus", "piirustusten lukeminen"],
    "languages": [{"language": "fi", "level": "B1"}],
    "municipality": "Vaasa",
    "start_date": "2027-01-15",
}


def wait_for(browser, css: str, timeout: float = 30):
    """The element matching ``css`` once it is on the page."""
    return WebDriverWait(browser, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def follow(browser, element) -> None:
    """Click ``element`` and wait until the next page has replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    # While the page is being replaced, Chromium may answer "node not in the document".
    WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(
        ec.staleness_of(page)
    )


def sign_in(browser, server, token: str, language: str = "en") -> None:
    """Sign in through the sign-in page, first choosing the language with the switcher."""
    browser.delete_all_cookies()
    browser.get(f"{server.url}/sign-in")
    Select(browser.find_element(By.ID, "language-choice")).select_by_value(language)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.inline-form button[type=submit]"))
    wait_for(browser, f'html[lang="{language}"]')
    browser.find_element(By.ID, "token").send_keys(token)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]"))
    wait_for(browser, "nav a[href='/needs']")


def screenshot(browser, path) -> None:
    """Save the whole page (the window stretched to its height, then set back)."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height, 1000), 8000))
    browser.save_screenshot(str(path))
    browser.set_window_size(1280, 1000)


def submit(browser, form_css: str = "form.need-form") -> None:
    follow(browser, browser.find_element(By.CSS_SELECTOR, f"{form_css} button.primary"))


def value(browser, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).get_attribute("value")


def api_need(server, token_role: str = "company") -> str:
    # Each test adds the same need to the session's server: a duplicate on purpose.
    response = requests.post(
        f"{server.url}/v1/needs?allow_duplicate=true",
        json=NEED,
        headers=server.headers(token_role),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_company_submits_a_need_after_an_error(server, browser, screenshots):
    sign_in(browser, server, server.tokens["company"])
    browser.get(f"{server.url}/needs/new")
    Select(browser.find_element(By.ID, "f-kind")).select_by_value("apprenticeship")
    browser.find_element(By.ID, "f-municipality").send_keys("Vaasa")
    skills = browser.find_element(By.ID, "f-required_skills")
    skills.send_keys("MIG-hitsaus\npiirustusten lukeminen")
    Select(browser.find_element(By.ID, "f-languages-0-language")).select_by_value("fi")
    Select(browser.find_element(By.ID, "f-languages-0-level")).select_by_value("B1")
    # The skill finder suggests from the vocabulary while typing (a <datalist>).
    finder = browser.find_element(By.ID, "f-preferred_skills-find")
    finder.send_keys("trukki")
    WebDriverWait(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#f-preferred_skills-options option")
    )
    suggestion = browser.find_element(By.CSS_SELECTOR, "#f-preferred_skills-options option")
    suggested = suggestion.get_attribute("value")
    finder.clear()
    finder.send_keys(suggested)
    finder.find_element(By.XPATH, "following-sibling::button").click()
    assert value(browser, "f-preferred_skills") == suggested
    submit(browser)  # no title yet

    error = wait_for(browser, "#f-title-error")
    assert error.text == "Required."
    assert browser.find_element(By.ID, "f-title").get_attribute("aria-invalid") == "true"
    assert value(browser, "f-municipality") == "Vaasa"
    assert value(browser, "f-required_skills") == "MIG-hitsaus\npiirustusten lukeminen"
    assert value(browser, "f-preferred_skills") == suggested
    assert Select(browser.find_element(By.ID, "f-kind")).first_selected_option.text == (
        "Apprenticeship"
    )
    assert value(browser, "f-languages-0-level") == "B1"
    screenshot(browser, screenshots / "need-form-with-errors.png")

    browser.find_element(By.ID, "f-title").send_keys("Oppisopimus: levyseppä-hitsaaja")
    submit(browser)
    heading = wait_for(browser, "main h1")
    assert heading.text == "Oppisopimus: levyseppä-hitsaaja"
    assert "The need was saved." in browser.find_element(By.CSS_SELECTOR, ".messages").text
    # A company reads the shortlists sent to it, never the ranking.
    assert wait_for(browser, "#shortlists").text == "Shortlists sent to you"
    assert not browser.find_elements(By.CSS_SELECTOR, "tbody.candidate")


def test_a_recruiter_pins_a_candidate_and_records_an_outcome(server, browser, screenshots):
    need_id = api_need(server)
    sign_in(browser, server, server.tokens["recruiter"])
    browser.get(f"{server.url}/needs")
    screenshot(browser, screenshots / "needs-list.png")
    browser.get(f"{server.url}/needs/{need_id}?limit=10")
    first = wait_for(browser, "tbody.candidate")
    first.find_element(By.CSS_SELECTOR, "details > summary").click()
    assert "Matched skills" in first.text and first.find_elements(By.CSS_SELECTOR, "svg.bar")
    screenshot(browser, screenshots / "candidate-list.png")
    third = browser.find_elements(By.CSS_SELECTOR, "tbody.candidate")[2]
    person = third.get_attribute("id").removeprefix("candidate-")

    third.find_element(By.CSS_SELECTOR, "details > summary").click()
    third.find_element(By.ID, f"reason-{person}").send_keys("Vahva MIG-kokemus")
    follow(browser, third.find_element(By.CSS_SELECTOR, "button[value=pin]"))
    pinned = wait_for(browser, "tbody.candidate")
    assert pinned.get_attribute("id") == f"candidate-{person}"
    assert "pinned" in pinned.text
    pinned.find_element(By.CSS_SELECTOR, "details > summary").click()
    assert "Vahva MIG-kokemus" in pinned.text

    Select(pinned.find_element(By.ID, f"outcome-{person}")).select_by_value("interviewed")
    pinned.find_element(By.ID, f"note-{person}").send_keys("Haastattelu ma 14.12.")
    follow(
        browser, pinned.find_element(By.XPATH, ".//button[normalize-space()='Record the outcome']")
    )
    message = wait_for(browser, ".messages")
    assert "Recorded: Interviewed." in message.text
    export = requests.get(
        f"{server.url}/v1/jobseekers/{person}/export",
        headers=server.headers("recruiter"),
        timeout=30,
    ).json()
    # The demo's simulated history may hold earlier outcomes of this person for other needs.
    this_need = [o["outcome"] for o in export["outcomes"] if o["need_id"] == need_id]
    assert this_need == ["interviewed"]

    follow(browser, browser.find_element(By.CSS_SELECTOR, f"#candidate-{person}-name a"))
    wait_for(browser, "main h2")
    assert "Needs that fit" in browser.page_source and "Interviewed" in browser.page_source
    screenshot(browser, screenshots / "jobseeker.png")


def test_a_second_company_cannot_reach_the_need(server, browser, second_company_token):
    need_id = api_need(server)
    sign_in(browser, server, second_company_token)
    browser.get(f"{server.url}/needs/{need_id}")
    assert wait_for(browser, "main h1").text == "Page not found"
    browser.get(f"{server.url}/needs/{need_id}/edit")
    assert wait_for(browser, "main h1").text == "Page not found"
    browser.get(f"{server.url}/needs?status=any")
    assert need_id not in browser.page_source


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_reports_page(server, browser, screenshots, language):
    sign_in(browser, server, server.tokens["recruiter"], language)
    browser.get(f"{server.url}/reports")
    charts = WebDriverWait(browser, 120).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
    )
    assert len(charts) >= 3
    screenshot(browser, screenshots / f"reports-{language}.png")


def test_the_pages_work_from_the_keyboard_and_label_every_control(server, browser):
    need_id = api_need(server)
    sign_in(browser, server, server.tokens["recruiter"])
    for path in ("/needs", "/needs/new", f"/needs/{need_id}", "/jobseekers", "/reports"):
        browser.get(f"{server.url}{path}")
        browser.switch_to.active_element.send_keys(Keys.TAB)  # the first Tab: the skip link
        assert browser.switch_to.active_element.get_attribute("class") == "skip-link", path
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !document.querySelector(`label[for='${e.id}']`)).map(e => e.name)"
        )
        assert unlabelled == [], path


def test_the_api_docs_render_from_this_site_alone(server, browser, screenshots):
    browser.get(f"{server.url}/docs")
    operations = WebDriverWait(browser, 60).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock")
    )
    assert len(operations) >= 10
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded and all(url.startswith(f"{server.url}/") for url in loaded), loaded
    screenshot(browser, screenshots / "api-docs.png")
