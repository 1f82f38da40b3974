"""Matching: candidate lists, needs for a person, ad-hoc matching and recorded outcomes."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from matcher.domain import Need
from service.api.common import as_json, services
from service.api.needs import visible_need
from service.auth import current_principal, requires
from service.export import (
    FORMATS,
    SPREADSHEET_CONTENT,
    attachment,
    candidate_table,
    spreadsheet,
)
from service.matching import candidate_list, decide, read_candidates, read_needs_for, record_outcome
from service.metrics import MATCHES_SERVED
from service.schemas.matches import (
    AdHocMatchSchema,
    CandidateListQuerySchema,
    CandidateListSchema,
    CandidateQuerySchema,
    DecisionInSchema,
    DecisionSchema,
    NeedListSchema,
    OutcomeInSchema,
    OutcomeSchema,
)

# The manual document of the list's answer replaces the generated one: it names all three.
LIST_OR_SPREADSHEET = {
    "application/json": {"schema": {"$ref": "#/components/schemas/CandidateList"}},
    **SPREADSHEET_CONTENT,
}

blp = Blueprint("matching", __name__, url_prefix="/v1", description="Ranked, explained matches")


@blp.route("/needs/<need_id>/candidates")
class Candidates(MethodView):
    # A company reads the shortlists sent to it, never the full ranking.
    @requires("recruiter", "admin")
    @blp.arguments(CandidateListQuerySchema(), location="query")
    @blp.response(200, CandidateListSchema)
    @blp.doc(responses={"200": {"description": "OK", "content": LIST_OR_SPREADSHEET}})
    def get(self, query, need_id):
        """The ranked, explained candidates for a need (audit-logged); as CSV or XLSX with
        the explanation in columns for ``Accept: text/csv`` or the XLSX type, or ``format``."""
        need, meta = visible_need(need_id)
        kind = export_format(query.pop("format", None))
        result = read_candidates(
            services(), current_principal(), need, query, meta["updated_at"], export=kind
        )
        if kind is None:
            return as_json(result)
        return attachment(spreadsheet(candidate_table(result["items"]), kind), kind, need.id)


def export_format(asked: str | None) -> str | None:
    """The file format a list is asked for (``csv``, ``xlsx``), by ``format`` or else by the
    Accept header; None for JSON."""
    if asked:
        return None if asked == "json" else asked
    offered = ["application/json", *FORMATS.values()]
    best = request.accept_mimetypes.best_match(offered, default="application/json")
    return next((kind for kind, mimetype in FORMATS.items() if mimetype == best), None)


@blp.route("/jobseekers/<jobseeker_id>/needs")
class JobseekerNeeds(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(CandidateQuerySchema, location="query")
    @blp.response(200, NeedListSchema)
    def get(self, query, jobseeker_id):
        """The needs that fit a person best, explained (audit-logged)."""
        person, _ = services().store.jobseeker(jobseeker_id)
        return read_needs_for(services(), current_principal(), person, query)


@blp.route("/match")
class AdHocMatch(MethodView):
    # A ranking of the stored jobseekers: staff only, as a need's candidate list is.
    @requires("recruiter", "admin")
    @blp.arguments(AdHocMatchSchema)
    @blp.response(200, CandidateListSchema)
    def post(self, body):
        """Score a need that is not stored against the stored jobseekers (audit-logged)."""
        need = Need.from_dict({**body["need"], "id": "ad-hoc"})
        query = {
            "limit": body["limit"],
            "offset": 0,
            "include_excluded": body["include_excluded"],
            "language": body["language"],
            "show_hidden": False,
        }
        result = candidate_list(services(), current_principal(), need, query)
        result["need_id"] = None
        services().store.audit(
            current_principal(),
            "candidates.read",
            "need:ad-hoc",
            {"kind": need.kind, "returned": len(result["items"])},
        )
        MATCHES_SERVED.labels("live").inc(len(result["items"]))
        return as_json(result)


@blp.route("/needs/<need_id>/candidates/<jobseeker_id>/outcome")
class Outcome(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(OutcomeInSchema)
    @blp.response(201, OutcomeSchema)
    def post(self, body, need_id, jobseeker_id):
        """Record what happened: contacted, interviewed, hired, started, rejected or declined."""
        visible_need(need_id)
        return record_outcome(
            services(), current_principal(), need_id, jobseeker_id, body["outcome"], body["note"]
        )


@blp.route("/needs/<need_id>/candidates/<jobseeker_id>/decision")
class Decision(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(DecisionInSchema)
    @blp.response(200, DecisionSchema)
    def put(self, body, need_id, jobseeker_id):
        """Pin a candidate to the top of a need's list, or hide them from it, with a reason
        (the list is advice: the recruiter decides; audit-logged)."""
        visible_need(need_id)
        return decide(
            services(), current_principal(), need_id, jobseeker_id, body["action"], body["reason"]
        )

    @requires("recruiter", "admin")
    @blp.response(204)
    def delete(self, need_id, jobseeker_id):
        """Remove a pin or hide (audit-logged)."""
        visible_need(need_id)
        decide(services(), current_principal(), need_id, jobseeker_id, "clear", "")
