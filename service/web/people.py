"""Jobseekers: a list, and one person's page with the needs that fit them."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from service.api.common import services
from service.auth import current_principal
from service.matching import read_needs_for, read_profile, read_profiles
from service.schemas.jobseekers import JobseekerQuerySchema
from service.schemas.matches import CandidateQuerySchema
from service.storage_paths import PathStore
from service.web.auth import signed_in
from service.web.charts import contribution_bars
from service.web.common import STAFF, company_names, language, load_args, page_links
from service.web.i18n import SERVICE_PATHS

bp = Blueprint("people", __name__)

PAGE_SIZE = 25


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
    )


@bp.get("/jobseekers/<jobseeker_id>")
@signed_in(*STAFF)
def person(jobseeker_id: str):
    """A person and the needs that fit them, explained (audit-logged as the API's list is)."""
    person, meta = read_profile(services(), current_principal(), jobseeker_id)
    query, errors = load_args(CandidateQuerySchema(), language=language())
    if errors:
        abort(400)
    result = read_needs_for(services(), current_principal(), person, query)
    return render_template(
        "web/jobseeker.html",
        person=person,
        meta=meta,
        result=result,
        query=query,
        companies=company_names(services().store),
        bars=contribution_bars,
        path=PathStore(services().store).path(jobseeker_id),
        organisations=PathStore(services().store).organisation_names(),
    )
