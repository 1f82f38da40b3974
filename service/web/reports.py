"""Reports: outcomes per service path and need kind, and the fairness report, as charts."""

from __future__ import annotations

from flask import Blueprint, render_template

from service.api.common import services
from service.reports import fairness_report, outcome_report
from service.web.auth import signed_in
from service.web.charts import (
    fairness_charts,
    flagged_groups,
    outcome_charts,
    threshold_position,
)
from service.web.common import STAFF

bp = Blueprint("reports", __name__)

SHORTLIST = 20


@bp.get("/reports")
@signed_in(*STAFF)
def index():
    """The outcome and fairness reports as bar charts, with their numbers; the flagged
    groups listed at the top, each linking to its chart, which is shown open."""
    fairness = fairness_report(services(), top_n=SHORTLIST)
    charts = fairness_charts(fairness)
    return render_template(
        "web/reports.html",
        outcomes=outcome_charts(outcome_report(services())),
        fairness=fairness,
        fairness_charts=charts,
        flagged=flagged_groups(charts),
        threshold=threshold_position(fairness),
    )
