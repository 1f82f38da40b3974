"""Work ability: a need's physical and scheduling demands against the person's restrictions.

Restrictions are only checked against what a need demands; they are never a negative
signal in themselves, so the family has no score column, only hard requirements.
"""

from __future__ import annotations

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import PairFeatures


class WorkAbilityFit(PairFeatures):
    """``demands_compatible``: 1 when no demand of the need conflicts with a restriction."""

    feature_names = ("demands_compatible",)

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        return (0.0 if self._conflicts(need, person) else 1.0,)

    @staticmethod
    def _conflicts(need: Need, person: Jobseeker) -> list[str]:
        return [d for d in need.work_demands if d in person.work_restrictions]

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        return [
            Requirement(
                field="work_demands",
                reason=f"the work involves {demand.replace('_', ' ')}, which the person cannot do",
                remedy=f"an arrangement without {demand.replace('_', ' ')}",
            )
            for demand in self._conflicts(need, person)
        ]
