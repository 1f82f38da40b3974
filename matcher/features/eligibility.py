"""Eligibility: work permit (and its expiry), driving licence and wage subsidy."""

from __future__ import annotations

import datetime as dt

import numpy as np

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import NO_DATE, PairFeatures, PersonTable


class EligibilityFit(PairFeatures):
    """``wage_subsidy_fit``: 1 when the need accepts wage subsidy and the person is eligible.

    A missing work permit, a permit that expires before the need's last date (its end, else
    its start, and never before the reference date), or a missing driving licence where the
    need requires one, is a hard requirement.
    """

    feature_names = ("wage_subsidy_fit",)

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        return (people.wage_subsidy & need.wage_subsidy_accepted).astype(np.float64)[:, None]

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        lapses = (people.permit_expires != NO_DATE) & (
            people.permit_expires < self._last_day(need).toordinal()
        )
        return ~people.work_permit | lapses | (need.driving_licence & ~people.driving_licence)

    def _last_day(self, need: Need) -> dt.date:
        """The last day a permit must cover to work the need."""
        return max(need.end_date or need.start_date or self.as_of_, self.as_of_)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        unmet = []
        expires = person.work_permit_expires
        if not person.work_permit:
            unmet.append(Requirement("work_permit", "work_permit"))
        elif expires is not None and expires < self._last_day(need):
            params = {"expires": expires.isoformat(), "last_day": self._last_day(need).isoformat()}
            unmet.append(Requirement("work_permit", "work_permit_expires", params))
        if need.driving_licence and not person.driving_licence:
            unmet.append(Requirement("driving_licence", "driving_licence"))
        return unmet
