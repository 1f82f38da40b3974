"""Language fit: the jobseeker's levels against the levels a need asks for."""

from __future__ import annotations

import numpy as np

from matcher.domain import Jobseeker, LanguageSkill, Need, Requirement
from matcher.features.base import PairFeatures, PersonTable
from matcher.languages import CEFR_RANK
from matcher.reasons import Reason


def _level(person: Jobseeker, language: str) -> int:
    return max((CEFR_RANK[s.level] for s in person.languages if s.language == language), default=0)


def _shortfall(skill: LanguageSkill, person: Jobseeker) -> dict:
    """The parameters of a reason about ``skill``: the language, the level asked and the
    level held (None when the person has not listed the language)."""
    levels = [s.level for s in person.languages if s.language == skill.language]
    return {"language": skill.language, "level": skill.level, "held": levels[0] if levels else None}


class LanguageFit(PairFeatures):
    """``language_fit``: share of the asked levels reached (each language counts equally).

    A required language below its level is a hard requirement; a preferred one only lowers
    the value, by one step's share of the asked level per CEFR step missing.
    """

    feature_names = ("language_fit",)

    def _shortfalls(self, need: Need, people: PersonTable) -> list[np.ndarray]:
        return [
            np.maximum(CEFR_RANK[s.level] - people.level(s.language), 0) for s in need.languages
        ]

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        if not need.languages:
            return np.ones((len(people), 1))
        parts = [
            1.0 - shortfall / CEFR_RANK[s.level]
            for s, shortfall in zip(need.languages, self._shortfalls(need, people), strict=True)
        ]
        return np.mean(parts, axis=0)[:, None]

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        unmet = np.zeros(len(people), dtype=bool)
        for s, shortfall in zip(need.languages, self._shortfalls(need, people), strict=True):
            if s.required:
                unmet |= shortfall > 0
        return unmet

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        return [
            Requirement(f"languages.{s.language}", "language_required", _shortfall(s, person))
            for s in need.languages
            if s.required and _level(person, s.language) < CEFR_RANK[s.level]
        ]

    def preferences(self, need: Need, person: Jobseeker) -> list[Reason]:
        return [
            Reason("language_preferred", _shortfall(s, person))
            for s in need.languages
            if not s.required and _level(person, s.language) < CEFR_RANK[s.level]
        ]
