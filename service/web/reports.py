"""Reports: outcomes per service path and need kind, and the fairness report, as charts."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import lazy_gettext as _l

from service.api.common import services
from service.programme import STAGES, as_csv, filters, period, programme_report
from service.reports import fairness_report, outcome_report
from service.schemas.reports import ProgrammeQuerySchema
from service.web.auth import signed_in
from service.web.charts import (
    fairness_charts,
    flagged_groups,
    outcome_charts,
    series_chart,
    stage_bars,
    threshold_position,
)
from service.web.common import STAFF, company_names, load_args
from service.web.i18n import KINDS, SERVICE_PATHS, name_of

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


@bp.get("/reports/programme")
@signed_in(*STAFF)
def programme():
    """The programme's results over a period: counts, shares and a monthly chart."""
    query, errors = load_args(ProgrammeQuerySchema())
    report = programme_report(services(), *period(query), **filters(query))
    return render_template(
        "web/programme.html",
        report=report,
        bars=stage_bars(report["totals"]),
        chart=series_chart(report["series"], STAGES),
        query=query,
        errors=errors,
        companies=company_names(services().store),
        kinds=list(KINDS),
        paths=list(SERVICE_PATHS),
    )


@bp.get("/reports/programme.csv")
@signed_in(*STAFF)
def programme_csv():
    """The same report as CSV, its columns named in the page's language."""
    query, errors = load_args(ProgrammeQuerySchema())
    if errors:
        abort(400)
    report = programme_report(services(), *period(query), **filters(query))
    labels = {stage: name_of(stage, "stage") for stage in (*STAGES, "served")}
    labels["period"] = str(_l("Period"))
    body = as_csv(report, labels)
    name = f"programme-{report['filters']['start']}-{report['filters']['end']}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
