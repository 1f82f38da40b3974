"""Fit a kind's weights of the evidence features on the development sets, with grouped
cross-validation, and print them beside the current ones.

Each set is ranked once by the engine; stage 1 and the hard rules do not read the weights, so
every need's candidates and their feature values are fixed, and any weights can be scored
exactly by re-ordering them. The objective is the mean over the sets of NDCG@10 (each set
counts alike, the project's labelled fixtures among them, so that structured profiles keep
their ranking). Only the features that say whether a person fits the work are fitted; the
rule features keep their weights, and the fitted ones keep their share of the total.
Coordinate ascent over multiplicative steps, each weight within ``BOUNDS`` of its current
value and the fixtures' NDCG@10 at least ``FIXTURE_FLOOR``; two folds by need within each set
(a need is never in the fold it is judged on).

    python scripts/devsets/fit_weights.py var/devsets/melo-sv var/devsets/esco-occupations \\
        var/devsets/esco-descriptions
"""

from __future__ import annotations

import argparse
import json
import zlib
from pathlib import Path

import numpy as np

from matcher import embedding
from matcher.dataset import load_dataset, load_relevance_set
from matcher.engine import MatchEngine
from matcher.evaluation import ndcg_at_k
from matcher.features.lexical import TextFit
from matcher.features.meaning import MeaningFit
from matcher.features.skills import SkillFit
from matcher.ranking import order
from matcher.scoring import MatchScorer, prose_weights
from matcher.weights import DEFAULT_WEIGHTS

# What says whether a person fits the work: the skill family and whole-text similarity, in
# letters and in meaning.
FITTED = (*SkillFit.feature_names, *TextFit.feature_names, *MeaningFit.feature_names)
NAMES = MatchScorer().fit().feature_names_
STEPS = (0.5, 0.8, 1.25, 2.0)
# Each fitted weight stays within these multiples of its current one: the sets judge text
# alone, while a vacancy's missing required skill must still lower a score visibly.
BOUNDS = (0.5, 3.0)
FIXTURE_FLOOR = 0.87
# Same-language recall@20 of the fixtures minus cross-language (0.038 with the hand-set
# weights; the goal is at most 0.05).
GAP_CEILING = 0.04


def ranked(needs, people, grades, scorer) -> list[tuple]:
    """Per judged need: its id and kind, its candidates' ids, feature values and exclusions,
    the grades, per judged person whether their text is in the need's language, and per
    candidate whether they are described only in prose."""
    scorer.prepare_needs(needs)  # their vectors together, not one call per need
    engine = MatchEngine(scorer, people)
    language = {p.id: p.text_language for p in people}
    out = []
    for need in needs:
        judged = grades.get(need.id, {})
        if not any(grade >= 2 for grade in judged.values()):
            continue
        result = engine.rank(need)
        ids = np.array([engine.ids[r] for r in result.rows], dtype=str)
        same = {p: language.get(p) == need.text_language for p in judged}
        prose = engine.population.table.prose[result.rows]
        out.append((need.id, need.kind, ids, result.values, result.excluded, judged, same, prose))
    return out


def sets(folders: list[Path]) -> dict[str, list[tuple]]:
    """Every development set ranked, with the project's labelled fixtures as ``fixtures``."""
    fixtures = load_dataset()
    scorer = MatchScorer(as_of=fixtures.as_of).fit()
    out = {"fixtures": ranked(fixtures.needs, fixtures.jobseekers, fixtures.labels, scorer)}
    scorer = MatchScorer().fit()
    for folder in folders:
        data = load_relevance_set(folder)
        out[folder.name] = ranked(data.needs, data.people, data.grades, scorer)
    return out


def tops(rows: list[tuple], weights: dict[str, np.ndarray], depth: int = 20):
    """Each row's best ``depth`` included ids by ``weights`` (a vector per kind; people
    described only in prose by its :func:`~matcher.scoring.prose_weights`)."""
    shifted = {kind: prose_weights(vector, NAMES) for kind, vector in weights.items()}
    for _, kind, ids, features, excluded, *_, prose in rows:
        scores = features @ weights[kind]
        if prose.any():
            scores[prose] = features[prose] @ shifted[kind]
        yield [ids[i] for i in order(scores, excluded, ids, depth)]


def ndcg(rows: list[tuple], weights: dict[str, np.ndarray]) -> float:
    """Mean NDCG@10 of ``rows`` ranked by ``weights``."""
    values = [ndcg_at_k(top, row[5]) for row, top in zip(rows, tops(rows, weights), strict=True)]
    return float(np.mean(values)) if values else 0.0


def language_gap(rows: list[tuple], weights: dict[str, np.ndarray]) -> float:
    """Recall@20 of the relevant people in the need's language minus that of the others,
    pooled over (need, person) pairs, as ``matcher evaluate`` reports it."""
    found = {True: [], False: []}
    for row, top in zip(rows, tops(rows, weights), strict=True):
        for person, grade in row[5].items():
            if grade >= 2:
                found[row[6][person]].append(person in top)
    return float(np.mean(found[True]) - np.mean(found[False])) if all(found.values()) else 0.0


def objective(data: dict[str, list[tuple]], weights) -> float:
    """The mean over the sets of their NDCG@10; minus infinity when the labelled fixtures
    fall under ``FIXTURE_FLOOR`` (structured profiles must keep their ranking) or their
    cross-language gap exceeds ``GAP_CEILING``."""
    figures = {name: ndcg(rows, weights) for name, rows in data.items()}
    if "fixtures" in data and (
        figures["fixtures"] < FIXTURE_FLOOR or language_gap(data["fixtures"], weights) > GAP_CEILING
    ):
        return -np.inf
    return float(np.mean(list(figures.values())))


def fit(data, start: dict[str, np.ndarray], kind: str, names: list[str], rounds: int = 6):
    """Coordinate ascent on ``kind``'s fitted weights from ``start``; the best weights."""
    best, best_value = {k: v.copy() for k, v in start.items()}, objective(data, start)
    fitted = [names.index(n) for n in FITTED]
    total = best[kind][fitted].sum()
    for _ in range(rounds):
        improved = False
        for column in fitted:
            for step in STEPS:
                trial = {k: v.copy() for k, v in best.items()}
                vector = trial[kind]
                vector[column] = vector[column] * step if vector[column] else 0.02 * step
                vector[fitted] *= total / vector[fitted].sum()
                low, high = BOUNDS[0] * start[kind][fitted], BOUNDS[1] * start[kind][fitted]
                if np.any((vector[fitted] < low - 1e-9) | (vector[fitted] > high + 1e-9)):
                    continue
                value = objective(data, trial)
                if value > best_value + 1e-4:
                    best, best_value, improved = trial, value, True
        if not improved:
            break
    return best


def folds(data: dict[str, list[tuple]]) -> list[tuple[dict, dict]]:
    """Two (fit, judge) splits, by need within each set."""
    side = {name: [zlib.crc32(row[0].encode()) % 2 for row in rows] for name, rows in data.items()}
    return [
        tuple(
            {
                name: [row for row, s in zip(rows, side[name], strict=True) if (s == k) == keep]
                for name, rows in data.items()
            }
            for keep in (False, True)
        )
        for k in (0, 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--kind", default="vacancy")
    parser.add_argument(
        "--vectors", type=Path, help="an .npz file keeping the sets' embeddings between runs"
    )
    args = parser.parse_args()
    held = None
    if args.vectors and embedding.default_embedder() is not None:
        held = embedding.VectorFile(args.vectors)
        held.lend(embedding.default_embedder())
    data = sets(args.folders)
    if held is not None:
        held.keep(embedding.default_embedder())
    names = list(MatchScorer().fit().feature_names_)
    start = {
        kind: np.array([weights.get(n, 0.0) for n in names]) / sum(weights.values())
        for kind, weights in DEFAULT_WEIGHTS.items()
    }
    held_out = {name: {"current": [], "fitted": []} for name in data}
    for train, test in folds(data):
        fitted = fit(train, start, args.kind, names)
        for name, rows in test.items():
            held_out[name]["current"].append(ndcg(rows, start) * len(rows))
            held_out[name]["fitted"].append(ndcg(rows, fitted) * len(rows))
    final = fit(data, start, args.kind, names)
    report = {
        "fixtures_language_gap": {
            "current": round(language_gap(data["fixtures"], start), 4),
            "fitted": round(language_gap(data["fixtures"], final), 4),
        },
        "cross_validated_ndcg@10": {
            name: {k: round(sum(v) / len(data[name]), 4) for k, v in figures.items()}
            for name, figures in held_out.items()
        },
        "in_sample_ndcg@10": {
            name: {"current": round(ndcg(rows, start), 4), "fitted": round(ndcg(rows, final), 4)}
            for name, rows in data.items()
        },
        "weights": {
            name: {"current": round(float(start[args.kind][i]), 4), "fitted": round(float(w), 4)}
            for i, (name, w) in enumerate(zip(names, final[args.kind], strict=True))
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
