"""Fairness and outcome reports, self-reported demographics, and what the scores come from."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.common import services
from service.auth import current_principal, requires
from service.programme import filters, period, programme_report
from service.reports import fairness_report, outcome_report
from service.schemas.reports import (
    FairnessQuerySchema,
    FairnessReportSchema,
    ModelStatusSchema,
    OutcomeReportSchema,
    ProgrammeQuerySchema,
    ProgrammeReportSchema,
    SelfReportInSchema,
    SelfReportSchema,
)

blp = Blueprint(
    "reports", __name__, url_prefix="/v1", description="Fairness audit, outcomes, the model"
)


@blp.route("/reports/fairness")
class Fairness(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(FairnessQuerySchema, location="query")
    @blp.response(200, FairnessReportSchema)
    def get(self, query):
        """Impact ratios of self-reported groups on scores, shortlists and outcomes, flagged
        below four fifths, overall and per need kind."""
        return fairness_report(services(), **query)


@blp.route("/reports/outcomes")
class Outcomes(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, OutcomeReportSchema)
    def get(self):
        """Per service path and need kind: shortlisted, contacted, hired, started."""
        return outcome_report(services())


@blp.route("/reports/programme")
class Programme(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(ProgrammeQuerySchema, location="query")
    @blp.response(200, ProgrammeReportSchema)
    def get(self, query):
        """The programme's results over a period, by company, need kind and path: people
        served, shortlisted, contacted, interviewed, hired, started an apprenticeship or a
        training, as counts and shares, with a monthly series."""
        return programme_report(services(), *period(query), **filters(query))


@blp.route("/jobseekers/<jobseeker_id>/self-report")
class SelfReport(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(SelfReportInSchema)
    @blp.response(200, SelfReportSchema)
    def put(self, body, jobseeker_id):
        """Store what the jobseeker chose to report (sex, age band, mother-tongue group):
        kept apart from the profile, used only by the fairness report (audit-logged)."""
        report = services().store.set_self_report(jobseeker_id, body)
        services().store.audit(
            current_principal(), "self_report.write", services().person_ref(jobseeker_id)
        )
        return report


@blp.route("/model")
class Model(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, ModelStatusSchema)
    def get(self):
        """What scores come from: the default weights or a trained model (and its
        cross-validated figures), and why a configured model was refused."""
        return services().scoring.to_dict()
