"""Latency of ``GET /v1/needs/{id}/candidates`` over real HTTP (not a test).

Loads synthetic jobseekers and needs into a fresh SQLite file, serves them with
``matcher serve`` (gunicorn, one worker per core, app preloaded), then sends requests at a
fixed rate (open loop: each request leaves at its scheduled time) and prints p50/p95/p99:
first for the live path (no batch run yet), then for a jobseeker's best needs
(``GET /v1/jobseekers/{id}/needs``, always live), then for precomputed candidates after
``matcher batch``, with the server's CPU time per request (its master's and workers' user and
system time over the requests).

With ``--mixed``, writes come with the reads instead: candidate lists at ``--mixed-rate`` with
5 % of the requests creating a jobseeker and 5 % changing one, on every worker; it prints the
latency of each kind of request, the timeouts and where the lists came from, then checks that
the lists the workers serve after the writes equal those of a worker started afresh. With
``--mixed --after-batch`` a nightly run comes first, as in the working day: its lists keep
serving with the changed people merged in, and the check's fresh worker reads a copy of the
database without the run, so that it computes every list in full.

    python benchmarks/query.py            # 100,000 jobseekers; 20 req/s live, 200 precomputed
    python benchmarks/query.py --mixed    # 100,000 jobseekers; 50 req/s for 60 s, 10 % writes
    python benchmarks/query.py --mixed --after-batch
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


def load(
    database_url: str, people: int, needs: int, vectors: str | None = None, composed=False
) -> tuple[str, list[str], list[str]]:
    """Fill the database (``vectors``: the embeddings' cache file, see
    :func:`synthetic.embed`, or with ``composed`` the pieces', see :func:`synthetic.compose`);
    returns a recruiter token, the need ids and some jobseeker ids."""
    from synthetic import compose, embed, generate

    from matcher.domain import Company
    from service.storage import Store

    jobseekers, wanted = generate(people, needs)
    store = Store.connect(database_url)
    store.add_companies([Company(f"C{i:04d}", f"Company {i}") for i in range(997)])
    store.add_jobseekers(jobseekers)
    store.add_needs(wanted)
    stored = (compose if composed else embed)(store, jobseekers, wanted, vectors)
    print(json.dumps({"vectors_stored": stored}), flush=True)
    token, _ = store.create_token("recruiter", label="benchmark")
    store.engine.dispose()
    # As after a batch: what was just loaded is on disk before serving starts, so that the
    # kernel writing it back cannot stall the reads' commits (their audit entries) meanwhile.
    os.sync()
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


def mixed(
    url: str,
    token: str,
    need_ids: list[str],
    people: list[str],
    rate: float,
    seconds: float,
    timeout: float = 15.0,
) -> dict:
    """Reads of candidate lists with 5 % creates and 5 % changes of jobseekers, at ``rate``
    per second for ``seconds`` (open loop); latency percentiles per kind, in ms."""
    from synthetic import World

    world = World(seed=99)
    count = int(rate * seconds)
    rng = np.random.default_rng(0)
    kinds = rng.choice(["read", "create", "update"], size=count, p=[0.9, 0.05, 0.05])
    bodies = {}
    for i in np.flatnonzero(kinds != "read"):
        person = world.jobseeker(int(i)).to_dict()
        if kinds[i] == "create":
            bodies[i] = (
                "POST",
                "/v1/jobseekers?allow_duplicate=true",
                {k: v for k, v in person.items() if k not in ("id", "name", "email", "phone")},
            )
        else:
            target = people[int(i) % len(people)]
            body = {"skills": person["skills"], "headline": person["headline"]}
            bodies[i] = ("PATCH", f"/v1/jobseekers/{target}", body)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies = np.full(count, np.nan)
    timeouts, errors, sources = [0], [], {}
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    host, port = url.removeprefix("http://").split(":")

    def one(i: int) -> None:
        method, path, body = bodies.get(
            i, ("GET", f"/v1/needs/{need_ids[i % len(need_ids)]}/candidates?limit=20", None)
        )
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.perf_counter()
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            connection.request(
                method, path, body=json.dumps(body) if body else None, headers=headers
            )
            response = connection.getresponse()
            answer = response.read()
        except TimeoutError:
            with lock:
                timeouts[0] += 1
            return
        finally:
            connection.close()
        latencies[i] = (time.perf_counter() - sent) * 1000
        if response.status not in (200, 201):
            with lock:
                errors.append(f"{method} {path}: HTTP {response.status} {answer[:200]!r}")
        elif method == "GET":
            source = json.loads(answer)["source"]
            with lock:
                sources[source] = sources.get(source, 0) + 1

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(count)))
    if errors:
        raise RuntimeError(f"{len(errors)} errors, the first: {errors[0]}")
    figures = {"rate": rate, "seconds": seconds, "requests": count, "timeouts": timeouts[0]}
    figures["read_sources"] = sources
    for kind in ("read", "create", "update"):
        taken = latencies[(kinds == kind) & ~np.isnan(latencies)]
        p50, p95, p99 = np.percentile(taken, [50, 95, 99]) if len(taken) else (np.nan,) * 3
        figures[kind] = {
            "requests": int((kinds == kind).sum()),
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(p99, 1),
            "max_ms": round(float(taken.max()), 1) if len(taken) else None,
        }
    return figures


def lists(url: str, token: str, need_ids: list[str]) -> dict[str, list]:
    """The top 20 of each need as served: ids and scores."""
    headers = {"Authorization": f"Bearer {token}"}
    out = {}
    for need_id in need_ids:
        answer = requests.get(
            f"{url}/v1/needs/{need_id}/candidates?limit=20", headers=headers, timeout=600
        )
        answer.raise_for_status()
        out[need_id] = [(i["candidate"]["id"], i["score"]) for i in answer.json()["items"]]
    return out


def serve(env: dict, folder: str, workers: int, name: str) -> tuple[subprocess.Popen, str]:
    """``matcher serve`` on a free port; the process and its URL once it is ready."""
    port = free_port()
    with open(Path(folder) / f"{name}.log", "w") as log:
        server = subprocess.Popen(
            [MATCHER, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    _wait(url)
    return server, url


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


def run_mixed(args, env: dict, folder: str, token: str, need_ids, people) -> None:
    """The mixed load, then the served lists against a freshly started server's."""
    server, url = serve(env, folder, args.workers, "server")
    try:
        # Every worker prepares its engine before the clock starts (as after a deploy).
        lists(url, token, need_ids[: 4 * args.workers])
        figures = mixed(url, token, need_ids, people, args.mixed_rate, args.mixed_seconds)
        print(json.dumps({"path": "mixed", "jobseekers": args.jobseekers, **figures}), flush=True)
        sample = need_ids[:: max(1, len(need_ids) // 40)][:40]
        # Each list is asked twice so that both workers answer at least some of them.
        served = [lists(url, token, sample) for _ in range(2)]
    finally:
        stop(server)
    if args.after_batch:
        env = {**env, "DATABASE_URL": _without_runs(env["DATABASE_URL"], folder)}
    fresh, fresh_url = serve(env, folder, 1, "fresh")
    try:
        expected = lists(fresh_url, token, sample)
    finally:
        stop(fresh)
    same = sum(all(s[n] == expected[n] for s in served) for n in sample)
    print(
        json.dumps({"path": "mixed-check", "needs": len(sample), "equal_to_fresh": same}),
        flush=True,
    )


def _without_runs(database_url: str, folder: str) -> str:
    """A copy of the SQLite database whose batch runs no longer serve: every list in it is
    computed in full."""
    import sqlite3

    copy = Path(folder) / "fresh.sqlite3"
    # SQLite's own backup, so that what the write-ahead log still holds is copied too.
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as source:
        with sqlite3.connect(copy) as target:
            source.backup(target)
            target.execute("UPDATE batch_runs SET status = 'failed'")
    return f"sqlite:///{copy}"


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
    parser.add_argument(
        "--vectors",
        default=None,
        help="an .npz file keeping the synthetic texts' embeddings between runs",
    )
    parser.add_argument(
        "--composed",
        action="store_true",
        help="vectors composed of the texts' pieces' embeddings (see batch.py --composed)",
    )
    parser.add_argument("--skip-live", action="store_true", help="only the precomputed path")
    parser.add_argument("--mixed", action="store_true", help="reads with creates and changes")
    parser.add_argument("--mixed-rate", type=float, default=50)
    parser.add_argument("--mixed-seconds", type=float, default=60)
    parser.add_argument(
        "--after-batch", action="store_true", help="with --mixed: a nightly run first"
    )
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="kohtaanto-query-")
    if args.reuse:
        database_url = f"sqlite:///{Path(args.reuse).resolve()}"
        token, need_ids, people = reuse(database_url)
    else:
        database_url = f"sqlite:///{folder}/query.sqlite3"
        token, need_ids, people = load(
            database_url, args.jobseekers, args.needs, args.vectors, args.composed
        )
    candidates = [f"/v1/needs/{n}/candidates?limit=20" for n in need_ids]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark",
        "KOHTAANTO_AS_OF": "2026-12-01",
        "PROMETHEUS_MULTIPROC_DIR": folder,
    }
    if args.mixed:
        if args.after_batch:
            started = time.perf_counter()
            subprocess.run(
                [MATCHER, "batch", "--k", "50"], env=env, check=True, capture_output=True
            )
            took = round(time.perf_counter() - started, 1)
            print(json.dumps({"path": "batch", "seconds": took}), flush=True)
            os.sync()
        run_mixed(args, env, folder, token, need_ids, people)
        return
    server, url = serve(env, folder, args.workers, "server")
    try:
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
        before = server_cpu_seconds(server.pid)
        served = fire(url, token, candidates, args.batch_rate, args.seconds)
        spent = server_cpu_seconds(server.pid) - before
        served["server_cpu_ms_per_request"] = round(1000 * spent / served["requests"], 2)
        print(
            json.dumps({"path": "precomputed", "jobseekers": args.jobseekers, **served}), flush=True
        )
    finally:
        stop(server)


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of the server's master and its workers so far."""
    import psutil

    master = psutil.Process(pid)
    total = 0.0
    for process in [master, *master.children(recursive=True)]:
        times = process.cpu_times()
        total += times.user + times.system
    return total


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
