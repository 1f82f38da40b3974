"""Feature families: one module each, a scikit-learn transformer over (need, jobseeker) pairs."""

from matcher.features.availability import AvailabilityFit
from matcher.features.education import EducationFit
from matcher.features.eligibility import EligibilityFit
from matcher.features.language import LanguageFit
from matcher.features.location import LocationFit
from matcher.features.path import PathFit
from matcher.features.skills import SkillFit
from matcher.features.workability import WorkAbilityFit

__all__ = [
    "AvailabilityFit",
    "EducationFit",
    "EligibilityFit",
    "LanguageFit",
    "LocationFit",
    "PathFit",
    "SkillFit",
    "WorkAbilityFit",
]
