"""The nightly batch run: score every open need against every active jobseeker and publish
the results atomically (readers see a run only once it is complete)."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable

import numpy as np
import orjson

from matcher import batch
from matcher.engine import DEFAULT_POOL, MatchEngine
from matcher.scoring import MatchScorer
from service.storage import Store

log = logging.getLogger("kohtaanto.batch")
WRITE_EVERY = 50
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
    chunk_size: int = 250,
    explained: batch.Explained = FIRST_PAGE,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Run one batch to completion and return its summary; on any failure mark it failed.

    The first ``explained.top`` candidates of each need are stored with their explanation in
    ``explained.language``, so that the page a recruiter opens first is served as stored."""
    clock = _Clock()
    run_id = store.begin_run(k, scorer.version_, holder(), holder_alive)
    try:
        needs, people = store.open_needs(), store.active_jobseekers()
        clock.lap("load")
        engine = MatchEngine(scorer, people, pool=pool)
        clock.lap("prepare")
        done, results, pending = 0, [], []

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
            on_chunk=advance,
            explained=explained,
        ):
            results.append(result)
            pending.append(result)
            if len(pending) >= WRITE_EVERY:
                clock.lap("score")
                store.add_run_results(run_id, _candidate_rows(pending), [])
                clock.lap("write")
                pending = []
        clock.lap("score")
        store.add_run_results(run_id, _candidate_rows(pending), _jobseeker_rows(results, k))
        clock.lap("write")
        summary = {
            "needs": len(needs),
            "jobseekers": len(people),
            "k": k,
            "pool": pool,
            "explained": {"top": explained.top, "language": explained.language},
            "pairs_scored": sum(r.considered for r in results),
            "candidates": sum(len(r.jobseeker_ids) for r in results),
        }
        published = store.finish_run(run_id, {**summary, "seconds": clock.laps})
        clock.lap("publish")
        return {"run_id": run_id, **published, "seconds": clock.laps}
    except BaseException as error:
        store.fail_run(run_id, f"{type(error).__name__}: {error}")
        raise


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
            False,
            orjson.dumps(r.explanations[rank - 1]) if rank <= len(r.explanations) else None,
        )
        for r in results
        for rank, (person, score, values) in enumerate(
            zip(r.jobseeker_ids, r.scores, r.values, strict=True), start=1
        )
    ]


def _jobseeker_rows(results, k: int) -> list[tuple]:
    return [
        (person, need_id, rank, score)
        for person, needs in batch.top_needs_per_person(results, k).items()
        for rank, (need_id, score) in enumerate(needs, start=1)
    ]


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
