"""Availability: when the person can start against when the need starts and ends."""

from __future__ import annotations

import datetime as dt

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import PairFeatures


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

    def _delay_days(self, need: Need, person: Jobseeker) -> int:
        start = max(need.start_date or self.as_of_, self.as_of_)
        return max(((person.available_from or self.as_of_) - start).days, 0)

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        return (max(0.0, 1.0 - self._delay_days(need, person) / self.tolerance_days),)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        available = person.available_from
        if need.end_date is None or available is None or available <= need.end_date:
            return []
        return [
            Requirement(
                field="available_from",
                reason=f"available from {available}, after the need ends on {need.end_date}",
                remedy=f"availability by {need.end_date}",
            )
        ]

    def preferences(self, need: Need, person: Jobseeker) -> list[str]:
        delay = self._delay_days(need, person)
        return [f"available {delay} days after the start date"] if delay else []
