"""Kohtaanto's matching engine: a pure library (no web framework, no database).

The service, the nightly batch and the evaluation all call these same functions.
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
from matcher.exceptions import InvalidInput, MatcherError, ModelError, TaxonomyError
from matcher.ranking import default_scorer, rank_candidates, rank_needs
from matcher.scoring import MatchScorer

__all__ = [
    "Company",
    "Education",
    "FeatureContribution",
    "InvalidInput",
    "Jobseeker",
    "LanguageSkill",
    "Match",
    "MatchExplanation",
    "MatchScorer",
    "MatcherError",
    "MissingSkill",
    "ModelError",
    "Need",
    "Requirement",
    "SkillMatch",
    "TaxonomyError",
    "WorkExperience",
    "default_scorer",
    "rank_candidates",
    "rank_needs",
]
