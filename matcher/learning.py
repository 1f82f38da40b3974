"""Learning from recorded outcomes: a calibrated logistic model over the engine's features.

The model sees only the engine's feature values (never names, groups or self-reported
demographics) and the need's kind: each feature has a shared coefficient plus one per kind,
so an apprenticeship can learn to value a skill gap differently from a vacancy. Probabilities
come from Platt scaling (``CalibratedClassifierCV``, sigmoid) fitted on folds grouped by need.

Explanations stay exact and sum to the score. In log-odds the model is linear, so feature
``i`` moves the log-odds by ``t_i = β_i (x_i − x̄_i)`` from the kind's average training row
``x̄``. The score is a probability ``p``; the explanation starts from the baseline ``p̄`` (the
probability at ``x̄``) and gives each feature the share ``t_i / Σt`` of ``p − p̄``. Baseline plus
contributions is ``p`` exactly, and each feature's sign and relative size are its log-odds
effect's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from matcher.domain import NEED_KINDS, Jobseeker, Need
from matcher.evaluation import ndcg_at_k
from matcher.exceptions import InvalidInput

# What each recorded outcome teaches: 1 a success, 0 a failure, 0.5 a weak success.
# "contacted" says nothing yet about the fit and is left out.
OUTCOME_TARGETS: dict[str, float] = {
    "hired": 1.0,
    "apprenticeship_started": 1.0,
    "training_started": 1.0,
    "interviewed": 0.5,
    "rejected_by_company": 0.0,
    "declined_by_jobseeker": 0.0,
}


@dataclass(frozen=True)
class Outcome:
    """What happened between a need and a candidate (the latest record of a pair counts)."""

    need_id: str
    jobseeker_id: str
    outcome: str


@dataclass
class TrainingSet:
    """Feature values of (need, jobseeker) pairs with a known outcome, row-aligned."""

    values: np.ndarray
    kinds: np.ndarray
    targets: np.ndarray
    needs: np.ndarray
    jobseekers: np.ndarray
    feature_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.targets)

    def take(self, rows: np.ndarray) -> TrainingSet:
        """The rows at ``rows``."""
        return TrainingSet(
            self.values[rows],
            self.kinds[rows],
            self.targets[rows],
            self.needs[rows],
            self.jobseekers[rows],
            self.feature_names,
        )

    def fingerprint(self) -> str:
        """A hash of the rows (values to 6 decimals), so an artifact names its training data."""
        digest = hashlib.sha256()
        digest.update("\x1f".join(self.feature_names).encode())
        digest.update(np.round(self.values, 6).astype(np.float64).tobytes())
        digest.update(np.asarray(self.targets, dtype=np.float64).tobytes())
        for column in (self.kinds, self.needs, self.jobseekers):
            digest.update("\x1f".join(map(str, column)).encode())
        return digest.hexdigest()


def latest_outcomes(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], str]:
    """Each (need, jobseeker) pair's latest informative outcome, from records oldest first
    ("contacted" says nothing of the fit and leaves an earlier outcome standing)."""
    latest: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        if outcome.outcome not in OUTCOME_TARGETS and outcome.outcome != "contacted":
            raise InvalidInput(f"unknown outcome {outcome.outcome!r}", field="outcome")
        if outcome.outcome in OUTCOME_TARGETS:
            latest[(outcome.need_id, outcome.jobseeker_id)] = outcome.outcome
    return latest


def training_set(
    outcomes: Sequence[Outcome],
    needs: Mapping[str, Need],
    people: Mapping[str, Jobseeker],
    scorer,
) -> TrainingSet:
    """The scorer's features of every pair whose latest informative outcome is known.

    Pairs that fail a hard requirement are left out: they score 0 whatever the model says.
    """
    latest = {
        pair: OUTCOME_TARGETS[outcome]
        for pair, outcome in latest_outcomes(outcomes).items()
        if pair[0] in needs and pair[1] in people
    }
    keys = sorted(latest)
    pairs = [(needs[n], people[j]) for n, j in keys]
    _, values, excluded = scorer.score(pairs)
    keep = ~excluded
    return TrainingSet(
        values=values[keep],
        kinds=np.array([needs[n].kind for n, _ in keys], dtype=object)[keep],
        targets=np.array([latest[k] for k in keys])[keep],
        needs=np.array([n for n, _ in keys], dtype=object)[keep],
        jobseekers=np.array([j for _, j in keys], dtype=object)[keep],
        feature_names=tuple(scorer.feature_names_),
    )


def design(values: np.ndarray, kinds: Sequence[str]) -> np.ndarray:
    """The model's inputs: the features, then the features once more per kind (0 elsewhere)."""
    kinds = np.asarray(kinds, dtype=object)
    blocks = [values] + [values * (kinds == kind)[:, None] for kind in NEED_KINDS]
    return np.hstack(blocks)


class OutcomeModel(BaseEstimator):
    """Probability of a good outcome from the engine's features, calibrated, explainable.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation strength of the logistic regression.
    folds : int
        Need-grouped folds for the sigmoid calibration.
    """

    def __init__(self, C: float = 1.0, folds: int = 3) -> None:
        self.C = C
        self.folds = folds

    def fit(self, data: TrainingSet) -> OutcomeModel:
        """Fit on ``data`` (soft targets become weighted positive and negative rows)."""
        X, y, weight, groups = _expanded(data)
        if len(np.unique(y)) < 2:
            raise InvalidInput("outcomes need both successes and failures", field="outcomes")
        self.feature_names_ = data.feature_names
        self.linear_ = self._logistic().fit(X, y, sample_weight=weight)
        splits = _group_splits(groups, self.folds)
        self.calibrated_ = CalibratedClassifierCV(
            self._logistic(), method="sigmoid", cv=splits, ensemble=False
        ).fit(X, y, sample_weight=weight)
        self.reference_ = {
            kind: _kind_mean(data, kind) for kind in NEED_KINDS
        }
        return self

    def _logistic(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=5000)

    def scores(self, kind: str, values: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for rows of feature ``values`` of a need of ``kind``."""
        check_is_fitted(self, "calibrated_")
        values = np.atleast_2d(values)
        return self.calibrated_.predict_proba(design(values, [kind] * len(values)))[:, 1]

    def coefficients(self, kind: str) -> np.ndarray:
        """Each feature's log-odds coefficient for ``kind`` (shared plus the kind's own)."""
        width = len(self.feature_names_)
        coef = self.linear_.coef_[0]
        own = 1 + NEED_KINDS.index(kind)
        return coef[:width] + coef[own * width : (own + 1) * width]

    def explain(self, kind: str, values: np.ndarray) -> tuple[float, np.ndarray, float]:
        """The baseline probability, each feature's contribution and the score; the baseline
        plus the contributions is the score."""
        reference = self.reference_[kind]
        score, baseline = self.scores(kind, np.vstack([values, reference]))
        terms = self.coefficients(kind) * (values - reference)
        total = terms.sum()
        shares = terms / total if abs(total) > 1e-12 else np.zeros_like(terms)
        return float(baseline), shares * (score - baseline), float(score)

    def gains(self, kind: str, values: np.ndarray, score: float) -> np.ndarray:
        """How much ``score`` (the probability at ``values``, as :meth:`explain` gives it)
        would rise if each feature, alone, were at its best (1)."""
        raised = np.tile(values, (len(values), 1))
        np.fill_diagonal(raised, 1.0)
        return self.scores(kind, raised) - score


def _expanded(data: TrainingSet):
    """Soft targets as weighted rows: a target t is a positive of weight t and a negative of
    weight 1 − t (rows of weight 0 dropped)."""
    X = design(data.values, data.kinds)
    rows = np.concatenate([np.arange(len(data)), np.arange(len(data))])
    y = np.concatenate([np.ones(len(data)), np.zeros(len(data))])
    weight = np.concatenate([data.targets, 1.0 - data.targets])
    keep = weight > 0
    return X[rows[keep]], y[keep], weight[keep], data.needs[rows[keep]]


def _group_splits(groups: np.ndarray, folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    n = min(folds, len(np.unique(groups)))
    if n < 2:
        raise InvalidInput("outcomes of at least two needs are required", field="outcomes")
    return list(GroupKFold(n_splits=n).split(groups, groups=groups))


def _kind_mean(data: TrainingSet, kind: str) -> np.ndarray:
    rows = data.kinds == kind
    return data.values[rows].mean(axis=0) if rows.any() else data.values.mean(axis=0)


# -- choosing a model by need-grouped cross-validation ---------------------------------------


@dataclass
class CrossValidation:
    """Held-out figures of each candidate and of the default weights, by need-grouped folds."""

    folds: int
    candidates: dict[str, dict[str, float]]
    default_weights: dict[str, float]
    chosen: str

    def to_dict(self) -> dict:
        return {
            "folds": self.folds,
            "grouped_by": "need",
            "candidates": self.candidates,
            "default_weights": self.default_weights,
            "chosen": self.chosen,
            "model": self.candidates[self.chosen],
        }


def cross_validate(
    data: TrainingSet,
    baseline: Callable[[str, np.ndarray], np.ndarray],
    Cs: Sequence[float] = (0.1, 1.0, 10.0),
    folds: int = 5,
) -> CrossValidation:
    """NDCG@10 and AUC on held-out needs for each ``C`` and for ``baseline`` (the default
    weights' scores); a need is never in both the training and the held-out part."""
    splits = _group_splits(data.needs, folds)
    default = _held_out(data, splits, lambda train, test: _by_kind(baseline, test))
    candidates = {}
    for C in Cs:

        def predict(train, test, C=C):
            model = OutcomeModel(C=C).fit(train)
            return _by_kind(model.scores, test)

        candidates[f"logistic C={C:g}"] = _held_out(data, splits, predict)
    chosen = max(candidates, key=lambda name: (candidates[name]["ndcg@10"], name))
    return CrossValidation(len(splits), candidates, default, chosen)


def _by_kind(score: Callable[[str, np.ndarray], np.ndarray], data: TrainingSet) -> np.ndarray:
    out = np.zeros(len(data))
    for kind in np.unique(data.kinds):
        rows = data.kinds == kind
        out[rows] = score(kind, data.values[rows])
    return out


def _held_out(data: TrainingSet, splits, predict) -> dict[str, float]:
    scores = np.zeros(len(data))
    for train, test in splits:
        scores[test] = predict(data.take(train), data.take(test))
    return {"ndcg@10": ranking_ndcg(data, scores), "auc": _auc(data.targets, scores)}


def ranking_ndcg(data: TrainingSet, scores: np.ndarray, k: int = 10) -> float:
    """Mean NDCG@k over needs with a success, ranking each need's pairs by ``scores``
    (grade 2 a success, 1 a weak success, 0 a failure; ties by jobseeker id)."""
    values = []
    for need in np.unique(data.needs):
        rows = np.flatnonzero(data.needs == need)
        grades = {data.jobseekers[r]: int(round(2 * data.targets[r])) for r in rows}
        if not any(grades.values()):
            continue
        order = sorted(rows, key=lambda r: (-scores[r], data.jobseekers[r]))
        values.append(ndcg_at_k([data.jobseekers[r] for r in order], grades, k))
    return round(float(np.mean(values)), 4) if values else 0.0


def _auc(targets: np.ndarray, scores: np.ndarray) -> float:
    positive = targets >= 1.0
    if positive.all() or not positive.any():
        return float("nan")
    return round(float(roc_auc_score(positive, scores)), 4)


def train(
    data: TrainingSet,
    baseline: Callable[[str, np.ndarray], np.ndarray],
    folds: int = 5,
    Cs: Sequence[float] = (0.1, 1.0, 10.0),
) -> tuple[OutcomeModel, CrossValidation]:
    """Choose ``C`` by need-grouped cross-validation, then fit on all of ``data``."""
    validation = cross_validate(data, baseline, Cs=Cs, folds=folds)
    chosen = Cs[list(validation.candidates).index(validation.chosen)]
    return OutcomeModel(C=chosen).fit(data), validation
