"""Jobseekers: profiles, export of all data held, and erasure."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from matcher.domain import Jobseeker
from service import storage_shortlists
from service.api.common import bulk_body, bulk_result, bulk_rows, page_body, services
from service.api.idempotency import idempotent, record
from service.api.paths import check_holds
from service.auth import current_principal, requires
from service.duplicates import duplicate_problem, person_duplicates
from service.errors import ProblemSchema
from service.matching import read_profile, read_profiles
from service.schemas.admin import ErasureSchema, ExportSchema
from service.schemas.common import BulkQuerySchema, BulkResultSchema
from service.schemas.jobseekers import (
    JobseekerInSchema,
    JobseekerPageSchema,
    JobseekerPatchSchema,
    JobseekerQuerySchema,
    JobseekerSchema,
)
from service.schemas.merges import CreateQuerySchema
from service.storage import new_id
from service.storage_merges import jobseeker_merges

blp = Blueprint("jobseekers", __name__, url_prefix="/v1", description="Jobseekers on service paths")


def dump_jobseeker(item) -> dict:
    person, meta = item
    return {**person.to_dict(), **meta}


def _build(body: dict) -> Jobseeker:
    return Jobseeker.from_dict({**body, "id": new_id("J")})


@blp.route("/jobseekers")
class Jobseekers(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(JobseekerQuerySchema, location="query")
    @blp.response(200, JobseekerPageSchema)
    def get(self, query):
        """List jobseekers with filters (audit-logged, each person as a pseudonym)."""
        return page_body(read_profiles(services(), current_principal(), query), dump_jobseeker)

    @requires("recruiter", "admin")
    @blp.arguments(CreateQuerySchema, location="query")
    @blp.arguments(JobseekerInSchema)
    @blp.response(201, JobseekerSchema)
    @blp.alt_response(409, schema=ProblemSchema, description="Probably a stored jobseeker")
    @idempotent(blp, lambda kept: dump_jobseeker(services().store.jobseeker(kept["id"])))
    def post(self, query, body):
        """Register a jobseeker (409 naming the stored ones it probably duplicates: the same
        e-mail or phone, or the same name with the same municipality or skills)."""
        person = _build(body)
        if not query["allow_duplicate"] and (found := person_duplicates(services(), person)):
            return duplicate_problem(found, "person")
        services().store.add_jobseekers([person], record=record(201, {"id": person.id}))
        services().embed(people=[person])
        return dump_jobseeker(services().store.jobseeker(person.id))


@blp.route("/jobseekers:bulk")
class JobseekersBulk(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(BulkQuerySchema, location="query")
    @blp.doc(requestBody=bulk_body(JobseekerInSchema))
    @blp.response(201, BulkResultSchema)
    @idempotent(blp)
    def post(self, query):
        """Create jobseekers from JSON Lines: all or none; ``partial=true`` writes valid rows."""
        people, errors = bulk_rows(JobseekerInSchema(), _build)
        result = bulk_result(services().store.add_jobseekers, people, errors, query["partial"])
        if isinstance(result, tuple):  # written (else the problem)
            services().embed(people=people)
        return result


@blp.route("/jobseekers/<jobseeker_id>")
class JobseekerItem(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.response(200, JobseekerSchema)
    def get(self, jobseeker_id):
        """Read a jobseeker (audit-logged; a counsellor only while their organisation holds
        the person's current or next step)."""
        check_holds(jobseeker_id)
        return dump_jobseeker(read_profile(services(), current_principal(), jobseeker_id))

    @requires("recruiter", "admin")
    @blp.arguments(JobseekerPatchSchema)
    @blp.response(200, JobseekerSchema)
    def patch(self, body, jobseeker_id):
        """Change a profile (the whole result is validated again; no change, no write)."""
        person, _ = services().store.jobseeker(jobseeker_id)
        changed = Jobseeker.from_dict({**person.to_dict(), **body})
        if changed != person:
            services().store.replace_jobseeker(changed)
            services().embed(people=[changed])
        return dump_jobseeker(services().store.jobseeker(jobseeker_id))

    @requires("admin")
    @blp.response(200, ErasureSchema)
    def delete(self, jobseeker_id):
        """Erase a person and every derived row (outcomes remain only as anonymous counts); the
        audit entries about them lose their free text and their pseudonym."""
        removed = services().store.erase_jobseeker(
            jobseeker_id, services().person_ref(jobseeker_id), current_principal()
        )
        return {"erased": jobseeker_id, "removed": removed}


@blp.route("/jobseekers/<jobseeker_id>/archive")
class JobseekerArchive(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, JobseekerSchema)
    def post(self, jobseeker_id):
        """Take a jobseeker out of matching (e.g. employed); the record stays until erased."""
        person, _ = services().store.jobseeker(jobseeker_id)
        services().store.replace_jobseeker(person, active=False)
        return dump_jobseeker(services().store.jobseeker(jobseeker_id))


@blp.route("/jobseekers/<jobseeker_id>/export")
class JobseekerExport(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, ExportSchema)
    def get(self, jobseeker_id):
        """All data held about a person (audit-logged)."""
        export = services().store.export_jobseeker(jobseeker_id)
        export["after_ranking"] = storage_shortlists.history(services().store, jobseeker_id)

        export["merged"] = jobseeker_merges(services().store, jobseeker_id)
        services().store.audit(
            current_principal(), "jobseeker.export", services().person_ref(jobseeker_id)
        )
        return export
