"""Benchmark of the nightly batch (not a test): prints wall time, pairs per second and peak
memory for synthetic data of a given size, and the same figures for a plain scipy baseline of
the candidate-generation stage (chunked sparse matmul + ``argpartition``) in the same run.

    python benchmarks/batch.py                       # 100,000 jobseekers × 10,000 needs, top-50
    python benchmarks/batch.py --sizes 30000x3000,100000x3000,100000x10000 --extrapolate
    python benchmarks/batch.py --database-url postgresql+psycopg://postgres@127.0.0.1/test
    python benchmarks/batch.py --vectors var/bench-vectors.npz   # embed the texts once
    python benchmarks/batch.py --sizes 300000x100000 --composed --vectors var/pieces.npz \
        --no-baseline --database-url postgresql+psycopg://postgres@127.0.0.1/test

Each size runs in a child process, which loads the data into a fresh SQLite file (loading is
not timed); the batch itself then runs in a process of its own, started afresh as ``matcher
batch`` is, exactly as ``matcher batch`` runs it (``service.batch.run_batch``, scoring in one
forked process per core). Peak memory is the batch's largest proportional set size summed
over its processes (the forked scoring processes share the prepared jobseekers). With
``--database-url`` each size also runs on that PostgreSQL database, in a schema of its own
dropped afterwards, right after the SQLite run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def peak_gib() -> float:
    """Peak resident memory of this process so far, GiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


class TreeMemory:
    """The largest proportional set size (PSS) of this process and its children, sampled
    every ``interval`` seconds: forked scoring processes share the prepared jobseekers, and
    PSS counts each shared page once across them, where adding their RSS would not."""

    # Each sample makes the kernel walk every page table of each process (13 ms of CPU for a
    # 2.4 GB process): every 0.2 s that took about 10 s of a 73-second run on two cores.
    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_full_info().pss
                except psutil.Error:  # a child that just ended
                    pass
            self.peak = max(self.peak, total)

    @property
    def peak_gib(self) -> float:
        return self.peak / 2**30


def child(
    n_people: int,
    n_needs: int,
    k: int,
    pool: int,
    workers: int | None,
    processes: int,
    explain_top: int,
    database_url: str | None = None,
    baseline: bool = True,
    vectors: str | None = None,
    composed: bool = False,
) -> dict:
    """One size: load, run the batch, then (with ``baseline``) compare stage 1 with the
    scipy baseline."""
    from synthetic import generate

    from service.storage import Store

    data = list(generate(n_people, n_needs))
    folder = tempfile.mkdtemp(prefix="kohtaanto-bench-")
    with database(database_url, folder) as url:
        store = Store.connect(url)
        figures = measure(
            store, data, k, pool, workers, processes, explain_top, baseline, vectors, composed
        )
        return figures | {"database": url.split(":")[0].split("+")[0]}


@contextlib.contextmanager
def database(url: str | None, folder: str):
    """A fresh SQLite file in ``folder``, or a fresh schema of the PostgreSQL database at
    ``url`` (dropped afterwards)."""
    if url is None:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def measure(
    store,
    data: list,
    k,
    pool,
    workers,
    processes,
    explain_top,
    baseline=True,
    vectors=None,
    composed=False,
) -> dict:
    """Load ``data`` (jobseekers and needs, emptied so that they are not held during the
    batch) into ``store``, run the batch in a fresh process (:func:`nightly`), then stage 1
    alone and the scipy baseline; ``vectors``: the sentence embeddings' cache file (see
    :func:`synthetic.embed`), or of the texts' pieces with ``composed``
    (:func:`synthetic.compose`)."""
    from synthetic import compose, embed

    from matcher.domain import Company

    people, needs = data
    data.clear()
    n_people, n_needs = len(people), len(needs)
    store.add_companies([Company(f"C{i:04d}", f"Company {i}") for i in range(997)])
    store.add_jobseekers(people)
    store.add_needs(needs)
    embedding = (compose if composed else embed)(store, people, needs, vectors)
    del people, needs
    url = store.engine.url.render_as_string(hide_password=False)
    run = _fresh(url, k, pool, workers, processes, explain_top)
    stage1 = _stage1_against_scipy(store, _scorer(store), pool) if baseline else {}
    store.engine.dispose()
    wall = run["wall_s"]
    return {
        "jobseekers": n_people,
        "needs": n_needs,
        "k": k,
        "pool": pool,
        "explained_per_need": explain_top,
        **run,
        "pairs_per_s": round(run["pairs_scored"] / wall),
        "all_pairs_per_s": round(n_people * n_needs / wall),
        "processes": processes if workers is None else None,
        **embedding,
        **stage1,
    }


def _fresh(url: str, k, pool, workers, processes, explain_top) -> dict:
    """:func:`nightly` in a new process: a nightly run starts as ``matcher batch`` does, not
    in the process that generated and loaded the data (whose heap it would inherit)."""
    command = [sys.executable, __file__, "--nightly", url, "--k", str(k), "--pool", str(pool)]
    command += ["--processes", str(processes), "--explain-top", str(explain_top)]
    command += ["--workers", str(workers)] if workers else []
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _scorer(store):
    """The scorer a nightly run uses: the region's and ESCO's vocabulary unless
    KOHTAANTO_ESCO says otherwise, as for `matcher batch`, reading the stored vectors."""
    from synthetic import AS_OF

    from matcher.embedding import TextEmbedder
    from matcher.scoring import MatchScorer
    from matcher.taxonomy import default_vocabulary
    from service.config import flag

    esco = flag(os.environ.get("KOHTAANTO_ESCO", "true"))
    scorer = MatchScorer(vocabulary=default_vocabulary(esco), as_of=AS_OF).fit()
    if scorer.meaning_.active:
        # A fresh embedder: the run reads the stored vectors, as a nightly run would.
        scorer = scorer.with_embedder(TextEmbedder(store=store))
    return scorer


def nightly(url: str, k, pool, workers, processes, explain_top) -> dict:
    """The batch over the database at ``url``, timed, with its peak memory."""
    from matcher.batch import Explained
    from service.batch import run_batch
    from service.storage import Store

    store = Store.connect(url)
    scorer = _scorer(store)
    loaded = peak_gib()
    with TreeMemory() as memory:
        started = time.perf_counter()
        summary = run_batch(
            store,
            scorer,
            k=k,
            pool=pool,
            workers=workers,
            processes=processes,
            explained=Explained(top=explain_top, language="en"),
        )
        wall = time.perf_counter() - started
    store.engine.dispose()
    return {
        "wall_s": round(wall, 2),
        "phases_s": summary["seconds"],
        "pairs_scored": summary["pairs_scored"],
        "peak_gib_before_batch": round(loaded, 2),
        "peak_gib": round(memory.peak_gib, 2),
    }


def _stage1_against_scipy(store, scorer, pool: int) -> dict:
    """Stage 1 alone (the top-k sparse product) against the plain scipy way, timed."""
    from matcher.engine import MatchEngine

    people, needs = store.active_jobseekers(), store.open_needs()
    engine = MatchEngine(scorer, people, pool=pool)
    queries, persons = engine.need_vectors(needs), engine.vectors
    ours = _time(lambda: _topn(queries, persons, pool, engine.n_threads))
    baseline = _time(lambda: _scipy_topn(queries, persons, pool))
    return {
        "stage1_topn_s": round(ours, 2),
        "stage1_scipy_s": round(baseline, 2),
        "stage1_speedup": round(baseline / ours, 2),
        "threads": engine.n_threads,
    }


def _time(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _topn(queries, persons, pool: int, threads: int):
    from sparse_dot_topn import sp_matmul_topn

    return sp_matmul_topn(queries, persons.T.tocsr(), top_n=pool, sort=True, n_threads=threads)


def _scipy_topn(queries, persons, pool: int, chunk: int = 500) -> list[np.ndarray]:
    """The plain way: a chunk of needs times all people, densified, then argpartition."""
    transposed = persons.T.tocsr()
    out = []
    for start in range(0, queries.shape[0], chunk):
        scores = (queries[start : start + chunk] @ transposed).toarray()
        top = np.argpartition(-scores, pool, axis=1)[:, :pool]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        out.append(np.take_along_axis(top, order, axis=1))
    return out


def extrapolate(rows: list[dict], people: int, needs: int) -> str:
    """Fit wall = a·people + b·needs + c·people·needs and memory = d·people + e·needs (least
    squares over the measured sizes; give sizes that vary people and needs independently) and
    predict a larger size."""
    n = np.array([r["jobseekers"] for r in rows], dtype=float)
    m = np.array([r["needs"] for r in rows], dtype=float)
    wall = np.array([r["wall_s"] for r in rows])
    (a, b, c), *_ = np.linalg.lstsq(np.column_stack([n, m, n * m]), wall, rcond=None)
    memory = np.array([r["peak_gib"] for r in rows])
    (d, e), *_ = np.linalg.lstsq(np.column_stack([n, m]), memory, rcond=None)
    predicted = a * people + b * needs + c * people * needs
    return (
        f"wall ≈ {a * 1e6:.1f} µs·jobseekers + {b * 1e3:.2f} ms·needs + "
        f"{c * 1e9:.3f} ns·jobseekers·needs → {people:,} × {needs:,}: {predicted:.0f} s "
        f"({c * people * needs / predicted:.0%} in the jobseekers×needs term); "
        f"peak memory ≈ {d * 1e6:.2f} GiB per million jobseekers + {e * 1e6:.2f} GiB per "
        f"million needs → {d * people + e * needs:.1f} GiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000x10000", help="JOBSEEKERSxNEEDS, comma-separated")
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="local Dask workers")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="forked scoring processes without --workers (as matcher batch; default: cores)",
    )
    parser.add_argument(
        "--explain-top", type=int, default=20, help="candidates per need stored explained"
    )
    parser.add_argument("--extrapolate", default=None, help="JOBSEEKERSxNEEDS to predict")
    parser.add_argument(
        "--database-url", default=None, help="also run each size on this PostgreSQL database"
    )
    parser.add_argument(
        "--skip-sqlite", action="store_true", help="with --database-url: only PostgreSQL"
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the stage-1 comparison with plain scipy (long at national size)",
    )
    parser.add_argument(
        "--vectors",
        default=None,
        help="an .npz file keeping the synthetic texts' embeddings between runs (read, then "
        "written with what this run computed)",
    )
    parser.add_argument(
        "--composed",
        action="store_true",
        help="store vectors composed of the texts' pieces' embeddings (minutes, not hours, at "
        "national size; --vectors then keeps the pieces')",
    )
    parser.add_argument("--on", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--nightly", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.nightly:
        figures = nightly(
            args.nightly, args.k, args.pool, args.workers, args.processes, args.explain_top
        )
        print(json.dumps(figures))
        return
    if args.child:
        n, m = map(int, args.child.split("x"))
        print(
            json.dumps(
                child(
                    n,
                    m,
                    args.k,
                    args.pool,
                    args.workers,
                    args.processes,
                    args.explain_top,
                    args.on,
                    not args.no_baseline,
                    args.vectors,
                    args.composed,
                )
            )
        )
        return
    rows = []
    targets = [] if args.skip_sqlite and args.database_url else [None]
    targets += [args.database_url] if args.database_url else []
    for size, on in [(size, on) for size in args.sizes.split(",") for on in targets]:
        command = [
            sys.executable,
            __file__,
            "--child",
            size,
            "--k",
            str(args.k),
            "--pool",
            str(args.pool),
            "--explain-top",
            str(args.explain_top),
            "--processes",
            str(args.processes),
        ]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if on:
            command += ["--on", on]
        if args.no_baseline:
            command += ["--no-baseline"]
        if args.vectors:
            command += ["--vectors", args.vectors]
        if args.composed:
            command += ["--composed"]
        out = subprocess.run(
            command, check=True, capture_output=True, text=True, env=dict(os.environ)
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    if args.extrapolate:
        people, needs = map(int, args.extrapolate.split("x"))
        print(extrapolate(rows, people, needs))


if __name__ == "__main__":
    main()
