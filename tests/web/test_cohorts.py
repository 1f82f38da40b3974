"""The cohort page: a coordinator solves, fixes a near-miss, excludes a seat and solves again;
a company user cannot reach it."""

from __future__ import annotations

import dataclasses
import re

import pytest


@pytest.fixture
def training(world):
    need, _ = world.store.need(world.need_a)
    world.store.replace_need(dataclasses.replace(need, kind="recruitment_training", positions=3))
    return world


def rows(html: str, group: str) -> list[str]:
    table = re.search(rf'<table class="cohort {group}">(.*?)</table>', html, re.S)
    return re.findall(r'<tr id="member-([^"]+)"', table[1]) if table else []


def test_a_coordinator_solves_fixes_and_solves_again(recruiter, training):
    path = f"/needs/{training.need_a}/cohort"
    assert "No cohort yet." in recruiter.text(path)
    first = recruiter.post(path, {"reserves": "2"}).get_data(as_text=True)
    seats, reserves = rows(first, "seats"), rows(first, "reserves")
    assert len(seats) == 3 and len(reserves) == 2
    near = rows(first, "near_misses")
    chosen = {"fixed": [near[0]], "excluded": [seats[0]], "reserves": "2"}
    second = recruiter.post(path, chosen).get_data(as_text=True)
    assert near[0] in rows(second, "seats") and seats[0] not in rows(second, "seats")
    assert "Fixed by the coordinator" in second
    # The page shows the stored cohort, with the coordinator's choices still ticked.
    again = recruiter.text(path)
    assert rows(again, "seats") == rows(second, "seats")
    assert f'value="{near[0]}" id="fix-{near[0]}" checked' in again


def test_an_impossible_fix_is_refused_and_the_stored_cohort_stays(recruiter, training):
    path = f"/needs/{training.need_a}/cohort"
    seats = rows(recruiter.post(path, {"reserves": "1"}).get_data(as_text=True), "seats")
    response = recruiter.post(path, {"fixed": "J-nobody"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "cannot all sit" in html and rows(html, "seats") == seats
    assert rows(recruiter.text(path), "seats") == seats


def test_a_company_user_cannot_open_the_cohort_page(company_a, training):
    assert company_a.get(f"/needs/{training.need_a}/cohort").status_code in (403, 404)
    assert company_a.get(f"/needs/{training.need_a}/proposals").status_code in (403, 404)


def test_the_pathways_page_names_the_training_step(recruiter, world):
    from matcher.domain import Need

    base = {
        "company_id": world.company_a,
        "required_skills": ["trukkikortti", "varastonhallinta"],
        "municipality": "Vaasa",
    }
    world.store.add_needs(
        [
            Need.from_dict(
                {**base, "id": "N-forklift", "kind": "vacancy", "title": "Trukinkuljettaja"}
            ),
            Need.from_dict(
                {
                    **base,
                    "id": "N-course",
                    "kind": "recruitment_training",
                    "title": "Varastokoulutus",
                    "end_date": "2027-02-20",
                }
            ),
        ]
    )
    html = recruiter.text("/needs/N-forklift/pathways")
    steps = re.search(r'<ol class="after-training">(.*?)</ol>', html, re.S)
    assert steps and "Varastokoulutus" in steps[1] and "Trukinkuljettaja" in steps[1]
