"""Finnish municipalities with their Finnish and Swedish names, and distances between them.

Distances are great-circle distances between municipal centres, in kilometres. A person's
commute limit is compared with them directly; a municipality is at distance zero from itself.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

from matcher.exceptions import UnknownMunicipality

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Municipality:
    """A municipality: official code, Finnish and Swedish names, region and centre."""

    code: str
    name_fi: str
    name_sv: str
    region: str
    lat: float
    lon: float


class MunicipalityTable:
    """Lookup by either official name (case-insensitive) and a precomputed distance matrix."""

    def __init__(self, municipalities: list[Municipality]) -> None:
        self.municipalities = municipalities
        self._index: dict[str, int] = {}
        for i, m in enumerate(municipalities):
            for name in (m.name_fi, m.name_sv):
                self._index[_key(name)] = i
        lat = np.radians([m.lat for m in municipalities])
        lon = np.radians([m.lon for m in municipalities])
        self.distances_km = _haversine_matrix(lat, lon)

    def index(self, name: str, *, field: str = "municipality") -> int:
        """Row of a municipality given by its Finnish or Swedish name."""
        try:
            return self._index[_key(name)]
        except KeyError:
            raise UnknownMunicipality(
                f"unknown Finnish municipality {name!r}", field=field
            ) from None

    def canonical(self, name: str, *, field: str = "municipality") -> str:
        """The official spelling of ``name`` in the language it was given in."""
        m = self.municipalities[self.index(name, field=field)]
        return m.name_sv if _key(name) == _key(m.name_sv) else m.name_fi

    def distance_km(self, a: str, b: str) -> float:
        """Distance between the centres of two municipalities."""
        return float(self.distances_km[self.index(a), self.index(b)])

    def __contains__(self, name: str) -> bool:
        return _key(name) in self._index


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return (2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))).astype(np.float32)


@functools.cache
def municipalities() -> MunicipalityTable:
    """The embedded table of Finnish municipalities (loaded once)."""
    text = resources.files("matcher").joinpath("data/municipalities.csv").read_text("utf-8")
    rows = [
        Municipality(
            r["code"], r["name_fi"], r["name_sv"], r["region"], float(r["lat"]), float(r["lon"])
        )
        for r in csv.DictReader(text.splitlines())
    ]
    return MunicipalityTable(rows)


def canonical_municipality(name: str, *, field: str = "municipality") -> str:
    """Validate a municipality name against the embedded table and return its official spelling."""
    return municipalities().canonical(name, field=field)
