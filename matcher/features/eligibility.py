"""Eligibility: work permit, driving licence and wage subsidy."""

from __future__ import annotations

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import PairFeatures


class EligibilityFit(PairFeatures):
    """``wage_subsidy_fit``: 1 when the need accepts wage subsidy and the person is eligible.

    A missing work permit, or a missing driving licence where the need requires one, is a
    hard requirement.
    """

    feature_names = ("wage_subsidy_fit",)

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        return (float(need.wage_subsidy_accepted and person.wage_subsidy_eligible),)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        unmet = []
        if not person.work_permit:
            unmet.append(Requirement("work_permit", "no work permit", "a work permit"))
        if need.driving_licence and not person.driving_licence:
            unmet.append(
                Requirement("driving_licence", "driving licence required", "a driving licence")
            )
        return unmet
