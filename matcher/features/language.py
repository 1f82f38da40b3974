"""Language fit: the jobseeker's levels against the levels a need asks for."""

from __future__ import annotations

import numpy as np

from matcher.domain import Jobseeker, LanguageSkill, Need, Requirement
from matcher.features.base import PairFeatures, PersonTable
from matcher.languages import CEFR_RANK
from matcher.reasons import Reason

ENGLISH = "en"


def _level(person: Jobseeker, language: str) -> int:
    return max((CEFR_RANK[s.level] for s in person.languages if s.language == language), default=0)


def _shortfall(skill: LanguageSkill, person: Jobseeker) -> dict:
    """The parameters of a reason about ``skill``: the language, the level asked and the
    level held (None when the person has not listed the language)."""
    levels = [s.level for s in person.languages if s.language == skill.language]
    return {"language": skill.language, "level": skill.level, "held": levels[0] if levels else None}


def _asked_level(need: Need, person: Jobseeker, language: str) -> int:
    """The person's level that counts for ``language``: English counts when it suffices."""
    level = _level(person, language)
    return max(level, _level(person, ENGLISH)) if need.english_suffices else level


def _or_english(need: Need, skill: LanguageSkill) -> str:
    """The suffix of a reason's code when English at the same level would do too."""
    return "_or_english" if need.english_suffices and skill.language != ENGLISH else ""


class LanguageFit(PairFeatures):
    """``language_fit``: share of the asked levels reached (each language counts equally).

    A required language below its level is a hard requirement; a preferred one only lowers
    the value, by one step's share of the asked level per CEFR step missing. When the need
    states that English suffices, English at the asked level meets any language it asks.
    """

    feature_names = ("language_fit",)

    def _shortfalls(self, need: Need, people: PersonTable) -> list[np.ndarray]:
        english = people.level(ENGLISH) if need.english_suffices else 0
        return [
            np.maximum(CEFR_RANK[s.level] - np.maximum(people.level(s.language), english), 0)
            for s in need.languages
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
            Requirement(
                f"languages.{s.language}",
                f"language_required{_or_english(need, s)}",
                _shortfall(s, person),
            )
            for s in need.languages
            if s.required and _asked_level(need, person, s.language) < CEFR_RANK[s.level]
        ]

    def preferences(self, need: Need, person: Jobseeker) -> list[Reason]:
        return [
            Reason(f"language_preferred{_or_english(need, s)}", _shortfall(s, person))
            for s in need.languages
            if not s.required and _asked_level(need, person, s.language) < CEFR_RANK[s.level]
        ]
