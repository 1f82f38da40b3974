"""Availability: when the person can start against when the need starts and ends."""

from __future__ import annotations

import datetime as dt

import numpy as np

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import NO_DATE, PairFeatures, PersonTable
from matcher.reasons import Reason


class AvailabilityFit(PairFeatures):
    """``availability_fit``: 1 when available by the start date, falling linearly with delay.

    Not being available before the need ends is a hard requirement.

    Parameters
    ----------
    tolerance_days : int
        Delay after the start date at which the value reaches 0.
    """

    feature_names = ("availability_fit",)

    def __init__(self, as_of: dt.date | None = None, tolerance_days: int = 120) -> None:
        super().__init__(as_of)
        self.tolerance_days = tolerance_days

    def _delay_days(self, need: Need, people: PersonTable) -> np.ndarray:
        today = self.as_of_.toordinal()
        start = max((need.start_date or self.as_of_).toordinal(), today)
        available = np.where(people.available_from == NO_DATE, today, people.available_from)
        return np.maximum(available - start, 0)

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        delay = self._delay_days(need, people)
        return np.maximum(0.0, 1.0 - delay / self.tolerance_days)[:, None]

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        if need.end_date is None:
            return np.zeros(len(people), dtype=bool)
        return people.available_from > need.end_date.toordinal()

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        available = person.available_from
        if need.end_date is None or available is None or available <= need.end_date:
            return []
        return [
            Requirement(
                "available_from",
                "available_after_end",
                {"available_from": available.isoformat(), "end_date": need.end_date.isoformat()},
            )
        ]

    def preferences(self, need: Need, person: Jobseeker) -> list[Reason]:
        start = max(need.start_date or self.as_of_, self.as_of_)
        delay = ((person.available_from or self.as_of_) - start).days
        return [Reason("available_later", {"days": delay})] if delay > 0 else []
