"""Helpers the feature families share."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.features.base import sparse_cosines
from matcher.lexical import default_lexicon


@pytest.mark.parametrize(
    "texts",
    [
        ["hitsaaja", "svetsare MIG/MAG", "welder, stick welding", ""],
        [],
    ],
    ids=["phrases", "no-rows"],
)
@pytest.mark.parametrize("query", ["hitsaus", "", "lastbilschaufför"])
def test_sparse_cosines_are_the_sparse_product_bit_for_bit(texts, query):
    space = default_lexicon()
    rows, vector = space.transform(texts), space.transform([query])
    expected = (rows @ vector.T).toarray().ravel()
    found = sparse_cosines(rows, vector)
    assert found.dtype == expected.dtype
    assert found.shape == (len(texts),)
    assert found.tobytes() == expected.tobytes()


@pytest.mark.parametrize(
    "as_given",
    [sp.csc_matrix, sp.coo_matrix, lambda v: sp.csr_array(v)[0]],
    ids=["csc", "coo", "one-dimensional-row"],
)
def test_sparse_cosines_read_the_vector_in_any_sparse_form(as_given):
    space = default_lexicon()
    rows, vector = space.transform(["hitsaaja", "svetsare"]), space.transform(["hitsaus"])
    expected = sparse_cosines(rows, vector)
    assert sparse_cosines(rows, as_given(vector)).tobytes() == expected.tobytes()


def test_sparse_cosines_sum_a_vector_written_with_repeated_columns():
    rows = sp.csr_matrix(np.array([[1.0, 2.0, 0.0], [0.0, 0.5, 4.0]], dtype=np.float32))
    # Not canonical: column 1 given twice, as a hand-built matrix may hold it.
    vector = sp.csr_matrix(
        (np.array([1.0, 1.0, 3.0], dtype=np.float32), np.array([1, 1, 2]), np.array([0, 3])),
        shape=(1, 3),
    )
    assert sparse_cosines(rows, vector).tolist() == [4.0, 13.0]


def test_sparse_cosines_leave_nothing_of_one_vector_for_the_next():
    space = default_lexicon()
    rows = space.transform(["hitsaaja", "svetsare", "kokki"])
    first, then = space.transform(["hitsaus svetsning"]), space.transform(["kokki"])
    sparse_cosines(rows, first)
    with pytest.raises(ValueError):  # a product that fails midway leaves nothing either
        sparse_cosines(rows[:, :-1], first)
    expected = (rows @ then.T).toarray().ravel()
    assert sparse_cosines(rows, then).tobytes() == expected.tobytes()
