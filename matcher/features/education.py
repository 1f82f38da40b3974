"""Education: the person's level against the need's minimum."""

from __future__ import annotations

import numpy as np

from matcher.domain import EDUCATION_RANK, Jobseeker, Need
from matcher.features.base import PairFeatures, PersonTable
from matcher.reasons import Reason


class EducationFit(PairFeatures):
    """``education_fit``: 1 at or above the minimum, 0.5 one step short, 0.2 further short.

    An apprenticeship is a way to earn the qualification, so basic education fully fits it.
    """

    feature_names = ("education_fit",)

    def _steps_short(self, need: Need, education: np.ndarray) -> np.ndarray:
        """Levels short of the minimum, per education rank."""
        if need.min_education is None or need.kind == "apprenticeship":
            return np.zeros(len(education), dtype=np.int64)
        return np.maximum(EDUCATION_RANK[need.min_education] - education, 0)

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        steps = self._steps_short(need, people.education)
        return np.select([steps == 0, steps == 1], [1.0, 0.5], 0.2)[:, None]

    def preferences(self, need: Need, person: Jobseeker) -> list[Reason]:
        held = EDUCATION_RANK[person.education.level] if person.education else 0
        if not (self._steps_short(need, np.array([held])) > 0).any():
            return []
        held = person.education.level if person.education else None
        return [
            Reason("education_below", {"min_education": need.min_education, "education": held})
        ]
