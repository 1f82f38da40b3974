"""Drafts: a pasted job ad or JobPosting, a CV or Europass CV, read into a proposed body for
a person to confirm; nothing is stored."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from matcher.documents import need_from_jobposting, need_from_paste, profile_from_europass
from matcher.drafts import Draft, draft_profile
from service.api.common import services
from service.auth import current_principal, requires
from service.duplicates import mapper
from service.errors import flatten
from service.schemas.drafts import DraftSchema, JobseekerDraftInSchema, NeedDraftInSchema
from service.schemas.jobseekers import JobseekerInSchema
from service.schemas.needs import NeedInSchema
from service.storage import NotFound

blp = Blueprint("drafts", __name__, url_prefix="/v1", description="Drafts from text")


@blp.route("/needs/draft")
class NeedDraft(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(NeedDraftInSchema)
    @blp.response(200, DraftSchema)
    def post(self, body):
        """Read a pasted job ad (fi, sv, en) or a schema.org JobPosting into a proposed need:
        skills, languages, place and dates, for confirmation (nothing is stored)."""
        if body.get("jobposting") is not None:
            draft = need_from_jobposting(body["jobposting"], mapper(services()))
        else:
            draft = need_from_paste(body["text"], mapper(services()))
        return answer(_with_company(draft, body.get("company_id")), NeedInSchema())


@blp.route("/jobseekers/draft")
class JobseekerDraft(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(JobseekerDraftInSchema)
    @blp.response(200, DraftSchema)
    def post(self, body):
        """Read a CV's text or a Europass CV (XML or JSON) into a proposed profile, for
        confirmation (nothing is stored)."""
        if body.get("europass") is not None:
            draft = profile_from_europass(body["europass"], mapper(services()))
        else:
            draft = draft_profile(body["text"], mapper(services()))
        return answer(draft, JobseekerInSchema())


def _with_company(draft: Draft, company_id: str | None) -> Draft:
    """A need draft for the caller's company (a company token's own; a recruiter's named and
    known one, else ``company_id`` is missing)."""
    principal = current_principal()
    if principal.role == "company":
        company_id = principal.company_id
    elif company_id:
        try:
            services().store.company(company_id)
        except NotFound:
            company_id = None
    if not company_id:
        return Draft(draft.body, draft.recognised, (*draft.missing, "company_id"))
    return Draft({**draft.body, "company_id": company_id}, draft.recognised, draft.missing)


def answer(draft: Draft, schema) -> dict:
    """A draft as answered, with what the create schema would still refuse in its body."""
    return {**draft.to_dict(), "invalid_params": flatten(schema.validate(draft.body))}
