"""Kohtaanto's matching engine: a pure library (no web framework, no database).

The service, the nightly batch, ``matcher match`` and ``matcher evaluate`` all rank through
one engine, :class:`MatchEngine` (stage 1 sparse candidates, stage 2 the scorer's explained
rerank), behind the ranking contract of :mod:`matcher.ranking`.
"""

from matcher.domain import (
    Company,
    Education,
    FeatureContribution,
    Jobseeker,
    LanguageSkill,
    Match,
    MatchExplanation,
    MissingSkill,
    Need,
    Requirement,
    SkillMatch,
    WorkExperience,
)
from matcher.engine import MatchEngine
from matcher.exceptions import InvalidInput, MatcherError, ModelError, TaxonomyError
from matcher.ranking import Ranker, Ranking
from matcher.reasons import Reason
from matcher.scoring import MatchScorer

__all__ = [
    "Company",
    "Education",
    "FeatureContribution",
    "InvalidInput",
    "Jobseeker",
    "LanguageSkill",
    "Match",
    "MatchEngine",
    "MatchExplanation",
    "MatchScorer",
    "MatcherError",
    "MissingSkill",
    "ModelError",
    "Need",
    "Ranker",
    "Ranking",
    "Reason",
    "Requirement",
    "SkillMatch",
    "TaxonomyError",
    "WorkExperience",
]
