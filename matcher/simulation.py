"""Synthetic outcome histories for a labelled dataset, so that the learning loop can be shown.

A recruiter works through needs: for each, they contact the engine's first candidates and a
few others they find themselves; what then happens depends on the dataset's graded labels
(the generator's hidden truth), not on the engine's score, and on what employers value
more than the default weights assume (:data:`EMPLOYER_TASTE`: being available soon, living
close, the language; relevant experience left the list when the fitted default weights came
to value it most) — the preference that learning from outcomes should find. Some contacts
stay at "contacted"; the rest end interviewed, hired or started, or rejected or declined.
"""

from __future__ import annotations

import numpy as np

from matcher.dataset import Dataset
from matcher.engine import MatchEngine
from matcher.learning import Outcome

# Per label grade 0..3: chance of a success, and of an interview when there is none.
SUCCESS = (0.02, 0.10, 0.30, 0.55)
INTERVIEW = (0.08, 0.25, 0.40, 0.50)
STILL_OPEN = 0.1
# Log-odds added per unit of a feature above 0.5.
EMPLOYER_TASTE = {
    "availability_fit": 1.5,
    "location_fit": 1.5,
    "language_fit": 1.0,
}
SUCCESS_BY_KIND = {
    "vacancy": "hired",
    "apprenticeship": "apprenticeship_started",
    "recruitment_training": "training_started",
}


def simulate_outcomes(
    dataset: Dataset, scorer, count: int, *, seed: int = 0, shortlist: int = 15, extra: int = 5
) -> list[Outcome]:
    """``count`` outcome records: per need visited, the engine's first ``shortlist`` eligible
    candidates and ``extra`` other eligible ones, each with an outcome drawn from its grade."""
    random = np.random.default_rng(seed)
    people = {p.id: p for p in dataset.jobseekers}
    engine = MatchEngine(scorer, dataset.jobseekers, pool=len(dataset.jobseekers))
    pools = {need.id: _pool(engine, need, shortlist) for need in dataset.needs}
    taste = np.array([EMPLOYER_TASTE.get(name, 0.0) for name in scorer.feature_names_])
    used: set[tuple[str, str]] = set()
    out: list[Outcome] = []
    order = [n for n in dataset.needs if pools[n.id][0]]
    while len(out) < count and order:
        need = order[int(random.integers(len(order)))]
        top, rest, values = pools[need.id]
        picks = list(top) + list(random.permutation(rest)[:extra])
        fresh = [p for p in picks if (need.id, p) not in used and p in people]
        if not fresh:
            order.remove(need)
            continue
        for person in fresh[: count - len(out)]:
            used.add((need.id, person))
            grade = dataset.labels.get(need.id, {}).get(person, 0)
            lift = float(taste @ (values[person] - 0.5))
            out.append(Outcome(need.id, person, _draw(random, need.kind, grade, lift)))
    return out


def _pool(engine: MatchEngine, need, shortlist: int):
    """The engine's eligible candidates of ``need``, best first (its shortlist and the rest),
    and their feature values by id."""
    ranked = engine.rank(need)
    keep = ~ranked.excluded
    ids = [engine.ids[r] for r in ranked.rows[keep]]
    return ids[:shortlist], ids[shortlist:], dict(zip(ids, ranked.values[keep], strict=True))


def _draw(random: np.random.Generator, kind: str, grade: int, lift: float) -> str:
    grade = max(0, min(3, grade))
    if random.random() < STILL_OPEN:
        return "contacted"
    if random.random() < _lifted(SUCCESS[grade], lift):
        return SUCCESS_BY_KIND[kind]
    if random.random() < _lifted(INTERVIEW[grade], lift):
        return "interviewed"
    return "declined_by_jobseeker" if random.random() < 0.2 else "rejected_by_company"


def _lifted(probability: float, lift: float) -> float:
    """``probability`` with ``lift`` added to its log-odds."""
    odds = np.log(probability / (1.0 - probability)) + lift
    return float(1.0 / (1.0 + np.exp(-odds)))
