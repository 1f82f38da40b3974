"""Language fit: the jobseeker's levels against the levels a need asks for."""

from __future__ import annotations

from matcher.domain import Jobseeker, LanguageSkill, Need, Requirement
from matcher.features.base import PairFeatures
from matcher.languages import CEFR_RANK, language_name


def _level(person: Jobseeker, language: str) -> int:
    return max((CEFR_RANK[s.level] for s in person.languages if s.language == language), default=0)


def _shortfall(person: Jobseeker, wanted: LanguageSkill) -> int:
    return max(CEFR_RANK[wanted.level] - _level(person, wanted.language), 0)


def _describe(skill: LanguageSkill) -> str:
    return f"{language_name(skill.language)} {skill.level}"


class LanguageFit(PairFeatures):
    """``language_fit``: share of the asked levels reached (each language counts equally).

    A required language below its level is a hard requirement; a preferred one only lowers
    the value, by one sixth per CEFR step missing.
    """

    feature_names = ("language_fit",)

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        if not need.languages:
            return (1.0,)
        parts = [1.0 - _shortfall(person, s) / CEFR_RANK[s.level] for s in need.languages]
        return (sum(parts) / len(parts),)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        return [
            Requirement(
                field=f"languages.{s.language}",
                reason=f"{_describe(s)} required, has {_held(person, s.language)}",
                remedy=_describe(s),
            )
            for s in need.languages
            if s.required and _shortfall(person, s)
        ]

    def preferences(self, need: Need, person: Jobseeker) -> list[str]:
        return [
            f"{_describe(s)} preferred, has {_held(person, s.language)}"
            for s in need.languages
            if not s.required and _shortfall(person, s)
        ]


def _held(person: Jobseeker, language: str) -> str:
    levels = [s.level for s in person.languages if s.language == language]
    return levels[0] if levels else "none"
