"""Eligibility: work permit, driving licence and wage subsidy."""

from __future__ import annotations

import numpy as np

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import PairFeatures, PersonTable


class EligibilityFit(PairFeatures):
    """``wage_subsidy_fit``: 1 when the need accepts wage subsidy and the person is eligible.

    A missing work permit, or a missing driving licence where the need requires one, is a
    hard requirement.
    """

    feature_names = ("wage_subsidy_fit",)

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        return (people.wage_subsidy & need.wage_subsidy_accepted).astype(np.float64)[:, None]

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        return ~people.work_permit | (need.driving_licence & ~people.driving_licence)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        unmet = []
        if not person.work_permit:
            unmet.append(Requirement("work_permit", "work_permit"))
        if need.driving_licence and not person.driving_licence:
            unmet.append(Requirement("driving_licence", "driving_licence"))
        return unmet
