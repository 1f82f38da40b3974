"""The discriminant map of ``scripts/devsets/meaning_map.py`` keeps what tells classes apart."""

import numpy as np
import pytest

from matcher.embedding import DIMENSIONS
from tests.scripts.conftest import load_devset_script


@pytest.fixture(scope="module")
def meaning_map():
    return load_devset_script("meaning_map")


def classes(rng, count: int = 40, members: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Classes apart along the first axis only; members of a class differ along the second
    (as one occupation's names in three languages) by far more, and a little along all."""
    centres = np.zeros((count, DIMENSIONS))
    centres[:, 0] = rng.normal(size=count)
    vectors = np.repeat(centres, members, axis=0)
    vectors[:, 1] += 5 * rng.normal(size=len(vectors))
    vectors += 0.01 * rng.normal(size=vectors.shape)
    return vectors, np.repeat(np.arange(count), members)


def test_the_map_keeps_the_classes_apart_and_drops_what_varies_within(meaning_map):
    rng = np.random.default_rng(0)
    vectors, owners = classes(rng)
    matrix = meaning_map.learn(vectors, owners, ridge=1e-6, keep=1)
    mapped = vectors @ matrix
    within = np.linalg.norm(mapped[:, 1])
    assert within < 1e-3 * np.linalg.norm(mapped[:, 0])
    # Members of a class land together; unmapped, the second axis scattered them.
    by_class = mapped.reshape(40, 3, DIMENSIONS)
    assert np.abs(by_class - by_class.mean(axis=1, keepdims=True)).max() < 0.1
    assert np.abs(vectors[:, 1]).max() > 1


@pytest.mark.parametrize("width", [DIMENSIONS, 2 * DIMENSIONS])
def test_apply_maps_each_part_to_unit_length_and_keeps_zeros(meaning_map, width):
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(5, width))
    vectors[0, DIMENSIONS:] = 0.0  # no title
    out = meaning_map.apply(np.eye(DIMENSIONS) * 2, vectors)
    for start in range(0, width, DIMENSIONS):
        part = out[:, start : start + DIMENSIONS]
        held = vectors[:, start : start + DIMENSIONS].any(axis=1)
        assert np.allclose(np.linalg.norm(part[held], axis=1), 1.0, atol=1e-6)
        assert not part[~held].any()
