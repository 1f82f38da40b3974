"""Location fit: distance between municipalities against the person's commute limit."""

from __future__ import annotations

import datetime as dt

import numpy as np

from matcher.domain import Jobseeker, Need, Requirement
from matcher.features.base import PairFeatures, PersonTable
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

    def _geometry(self, need: Need, people: PersonTable):
        places = municipalities()
        distance = places.distances_km[places.index(need.municipality), people.municipality]
        limit = np.where(
            np.isnan(people.max_commute_km), self.default_commute_km, people.max_commute_km
        )
        return distance.astype(np.float64), limit, need.remote & people.remote

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        distance, limit, remote = self._geometry(need, people)
        within = 1.0 - 0.5 * distance / np.maximum(limit, 1.0)
        beyond = np.where(people.relocate, 0.4, 0.0)
        return np.where(remote, 1.0, np.where(distance <= limit, within, beyond))[:, None]

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        distance, limit, remote = self._geometry(need, people)
        return ~remote & ~people.relocate & (distance > limit)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        table = PersonTable.from_people([person])
        if not self.need_unmet(need, table)[0]:
            return []
        distance, limit, _ = self._geometry(need, table)
        return [
            Requirement(
                "municipality",
                "commute",
                {
                    "municipality": need.municipality,
                    "distance_km": round(float(distance[0])),
                    "limit_km": round(float(limit[0])),
                },
            )
        ]
