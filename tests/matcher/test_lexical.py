"""Whole-text lexical similarity: vectors of one text alone, pruned for stage 1."""

import numpy as np
import pytest

from matcher.lexical import WORDS_HASHED_ONCE, default_lexicon, need_text, person_text, prune
from tests.conftest import make_jobseeker, make_need


def test_a_texts_vector_does_not_depend_on_other_texts():
    lexicon = default_lexicon()
    alone = lexicon.transform(["Hadoop-klusterien ylläpito"])
    among = lexicon.transform(["svetsare", "Hadoop-klusterien ylläpito", "kokki"])[1]
    np.testing.assert_array_equal(alone.toarray(), among.toarray())


def test_a_population_hashed_word_by_word_gets_the_hashers_vectors_exactly(dataset):
    texts = [person_text(p) for p in dataset.jobseekers] + [need_text(n) for n in dataset.needs]
    texts += ["", " - ", "Öljy-ÅÄ straße ﬁ e\u0301", "a", "ä" * 40, "Hadoop Hadoop hadoop"]
    assert len(texts) >= WORDS_HASHED_ONCE
    lexicon = default_lexicon()
    by_word, hashed = lexicon._counts_by_word(texts), lexicon._hasher().transform(texts).tocsr()
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(by_word, part), getattr(hashed, part))
    assert by_word.dtype == hashed.dtype == np.float32
    alone = lexicon.transform(texts[-1:])
    np.testing.assert_array_equal(lexicon.transform(texts)[-1].toarray(), alone.toarray())


@pytest.mark.parametrize(
    ("text", "near", "far"),
    [
        ("Hadoop developer", "I ran Hadoop clusters for years", "I cooked in a restaurant"),
        ("hitsaaja", "hitsaajana telakalla", "siivooja"),
        ("webbdesigner", "webbdesign och grafisk formgivning", "lastbilschaufför"),
    ],
)
def test_shared_character_ngrams_bring_texts_together(text, near, far):
    lexicon = default_lexicon()
    query, close, distant = lexicon.transform([text, near, far])
    assert (close @ query.T).toarray()[0, 0] > (distant @ query.T).toarray()[0, 0] + 0.05


def test_prune_keeps_each_rows_largest_entries_at_unit_length():
    vectors = default_lexicon().transform(["a long text about welding and cooking", "x"])
    pruned = prune(vectors, 5)
    assert np.diff(pruned.indptr).max() <= 5
    kept = pruned[0].indices
    assert set(kept) <= set(vectors[0].indices)
    assert np.isclose(np.linalg.norm(pruned[0].toarray()), 1.0)
    smallest_kept = vectors[0, kept].toarray().min()
    dropped = np.setdiff1d(vectors[0].indices, kept)
    assert vectors[0, dropped].toarray().max() <= smallest_kept


def test_prune_keeps_as_many_entries_as_each_row_is_given():
    texts = ["a long text about welding and cooking", "another long text about nursing care"]
    vectors = default_lexicon().transform(texts)
    pruned = prune(vectors, np.array([5, 12]))
    assert np.diff(pruned.indptr).tolist() == [5, 12]
    assert (prune(vectors, 12)[1] != pruned[1]).nnz == 0


def test_every_words_of_a_profile_and_a_need_count():
    person = make_jobseeker(summary="Kymmenen vuotta Hadoop-ylläpitoa", headline="IT")
    need = make_need(description="Etsimme Hadoop-osaajaa", required_skills=["big data"])
    assert "Hadoop-ylläpitoa" in person_text(person)
    assert "Hadoop-osaajaa" in need_text(need) and "big data" in need_text(need)
    assert "Aino" not in person_text(make_jobseeker(name="Aino Virtanen"))
