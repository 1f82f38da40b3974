"""Education: the person's level against the need's minimum."""

from __future__ import annotations

from matcher.domain import EDUCATION_RANK, Jobseeker, Need
from matcher.features.base import PairFeatures


def _rank(person: Jobseeker) -> int:
    return EDUCATION_RANK[person.education.level] if person.education else 0


class EducationFit(PairFeatures):
    """``education_fit``: 1 at or above the minimum, 0.5 one step short, 0.2 further short.

    An apprenticeship is a way to earn the qualification, so basic education fully fits it.
    """

    feature_names = ("education_fit",)

    def _steps_short(self, need: Need, person: Jobseeker) -> int:
        if need.min_education is None or need.kind == "apprenticeship":
            return 0
        return max(EDUCATION_RANK[need.min_education] - _rank(person), 0)

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        steps = self._steps_short(need, person)
        return ((1.0, 0.5)[steps] if steps < 2 else 0.2,)

    def preferences(self, need: Need, person: Jobseeker) -> list[str]:
        if not self._steps_short(need, person):
            return []
        held = person.education.level if person.education else "none"
        return [f"education {need.min_education} asked, has {held}"]
