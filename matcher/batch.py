"""The nightly batch: every open need against every active jobseeker, in-process or on Dask.

Needs are scored in chunks (a chunk is one Dask task); the engine — the jobseekers' matrices —
is sent once to each worker. The three ways to run (in-process, a local cluster, an existing
scheduler) give identical results because each chunk runs the same two stages.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.domain import Need
from matcher.engine import MatchEngine


@dataclass(frozen=True)
class NeedResult:
    """The top-K candidates of one need: ids, scores and feature values, best first, and the
    explanations (JSON-ready) of the first ``explained`` of them."""

    need_id: str
    jobseeker_ids: list[str]
    scores: list[float]
    values: np.ndarray
    considered: int
    explanations: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Explained:
    """Which candidates a batch explains in advance: the first ``top`` per need, in
    ``language`` (the first page a recruiter opens, served without recomputing)."""

    top: int = 0
    language: str = "en"


NOTHING_EXPLAINED = Explained()


def score_chunk(
    engine: MatchEngine, needs: Sequence[Need], k: int, explained: Explained = NOTHING_EXPLAINED
) -> list[NeedResult]:
    """Both stages for a chunk of needs, keeping each need's top ``k`` eligible candidates."""
    out = []
    for ranked in engine.rank_many(needs):
        matches = engine.matches(ranked, min(k, explained.top), language=explained.language)
        keep = np.flatnonzero(~ranked.excluded)[:k]
        out.append(
            NeedResult(
                ranked.need.id,
                [engine.ids[r] for r in ranked.rows[keep]],
                [round(float(s), 6) for s in ranked.scores[keep]],
                ranked.values[keep].astype(np.float32),
                len(ranked.rows),
                [m.explanation.to_dict() for m in matches],
            )
        )
    return out


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """``items`` cut into consecutive chunks of ``size``."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def run(
    engine: MatchEngine,
    needs: Sequence[Need],
    k: int,
    *,
    chunk_size: int = 250,
    scheduler: str | None = None,
    workers: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
    explained: Explained = NOTHING_EXPLAINED,
) -> Iterator[NeedResult]:
    """Score ``needs`` and yield each need's result, needs ordered by place then id (needs of
    one place share stage 1's reachable people, so a chunk rarely spans many places).

    With ``scheduler`` (``tcp://host:port``) the chunks run on that Dask cluster; with
    ``workers`` on a local cluster of that many processes; with neither, in this process.
    ``on_chunk`` is called with the number of needs done after each chunk; ``explained`` says
    which candidates come with their explanation.
    """
    ordered = sorted(needs, key=lambda n: (n.municipality, n.remote, n.id))
    parts = chunks(ordered, chunk_size)
    if scheduler is None and workers is None:
        for part in parts:
            yield from score_chunk(engine, part, k, explained)
            if on_chunk:
                on_chunk(len(part))
        return
    yield from _run_on_dask(engine, parts, k, scheduler, workers, on_chunk, explained)


def _run_on_dask(
    engine, parts, k, scheduler, workers, on_chunk, explained
) -> Iterator[NeedResult]:
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(scheduler or cluster)
    try:
        shared = client.scatter(engine, broadcast=True)
        futures = [
            client.submit(score_chunk, shared, part, k, explained, pure=False) for part in parts
        ]
        for part, future in zip(parts, futures, strict=True):
            yield from future.result()
            if on_chunk:
                on_chunk(len(part))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def top_needs_per_person(
    results: Sequence[NeedResult], k: int
) -> dict[str, list[tuple[str, float]]]:
    """Each jobseeker's best ``k`` needs among the needs' top lists, best first, ties by id."""
    heaps: dict[str, list[tuple[float, str]]] = {}
    for result in results:
        for person, score in zip(result.jobseeker_ids, result.scores, strict=True):
            heap = heaps.setdefault(person, [])
            item = (score, _reverse(result.need_id), result.need_id)
            if len(heap) < k:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
    return {
        person: [(need, score) for score, _, need in sorted(heap, reverse=True)]
        for person, heap in heaps.items()
    }


def _reverse(text: str) -> tuple[int, ...]:
    """A key that orders strings backwards, so that ties in a max-heap go to the smaller id."""
    return tuple(-ord(c) for c in text)
