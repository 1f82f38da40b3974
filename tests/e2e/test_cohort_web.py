"""A coordinator in a real browser builds a cohort of 12 with 3 reserves, in Finnish, Swedish
and English, fixes one near-miss and solves again. Screenshots in var/screenshots/."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.e2e.test_web import follow, screenshot, sign_in, wait_for

SOLVE = {"fi": "Muodosta ryhmä", "sv": "Bilda gruppen", "en": "Solve the cohort"}


def training_need(server, language: str) -> str:
    company = requests.get(
        f"{server.url}/v1/companies", headers=server.headers("recruiter"), timeout=30
    ).json()["items"][0]["id"]
    need = {
        "company_id": company,
        "kind": "recruitment_training",
        "title": f"Rekrytointikoulutus: trukinkuljettaja ({language})",
        "required_skills": ["trukkikortti"],
        "municipality": "Vaasa",
        "positions": 12,
        "start_date": "2027-02-01",
    }
    # The same training in three languages' runs: a duplicate on purpose.
    response = requests.post(
        f"{server.url}/v1/needs",
        params={"allow_duplicate": "true"},
        json=need,
        headers=server.headers("recruiter"),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def members(browser, group: str) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, f"table.cohort.{group} tbody tr")
    return [row.get_attribute("id").removeprefix("member-") for row in rows]


def solve(browser) -> None:
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.cohort-form button.primary"))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_coordinator_builds_a_cohort_of_12_with_3_reserves(
    own_server, browser, screenshots, language
):
    need_id = training_need(own_server, language)
    sign_in(browser, own_server, own_server.tokens["recruiter"], language)
    browser.get(f"{own_server.url}/needs/{need_id}/cohort")
    wait_for(browser, f'html[lang="{language}"]')
    button = browser.find_element(By.CSS_SELECTOR, "form.cohort-form button.primary")
    assert button.text == SOLVE[language]
    reserves = browser.find_element(By.ID, "f-reserves")
    reserves.clear()
    reserves.send_keys("3")
    solve(browser)
    seats, backups = members(browser, "seats"), members(browser, "reserves")
    assert len(seats) == 12 and len(backups) == 3
    screenshot(browser, screenshots / f"cohort-{language}.png")

    near = members(browser, "near_misses")[0]
    browser.find_element(By.ID, f"fix-{near}").click()
    solve(browser)
    fixed_seats = members(browser, "seats")
    assert near in fixed_seats and len(fixed_seats) == 12
    assert len(members(browser, "reserves")) == 3
    assert browser.find_element(By.ID, f"fix-{near}").is_selected()
    screenshot(browser, screenshots / f"cohort-{language}-fixed.png")

    stored = requests.get(
        f"{own_server.url}/v1/needs/{need_id}/cohort",
        headers=own_server.headers("recruiter"),
        timeout=30,
    ).json()
    assert [m["jobseeker_id"] for m in stored["seats"]] == fixed_seats
    assert stored["constraints"]["fixed"] == [near]
    # Release the cohort, so that the next language's cohort may seat the same people.
    requests.delete(
        f"{own_server.url}/v1/needs/{need_id}/cohort",
        headers=own_server.headers("recruiter"),
        timeout=30,
    ).raise_for_status()
