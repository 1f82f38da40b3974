"""Kohtaanto's matching engine: a pure library (no web framework, no database).

The service, the nightly batch, ``matcher match`` and ``matcher evaluate`` all rank through
one engine, :class:`MatchEngine` (stage 1 sparse candidates, stage 2 the scorer's explained
rerank), behind the ranking contract of :mod:`matcher.ranking`.
"""

import os

# OpenMP threads (the embedding model's, sparse_dot_topn's) otherwise spin on the cores after
# each parallel region, starving every other process: with two server workers and the load
# on two cores, list reads went from 20 ms to 1–2 s. Read when each OpenMP runtime loads, so
# set before any of them does.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from matcher.domain import (  # noqa: E402
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
