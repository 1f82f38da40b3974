"""The batch on an existing Dask cluster: a scheduler and two workers started as separate
commands on loopback, as on separate machines, and ``matcher batch --scheduler`` pointed at
it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dask.distributed import Client

from matcher.dataset import FIXTURES, load_dataset
from service.seed import add_shipped_vectors
from service.storage import Store
from tests.e2e.conftest import MATCHER, free_port

DASK = str(Path(sys.executable).with_name("dask"))


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers, each its own command; the address."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    commands = [[DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
    commands += [
        [DASK, "worker", address, "--nthreads", "1", "--no-dashboard", "--name", f"worker-{i}"]
        for i in range(2)
    ]
    processes = []
    for i, command in enumerate(commands):
        log = open(tmp_path / f"dask-{i}.log", "w")  # noqa: SIM115 (closed with the process)
        processes.append((subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log))
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process, log in processes[::-1]:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def test_the_batch_on_a_cluster_gives_the_lists_of_one_machine(cluster, tmp_path):
    data = load_dataset()
    database_url = f"sqlite:///{tmp_path / 'cluster.sqlite3'}"
    store = Store.connect(database_url)
    store.add_companies(data.companies)
    needs, people = data.needs[:40], data.jobseekers[:200]
    store.add_jobseekers(people)
    store.add_needs(needs)
    add_shipped_vectors(store, FIXTURES, needs, people)
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "k"}
    env["KOHTAANTO_AS_OF"] = "2026-12-01"
    runs = []
    for where in ([], ["--scheduler", cluster, "--chunk-size", "10"]):
        subprocess.run(
            [MATCHER, "batch", "--k", "10", *where],
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        runs.append(store.latest_run()["id"])
    assert runs[0] != runs[1]
    for need in store.open_needs():
        one, two = (store.run_candidates(run, need.id) for run in runs)
        assert [(c["jobseeker_id"], c["rank"], c["score"]) for c in one] == [
            (c["jobseeker_id"], c["rank"], c["score"]) for c in two
        ]
    with Client(cluster, timeout=30) as client:
        # Both workers took part: each received the prepared jobseekers and chunks to score.
        busy = client.run(lambda dask_worker: dask_worker.state.transition_counter)
    assert len(busy) == 2 and all(count > 0 for count in busy.values())
    store.engine.dispose()
