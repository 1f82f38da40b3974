"""Finding jobseekers by what they can do: a skill in any language, a language at a level.

A skill query is mapped to vocabulary concepts, so ``hitsaus``, ``svetsning`` and ``welding``
find the same people; a query the vocabulary does not know matches the profile's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.domain import Jobseeker
from matcher.duplicates import concepts, person_concepts
from matcher.languages import CEFR_RANK
from matcher.taxonomy import ConceptMapper
from matcher.text import normalise


@dataclass(frozen=True)
class ProfileQuery:
    """What a searched profile must show: every concept of ``skill`` (or its words), and
    ``language`` at ``min_level`` or above (any level when None)."""

    skill: str = ""
    language: str | None = None
    min_level: str | None = None

    def matcher(self, mapper: ConceptMapper):
        """A predicate over jobseekers for this query."""
        wanted = concepts(mapper, [self.skill]) if self.skill else frozenset()
        words = normalise(self.skill)

        def matches(person: Jobseeker) -> bool:
            return self._speaks(person) and _shows(mapper, person, wanted, words)

        return matches

    def _speaks(self, person: Jobseeker) -> bool:
        if self.language is None:
            return True
        least = CEFR_RANK[self.min_level] if self.min_level else 0
        return any(
            s.language == self.language and CEFR_RANK[s.level] >= least for s in person.languages
        )


def _shows(mapper: ConceptMapper, person: Jobseeker, wanted: frozenset[str], words: str) -> bool:
    """Whether a profile shows every wanted concept, or (for an unknown skill) its words."""
    if wanted:
        return wanted <= person_concepts(mapper, person)
    if not words:
        return True
    texts = [*person.skills, person.headline, *(job.title for job in person.work_history)]
    return any(words in normalise(text) for text in texts)
