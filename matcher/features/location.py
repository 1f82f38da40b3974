"""Location fit: distance between municipalities against the person's commute limit."""

from __future__ import annotations

import datetime as dt

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import PairFeatures
from matcher.geo import municipalities


class LocationFit(PairFeatures):
    """``location_fit``: 1 at home, falling to 0.5 at the commute limit; 0.4 when relocating.

    Work beyond the commute limit is a hard requirement unless the person would relocate or
    the need is remote and the person wants remote work.

    Parameters
    ----------
    default_commute_km : float
        Commute limit for people who have not stated one.
    """

    feature_names = ("location_fit",)

    def __init__(self, as_of: dt.date | None = None, default_commute_km: float = 50.0) -> None:
        super().__init__(as_of)
        self.default_commute_km = default_commute_km

    def _limit(self, person: Jobseeker) -> float:
        return (
            person.max_commute_km if person.max_commute_km is not None else self.default_commute_km
        )

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        if need.remote and person.remote:
            return (1.0,)
        distance = municipalities().distance_km(need.municipality, person.municipality)
        limit = self._limit(person)
        if distance <= limit:
            return (1.0 - 0.5 * distance / max(limit, 1.0),)
        return (0.4 if person.relocate else 0.0,)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        if (need.remote and person.remote) or person.relocate:
            return []
        distance = municipalities().distance_km(need.municipality, person.municipality)
        limit = self._limit(person)
        if distance <= limit:
            return []
        return [
            Requirement(
                field="municipality",
                reason=f"{need.municipality} is {distance:.0f} km away, limit {limit:.0f} km",
                remedy=f"willingness to commute {distance:.0f} km or to relocate",
            )
        ]
