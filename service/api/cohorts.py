"""Cohorts of a recruitment training or apprenticeship group, and the allocation's proposals
served beside each need's ranking."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service import cohorts, pathways
from service import storage_cohorts as stored
from service.api.common import services
from service.api.needs import visible_need
from service.auth import current_principal, requires
from service.schemas.cohorts import (
    CohortInSchema,
    CohortSchema,
    NeedProposalsSchema,
    PathwayQuerySchema,
    PersonPathwaysSchema,
    PersonProposalsSchema,
    VacancyPathwaysSchema,
)

blp = Blueprint(
    "cohorts", __name__, url_prefix="/v1", description="Cohorts and proposals across needs"
)


@blp.route("/needs/<need_id>/cohort")
class NeedCohort(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(CohortInSchema)
    @blp.response(200, CohortSchema)
    def post(self, body, need_id):
        """Solve the need's cohort: its positions as seats plus reserves, maximising the total
        fit under the constraints, each choice and near-miss explained (replaces the last)."""
        need, _ = visible_need(need_id)
        return cohorts.solve(services(), current_principal(), need, body)

    @requires("recruiter", "admin")
    @blp.response(200, CohortSchema)
    def get(self, need_id):
        """The need's cohort as last solved (audit-logged)."""
        need, _ = visible_need(need_id)
        return cohorts.read(services(), current_principal(), need)

    @requires("recruiter", "admin")
    @blp.response(204)
    def delete(self, need_id):
        """Release the need's cohort, so its people may sit in another."""
        visible_need(need_id)
        stored.delete_cohort(services().store, need_id, current_principal())


@blp.route("/needs/<need_id>/proposals")
class NeedProposals(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, NeedProposalsSchema)
    def get(self, need_id):
        """The allocation's proposals for the need in the latest run, beside its ranking, and
        where its other listed candidates were proposed instead (audit-logged)."""
        need, _ = visible_need(need_id)
        return cohorts.need_proposals(services(), current_principal(), need)


@blp.route("/jobseekers/<jobseeker_id>/proposals")
class PersonProposals(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, PersonProposalsSchema)
    def get(self, jobseeker_id):
        """The needs a person is proposed for in the latest run, and how often they were
        proposed over the kept runs (audit-logged)."""
        services().store.jobseeker(jobseeker_id)
        return cohorts.person_proposals(services(), current_principal(), jobseeker_id)


@blp.route("/needs/<need_id>/pathways")
class NeedPathways(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(PathwayQuerySchema, location="query")
    @blp.response(200, VacancyPathwaysSchema)
    def get(self, query, need_id):
        """The need's people ready now, and those an open recruitment training or
        apprenticeship would make ready, that step named (audit-logged)."""
        need, _ = visible_need(need_id)
        return pathways.vacancy_paths(services(), current_principal(), need, query["limit"])


@blp.route("/jobseekers/<jobseeker_id>/pathways")
class PersonPathways(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(PathwayQuerySchema, location="query")
    @blp.response(200, PersonPathwaysSchema)
    def get(self, query, jobseeker_id):
        """The trainings and apprenticeships that would make the person ready for a vacancy
        (person → training → vacancy), best first (audit-logged)."""
        person, _ = services().store.jobseeker(jobseeker_id)
        return pathways.person_paths(services(), current_principal(), person, query["limit"])
