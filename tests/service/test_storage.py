"""The store on a real database: migrations, atomic writes, erasure, retention."""

from __future__ import annotations

import dataclasses
import datetime as dt
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import event, update

from service.config import load_config
from service.retention import apply_retention
from service.storage import (
    Conflict,
    JobseekerRow,
    NotFound,
    Store,
    make_engine,
    table_counts,
)


@pytest.fixture
def store(database_url, small_dataset):
    companies, needs, people = small_dataset
    store = Store.connect(database_url)
    store.add_companies(companies)
    store.add_needs(needs)
    store.add_jobseekers(people)
    yield store
    store.engine.dispose()


def test_migrating_twice_changes_nothing(store, database_url):
    before = table_counts(store)
    Store.connect(database_url).engine.dispose()
    assert table_counts(store) == before


def test_the_migrations_build_exactly_the_models_schema(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from service.storage import Base

    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_data_versions_start_at_zero_and_count_writes(database_url, small_dataset):
    companies, needs, people = small_dataset
    store = Store.connect(database_url)
    # Seeded by the migrations (jobseekers, needs, jobseeker removals): concurrent first
    # writes then only update the rows.
    assert table_counts(store, ["data_versions"]) == {"data_versions": 3}
    assert (store.jobseekers_version(), store.needs_version()) == (0, 0)
    store.add_companies(companies)
    store.add_needs(needs)
    store.replace_need(dataclasses.replace(needs[0], title="Changed"))
    assert (store.jobseekers_version(), store.needs_version()) == (0, 2)
    store.engine.dispose()


def test_sqlite_is_durable_by_configuration(tmp_path):
    store = Store.connect(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.engine.dispose()


def test_sqlite_overwrites_what_it_deletes_whatever_the_builds_default(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    # Start each connection as a build compiled without SQLITE_SECURE_DELETE would.
    event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA secure_delete=OFF"), insert=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_constraint_violation_mid_batch_writes_nothing(store, small_dataset):
    _, needs, people = small_dataset
    before = table_counts(store)
    fresh = [dataclasses.replace(p, id=f"NEW-{i}") for i, p in enumerate(people[:5])]
    with pytest.raises(Conflict):
        store.add_jobseekers([*fresh, people[0]])  # the last one's id is taken
    with pytest.raises(Conflict):
        store.add_needs([dataclasses.replace(needs[0], id="N-new", company_id="no-such-company")])
    assert table_counts(store) == before


def test_update_of_missing_row_is_not_found(store, small_dataset):
    with pytest.raises(NotFound):
        store.replace_need(dataclasses.replace(small_dataset[1][0], id="N-missing"))


CRASHING_WRITER = textwrap.dedent("""
    import dataclasses, sys, time
    from matcher.dataset import load_dataset
    from service.storage import JobseekerRow, Store, _jobseeker_row, utcnow
    store = Store.connect(sys.argv[1])
    person = load_dataset().jobseekers[0]
    with store.transaction() as session:
        for chunk in range(1000):
            now = utcnow()
            rows = [dataclasses.replace(person, id=f"X{chunk}-{i}") for i in range(100)]
            session.add_all(_jobseeker_row(row, now, now) for row in rows)
            session.flush()
            if chunk == 3:
                print("flushed", flush=True)
                time.sleep(60)
""")


def test_a_writer_killed_mid_bulk_leaves_the_database_unchanged(store, database_url):
    before = table_counts(store)
    store.engine.dispose()
    with subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, database_url], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout.readline().strip() == "flushed"
        finally:
            child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    reopened = Store.connect(database_url)
    assert table_counts(reopened) == before
    reopened.engine.dispose()


def test_retention_erases_stale_people_and_keeps_recent_audit(store):
    people = store.active_jobseekers()
    stale = people[0].id
    with store.transaction() as session:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
        session.execute(update(JobseekerRow).where(JobseekerRow.id == stale).values(updated_at=old))
    config = load_config({"DATABASE_URL": "sqlite:///unused", "SECRET_KEY": "x"})
    result = apply_retention(
        store, config["RETENTION_DAYS"], config["AUDIT_RETENTION_DAYS"], lambda i: f"p:{i}"
    )
    assert result == {
        "jobseekers_erased": 1,
        "audit_entries_purged": 0,
        "idempotency_keys_purged": 0,
    }
    with pytest.raises(NotFound):
        store.jobseeker(stale)
    assert len(store.active_jobseekers()) == len(people) - 1
    assert store.audit_log(page=1, page_size=5).items[0]["detail"]["reason"] == "retention"


def test_audit_retention_cannot_be_set_below_six_months():
    with pytest.raises(ValueError, match="6 months"):
        load_config({"DATABASE_URL": "sqlite:///x", "SECRET_KEY": "x", "AUDIT_RETENTION_DAYS": 30})


def test_tokens_are_stored_hashed(store):
    token, _ = store.create_token("recruiter", label="t")
    with store.engine.connect() as connection:
        stored = [row[0] for row in connection.exec_driver_sql("SELECT token_hash FROM tokens")]
    assert token not in stored and len(stored[0]) == 64
    assert store.principal(token).role == "recruiter"
    assert store.principal("kt_not-a-token") is None
    with pytest.raises(ValueError):
        store.create_token("company")


def test_only_a_vector_of_the_owners_stored_text_is_kept(store, small_dataset):
    from matcher.embedding import text_key

    _, _, people = small_dataset
    person, other = people[0], people[1]
    real = (person.id, text_key(person))
    imagined = dataclasses.replace(person, skills=(*person.skills, "trukinkuljettaja"))
    store.save_vectors(
        "person",
        {
            real: [1.0, 0.0],
            # A profile imagined from the person (a pathway's "after the training").
            (person.id, text_key(imagined)): [0.0, 1.0],
            ("no-such-person", real[1]): [1.0, 1.0],
            (other.id, "not-its-text"): [0.5, 0.5],
        },
    )
    keys = [real, (other.id, "not-its-text"), ("no-such-person", real[1])]
    found = store.load_vectors("person", keys)
    assert list(found) == [real] and found[real].tolist() == [1.0, 0.0]
