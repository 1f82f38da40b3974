"""Ready now, or ready after a training: person → training → vacancy.

A recruitment training or an apprenticeship teaches its skills; a person who meets its hard
requirements would, after it, hold those skills and be available from its end. Scoring the
vacancy against that *trained* version of the person, with the same scorer, tells whether the
step would make them a candidate: the path is kept when it clears the vacancy's hard
requirements and raises the score by at least ``min_gain``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.domain import LEARNING_KINDS, Jobseeker, Need

MIN_GAIN = 0.05


@dataclass(frozen=True)
class Pathway:
    """A person who would be ready for ``vacancy_id`` after ``training_id``: their score now
    (None when a hard requirement excludes them now) and after the training."""

    jobseeker_id: str
    training_id: str
    vacancy_id: str
    score_now: float | None
    score_after: float

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def trained(person: Jobseeker, training: Need) -> Jobseeker:
    """``person`` as they would be after ``training``: with its skills, available from its
    end (or its start when it states no end)."""
    if training.kind not in LEARNING_KINDS:
        raise ValueError(f"{training.id} is a {training.kind}, which teaches nothing")
    learned = training.required_skills + training.preferred_skills
    skills = tuple(dict.fromkeys(person.skills + learned))
    dates = [d for d in (person.available_from, training.end_date or training.start_date) if d]
    return dataclasses.replace(person, skills=skills, available_from=max(dates, default=None))


def pathways(
    scorer,
    routes: Sequence[tuple[Jobseeker, Need, Need]],
    now: Mapping[tuple[str, str], float | None],
    *,
    min_gain: float = MIN_GAIN,
) -> list[Pathway]:
    """The routes ``(person, training, vacancy)`` that would make the person a candidate,
    best score after the training first.

    ``now[(person id, vacancy id)]`` is the person's score for the vacancy today (None or
    missing when excluded or unlisted, counted as 0). All routes are scored in one call. A
    trained person keeps the sentence embedding of their profile as it is: the
    skills learned count in every other feature, but their meaning is read as before the
    training (so the gain can only be understated there), so that no text is embedded per
    route: a vacancy with fifty trainings open has thousands of routes.
    """
    if not routes:
        return []
    pairs = [(vacancy, trained(person, training)) for person, training, vacancy in routes]
    scores, _, excluded = scorer.score(pairs, meaning_of=[person for person, _, _ in routes])
    out = []
    for (person, training, vacancy), score, out_now in zip(routes, scores, excluded, strict=True):
        before = now.get((person.id, vacancy.id))
        if not out_now and score - (before or 0.0) >= min_gain:
            after = round(float(score), 6)
            out.append(Pathway(person.id, training.id, vacancy.id, before, after))
    out.sort(key=lambda p: (-p.score_after, p.jobseeker_id, p.training_id, p.vacancy_id))
    return out


def best_per_person(paths: Sequence[Pathway]) -> list[Pathway]:
    """Each person's best path only (for a vacancy's list), order kept."""
    seen: set[str] = set()
    kept = []
    for path in paths:
        if path.jobseeker_id not in seen:
            seen.add(path.jobseeker_id)
            kept.append(path)
    return kept


def scores_now(ids: Sequence[str], scores: np.ndarray, excluded: np.ndarray, need_id: str):
    """``now`` entries for one need's ranked people (excluded ones as None)."""
    return {
        (person, need_id): (None if out else float(score))
        for person, score, out in zip(ids, scores, excluded, strict=True)
    }
