"""Organisations, a person's steps on the service path, handovers and the continuity report.

A counsellor sees only the people whose current or next step is with their organisation;
anyone else's path, and another organisation's handover, is 404 to them.
"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.common import page_body, reject_field, services
from service.auth import current_principal, requires
from service.paths import continuity_report, reference_date, report_entries
from service.schemas.paths import (
    ContinuityReportSchema,
    HandoverSchema,
    OrganisationInSchema,
    OrganisationPageSchema,
    OrganisationQuerySchema,
    OrganisationSchema,
    PathSchema,
    StepEndSchema,
    StepInSchema,
    StepSchema,
)
from service.storage import NotFound
from service.storage_paths import PathStore

blp = Blueprint(
    "paths",
    __name__,
    url_prefix="/v1",
    description="Organisations, steps on the service path, handovers, who is falling off",
)


def paths() -> PathStore:
    """The path tables of the app's store."""
    return PathStore(services().store)


def check_holds(jobseeker_id: str) -> None:
    """A counsellor may see a person only while their organisation holds the current or
    next step: anyone else is answered as unknown (404)."""
    principal = current_principal()
    if principal.role == "counsellor" and not paths().holds(
        principal.organisation_id, jobseeker_id
    ):
        raise NotFound(jobseeker_id)


def audit(action: str, jobseeker_id: str, **detail) -> None:
    """Audit a read or write of a person's path (the person as a pseudonym)."""
    principal = current_principal()
    if principal.organisation_id:
        detail["organisation"] = principal.organisation_id
    services().store.audit(principal, action, services().person_ref(jobseeker_id), detail)


@blp.route("/organisations")
class Organisations(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.arguments(OrganisationQuerySchema, location="query")
    @blp.response(200, OrganisationPageSchema)
    def get(self, query):
        """List the organisations of the service network."""
        return page_body(paths().organisations(**query), dict)

    @requires("recruiter", "admin")
    @blp.arguments(OrganisationInSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, body):
        """Add an organisation (employment office, municipal services, education provider,
        rehabilitation, other)."""
        return paths().add_organisation(body["name"], body["kind"])


@blp.route("/organisations/<organisation_id>")
class Organisation(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.response(200, OrganisationSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No such organisation")
    def get(self, organisation_id):
        """Read an organisation."""
        return paths().organisation(organisation_id)


@blp.route("/jobseekers/<jobseeker_id>/path")
class Path(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.response(200, PathSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No such person, or not held")
    def get(self, jobseeker_id):
        """A person's steps and handovers (audit-logged)."""
        check_holds(jobseeker_id)
        path = paths().path(jobseeker_id)
        audit("path.read", jobseeker_id)
        return path


@blp.route("/jobseekers/<jobseeker_id>/steps")
class Steps(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.arguments(StepInSchema)
    @blp.response(201, StepSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No such person, or not held")
    @blp.alt_response(409, response="CONFLICT", description="A planned step exists already")
    def post(self, body, jobseeker_id):
        """Add the current step (the one before it ends; a handover when the organisation
        changes) or the planned next step with its due date; 409 for a second planned one."""
        check_holds(jobseeker_id)
        try:
            paths().organisation(body["organisation_id"])
        except NotFound:
            reject_field("organisation_id", "Unknown organisation.")
        step = paths().add_step(jobseeker_id, body)
        audit("path.step", jobseeker_id, status=step["status"])
        return step


@blp.route("/jobseekers/<jobseeker_id>/steps/<int:step_id>/end")
class StepEnd(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.arguments(StepEndSchema)
    @blp.response(200, PathSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No such person or step")
    @blp.alt_response(409, response="CONFLICT", description="The step is not current")
    def post(self, body, jobseeker_id, step_id):
        """End the current step: the planned next step becomes current, a handover when it
        is with another organisation (409 when the step is not current)."""
        check_holds(jobseeker_id)
        ended_on = body.get("ended_on") or reference_date(current_app.config)
        path = paths().end_step(jobseeker_id, step_id, ended_on)
        audit("path.step_end", jobseeker_id)
        return path


@blp.route("/handovers/<int:handover_id>/acknowledge")
class Acknowledge(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.response(200, HandoverSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No such handover to the caller")
    def post(self, handover_id):
        """Acknowledge a handover as the receiving organisation (404 to any other)."""
        handover = paths().acknowledge(
            handover_id, current_principal(), reference_date(current_app.config)
        )
        audit("handover.acknowledge", handover["jobseeker_id"], handover=handover_id)
        return handover


@blp.route("/reports/continuity")
class Continuity(MethodView):
    @requires("recruiter", "admin", "counsellor")
    @blp.response(200, ContinuityReportSchema)
    def get(self):
        """Who is falling off the path: no current step, a next step past its date, or a
        handover unacknowledged for the configured days; per organisation and counsellor
        (a counsellor gets their organisation's people; audit-logged)."""
        return read_continuity(current_principal())


def read_continuity(principal) -> dict:
    """The continuity report as ``principal`` may read it, the read audit-logged with the
    people named by their pseudonyms."""
    config = current_app.config
    report = continuity_report(
        paths(), reference_date(config), config["HANDOVER_ACK_DAYS"], principal
    )
    people = sorted({services().person_ref(e["jobseeker_id"]) for e in report_entries(report)})
    detail = {"people": people}
    if principal.organisation_id:
        detail["organisation"] = principal.organisation_id
    services().store.audit(principal, "report.continuity", "continuity", detail)
    return report
