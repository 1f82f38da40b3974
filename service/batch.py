"""The nightly batch run: score every open need against every active jobseeker and publish
the results atomically (readers see a run only once it is complete)."""

from __future__ import annotations

import gc
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import numpy as np

from matcher import batch
from matcher.allocation import DEFAULT_POLICY, Policy
from matcher.engine import DEFAULT_POOL
from matcher.scoring import MatchScorer
from service.allocation import allocate_run
from service.storage import Store

log = logging.getLogger("kohtaanto.batch")
# Needs per write transaction: each commit is an fsync, and the rows are unpublished anyway.
WRITE_EVERY = 500
FIRST_PAGE = batch.Explained(top=20, language="en")


def holder() -> str:
    """Who runs this batch: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_alive(value: str) -> bool:
    """Whether the process named by ``value`` still runs (other hosts are taken as alive)."""
    host, _, pid = value.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def run_batch(
    store: Store,
    scorer: MatchScorer,
    *,
    k: int = 100,
    pool: int = DEFAULT_POOL,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: int = 1,
    chunk_size: int = 250,
    explained: batch.Explained = FIRST_PAGE,
    progress: Callable[[int, int], None] | None = None,
    allocation: Policy | None = DEFAULT_POLICY,
) -> dict:
    """Run one batch to completion and return its summary; on any failure mark it failed.

    ``scheduler``, ``workers`` and ``processes`` say where the scoring runs
    (:func:`matcher.batch.run`). The first ``explained.top`` candidates of each need are
    stored with their explanation in ``explained.language``, so that the page a recruiter
    opens first is served as stored. With an ``allocation`` policy, the run's lists are
    then allocated across all needs (:func:`service.allocation.allocate_run`) before the
    run is published, so its proposals appear with it."""
    clock = _Clock()
    run_id = store.begin_run(k, scorer.version_, holder(), holder_alive, scorer=scorer.description_)
    try:
        with _long_lived():
            # The version first: the people read after it are at least as new, so a person
            # written since it counts as changed since the run (:func:`service.matching`).
            version = store.jobseekers_version()
            needs, people = store.open_needs(), store.active_jobseekers()
            clock.lap("load")
            # The process preparing beside this one opens its own database connections,
            # never the parent's (which SQLAlchemy's pool would otherwise hand it).
            leave_connections = partial(store.engine.dispose, close=False)
            engine = batch.prepared_engine(scorer, people, processes, leave_connections, pool=pool)
            clock.lap("prepare")
        done, pairs, candidates, pending = 0, 0, 0, []
        # Each need's list as written, for the allocation (reading it back costs more).
        lists: dict[str, tuple[list[str], list[float]]] = {}

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, len(needs))

        for result in batch.run(
            engine,
            needs,
            k,
            chunk_size=chunk_size,
            scheduler=scheduler,
            workers=workers,
            processes=processes,
            on_chunk=advance,
            explained=explained,
        ):
            pairs += result.considered
            lists[result.need_id] = (result.jobseeker_ids, result.scores)
            candidates += len(result.jobseeker_ids)
            pending.append(result)
            if len(pending) >= WRITE_EVERY:
                clock.lap("score")
                store.add_run_results(run_id, _candidate_rows(pending), _cut_rows(pending))
                clock.lap("write")
                pending = []
        clock.lap("score")
        store.add_run_results(run_id, _candidate_rows(pending), _cut_rows(pending))
        clock.lap("write")
        if allocation is not None:
            positions = {need.id: need.positions for need in needs}
            allocated = allocate_run(store, run_id, positions, allocation, lists)
            clock.lap("allocate")
        summary = {
            "needs": len(needs),
            "jobseekers": len(people),
            "k": k,
            "pool": pool,
            "jobseekers_version": version,
            "explained": {"top": explained.top, "language": explained.language},
            "pairs_scored": pairs,
            "candidates": candidates,
        }
        if allocation is not None:
            summary["allocation"] = allocated
        published = store.finish_run(run_id, {**summary, "seconds": clock.laps})
        store.checkpoint()
        clock.lap("publish")
        return {"run_id": run_id, **published, "seconds": clock.laps}
    except BaseException as error:
        store.fail_run(run_id, f"{type(error).__name__}: {error}")
        raise
    finally:
        gc.unfreeze()


@contextmanager
def _long_lived() -> Iterator[None]:
    """Build objects that live for the whole run without the cyclic garbage collector, then
    freeze them out of its sight: otherwise each full collection rescans millions of
    profiles (about 40 % of loading time)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


class _Clock:
    """Seconds spent per phase, accumulated."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self.last, 2)
        self.last = now


def _candidate_rows(results) -> list[tuple]:
    return [
        (
            r.need_id,
            person,
            rank,
            score,
            values.astype(np.float32).tobytes(),
            r.explanations[rank - 1] if rank <= len(r.explanations) else None,
        )
        for r in results
        for rank, (person, score, values) in enumerate(
            zip(r.jobseeker_ids, r.scores, r.values, strict=True), start=1
        )
    ]


def _cut_rows(results) -> list[tuple]:
    """The needs' stage-1 cuts as :meth:`Store.add_run_results` writes them."""
    rows = []
    for r in results:
        if r.cut is None:
            continue
        floor = r.cut.floor or (None, None)
        last = r.cut.completed_floor or (None, None)
        rows.append((r.need_id, *floor, r.cut.completed, *last))
    return rows


def progress_reporter(total_label: str = "needs"):
    """A tqdm bar on a terminal, JSON log lines otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=total_label, file=sys.stderr)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        return update

    def log_line(done: int, total: int) -> None:
        print(
            json.dumps({"event": "batch.progress", "done": done, "total": total}),
            file=sys.stderr,
            flush=True,
        )

    return log_line
