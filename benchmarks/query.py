"""Latency of ``GET /v1/needs/{id}/candidates`` over real HTTP (not a test).

Loads synthetic jobseekers and needs into a fresh SQLite file, serves them with
``matcher serve`` (gunicorn, one worker per core, app preloaded), then sends requests at a
fixed rate (open loop: each request leaves at its scheduled time) and prints p50/p95/p99:
first for the live path (no batch run yet), then for a jobseeker's best needs
(``GET /v1/jobseekers/{id}/needs``, always live), then for precomputed candidates after
``matcher batch``.

    python benchmarks/query.py   # 100,000 jobseekers; 20 req/s live, 200 req/s precomputed
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
MATCHER = str(Path(sys.executable).with_name("matcher"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(database_url: str, people: int, needs: int) -> tuple[str, list[str], list[str]]:
    """Fill the database; returns a recruiter token, the need ids and some jobseeker ids."""
    from synthetic import generate

    from matcher.domain import Company
    from service.storage import Store

    jobseekers, wanted = generate(people, needs)
    store = Store.connect(database_url)
    store.add_companies([Company(f"C{i:04d}", f"Company {i}") for i in range(997)])
    store.add_jobseekers(jobseekers)
    store.add_needs(wanted)
    token, _ = store.create_token("recruiter", label="benchmark")
    store.engine.dispose()
    return token, [n.id for n in wanted], [p.id for p in jobseekers[:: max(1, people // 500)]]


def reuse(database_url: str) -> tuple[str, list[str], list[str]]:
    """A new recruiter token, the need ids and some jobseeker ids of an already filled
    database."""
    from service.storage import Store

    store = Store.connect(database_url)
    token, _ = store.create_token("recruiter", label="benchmark")
    need_ids = [n.id for n in store.open_needs()]
    people = [p.id for p, _ in store.jobseekers(page=1, page_size=500, active=True).items]
    store.engine.dispose()
    return token, need_ids, people


def fire(url: str, token: str, paths: list[str], rate: float, seconds: float) -> dict:
    """GET requests for ``paths`` in turn at ``rate`` per second for ``seconds``; latency
    percentiles in ms."""
    count = int(rate * seconds)
    headers = {"Authorization": f"Bearer {token}"}
    latencies = np.zeros(count)
    sources: dict[str, int] = {}
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    host, port = url.removeprefix("http://").split(":")

    def one(i: int) -> None:
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.perf_counter()
        # A plain http.client connection: the lightest client, so the load generator (on the
        # same two cores) takes as little as possible from the server.
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", paths[i % len(paths)], headers=headers)
        response = connection.getresponse()
        body = response.read()
        latencies[i] = (time.perf_counter() - sent) * 1000
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
        with lock:
            source = json.loads(body)["source"]
            sources[source] = sources.get(source, 0) + 1

    with ThreadPoolExecutor(max_workers=min(64, max(4, int(rate / 5)))) as pool:
        list(pool.map(one, range(count)))
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    return {
        "rate": rate,
        "requests": count,
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(latencies.max(), 1),
        "sources": sources,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobseekers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--live-rate", type=float, default=20)
    parser.add_argument("--jobseeker-rate", type=float, default=5)
    parser.add_argument("--batch-rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--reuse", metavar="FILE", help="an SQLite file an earlier run filled (skips loading)"
    )
    parser.add_argument("--skip-live", action="store_true", help="only the precomputed path")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="kohtaanto-query-")
    if args.reuse:
        database_url = f"sqlite:///{Path(args.reuse).resolve()}"
        token, need_ids, people = reuse(database_url)
    else:
        database_url = f"sqlite:///{folder}/query.sqlite3"
        token, need_ids, people = load(database_url, args.jobseekers, args.needs)
    candidates = [f"/v1/needs/{n}/candidates?limit=20" for n in need_ids]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark",
        "KOHTAANTO_AS_OF": "2026-12-01",
        "PROMETHEUS_MULTIPROC_DIR": folder,
    }
    port = free_port()
    with open(Path(folder) / "server.log", "w") as log:
        server = subprocess.Popen(
            [MATCHER, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url)
        if not args.skip_live:
            live = fire(url, token, candidates, args.live_rate, args.seconds)
            print(json.dumps({"path": "live", "jobseekers": args.jobseekers, **live}), flush=True)
            needs_of = [f"/v1/jobseekers/{p}/needs?limit=20" for p in people]
            theirs = fire(url, token, needs_of, args.jobseeker_rate, args.seconds)
            theirs = {"path": "jobseeker-needs", "needs": len(need_ids), **theirs}
            print(json.dumps(theirs), flush=True)
            subprocess.run(
                [MATCHER, "batch", "--k", "50"], env=env, check=True, capture_output=True
            )
            # Measure serving, not the kernel writing the batch's gigabyte back to disk (which
            # stalls every fsync meanwhile); the nightly batch does not run at peak hours.
            os.sync()
        served = fire(url, token, candidates, args.batch_rate, args.seconds)
        print(
            json.dumps({"path": "precomputed", "jobseekers": args.jobseekers, **served}), flush=True
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
