"""HTTP resources, one blueprint each."""

from service.api.admin import blp as admin_blp
from service.api.cohorts import blp as cohorts_blp
from service.api.companies import blp as companies_blp
from service.api.drafts import blp as drafts_blp
from service.api.health import blp as health_blp
from service.api.jobseekers import blp as jobseekers_blp
from service.api.matching import blp as matching_blp
from service.api.merges import blp as merges_blp
from service.api.needs import blp as needs_blp
from service.api.paths import blp as paths_blp
from service.api.reports import blp as reports_blp
from service.api.shortlists import blp as shortlists_blp
from service.api.skills import blp as skills_blp

BLUEPRINTS = (
    health_blp,
    companies_blp,
    needs_blp,
    jobseekers_blp,
    matching_blp,
    admin_blp,
    reports_blp,
    skills_blp,
    shortlists_blp,
    merges_blp,
    drafts_blp,
    cohorts_blp,
    paths_blp,
)
