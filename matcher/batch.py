"""The nightly batch: every open need against every active jobseeker, in-process or on Dask.

Needs are scored in chunks (a chunk is one Dask task); the engine — the jobseekers' matrices —
is sent once to each worker. On one machine, forked processes share the prepared engine
without copying it. Every way to run (in-process, forked processes, a local cluster, an
existing scheduler) gives identical results because each chunk runs the same two stages.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import orjson

from matcher.domain import Jobseeker, Need
from matcher.engine import MatchEngine, StageOneCut, stored_scores
from matcher.scoring import MatchScorer, Population


@dataclass(frozen=True)
class NeedResult:
    """The top-K candidates of one need: ids, scores and feature values, best first, and the
    explanations (:func:`packed_explanation`) of the first ``explained`` of them."""

    need_id: str
    jobseeker_ids: list[str]
    scores: list[float]
    values: np.ndarray
    considered: int
    explanations: list[bytes] = field(default_factory=list)
    #: Who stage 1 handed over (so that the list can be brought up to date later).
    cut: StageOneCut | None = None


@dataclass(frozen=True)
class Explained:
    """Which candidates a batch explains in advance: the first ``top`` per need, in
    ``language`` (the first page a recruiter opens, served without recomputing)."""

    top: int = 0
    language: str = "en"


NOTHING_EXPLAINED = Explained()

# A stored explanation is its JSON compressed with zlib against a preset dictionary of what
# explanations are made of: about a fifth of the bytes (2.2 kB → 0.5 kB), so that a night's
# run writes, and the database keeps, far less. The prefix names the dictionary: the bytes of
# one must never change once runs are written with it (a new one gets a new prefix).
_PACKED = b"z1"
_DICTIONARY = (
    b'{"features":['
    + b",".join(
        b'{"name":"%s","value":0.0,"weight":0.0,"contribution":0.0}' % name
        for name in (
            b"skill_coverage",
            b"preferred_skill_coverage",
            b"occupation_fit",
            b"profile_similarity",
            b"sector_fit",
            b"relevant_experience",
            b"interest_fit",
            b"trainable_gap",
            b"text_similarity",
            b"meaning_similarity",
            b"language_fit",
            b"location_fit",
            b"availability_fit",
            b"education_fit",
            b"wage_subsidy_fit",
            b"path_fit",
            b"demands_compatible",
        )
    )
    + b'],"matched_skills":[{"need_skill":"","evidence":"","source":"skills","similarity":1.0,'
    b'"concept":""},{"need_skill":"","evidence":"","source":"work_history","similarity":0.0,'
    b'"concept":null}],"missing_skills":[{"need_skill":"","required":true,"trainable":true,'
    b'"concept":""}],"unmet_requirements":[{"field":"languages.fi","code":"language_level",'
    b'"params":{"language":"fi","required":"B1","held":"A2"}}],"unmet_preferences":[{"code":'
    b'"available_later","params":{"days":0}}],"suggestion":{"code":"raise_feature","params":'
    b'{"feature":"skill_coverage","gain":0.0}},"concept_ids":{"matched":[],"missing":[],'
    b'"named":[]}}'
)


def packed_explanation(stored: dict) -> bytes:
    """A stored explanation (:meth:`~matcher.domain.MatchExplanation.to_stored`) as a run
    keeps it: compressed JSON (:func:`unpacked_explanation` reads it back)."""
    packer = zlib.compressobj(1, zdict=_DICTIONARY)
    return _PACKED + packer.compress(orjson.dumps(stored)) + packer.flush()


def unpacked_explanation(raw: bytes | memoryview) -> dict:
    """A run's stored explanation as the dict it was: packed (:func:`packed_explanation`) or,
    as runs before it kept it, plain JSON (a driver may hand either over as a memoryview)."""
    raw = bytes(raw)
    if raw.startswith(_PACKED):
        raw = zlib.decompressobj(zdict=_DICTIONARY).decompress(raw[len(_PACKED) :])
    return orjson.loads(raw)


def score_chunk(
    engine: MatchEngine, needs: Sequence[Need], k: int, explained: Explained = NOTHING_EXPLAINED
) -> list[NeedResult]:
    """Both stages for a chunk of needs, keeping each need's top ``k`` eligible candidates."""
    # Here, where the chunk is scored: the needs' profiles and phrases are then made on
    # every core at once, not by the parent before the work is shared out.
    engine.scorer.prepare_texts(needs)
    out = []
    for ranked in engine.rank_many(needs, eligible_only=True):
        matches = engine.matches(ranked, min(k, explained.top), language=explained.language)
        keep = np.flatnonzero(~ranked.excluded)[:k]
        out.append(
            NeedResult(
                ranked.need.id,
                [engine.ids[r] for r in ranked.rows[keep]],
                stored_scores(ranked.scores[keep]),
                ranked.values[keep].astype(np.float32),
                len(ranked.rows),
                # Packed where computed: bytes cross processes far cheaper than dicts, and
                # the compressing is shared out with the scoring.
                [packed_explanation(m.explanation.to_stored()) for m in matches],
                ranked.cut,
            )
        )
    return out


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """``items`` cut into consecutive chunks of ``size``."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def _with_short_tail(parts: list[Sequence], processes: int) -> list[Sequence]:
    """``parts`` with the last ``processes`` of them cut in five each: the processes then end
    within a short chunk of each other, not one idle while another scores a whole chunk."""
    if processes < 2 or len(parts) <= processes:
        return parts
    tail = [piece for part in parts[-processes:] for piece in chunks(part, -(-len(part) // 5))]
    return parts[:-processes] + tail


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
    processes: int = 1,
) -> Iterator[NeedResult]:
    """Score ``needs`` and yield each need's result, needs ordered by place then id (needs of
    one place share stage 1's reachable people, so a chunk rarely spans many places).

    With ``scheduler`` (``tcp://host:port``) the chunks run on that Dask cluster; with
    ``workers`` on a local cluster of that many processes; with neither, on this machine in
    ``processes`` forked processes (in this process when 1, or where fork is unavailable).
    ``on_chunk`` is called with the number of needs done after each chunk; ``explained`` says
    which candidates come with their explanation.
    """
    ordered = sorted(needs, key=lambda n: (n.municipality, n.remote, n.id))
    # Here, once, before the work is shared out: a worker then finds every need's sentence
    # vector (read from where the parent keeps them).
    engine.scorer.prepare_needs(ordered)
    parts = _with_short_tail(chunks(ordered, chunk_size), processes)
    if scheduler is not None or workers is not None:
        results = _run_on_dask(engine, parts, k, scheduler, workers, explained)
    elif processes > 1 and len(parts) > 1 and "fork" in multiprocessing.get_all_start_methods():
        results = _run_forked(engine, parts, k, processes, explained)
    else:
        results = (score_chunk(engine, part, k, explained) for part in parts)
    for part, chunk in zip(parts, results, strict=True):
        yield from chunk
        if on_chunk:
            on_chunk(len(part))


# Fewer people are prepared in one process: forking costs more than it saves.
SHARED_PREPARATION = 5_000

# What the forked process preparing beside this one reads (set before the fork): the
# scorer, the people and what the child must do first.
_forked_preparation: tuple | None = None


def prepared_engine(
    scorer: MatchScorer,
    people: Sequence[Jobseeker],
    processes: int = 1,
    in_child: Callable[[], None] | None = None,
    **params,
) -> MatchEngine:
    """``MatchEngine(scorer, people, **params)``, prepared on two cores when ``processes`` > 1:
    a forked process computes the people's rule table, text vectors and embeddings
    (:meth:`MatchScorer.person_arrays`) while this one builds their skill profiles, which
    must stay here (explanations read them, and they cost more to send than to build).
    ``in_child`` runs first in the forked process (e.g. to leave the parent's database
    connections alone)."""
    global _forked_preparation
    people = sorted(people, key=lambda p: p.id)
    forking = "fork" in multiprocessing.get_all_start_methods()
    if processes < 2 or len(people) < SHARED_PREPARATION or not forking:
        return MatchEngine(scorer, people, **params)
    with tempfile.TemporaryDirectory(prefix="kohtaanto-prepare-") as folder:
        # Handed over in a file: through a pipe the arrays (half a gigabyte at 100,000
        # people) would be held twice more, pickled in the child and received here.
        path = os.path.join(folder, "arrays.pickle")
        _forked_preparation = (scorer, people, in_child, path)
        try:
            with multiprocessing.get_context("fork").Pool(1) as child:
                done = child.apply_async(_person_arrays)
                skills = scorer.skills_.person_matrix(people)
                done.get()
        finally:
            _forked_preparation = None
        with open(path, "rb") as file:
            population = Population(people, skills, *pickle.load(file))
    return MatchEngine(scorer, people, prepared=population, **params)


def _person_arrays() -> None:
    scorer, people, in_child, path = _forked_preparation
    if in_child is not None:
        in_child()
    with open(path, "wb") as file:
        pickle.dump(scorer.person_arrays(people), file, protocol=pickle.HIGHEST_PROTOCOL)


# The engine forked processes score with: set before the fork, so each child inherits it
# (copy-on-write) instead of receiving a pickled copy.
_forked_engine: MatchEngine | None = None


def _run_forked(engine, parts, k, processes, explained) -> Iterator[list[NeedResult]]:
    global _forked_engine
    _forked_engine = engine
    try:
        with multiprocessing.get_context("fork").Pool(processes, _single_threaded) as workers:
            yield from workers.imap(partial(_score_forked, k=k, explained=explained), parts)
    finally:
        _forked_engine = None


def _single_threaded() -> None:
    # One process per core already; and OpenMP (sparse_dot_topn's threads) is not safe to
    # use in a child forked after the parent used it, while its sequential path is.
    _forked_engine.n_threads = 1
    # Every need's vector was computed before the fork; the parent's database connections
    # are not the child's to use.
    if _forked_engine.scorer.meaning_.active:
        _forked_engine.scorer.meaning_.embedder_.store = None


def _score_forked(part: Sequence[Need], k: int, explained: Explained) -> list[NeedResult]:
    return score_chunk(_forked_engine, part, k, explained)


def _run_on_dask(engine, parts, k, scheduler, workers, explained) -> Iterator[list[NeedResult]]:
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
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
