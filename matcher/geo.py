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
from rapidfuzz import fuzz, process, utils

from matcher.exceptions import UnknownMunicipality
from matcher.reasons import Reason

EARTH_RADIUS_KM = 6371.0
# How many names an unknown one is answered with, and how alike (0-100) a name must be to count.
SUGGESTIONS = 3
SUGGEST_CUTOFF = 60.0


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
        self._names: list[str] = []
        self._rows: list[int] = []
        for i, m in enumerate(municipalities):
            for name in dict.fromkeys((m.name_fi, m.name_sv)):
                self._index[_key(name)] = i
                self._names.append(name)
                self._rows.append(i)
        lat = np.radians([m.lat for m in municipalities])
        lon = np.radians([m.lon for m in municipalities])
        self.distances_km = _haversine_matrix(lat, lon)

    def index(self, name: str, *, field: str = "municipality") -> int:
        """Row of a municipality given by its Finnish or Swedish name."""
        try:
            return self._index[_key(name)]
        except KeyError:
            suggestions = self.suggest(name)
            reason = (
                Reason("unknown_municipality_suggest", {"name": name, "suggestions": suggestions})
                if suggestions
                else Reason("unknown_municipality", {"name": name})
            )
            raise UnknownMunicipality(
                str(reason), field=field, suggestions=suggestions, reason=reason
            ) from None

    def suggest(self, name: str, limit: int = SUGGESTIONS) -> list[str]:
        """Up to ``limit`` official names closest to ``name``, one per municipality, best first."""
        matches = process.extract(
            name,
            self._names,
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=SUGGEST_CUTOFF,
            limit=4 * limit,
        )
        best: dict[int, str] = {}
        for match, _score, position in matches:
            best.setdefault(self._rows[position], match)
        return list(best.values())[:limit]

    def names(self, name: str, *, field: str = "municipality") -> tuple[str, ...]:
        """Every official name of the municipality ``name`` is one of (Finnish first)."""
        m = self.municipalities[self.index(name, field=field)]
        return tuple(dict.fromkeys((m.name_fi, m.name_sv)))

    def display(self, name: str, language: str) -> str:
        """``name`` as a reader of ``language`` knows it: the Swedish name in ``sv``, the Finnish
        one in ``fi``, and in other languages the Finnish with the Swedish in parentheses when
        they differ. A name not in the table is returned unchanged."""
        if name not in self:
            return name
        m = self.municipalities[self.index(name)]
        if language in ("fi", "sv") or m.name_fi == m.name_sv:
            return m.name_sv if language == "sv" else m.name_fi
        return f"{m.name_fi} ({m.name_sv})"

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


def municipality_names(name: str, *, field: str = "municipality") -> tuple[str, ...]:
    """Every official name of the municipality called ``name`` (a filter matches any of them)."""
    return municipalities().names(name, field=field)


def municipality_in(name: str, language: str) -> str:
    """The name of the municipality ``name`` in ``language`` (``fi``, ``sv``, or another)."""
    return municipalities().display(name, language)
