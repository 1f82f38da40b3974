"""Skill vocabularies and the mapping of free text to their concepts.

A :class:`SkillVocabulary` holds concepts (skills, occupations, licences, tools) with labels in
Finnish, Swedish and English. The embedded vocabulary ships with the package; the official ESCO
classification can be imported from its CSV download (:func:`import_esco`) and merged in.

:class:`ConceptMapper` finds concepts in text: exact label lookup first, then Snowball stems
(inflection), then compound parts (Finnish and Swedish compounds), then rapidfuzz fuzzy
matching (typos). All fuzzy work is one batched ``process.cdist`` call per text.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import lzma
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from matcher import text as _text
from matcher.exceptions import TaxonomyError
from matcher.jsontext import json_value
from matcher.text import STOPWORDS, stem, tokens

LANGUAGES = ("fi", "sv", "en")
CONCEPT_TYPES = ("skill", "occupation", "licence", "tool", "field")
MAX_WINDOW = 4
MIN_FUZZY_LENGTH = 6
ESCO_FILE = "data/esco.jsonl.xz"
# The ``source`` of concepts read from ESCO's download (:func:`import_esco`).
ESCO_SOURCE = "esco"
# An imported classification's one-word labels whose word stands in more labels than this
# are not looked for (see LabelIndex).
GENERIC_WORD_LABELS = 100
MIN_COMPOUND_PART = 4
MIN_COMPOUND_HEAD = 5
# The longest part of a compound looked up (the region's longest one-word label has 31
# letters, with room for its inflected forms): without a bound, a word of n letters is
# n prefixes and n suffixes of up to n letters each, and one 50,000-letter "word" in a
# pasted ad took gigabytes.
MAX_COMPOUND_PART = 48
MIN_STEM = 5
# How surely a word found inside a compound shows the concept: partly, since the compound
# may mean something else ("bildbearbetning", image editing, is not "bearbetning", machining).
COMPOUND = 0.6
# Case and possessive endings that inflect a Finnish or Swedish base form without changing it
# ("kokki" → "kokkina", "hitsaaja" → "hitsaajana", "svetsning" → "svetsningen"); longest first.
ENDINGS = tuple(
    sorted(
        """na nä ksi n a ä t ssa ssä sta stä lla llä lta ltä lle ssa lle ni si mme nne nsa nsä
    en et n ar er or na ne s ens ets arna erna""".split(),
        key=len,
        reverse=True,
    )
)
# Punctuation that separates items in a list: windows never reach across it.
_SEGMENT = re.compile(r"[,;:()\[\]{}\n•·|]+|(?<!\d)\.(?!\d)")

# Texts whose concepts are remembered (about 300 bytes each), before the memory starts over.
FIND_CACHE_LIMIT = 1_000_000
# Layers of at least this many concepts (ESCO's) are kept compiled on disk between processes:
# indexing ESCO's 180,000 labels takes seconds, reading the compiled index a quarter of one.
COMPILED_LAYER = 5_000
#: Where compiled label indexes are kept: this variable, else ``$XDG_CACHE_HOME/kohtaanto``
#: (``~/.cache/kohtaanto``); set it empty to index at every start.
CACHE_ENV = "KOHTAANTO_CACHE_DIR"


@dataclass(frozen=True)
class Concept:
    """A skill, occupation, licence or tool with labels per language (first = preferred)."""

    id: str
    type: str
    labels: dict[str, tuple[str, ...]]
    sector: str = "general"
    related: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    source: str = "kohtaanto"

    def label(self, language: str = "en") -> str:
        """Preferred label in ``language``, falling back to English, then any language."""
        for lang in (language, "en", *LANGUAGES):
            if self.labels.get(lang):
                return self.labels[lang][0]
        return self.id

    @property
    def imported(self) -> bool:
        """Whether the concept comes from an imported classification (ESCO), not from the
        region's vocabulary."""
        return self.source == ESCO_SOURCE

    def to_dict(self) -> dict:
        out = {"id": self.id, "type": self.type, "sector": self.sector, "source": self.source}
        out.update({lang: list(self.labels.get(lang, ())) for lang in LANGUAGES})
        if self.related:
            out["related"] = list(self.related)
        if self.implies:
            out["implies"] = list(self.implies)
        return out


@dataclass(frozen=True)
class ConceptHit:
    """A concept found in text: the words that evidence it, how, and how surely (0–1)."""

    concept: str
    surface: str
    score: float
    method: str


class SkillVocabulary:
    """A set of concepts with their relations."""

    def __init__(self, concepts: Iterable[Concept], name: str = "custom") -> None:
        self.name = name
        self.concepts: dict[str, Concept] = {}
        for concept in concepts:
            self.concepts.setdefault(concept.id, concept)
        self._related = self._symmetric_related()

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self.concepts

    def __getitem__(self, concept_id: str) -> Concept:
        return self.concepts[concept_id]

    def _symmetric_related(self) -> dict[str, frozenset[str]]:
        related: dict[str, set[str]] = defaultdict(set)
        for concept in self.concepts.values():
            for other in concept.related:
                if other in self.concepts and other != concept.id:
                    related[concept.id].add(other)
                    related[other].add(concept.id)
        return {key: frozenset(value) for key, value in related.items()}

    def related(self, concept_id: str) -> frozenset[str]:
        """Concepts related to ``concept_id`` in either direction."""
        return self._related.get(concept_id, frozenset())

    def implies(self, concept_id: str) -> tuple[str, ...]:
        """Skills that a person who has ``concept_id`` (an occupation) is taken to have."""
        concept = self.concepts.get(concept_id)
        return tuple(c for c in concept.implies if c in self.concepts) if concept else ()

    def merged(self, other: SkillVocabulary) -> SkillVocabulary:
        """A vocabulary with this one's concepts and then ``other``'s."""
        return SkillVocabulary(
            [*self.concepts.values(), *other.concepts.values()], f"{self.name}+{other.name}"
        )

    @functools.cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the concepts (:meth:`to_jsonl`): equal for vocabularies with the same
        concepts, labels and relations, whatever their names."""
        return hashlib.sha256(self.to_jsonl().encode()).hexdigest()

    def to_jsonl(self) -> str:
        """The vocabulary in the JSON Lines layout that :meth:`from_jsonl` reads."""
        return "".join(
            json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in self.concepts.values()
        )

    @classmethod
    def from_jsonl(cls, text: str, name: str = "custom") -> SkillVocabulary:
        """Read concepts from JSON Lines text (one concept object per line)."""
        concepts = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                concepts.append(_concept_from_json(line, number))
        return cls(concepts, name)

    @classmethod
    def load(cls, path: str | Path) -> SkillVocabulary:
        """Read a vocabulary written by :meth:`to_jsonl` (or :meth:`save`: ``.xz`` compressed)."""
        path = Path(path)
        try:
            data = path.read_bytes()
            if path.suffix == ".xz":
                data = lzma.decompress(data)
            return cls.from_jsonl(data.decode("utf-8"), path.name.split(".")[0])
        except (OSError, lzma.LZMAError, UnicodeDecodeError) as error:
            raise TaxonomyError(f"cannot read {path}: {error}", field="vocabulary") from None

    def save(self, path: str | Path) -> None:
        """Write :meth:`to_jsonl` to ``path`` atomically, compressed when it ends in ``.xz``."""
        path = Path(path)
        data = self.to_jsonl().encode("utf-8")
        if path.suffix == ".xz":
            data = lzma.compress(data, preset=9)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


def _concept_from_json(line: str, number: int) -> Concept:
    try:
        data = json_value(line)
        if not isinstance(data, dict):
            raise TypeError("a concept must be a JSON object")
        labels = {lang: tuple(data.get(lang) or ()) for lang in LANGUAGES}
        concept = Concept(
            id=data["id"],
            type=data.get("type", "skill"),
            labels=labels,
            sector=data.get("sector", "general"),
            related=tuple(data.get("related", ())),
            implies=tuple(data.get("implies", ())),
            source=data.get("source", "kohtaanto"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TaxonomyError(f"line {number}: {error}", field="vocabulary") from None
    if not any(labels.values()):
        raise TaxonomyError(
            f"line {number}: concept {concept.id!r} has no label", field="vocabulary"
        )
    return concept


@functools.cache
def embedded_vocabulary() -> SkillVocabulary:
    """The region's multilingual vocabulary that ships with the package."""
    text = resources.files("matcher").joinpath("data/skills.jsonl").read_text("utf-8")
    return SkillVocabulary.from_jsonl(text, "kohtaanto")


@functools.cache
def shipped_esco() -> SkillVocabulary:
    """ESCO v1.1.1 as shipped with the package: occupations and skills with their English
    (and alternative), Finnish and Swedish labels and the essential skills of each occupation,
    imported from the official CSV download (``matcher taxonomy import-esco``, ``ESCO_FILE``).
    ESCO is the European Commission's classification, reused under Commission Decision
    2011/833/EU; see ``matcher/data/ESCO.md``."""
    with resources.as_file(resources.files("matcher").joinpath(ESCO_FILE)) as path:
        vocabulary = SkillVocabulary.load(path)
    vocabulary.name = "esco"
    return vocabulary


@functools.cache
def default_vocabulary(esco: bool = True) -> SkillVocabulary:
    """What the service and the command line match with: the region's vocabulary, and ESCO
    beneath it unless ``esco`` is false."""
    return embedded_vocabulary().merged(shipped_esco()) if esco else embedded_vocabulary()


def import_esco(directory: str | Path) -> SkillVocabulary:
    """Read the official ESCO CSV download (one file per language) into a vocabulary.

    Reads ``skills_<lang>.csv`` and ``occupations_<lang>.csv`` for fi, sv and en (English is
    required) and ``occupationSkillRelations.csv`` (or ``occupationSkillRelations_<lang>.csv``);
    an occupation implies its *essential* skills.
    """
    directory = Path(directory)
    if not (directory / "skills_en.csv").is_file():
        raise TaxonomyError(f"{directory} has no skills_en.csv", field="directory")
    labels: dict[str, dict[str, list[str]]] = defaultdict(dict)
    kinds: dict[str, str] = {}
    for stem_name, kind in (("skills", "skill"), ("occupations", "occupation")):
        for lang in LANGUAGES:
            for row in _esco_rows(directory / f"{stem_name}_{lang}.csv", required=lang == "en"):
                uri = row["conceptUri"]
                kinds.setdefault(uri, kind)
                alternatives = (row.get("altLabels") or "").split("\n")
                names = [row.get("preferredLabel", ""), *alternatives]
                labels[uri][lang] = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    implies = _esco_essential_skills(directory)
    concepts = [
        Concept(
            id=uri,
            type=kinds[uri],
            labels={lang: tuple(values) for lang, values in by_lang.items()},
            sector="esco",
            implies=tuple(implies.get(uri, ())),
            source=ESCO_SOURCE,
        )
        for uri, by_lang in labels.items()
        if by_lang.get("en")
    ]
    return SkillVocabulary(concepts, "esco")


def _esco_rows(path: Path, *, required: bool) -> list[dict[str, str]]:
    if not path.is_file():
        if required:
            raise TaxonomyError(f"missing {path.name}", field="directory")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"conceptUri", "preferredLabel"} <= rows[0].keys():
        raise TaxonomyError(
            f"{path.name} lacks conceptUri/preferredLabel columns", field="directory"
        )
    return rows


def _esco_essential_skills(directory: Path) -> dict[str, list[str]]:
    candidates = [directory / "occupationSkillRelations.csv"]
    candidates += sorted(directory.glob("occupationSkillRelations_*.csv"))
    path = next((p for p in candidates if p.is_file()), None)
    implies: dict[str, list[str]] = defaultdict(list)
    if path is None:
        return implies
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("relationType") == "essential":
                implies[row["occupationUri"]].append(row["skillUri"])
    return implies


class FuzzyChoices:
    """The labels a typo may be of, by length: a rapidfuzz ``ratio`` of at least ``cutoff``
    is only possible between strings whose lengths differ by little, so only those are
    compared. The best label is the one with the highest ratio, the first added among equals.
    """

    def __init__(self, labels: Sequence[tuple[str, tuple[str, ...]]]) -> None:
        lengths = np.fromiter((len(key) for key, _ in labels), dtype=np.int64, count=len(labels))
        self.added = np.argsort(lengths, kind="stable")
        self.lengths = lengths[self.added]
        self.keys = [labels[i][0] for i in self.added]
        self.concepts = [labels[i][1] for i in self.added]

    def best(self, query: str, cutoff: float) -> tuple[tuple[str, ...], float] | None:
        """The concepts of the label most like ``query`` and its ratio, if at least ``cutoff``."""
        # ratio = 200·matches/(a+b) ≤ 200·min(a,b)/(a+b): below the cutoff when the shorter
        # string is under cutoff/(200 − cutoff) of the longer (uint8 scores round: 0.5 slack).
        floor = (cutoff - 0.5) / (200 - cutoff + 0.5)
        n = len(query)
        lo = int(np.searchsorted(self.lengths, math.floor(n * floor), "left"))
        hi = int(np.searchsorted(self.lengths, math.ceil(n / floor), "right"))
        if lo >= hi:
            return None
        scores = process.cdist(
            [query],
            self.keys[lo:hi],
            scorer=fuzz.ratio,
            dtype=np.uint8,
            workers=1,
            score_cutoff=cutoff - 0.5,
        )[0]
        top = scores.max()
        if top < cutoff:
            return None
        ties = np.flatnonzero(scores == top)
        best = lo + int(ties[self.added[lo + ties].argmin()])
        return self.concepts[best], float(top)


class LabelIndex:
    """One layer's labels, as a :class:`ConceptMapper` looks them up: exactly, stemmed, and
    by typo.

    With ``generic_words``, a one-word label whose word occurs in more than that many of the
    layer's labels is left out: in ESCO, "equipment", "design", "manager" or "teacher" each
    stand in hundreds of labels, and as one concept's alternative label they name a family of
    work, not that concept.
    """

    def __init__(self, concepts: Iterable[Concept], generic_words: int | None = None) -> None:
        exact: dict[str, set[str]] = defaultdict(set)
        stemmed: dict[str, set[str]] = defaultdict(set)
        labels = [
            (concept, lang, words)
            for concept in concepts
            for lang, names in concept.labels.items()
            for words in map(tokens, names)
            if 0 < len(words) <= MAX_WINDOW
        ]
        frequency = Counter(w for *_, words in labels for w in set(words))
        for concept, lang, words in labels:
            if generic_words is None or len(words) > 1 or frequency[words[0]] <= generic_words:
                _index_label(exact, stemmed, concept, lang, words)
        # Sorted tuples: hits come out in one order, and a compiled index reads fast.
        self.exact = {key: tuple(sorted(ids)) for key, ids in exact.items()}
        self.stemmed = {key: tuple(sorted(ids)) for key, ids in stemmed.items()}
        self.fuzzy = self._fuzzy_choices()
        self.label_words = {word for key in self.exact for word in key.split()}
        self.label_words |= {word for key in self.stemmed for word in key.split()}

    @classmethod
    def compiled(
        cls, concepts: Sequence[Concept], generic_words: int | None, source: str
    ) -> LabelIndex:
        """The index of ``concepts``, read from the cache folder (:data:`CACHE_ENV`) when an
        earlier process compiled it from the same ``source`` (a vocabulary's fingerprint and
        the layer's name) with the same code, else built (and, for a layer of at least
        :data:`COMPILED_LAYER` concepts, written there for the next one)."""
        folder = _cache_folder()
        if folder is None or len(concepts) < COMPILED_LAYER:
            return cls(concepts, generic_words)
        path = folder / f"labels-{_index_key(source, generic_words)}.pickle"
        try:
            with path.open("rb") as handle:
                index = pickle.load(handle)
            if isinstance(index, cls):
                return index
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            pass  # absent, or a partial or foreign file: compile it again
        index = cls(concepts, generic_words)
        _write_private(path, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        return index

    def _fuzzy_choices(self) -> dict[tuple[int, str], FuzzyChoices]:
        # Keyed by word count and first letter: typos rarely hit the first letter ("learning"
        # is not "cleaning"), so a query is only compared with labels that share it.
        by_key: dict[tuple[int, str], list[tuple[str, tuple[str, ...]]]] = {}
        for key, ids in self.exact.items():
            if len(key) >= MIN_FUZZY_LENGTH:
                by_key.setdefault((key.count(" ") + 1, key[0]), []).append((key, ids))
        return {key: FuzzyChoices(labels) for key, labels in by_key.items()}

    def lookup(self, window: Sequence[str]) -> tuple[tuple[str, ...], float, str] | None:
        """The concepts a window of words names, the evidence's score and how it was found."""
        exact = self.exact.get(" ".join(window))
        if exact:
            return exact, 1.0, "exact"
        if any(len(w) < MIN_COMPOUND_PART for w in window):
            return None
        # A multi-word window can only match when its leading words are words of some label.
        if len(window) > 1 and not all(self._label_word(w) for w in window[:-1]):
            return None
        for lang in LANGUAGES:
            found = self.stemmed.get(" ".join(stem(w, lang) for w in window))
            if found:
                return found, 0.95, "stem"
        *head, last = window
        for ending in ENDINGS:
            base = last[: -len(ending)]
            if last.endswith(ending) and len(base) >= MIN_COMPOUND_PART:
                found = self.exact.get(" ".join([*head, base]))
                if found:
                    return found, 0.95, "inflection"
        return None

    def _label_word(self, word: str) -> bool:
        """Whether ``word``, as written or stemmed, occurs in some label."""
        words = self.label_words
        return word in words or any(stem(word, lang) in words for lang in LANGUAGES)


class ConceptMapper:
    """Finds vocabulary concepts in free text, tolerant of language, inflection and typos.

    The region's concepts are looked for first; an imported classification (ESCO) reads only
    the words they left: "welding equipment" is the region's *welding*, which the Finnish
    "hitsaus" also names, not ESCO's skill of that longer name.

    Parameters
    ----------
    vocabulary : SkillVocabulary
        The concepts to look for.
    fuzzy_cutoff : float
        Lowest rapidfuzz ``ratio`` (0–100) accepted for a typo match.
    """

    def __init__(self, vocabulary: SkillVocabulary, fuzzy_cutoff: float = 86.0) -> None:
        self.vocabulary = vocabulary
        self.fuzzy_cutoff = fuzzy_cutoff
        concepts = list(vocabulary.concepts.values())
        own = [c for c in concepts if not c.imported]
        imported = [c for c in concepts if c.imported]
        # Keyed by the whole vocabulary's fingerprint, which the scorer's description needs
        # anyway: the concepts are not serialised a second time at every start.
        self._layers = [
            LabelIndex.compiled(layer, generic, f"{vocabulary.fingerprint} {name}")
            for name, layer, generic in (
                ("own", own, None),
                ("imported", imported, GENERIC_WORD_LABELS),
            )
            if layer
        ]
        self._cache: dict[tuple[str, bool], tuple[ConceptHit, ...]] = {}

    def named(self, text: str) -> tuple[str, ...]:
        """The concepts ``text`` as a whole is a label of (as written, stemmed or inflected;
        the region's vocabulary before an imported one), not those it only contains: "hitsaaja"
        names the welder, "hitsaaja ja asentaja" names nothing."""
        words = tokens(text)
        if not 0 < len(words) <= MAX_WINDOW:
            return ()
        for layer in self._layers:
            found = layer.lookup(words)
            if found:
                return found[0]
        return ()

    def find(self, text: str, *, phrase: bool = True) -> tuple[ConceptHit, ...]:
        """Concepts in ``text``, best evidence per concept, in order of appearance.

        ``phrase`` marks a skill entry (short labels such as "IT" count); free text
        ignores stop words and labels shorter than three letters.
        """
        key = (text, phrase)
        if key not in self._cache:
            if len(self._cache) > FIND_CACHE_LIMIT:  # typed text arrives from clients
                self._cache.clear()
            hits = [
                hit
                for segment in _SEGMENT.split(text)
                for hit in self._find(tokens(segment), phrase)
            ]
            self._cache[key] = _best_per_concept(list(enumerate(hits)))
        return self._cache[key]

    def _find(self, words: list[str], phrase: bool) -> tuple[ConceptHit, ...]:
        free = [True] * len(words)
        hits: list[tuple[int, ConceptHit]] = []
        for layer in self._layers:
            self._windows(layer, words, free, hits, phrase)
        # Compound parts from the region's labels only: ESCO's Finnish and Swedish labels are
        # verb phrases, and an English word split in two ("apprenticeship") is noise.
        if self._layers:
            self._compounds(self._layers[0], words, free, hits)
        return _best_per_concept(hits)

    def _windows(self, layer: LabelIndex, words, free, hits, phrase: bool) -> None:
        for size in range(min(MAX_WINDOW, len(words)), 0, -1):
            pending = []
            for start in range(len(words) - size + 1):
                if not all(free[start : start + size]):
                    continue
                window = words[start : start + size]
                if size == 1 and not self._worth_looking(window[0], phrase):
                    continue
                found = layer.lookup(window)
                if found:
                    self._take(hits, free, start, size, window, *found)
                else:
                    pending.append(start)
            self._fuzzy(layer, words, free, hits, pending, size)

    @staticmethod
    def _worth_looking(word: str, phrase: bool) -> bool:
        return phrase or (len(word) >= 3 and word not in STOPWORDS)

    @staticmethod
    def _take(hits, free, start, size, window, concepts, score, method) -> None:
        for concept in sorted(concepts):
            hits.append((start, ConceptHit(concept, " ".join(window), score, method)))
        free[start : start + size] = [False] * size

    def _fuzzy(self, layer: LabelIndex, words, free, hits, starts: list[int], size: int) -> None:
        for start in starts:
            window = words[start : start + size]
            query = " ".join(window)
            if (
                sum(len(w) for w in window) < MIN_FUZZY_LENGTH
                or any(w in STOPWORDS for w in window)
                or (size, query[0]) not in layer.fuzzy
            ):
                continue
            found = layer.fuzzy[size, query[0]].best(query, self.fuzzy_cutoff)
            if found and all(free[start : start + size]):
                concepts, ratio = found
                self._take(hits, free, start, size, window, concepts, 0.9 * ratio / 100, "fuzzy")

    def _compounds(self, layer: LabelIndex, words, free, hits) -> None:
        """Finnish and Swedish compounds: a known word at the start or end of a longer one."""
        for position, word in enumerate(words):
            if not free[position] or len(word) < 2 * MIN_COMPOUND_PART or word in STOPWORDS:
                continue
            for parts in _compound_parts(word):
                found = next(filter(None, (layer.lookup([part]) for part in parts)), None)
                if found:
                    concepts, score, _ = found
                    # Brand names are not compound parts ("excel" in "excellent").
                    for concept in sorted(c for c in concepts if self.vocabulary[c].type != "tool"):
                        hit = ConceptHit(concept, word, COMPOUND * score, "compound")
                        hits.append((position, hit))


@functools.lru_cache(maxsize=4)
def concept_mapper(vocabulary: SkillVocabulary) -> ConceptMapper:
    """One :class:`ConceptMapper` per vocabulary object in a process: indexing ESCO's labels
    takes seconds, and scorers that differ only in their reference date share it."""
    return ConceptMapper(vocabulary)


def _cache_folder() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kohtaanto"


def _index_label(exact, stemmed, concept: Concept, lang: str, words: list[str]) -> None:
    exact[" ".join(words)].add(concept.id)
    # Brand names (tools) are matched as written: "Excel" must not catch "excellent".
    key = " ".join(stem(w, lang) for w in words)
    if concept.type != "tool" and len(key) >= MIN_STEM:
        stemmed[key].add(concept.id)


def _index_key(source: str, generic_words: int | None) -> str:
    """What a compiled index depends on: its concepts' ``source``, the cut for generic
    words, and the code that indexes and stems (a changed rule compiles anew)."""
    stemmers = [_version(name) for name in ("snowballstemmer", "PyStemmer")]
    described = f"{source} {generic_words} {stemmers} {unicodedata.unidata_version}"
    digest = hashlib.sha256(described.encode())
    for module in (__file__, _text.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:32]


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically in a folder only this user reads; a cache
    that cannot be written is skipped."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False)
    except OSError:
        return
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)


def _compound_parts(word: str) -> tuple[list[str], list[str]]:
    """Candidate modifiers and heads of a compound, each longest first (at most
    :data:`MAX_COMPOUND_PART` letters)."""
    longest = min(len(word) - MIN_COMPOUND_PART, MAX_COMPOUND_PART)
    cuts = range(longest, MIN_COMPOUND_HEAD - 1, -1)
    return [word[:cut] for cut in cuts], [word[len(word) - cut :] for cut in cuts]


def _best_per_concept(hits: list[tuple[int, ConceptHit]]) -> tuple[ConceptHit, ...]:
    best: dict[str, tuple[int, ConceptHit]] = {}
    for position, hit in hits:
        if hit.concept not in best or hit.score > best[hit.concept][1].score:
            best[hit.concept] = (position, hit)
    ordered = sorted(best.values(), key=lambda item: (item[0], item[1].concept))
    return tuple(hit for _, hit in ordered)
