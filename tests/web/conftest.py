"""Web page fixtures: the service tests' app on SQLite and PostgreSQL (``world``), a browser-like
test client that signs in and sends forms with their CSRF token, and a small all-Finnish world
for the translation checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from matcher.domain import Company, Jobseeker, Need
from service import create_app
from service.storage_paths import PathStore
from service.web.i18n import LANGUAGE_COOKIE
from tests.service.conftest import client, database_url, small_dataset, world  # noqa: F401

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class Pages:
    """A Flask test client used as a browser would: it signs in with a token and posts each
    form with the CSRF token of the page it came from."""

    def __init__(self, test_client, language: str = "en") -> None:
        self.client = test_client
        test_client.set_cookie(LANGUAGE_COOKIE, language)

    def csrf_token(self, path: str = "/sign-in") -> str:
        """The CSRF token a page carries (tied to this client's session)."""
        return CSRF.search(self.client.get(path).get_data(as_text=True))[1]

    def sign_in(self, token: str):
        """Sign in with a bearer token, as the sign-in form does."""
        return self.post("/sign-in", {"token": token}, from_page="/sign-in")

    def post(self, path: str, data: dict, from_page: str | None = None, **kwargs):
        """Post a form, with the CSRF token of ``from_page`` (default: ``path`` itself)."""
        token = self.csrf_token(from_page or path)
        return self.client.post(path, data={**data, "csrf_token": token}, **kwargs)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def text(self, path: str) -> str:
        """A page's HTML; fails unless it answered 200."""
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)


@pytest.fixture
def pages(world) -> Pages:  # noqa: F811
    """An anonymous browser on the test world's app."""
    return Pages(world.app.test_client())


@pytest.fixture
def recruiter(world) -> Pages:  # noqa: F811
    """A browser signed in as a recruiter."""
    browser = Pages(world.app.test_client())
    assert browser.sign_in(world.recruiter).status_code == 302
    return browser


@pytest.fixture
def company_a(world) -> Pages:  # noqa: F811
    """A browser signed in as company A's user."""
    browser = Pages(world.app.test_client())
    assert browser.sign_in(world.token_a).status_code == 302
    return browser


@pytest.fixture
def company_b(world) -> Pages:  # noqa: F811
    """A browser signed in as company B's user."""
    browser = Pages(world.app.test_client())
    assert browser.sign_in(world.token_b).status_code == 302
    return browser


FINNISH_PEOPLE = [
    ("Aino Virtanen", "Hitsaaja", ["hitsaus", "MIG-hitsaus", "trukkikortti"]),
    ("Matti Korhonen", "Koneasentaja", ["koneistus", "hitsaus"]),
    ("Liisa Nieminen", "Kokki", ["ruoanvalmistus", "hygieniapassi"]),
    ("Jussi Mäkinen", "Varastotyöntekijä", ["trukkikortti", "keräily"]),
    ("Elina Hämäläinen", "Lähihoitaja", ["lääkehoito", "vanhustyö"]),
    ("Timo Laine", "Levyseppä", ["levytyö", "hitsaus", "piirustusten lukeminen"]),
]


# An international candidate's eligibility data, in Finnish.
INTERNATIONAL = {
    "work_permit_type": "temporary",
    "work_permit_expires": "2027-12-31",
    "qualification_recognitions": [{"field": "Hitsaus", "status": "pending"}],
    "languages_studied": [{"language": "fi", "target_level": "B1", "target_date": "2027-06-01"}],
}


@pytest.fixture
def finnish_world(tmp_path):
    """An app holding only Finnish text (so that any English on a Finnish or Swedish page
    comes from the interface), a recruiter token and a company token."""
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'fi.sqlite3'}",
            "SECRET_KEY": "test-secret",
            "AS_OF": "2026-12-01",
        }
    )
    store = app.extensions["kohtaanto"].store
    store.add_companies([Company("C-fi", "Pohjanmaan Konepaja Oy", "Vaasa")])
    store.add_needs([_need("N-fi-1", "Hitsaaja"), _need("N-fi-2", "Levyseppä", "apprenticeship")])
    store.add_jobseekers(
        [
            Jobseeker.from_dict(
                {
                    "id": f"J-fi-{i}",
                    "name": name,
                    "headline": headline,
                    "skills": skills,
                    "municipality": "Vaasa",
                    "languages": [{"language": "fi", "level": "native"}],
                    "available_from": "2026-12-01",
                    "service_path": "osmo",
                    **(INTERNATIONAL if i == 1 else {}),
                }
            )
            for i, (name, headline, skills) in enumerate(FINNISH_PEOPLE)
        ]
    )
    school = _paths_on_the_way(store)
    tokens = {
        "recruiter": store.create_token("recruiter")[0],
        "company": store.create_token("company", "C-fi")[0],
        "counsellor": store.create_token("counsellor", organisation_id=school)[0],
    }
    yield app, tokens
    store.engine.dispose()


def _need(need_id: str, title: str, kind: str = "vacancy") -> Need:
    return Need.from_dict(
        {
            "id": need_id,
            "company_id": "C-fi",
            "kind": kind,
            "title": title,
            "required_skills": ["hitsaus", "piirustusten lukeminen"],
            "preferred_skills": ["trukkikortti"],
            "languages": [{"language": "fi", "level": "B1"}],
            "municipality": "Vaasa",
            "start_date": "2027-01-15",
        }
    )


def _paths_on_the_way(store) -> str:
    """Two people off their path in the Finnish world: a handover to a vocational school left
    unacknowledged since 2026-11-20 (J-fi-1), and a next step past its date (J-fi-2); the
    school's id."""
    paths = PathStore(store)
    office = paths.add_organisation("TE-toimisto Vaasa", "employment_office")["id"]
    school = paths.add_organisation("Vaasan ammattiopisto", "education_provider")["id"]

    def step(person, organisation, service, start, status, counsellor):
        return paths.add_step(
            person,
            {
                "service": service,
                "organisation_id": organisation,
                "counsellor": counsellor,
                "start": dt.date.fromisoformat(start),
                "status": status,
            },
        )

    coaching = {
        person: step(person, office, "coaching", "2026-09-01", "current", "Aino Ohjaaja")
        for person in ("J-fi-1", "J-fi-2")
    }
    for person in coaching:
        step(person, school, "apprenticeship", "2026-11-20", "planned", "Pekka Opettaja")
    paths.end_step("J-fi-1", coaching["J-fi-1"]["id"], dt.date(2026, 11, 20))
    return school
