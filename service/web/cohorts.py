"""A need's cohort page: the coordinator's constraints, the seats, reserves and near-misses
with their reasons; fix or exclude people and solve again. And the need's proposals from the
allocation across all needs, beside its ranking."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from flask import Blueprint, abort, flash, render_template, request
from flask_babel import format_date, format_decimal, gettext
from flask_babel import lazy_gettext as _l

from matcher.exceptions import InvalidInput
from matcher.languages import CEFR_LEVELS
from service import cohorts, pathways
from service.api.common import services
from service.api.needs import visible_need
from service.auth import current_principal
from service.guard import unsafe_fields, walk
from service.schemas.cohorts import CohortInSchema
from service.storage import Conflict, NotFound
from service.web.auth import signed_in
from service.web.common import STAFF
from service.web.i18n import LANGUAGE_NAMES, field_message, name_of

bp = Blueprint("cohorts", __name__)
PATHWAYS_SHOWN = 20

REASONS = {
    "seat": _l("Seat %(rank)s: part of the best total fit"),
    "fixed_by_coordinator": _l("Fixed by the coordinator"),
    "relocating": _l("Would relocate"),
    "reserve": _l("Reserve %(order)s: the next best"),
    "excluded_by_coordinator": _l("Excluded by the coordinator"),
    "in_other_cohort": _l("Already in another cohort"),
    "language_below": _l("%(language)s below %(level)s (has %(has)s)"),
    "starts_later": _l("Available from %(available_from)s, after %(start_by)s"),
    "below_last_seat": _l("Score %(gap)s below the last seat"),
    "relocation_limit": _l("Would relocate, and the limit of %(max)s is reached"),
    "room_for_fixed": _l("Left out to make room for a person the coordinator fixed"),
}


UNSOLVABLE = {
    "fixed": _l("The people fixed cannot all sit under these constraints."),
    None: _l("No cohort satisfies these constraints."),
}


def reason_text(reason: dict) -> str:
    """A reason in the page's language, with its parameters named so too."""
    params = dict(reason.get("params") or {})
    if "language" in params:
        params["language"] = name_of(params["language"], "language")
    if "has" in params:
        params["has"] = params["has"] or gettext("no level")
    for name in ("available_from", "start_by"):
        if name in params:
            params[name] = format_date(dt.date.fromisoformat(params[name]))
    if "gap" in params:
        params["gap"] = format_decimal(params["gap"], "0.000")
    return str(REASONS[reason["code"]]) % params


@bp.route("/needs/<need_id>/cohort", methods=["GET", "POST"])
@signed_in(*STAFF)
def cohort(need_id: str):
    """The need's cohort: solved again on every post of the form (audit-logged)."""
    need, _ = visible_need(need_id)
    errors: dict = {}
    result = None
    if request.method == "POST":
        result, errors = _solve(need)
    if result is None:
        # Shown as stored: before any solve, and beside the errors of one that failed.
        try:
            result = cohorts.read(services(), current_principal(), need)
        except NotFound:
            result = None
    constraints = (result or {}).get("constraints") or {}
    return (
        render_template(
            "web/cohort.html",
            need=need,
            cohort=result,
            values=_form_values(constraints) if request.method == "GET" else request.form,
            fixed=set(constraints.get("fixed", ())),
            excluded=set(constraints.get("excluded", ())),
            errors=errors,
            reason_text=reason_text,
            levels=CEFR_LEVELS,
            spoken=list(LANGUAGE_NAMES),
        ),
        422 if errors else 200,
    )


def _solve(need):
    """Solve from the posted form; the cohort, or the errors by field."""
    if next(unsafe_fields(walk(request.form.to_dict(flat=False))), None):
        abort(422)
    try:
        body = CohortInSchema().load(_body(request.form))
        return cohorts.solve(services(), current_principal(), need, body), {}
    except ma.ValidationError as error:
        return None, {
            k: [field_message(str(m), k) for m in _flat(v)] for k, v in error.messages.items()
        }
    except InvalidInput as error:
        # The library's message is English: the page says it in its own words.
        return None, {error.field or "form": [str(UNSOLVABLE.get(error.field, UNSOLVABLE[None]))]}
    except Conflict:
        flash(gettext("Someone took a place meanwhile; solve again."), "error")
        return None, {"form": [gettext("Nothing was saved.")]}


def _flat(messages) -> list:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flat(v)]
    return list(messages)


def _body(form) -> dict:
    """The API's request body from the form (blank fields left out)."""
    body: dict = {
        "fixed": form.getlist("fixed"),
        "excluded": [i for i in form.getlist("excluded") if i not in form.getlist("fixed")],
    }
    for name in ("reserves", "max_relocating", "start_by"):
        if form.get(name, "").strip():
            body[name] = form[name].strip()
    if form.get("language") and form.get("level"):
        body["min_language"] = {"language": form["language"], "level": form["level"]}
    return body


def _form_values(constraints: dict) -> dict:
    minimum = constraints.get("min_language") or {}
    return {
        "reserves": constraints.get("reserves", 0),
        "max_relocating": ""
        if constraints.get("max_relocating") is None
        else constraints["max_relocating"],
        "start_by": constraints.get("start_by") or "",
        "language": minimum.get("language", ""),
        "level": minimum.get("level", ""),
    }


@bp.get("/needs/<need_id>/proposals")
@signed_in(*STAFF)
def proposals(need_id: str):
    """The allocation's proposals for the need, and where its other candidates went."""
    need, _ = visible_need(need_id)
    result = cohorts.need_proposals(services(), current_principal(), need)
    ids = [p["jobseeker_id"] for p in result["proposed"]]
    ids += [p["jobseeker_id"] for p in result["proposed_elsewhere"]]
    people = services().people(ids)
    return render_template("web/proposals.html", need=need, result=result, people=people)


@bp.get("/needs/<need_id>/pathways")
@signed_in(*STAFF)
def ready(need_id: str):
    """Who is ready now, and who would be ready after an open training or apprenticeship."""
    need, _ = visible_need(need_id)
    result = pathways.vacancy_paths(services(), current_principal(), need, PATHWAYS_SHOWN)
    return render_template("web/pathways.html", need=need, result=result)
