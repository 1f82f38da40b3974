"""How a run keeps its explanations: packed, and read back as they were."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import orjson
import pytest

from matcher import batch
from matcher.batch import packed_explanation, unpacked_explanation
from matcher.engine import MatchEngine


@pytest.fixture(scope="module")
def stored(scorer, dataset):
    need, person = dataset.needs[0], dataset.jobseekers[0]
    return scorer.match(need, person, "sv").explanation.to_stored()


def test_a_packed_explanation_reads_back_as_it_was_in_a_fraction_of_the_bytes(stored):
    packed = packed_explanation(stored)
    assert unpacked_explanation(packed) == stored
    assert packed.startswith(b"z1")
    assert len(packed) < len(orjson.dumps(stored)) / 2


@pytest.mark.parametrize("kind", [bytes, memoryview], ids=["bytes", "memoryview"])
def test_an_explanation_reads_back_from_what_a_driver_hands_over(stored, kind):
    assert unpacked_explanation(kind(packed_explanation(stored))) == stored
    # Runs written before explanations were packed kept them as plain JSON.
    assert unpacked_explanation(kind(orjson.dumps(stored))) == stored


def test_the_dictionary_of_packed_runs_never_changes():
    # Runs written with it must stay readable: a new dictionary needs a new prefix.
    digest = hashlib.sha256(batch._DICTIONARY).hexdigest()
    assert (batch._PACKED, digest) == (b"z1", PINNED)


PINNED = "51affe170a55bc910c480a6b57d2cbbe35f039fb93de177dd64fab10e0022b25"


def test_an_engine_prepared_on_two_cores_is_the_one_prepared_on_one(
    scorer, dataset, monkeypatch, tmp_path
):
    monkeypatch.setattr(batch, "SHARED_PREPARATION", 0)
    marker = tmp_path / "child"
    shared = batch.prepared_engine(
        scorer,
        dataset.jobseekers[::-1],
        processes=2,
        in_child=lambda: marker.write_text(str(os.getpid())),
        pool=40,
    )
    alone = MatchEngine(scorer, dataset.jobseekers, pool=40)
    assert int(marker.read_text()) != os.getpid()  # the arrays came from another process
    assert list(shared.ids) == list(alone.ids)
    assert (shared.vectors != alone.vectors).nnz == 0
    assert np.array_equal(shared.population.meaning, alone.population.meaning)
    assert (shared.population.text != alone.population.text).nnz == 0
    for name, column in vars(alone.population.table).items():
        held = vars(shared.population.table)[name]
        if isinstance(column, dict):
            assert held.keys() == column.keys()
            assert all(np.array_equal(held[k], column[k]) for k in column)
        else:
            assert np.array_equal(held, column, equal_nan=column.dtype.kind == "f"), name
    needs = dataset.needs[:20]
    results = zip(batch.run(shared, needs, 10), batch.run(alone, needs, 10), strict=True)
    for ours, theirs in results:
        assert (ours.jobseeker_ids, ours.scores) == (theirs.jobseeker_ids, theirs.scores)
        assert np.array_equal(ours.values, theirs.values) and ours.cut == theirs.cut


@pytest.mark.parametrize(("processes", "sizes"), [(1, [250] * 4), (2, [250, 250] + [50] * 10)])
def test_the_last_chunks_are_cut_short_so_the_processes_end_together(processes, sizes):
    parts = batch._with_short_tail(batch.chunks(list(range(1000)), 250), processes)
    assert [i for part in parts for i in part] == list(range(1000))
    assert [len(part) for part in parts] == sizes
