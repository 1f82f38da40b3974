"""Work ability: a need's physical and scheduling demands against the person's restrictions.

Restrictions are only checked against what a need demands; they are never a negative
signal in themselves, so the family has no score of its own, only hard requirements.
"""

from __future__ import annotations

import numpy as np

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import DEMAND_BITS, PairFeatures, PersonTable, bits


class WorkAbilityFit(PairFeatures):
    """``demands_compatible``: 1 when no demand of the need conflicts with a restriction."""

    feature_names = ("demands_compatible",)

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        return (people.restrictions & bits(need.work_demands, DEMAND_BITS)) != 0

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        return (~self.need_unmet(need, people)).astype(np.float64)[:, None]

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        return [
            Requirement("work_demands", "work_demand", {"demand": demand})
            for demand in need.work_demands
            if demand in person.work_restrictions
        ]
