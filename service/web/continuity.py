"""Who is falling off the service path: the continuity report as a page."""

from __future__ import annotations

from flask import Blueprint, render_template

from service.api.paths import paths, read_continuity
from service.auth import current_principal
from service.web.auth import signed_in
from service.web.common import STAFF

bp = Blueprint("continuity", __name__)


@bp.get("/reports/continuity")
@signed_in(*STAFF, "counsellor")
def index():
    """People with no current step, a next step past its date or an unacknowledged handover,
    per organisation and counsellor (audit-logged as the API's report is)."""
    return render_template(
        "web/continuity.html",
        report=read_continuity(current_principal()),
        organisation_names=paths().organisation_names(),
    )
