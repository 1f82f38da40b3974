"""Service fixtures: an app on a fresh database (SQLite, and PostgreSQL when reachable),
a small slice of the fixture data, and tokens for each role and two companies."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from matcher.dataset import load_dataset
from service import create_app
from service.storage import Store

PG_URL = os.environ.get(
    "KOHTAANTO_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> bool:
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


POSTGRES = _postgres_available()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES and not os.environ.get("CI"), reason="no PostgreSQL server reachable"
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """An empty database: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def small_dataset():
    """Two companies with their needs, and 60 jobseekers, from the fixture data."""
    data = load_dataset()
    companies = data.companies[:2]
    ids = {c.id for c in companies}
    needs = [n for n in data.needs if n.company_id in ids]
    return companies, needs, data.jobseekers[:60]


@dataclass
class World:
    """A running app with data and one token per role (two company tokens)."""

    app: object
    store: Store
    company_a: str
    company_b: str
    need_a: str
    need_b: str
    recruiter: str
    admin: str
    token_a: str
    token_b: str

    def headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def world(database_url, small_dataset) -> World:
    companies, needs, people = small_dataset
    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "AS_OF": "2026-12-01"}
    )
    store = app.extensions["kohtaanto"].store
    store.add_companies(companies)
    store.add_needs(needs)
    store.add_jobseekers(people)
    a, b = companies[0].id, companies[1].id
    world = World(
        app=app,
        store=store,
        company_a=a,
        company_b=b,
        need_a=next(n.id for n in needs if n.company_id == a),
        need_b=next(n.id for n in needs if n.company_id == b),
        recruiter=store.create_token("recruiter")[0],
        admin=store.create_token("admin")[0],
        token_a=store.create_token("company", a)[0],
        token_b=store.create_token("company", b)[0],
    )
    yield world
    store.engine.dispose()


@pytest.fixture
def client(world):
    return world.app.test_client()


def send_shortlist(client, world, need_id: str, people: list[str]) -> str:
    """A recruiter shortlists ``people`` for ``need_id``, signs it off and sends it to the
    company; the shortlist's id."""
    staff = world.headers(world.recruiter)
    entries = [{"jobseeker_id": p, "note": ""} for p in people]
    made = client.post(f"/v1/needs/{need_id}/shortlists", json={"entries": entries}, headers=staff)
    assert made.status_code == 201, made.get_json()
    url = f"/v1/shortlists/{made.get_json()['id']}"
    signed = client.post(f"{url}/sign", json={"signed_by": "Maija R."}, headers=staff)
    assert signed.status_code == 200, signed.get_json()
    sent = client.post(f"{url}/send", headers=staff)
    assert sent.status_code == 200, sent.get_json()
    return made.get_json()["id"]
