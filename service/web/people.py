"""Jobseekers: a list, and one person's page with the needs that fit them."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from matcher.languages import CEFR_LEVELS
from service.api.common import services
from service.auth import current_principal
from service.matching import read_needs_for, read_profile, read_profiles
from service.schemas.jobseekers import JobseekerQuerySchema
from service.schemas.matches import CandidateQuerySchema
from service.shortlists import person_history as person_status
from service.storage_paths import PathStore
from service.storage_people import person_history
from service.web.auth import signed_in
from service.web.charts import contribution_bars
from service.web.common import STAFF, company_names, language, load_args, page_links
from service.web.i18n import LANGUAGE_NAMES, SERVICE_PATHS, requirement_name

bp = Blueprint("people", __name__)

PAGE_SIZE = 25
# The hard requirements a person's near-miss needs can be filtered by.
PERSON_UNMET = (
    "languages",
    "municipality",
    "available_from",
    "driving_licence",
    "work_permit",
    "work_demands",
    "must_have_skills",
)


@bp.get("/jobseekers")
@signed_in(*STAFF)
def index():
    """Active jobseekers, with filters (audit-logged as the API's list is)."""
    query, errors = load_args(JobseekerQuerySchema(), page_size=PAGE_SIZE, active=True)
    page = read_profiles(services(), current_principal(), query)
    return render_template(
        "web/jobseekers.html",
        page=page,
        pager=page_links(page.page, page.page_size, page.total),
        query=query,
        errors=errors,
        paths=list(SERVICE_PATHS),
        spoken=list(LANGUAGE_NAMES),
        levels=CEFR_LEVELS,
    )


@bp.get("/jobseekers/<jobseeker_id>")
@signed_in(*STAFF)
def person(jobseeker_id: str):
    """A person for staff: their profile, contact details, restrictions, every outcome and
    decision about them in time order, and the needs that fit them, explained (the reads
    audit-logged as the API's are)."""
    person, meta = read_profile(services(), current_principal(), jobseeker_id)
    query, errors = load_args(CandidateQuerySchema(), language=language())
    if errors:
        abort(400)
    result = read_needs_for(services(), current_principal(), person, query)
    return render_template(
        "web/jobseeker.html",
        status=person_status(services(), person.id, current_app.config["STALE_DAYS"]),
        person=person,
        meta=meta,
        history=person_history(services().store, person.id),
        result=result,
        unmet_choices=[(f, requirement_name(f)) for f in PERSON_UNMET],
        query=query,
        companies=company_names(services().store),
        bars=contribution_bars,
        path=PathStore(services().store).path(jobseeker_id),
        organisations=PathStore(services().store).organisation_names(),
    )
