"""Jobseekers found by name, a skill in any language, a language level, availability, path
and how long since the profile was updated."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import update

from service.storage import JobseekerRow, utcnow
from tests.conftest import make_jobseeker

# People of this test, apart from the fixture's: the same skill written in three languages.
PEOPLE = [
    {
        "id": "S-fi",
        "name": "Sakari Öhman",
        "skills": ["hitsaus"],
        "service_path": "osmo",
        "languages": [{"language": "sv", "level": "B1"}],
        "available_from": "2027-01-10",
    },
    {
        "id": "S-sv",
        "name": "Stina Åkerlund",
        "skills": ["svetsning"],
        "service_path": "osku",
        "languages": [{"language": "sv", "level": "native"}],
        "available_from": "2027-02-01",
    },
    {
        "id": "S-en",
        "name": "Sam Welder",
        "headline": "MIG welding and welding of steel",
        "skills": [],
        "languages": [{"language": "sv", "level": "C1"}],
        "available_from": None,
    },
    {
        "id": "S-cook",
        "name": "Sara Kokki",
        "skills": ["ruoanvalmistus"],
        "service_path": "osmo",
        "languages": [{"language": "sv", "level": "B2"}],
        "available_from": "2027-01-10",
    },
]


@pytest.fixture
def people(world):
    world.store.add_jobseekers([make_jobseeker(**p) for p in PEOPLE])
    return world


def found(client, world, **query) -> list[str]:
    response = client.get(
        "/v1/jobseekers",
        query_string={"page_size": 100, **query},
        headers=world.headers(world.recruiter),
    )
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def ours(ids: list[str]) -> list[str]:
    return [i for i in ids if i.startswith("S-")]


@pytest.mark.parametrize("skill", ["hitsaus", "svetsning", "welding", "Hitsausta"])
def test_a_skill_in_any_language_finds_the_same_people(client, people, skill):
    assert ours(found(client, people, skill=skill)) == ["S-en", "S-fi", "S-sv"]


def test_every_person_found_by_a_skill_shows_it(client, people):
    services = people.app.extensions["kohtaanto"]
    mapper = services.scorer.skills_.mapper_
    from matcher.duplicates import person_concepts

    ids = found(client, people, skill="svetsning")
    shown = people.store.jobseekers_by_id(ids)
    assert ids and all("welding" in person_concepts(mapper, shown[i]) for i in ids)


def test_an_unknown_skill_is_looked_for_in_the_words(client, people):
    assert ours(found(client, people, skill="steel")) == ["S-en"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "sam"}, ["S-en"]),
        ({"name": "ÅKERLUND"}, ["S-sv"]),
        ({"name": "öhman"}, ["S-fi"]),
        ({"language": "sv", "min_level": "B2"}, ["S-cook", "S-en", "S-sv"]),
        ({"language": "sv", "min_level": "native"}, ["S-sv"]),
        ({"language": "sv"}, ["S-cook", "S-en", "S-fi", "S-sv"]),
        ({"available_by": "2027-01-31"}, ["S-cook", "S-en", "S-fi"]),
        ({"service_path": "osmo", "skill": "svetsning"}, ["S-fi"]),
        ({"skill": "welding", "language": "sv", "min_level": "B2"}, ["S-en", "S-sv"]),
    ],
)
def test_filters(client, people, query, expected):
    assert ours(found(client, people, **query)) == expected


def test_staleness_counts_days_since_the_profile_was_updated(client, people):
    long_ago = utcnow() - dt.timedelta(days=40)
    with people.store.transaction() as session:
        session.execute(
            update(JobseekerRow).where(JobseekerRow.id == "S-cook").values(updated_at=long_ago)
        )
    assert found(client, people, stale_days=30) == ["S-cook"]
    fresh = found(client, people, updated_within_days=30)
    assert "S-cook" not in fresh and {"S-fi", "S-sv", "S-en"} <= set(fresh)


def test_pages_of_a_skill_search_add_up(client, people):
    pages = [found(client, people, skill="welding", page=n, page_size=1) for n in (1, 2, 3, 4)]
    assert [ours(p) for p in pages] == [["S-en"], ["S-fi"], ["S-sv"], []]


def test_a_level_needs_a_language(client, people):
    response = client.get("/v1/jobseekers?min_level=B2", headers=people.headers(people.recruiter))
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"] == "min_level"


def test_the_audit_entry_names_the_filters_not_what_was_searched(client, people):
    found(client, people, name="Åkerlund", skill="svetsning")
    entry = people.store.audit_log(page=1, page_size=1, action="jobseekers.read").items[0]
    assert entry["detail"]["filters"] == ["name", "skill"]
    assert "Åkerlund" not in json.dumps(entry, ensure_ascii=False, default=str)
