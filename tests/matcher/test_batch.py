"""How a run keeps its explanations: packed, and read back as they were."""

from __future__ import annotations

import hashlib

import orjson
import pytest

from matcher import batch
from matcher.batch import packed_explanation, unpacked_explanation


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
