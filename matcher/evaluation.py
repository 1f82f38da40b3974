"""Offline evaluation of a ranking against graded relevance labels.

Metrics follow their usual definitions: NDCG@k with gains ``2**grade - 1`` and log2 discounts,
recall@k of the relevant items (grade at or above ``relevant_grade``), and the reciprocal rank
of the first relevant item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


def dcg(grades: Sequence[float]) -> float:
    """Discounted cumulative gain of grades in ranked order."""
    grades = np.asarray(grades, dtype=float)
    if not grades.size:
        return 0.0
    return float(((2.0**grades - 1.0) / np.log2(np.arange(2, grades.size + 2))).sum())


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """NDCG@k of ``ranked`` ids given graded relevance (ids absent from ``grades`` are 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0.0:
        return 0.0
    return dcg([grades.get(item, 0) for item in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int = 20) -> float:
    """Share of ``relevant`` ids found among the first ``k`` of ``ranked``."""
    relevant = set(relevant)
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str]) -> float:
    """1 / rank of the first relevant id in ``ranked`` (0 when none is ranked)."""
    relevant = set(relevant)
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


@dataclass
class EvaluationReport:
    """Metrics overall, per need kind and per language pair (need → jobseeker text language)."""

    overall: dict[str, float]
    by_kind: dict[str, dict[str, float]]
    by_language_pair: dict[str, dict[str, float]]
    counts: dict[str, int] = field(default_factory=dict)

    def cross_language_gap(self) -> float:
        """Same-language recall@20 minus cross-language recall@20 (pooled over pairs)."""
        pairs = self.by_language_pair
        return _pooled(pairs, same=True) - _pooled(pairs, same=False)

    def format(self) -> str:
        """A plain-text table of the report."""
        lines = [f"{'':26}{'NDCG@10':>9}{'recall@20':>11}{'MRR':>8}{'n':>6}"]
        lines.append(
            "(n: needs for overall and kinds; relevant (need, person) pairs for languages)"
        )
        rows = [("overall", self.overall)] + [(f"kind {k}", v) for k, v in self.by_kind.items()]
        rows += [(f"lang {k}", v) for k, v in self.by_language_pair.items()]
        for name, values in rows:
            ndcg = f"{values['ndcg@10']:9.3f}" if "ndcg@10" in values else f"{'—':>9}"
            mrr = f"{values['mrr']:8.3f}" if "mrr" in values else f"{'—':>8}"
            lines.append(f"{name:26}{ndcg}{values['recall@20']:11.3f}{mrr}{values['n']:6.0f}")
        same = _pooled(self.by_language_pair, same=True)
        cross = _pooled(self.by_language_pair, same=False)
        lines.append(
            f"recall@20 same-language {same:.3f}, cross-language {cross:.3f}, "
            f"gap (same − cross) {self.cross_language_gap():+.3f}"
        )
        return "\n".join(lines)


def _pooled(pairs: Mapping[str, Mapping[str, float]], *, same: bool) -> float:
    found = total = 0.0
    for key, values in pairs.items():
        source, target = key.split("→")
        if (source == target) == same:
            found += values["recall@20"] * values["n"]
            total += values["n"]
    return found / total if total else 0.0


def evaluate(
    rank: Callable[[str], Sequence[str]],
    labels: Mapping[str, Mapping[str, int]],
    need_kind: Mapping[str, str],
    need_language: Mapping[str, str],
    person_language: Mapping[str, str],
    relevant_grade: int = 2,
) -> EvaluationReport:
    """Evaluate ``rank(need_id) -> ranked jobseeker ids`` against ``labels[need][person] = grade``.

    Language-pair recall pools (need, relevant jobseeker) pairs by their text languages, so
    each pair's figure is the share of its relevant people found in the need's top 20.
    """
    per_need: dict[str, dict[str, float]] = {}
    pair_hits: dict[str, list[float]] = defaultdict(list)
    for need_id, grades in sorted(labels.items()):
        ranked = list(rank(need_id))
        relevant = _relevant(grades, relevant_grade)
        if not relevant:
            continue
        per_need[need_id] = need_metrics(ranked, grades, relevant_grade)
        top = set(ranked[:20])
        for person in relevant:
            key = f"{need_language.get(need_id, '?')}→{person_language.get(person, '?')}"
            pair_hits[key].append(float(person in top))
    by_kind: dict[str, list[dict[str, float]]] = defaultdict(list)
    for need_id, metrics in per_need.items():
        by_kind[need_kind[need_id]].append(metrics)
    return EvaluationReport(
        overall=_mean(list(per_need.values())),
        by_kind={kind: _mean(rows) for kind, rows in sorted(by_kind.items())},
        by_language_pair={
            key: {"recall@20": float(np.mean(hits)), "n": len(hits)}
            for key, hits in sorted(pair_hits.items())
        },
        counts={"needs": len(per_need)},
    )


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    keys = ("ndcg@10", "recall@20", "mrr")
    out = {key: float(np.mean([row[key] for row in rows])) if rows else 0.0 for key in keys}
    out["n"] = len(rows)
    return out


def evaluate_dataset(dataset, scorer=None, depth: int = 20) -> EvaluationReport:
    """Rank every labelled need of ``dataset`` over all its jobseekers with the engine the
    service uses (:class:`matcher.engine.MatchEngine`) and evaluate."""
    from matcher.engine import MatchEngine
    from matcher.scoring import MatchScorer

    engine = MatchEngine(scorer or MatchScorer(as_of=dataset.as_of).fit(), dataset.jobseekers)
    needs = {need.id: need for need in dataset.needs}
    labels = {n: g for n, g in dataset.labels.items() if n in needs}
    return evaluate(
        lambda need_id: engine.top(needs[need_id], limit=depth).ids,
        labels,
        need_kind={n.id: n.kind for n in dataset.needs},
        need_language={n.id: n.text_language or "?" for n in dataset.needs},
        person_language={p.id: p.text_language or "?" for p in dataset.jobseekers},
    )


METRICS = ("ndcg@10", "recall@20", "mrr")
#: How deep each ranker's list is read: recall@20 needs 20, so MRR is MRR@20.
DEPTH = 20
LABELS = {"ndcg@10": "NDCG@10", "recall@20": "recall@20", "mrr": "MRR"}


def need_metrics(
    ranked: Sequence[str], grades: Mapping[str, int], relevant_grade: int = 2
) -> dict[str, float]:
    """NDCG@10, recall@20 and reciprocal rank of one need's ranked ids."""
    relevant = _relevant(grades, relevant_grade)
    return {
        "ndcg@10": ndcg_at_k(ranked, grades, 10),
        "recall@20": recall_at_k(ranked, relevant, 20),
        "mrr": reciprocal_rank(ranked, relevant),
    }


def _relevant(grades: Mapping[str, int], relevant_grade: int) -> set[str]:
    return {p for p, g in grades.items() if g >= relevant_grade}


def paired_bootstrap(
    differences: Sequence[float], resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of paired per-need ``differences``."""
    differences = np.asarray(differences, dtype=float)
    if not differences.size:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, differences.size, size=(resamples, differences.size))
    means = differences[draws].mean(axis=1)
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


@dataclass
class Comparison:
    """Rankers' mean metrics over the same needs, and the reference minus each other ranker
    with a paired-bootstrap confidence interval (over needs)."""

    reference: str
    means: dict[str, dict[str, float]]
    differences: dict[str, dict[str, dict[str, float]]]
    needs: int
    resamples: int
    seed: int
    #: Wall-clock seconds per ranker (preparing its candidates and ranking every need).
    seconds: dict[str, float] = field(default_factory=dict, compare=False)
    #: Rankers that could not run, with the reason.
    skipped: dict[str, str] = field(default_factory=dict)
    #: Per group of needs (:func:`compare`'s ``groups``): how many needs, and each ranker's
    #: mean NDCG@10 over them.
    by_group: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The comparison as plain JSON-ready data."""
        return {
            "reference": self.reference,
            "needs": self.needs,
            "resamples": self.resamples,
            "seed": self.seed,
            "means": self.means,
            "differences": self.differences,
            "seconds": self.seconds,
            "skipped": self.skipped,
            "by_group": self.by_group,
        }

    def format(self) -> str:
        """A plain-text table: each ranker's means, then each difference with its interval."""
        header = "".join(f"{LABELS[m]:>24}" for m in METRICS)
        lines = [
            f"{self.needs} needs with a relevant person; 95 % CI by paired bootstrap over "
            f"needs ({self.resamples} resamples, seed {self.seed})",
            f"{'':28}{header}",
        ]
        for name, means in self.means.items():
            seconds = f"{self.seconds[name]:10.1f} s" if name in self.seconds else ""
            cells = "".join(f"{means[m]:24.3f}" for m in METRICS)
            lines.append(f"{name:28}{cells}{seconds}")
        for name, diffs in self.differences.items():
            cells = "".join(f"{_interval(diffs[m]):>24}" for m in METRICS)
            lines.append(f"{self.reference + ' − ' + name:28}{cells}")
        lines += [f"{name}: not run, {reason}" for name, reason in self.skipped.items()]
        if self.by_group:
            names = list(self.means)
            lines += ["", f"{'NDCG@10 by kind of need':28}" + "".join(f"{n:>14}" for n in names)]
            for group, figures in self.by_group.items():
                label = f"{group} ({figures['needs']})"
                lines.append(f"{label:28}" + "".join(f"{figures[n]:14.3f}" for n in names))
        return "\n".join(lines)


def _interval(d: Mapping[str, float]) -> str:
    return f"{d['difference']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]"


def compare(
    rankings: Mapping[str, Callable[[str], Sequence[str]]],
    grades: Mapping[str, Mapping[str, int]],
    reference: str,
    *,
    relevant_grade: int = 2,
    resamples: int = 1000,
    seed: int = 0,
    groups: Mapping[str, str] | None = None,
) -> Comparison:
    """Evaluate each ``rankings[name](need_id) -> ranked ids`` on the needs of ``grades`` that
    have a relevant person, and compare ``reference`` with each other ranker, paired by need;
    with ``groups`` (need id → its group's name), each ranker's NDCG@10 per group too."""
    needs = [n for n, g in sorted(grades.items()) if max(g.values(), default=0) >= relevant_grade]
    table = {
        name: np.array(
            [[need_metrics(rank(n), grades[n], relevant_grade)[m] for m in METRICS] for n in needs]
        ).reshape(len(needs), len(METRICS))
        for name, rank in rankings.items()
    }
    means = {name: _means(values) for name, values in table.items()}
    differences = {
        name: {
            metric: _difference(table[reference][:, j] - values[:, j], resamples, seed)
            for j, metric in enumerate(METRICS)
        }
        for name, values in table.items()
        if name != reference
    }
    by_group = _by_group(needs, groups or {}, table)
    return Comparison(reference, means, differences, len(needs), resamples, seed, by_group=by_group)


def _by_group(
    needs: Sequence[str], groups: Mapping[str, str], table: Mapping[str, np.ndarray]
) -> dict[str, dict]:
    """Per group (in order of name), how many of ``needs`` it holds and each ranker's mean
    NDCG@10 over them (``table``: per ranker, a row of metrics per need)."""
    column = METRICS.index("ndcg@10")
    out = {}
    for group in sorted({groups[n] for n in needs if n in groups}):
        rows = [i for i, n in enumerate(needs) if groups.get(n) == group]
        out[group] = {"needs": len(rows)}
        out[group] |= {name: float(values[rows, column].mean()) for name, values in table.items()}
    return out


def need_group(need) -> str:
    """What kind of need a need is, for an evaluation's breakdown: whether it describes the
    work in prose or names it only (a title and skills), and its text's language."""
    shape = "described" if need.description else "title and skills"
    return f"{shape}, {need.text_language or 'language not given'}"


def _means(values: np.ndarray) -> dict[str, float]:
    return {m: float(values[:, j].mean()) if len(values) else 0.0 for j, m in enumerate(METRICS)}


def _difference(differences: np.ndarray, resamples: int, seed: int) -> dict[str, float]:
    low, high = paired_bootstrap(differences, resamples, seed)
    mean = float(differences.mean()) if differences.size else 0.0
    return {"difference": mean, "low": low, "high": high}
