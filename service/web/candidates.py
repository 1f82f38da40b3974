"""A need's page: its ranked, explained candidates, and what a recruiter records about them."""

from __future__ import annotations

import marshmallow as ma
import orjson
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from matcher.geo import municipality_in
from service import storage_shortlists as lists
from service.api.common import services
from service.api.needs import visible_need
from service.auth import current_principal
from service.export import FORMATS, Labels, attachment, candidate_table, spreadsheet
from service.guard import unsafe_fields, walk
from service.matching import decide, read_candidates, record_outcome
from service.schemas.matches import CandidateQuerySchema, DecisionInSchema, OutcomeInSchema
from service.schemas.shortlists import FeedbackInSchema
from service.shortlists import FEEDBACK_DECISIONS, FEEDBACK_REASONS, outcome_of, shaped
from service.storage import OUTCOMES, NotFound
from service.web.auth import signed_in
from service.web.charts import contribution_bars
from service.web.common import EVERYONE, STAFF, language, load_args
from service.web.compare import comparison, unmet_choices
from service.web.i18n import field_message, name_of, requirement_name

bp = Blueprint("candidates", __name__)
# A downloaded list's columns, named for the people who open it (the API's files keep codes).
COLUMN_NAMES = {
    "rank": _l("Rank"),
    "ref": _l("Reference"),
    "id": _l("Id"),
    "name": _l("Name"),
    "municipality": _l("Municipality"),
    "score": _l("Score"),
    "score_with_remedy": _l("Score with the requirements met"),
    "excluded": _l("Excluded"),
    "decision": _l("Decision"),
    "matched_skills": _l("Matched skills"),
    "missing_skills": _l("Missing skills"),
    "unmet_requirements": _l("Unmet requirements"),
    "unmet_preferences": _l("Unmet preferences"),
    "suggestion": _l("Suggestion"),
}

# The query of a need's list that its downloads repeat.
LIST_ARGS = ("limit", "offset", "since_run", "include_excluded", "show_hidden")


@bp.get("/needs/<need_id>")
@signed_in(*EVERYONE)
def index(need_id: str):
    """The need and its candidates, explained (audit-logged as the API's list is); a company
    reads the shortlists sent to it instead, never the ranking."""
    need, meta = visible_need(need_id)
    if current_principal().role == "company":
        return _company_page(need, meta)
    query, errors = load_args(CandidateQuerySchema(), language=language())
    if errors:
        abort(400)
    try:
        result = read_candidates(services(), current_principal(), need, query, meta["updated_at"])
    except NotFound:
        abort(404)  # since_run names no run
    result = {**result, "items": [_plain_explanation(item) for item in result["items"]]}
    return render_template(
        "web/need.html",
        need=need,
        meta=meta,
        result=result,
        rows=[comparison(item, need) for item in result["items"]],
        query=query,
        runs=_recent_runs(),
        unmet_choices=unmet_choices(need, current_principal().role == "company"),
        outcomes=OUTCOMES,
        bars=contribution_bars,
        download_args={k: v for k, v in request.args.items() if k in LIST_ARGS},
    )


def _company_page(need, meta):
    """A need as its company reads it: the need and the shortlists sent to it (audit-logged)."""
    sent = lists.shortlists(services().store, need_id=need.id, sent_only=True)
    for shortlist in sent:
        people = [services().person_ref(e["jobseeker_id"]) for e in shortlist["entries"]]
        services().store.audit(
            current_principal(),
            "shortlist.read",
            f"shortlist:{shortlist['id']}",
            {"people": people},
        )
    return render_template(
        "web/need.html",
        need=need,
        meta=meta,
        result=None,
        shortlists=[
            shaped(services(), current_principal(), s, concepts=language()) for s in sent
        ],
        bars=contribution_bars,
        decisions=FEEDBACK_DECISIONS,
        reasons=FEEDBACK_REASONS,
    )


@bp.post("/needs/<need_id>/shortlists/<shortlist_id>/entries/<int:position>/feedback")
@signed_in("company")
def feedback(need_id: str, shortlist_id: str, position: int):
    """A company's answer about a person of a shortlist sent to it (as the API records it)."""
    need, _ = visible_need(need_id)
    shortlist = lists.shortlist(services().store, shortlist_id)
    entry = next((e for e in shortlist["entries"] if e["position"] == position), None)
    if shortlist["need_id"] != need.id or shortlist["status"] != "sent" or entry is None:
        abort(404)
    if found := next(unsafe_fields(walk(request.form.to_dict())), None):
        flash(field_message(found["reason"]), "error")
        return _to_shortlist(need_id, shortlist_id)
    form = {k: request.form.get(k, "").strip() for k in ("decision", "reason", "text")}
    try:
        answer = FeedbackInSchema().load(form)
    except ma.ValidationError:
        flash(str(_FEEDBACK_REFUSED), "error")
        return _to_shortlist(need_id, shortlist_id)
    lists.record_feedback(
        services().store,
        shortlist_id,
        position,
        answer,
        outcome_of(answer["decision"], need.kind),
        services().placement_days,
        current_principal(),
        services().person_ref(entry["jobseeker_id"]),
    )
    flash(
        gettext(
            "Your answer was recorded: %(answer)s.", answer=name_of(answer["decision"], "decision")
        )
    )
    return _to_shortlist(need_id, shortlist_id)


_FEEDBACK_REFUSED = _l(
    "Choose an answer and a job-relevant reason; for another reason, say what it is. The words "
    "must not name age, sex, origin, nationality, health or religion."
)


def _to_shortlist(need_id: str, shortlist_id: str):
    return redirect(url_for("web.candidates.index", need_id=need_id) + f"#shortlist-{shortlist_id}")

@bp.get("/needs/<need_id>/candidates.<kind>")
@signed_in(*STAFF)
def download(need_id: str, kind: str):
    """The list the page shows, as a CSV or XLSX file with the explanation in columns
    (audit-logged as an export); staff only, as the ranking is."""
    if kind not in FORMATS:
        abort(404)
    need, meta = visible_need(need_id)
    query, errors = load_args(CandidateQuerySchema(), language=language())
    if errors:
        abort(400)
    try:
        result = read_candidates(
            services(), current_principal(), need, query, meta["updated_at"], export=kind
        )
    except NotFound:
        abort(404)
    items = [_plain_explanation(item) for item in result["items"]]
    return attachment(spreadsheet(candidate_table(items, _reader_labels()), kind), kind, need.id)


def _reader_labels() -> Labels:
    """A file's columns and codes named in the page's language."""
    return Labels(
        column=lambda code: str(COLUMN_NAMES.get(code, code)),
        municipality=lambda name: municipality_in(name, language()),
        feature=lambda name: name_of(name, "feature"),
        flag=lambda value: gettext("Yes") if value else gettext("No"),
        decision=lambda action: gettext("pinned") if action == "pin" else gettext("hidden"),
        requirement=requirement_name,
    )


def _plain_explanation(item: dict) -> dict:
    """A candidate whose explanation is plain values: one stored by the batch arrives as
    pre-serialised JSON. Only the explanation is round-tripped, so that the other values
    (the run's time, a decision's time) stay what they are."""
    return {**item, "explanation": orjson.loads(orjson.dumps(item["explanation"]))}


def _recent_runs() -> list[int]:
    """The latest complete run and the one before it: 'new since' either."""
    latest = services().store.latest_run()
    if latest is None:
        return []
    previous = latest["summary"].get("previous_run")
    return [latest["id"], *([previous] if previous else [])]


@bp.post("/needs/<need_id>/candidates/<jobseeker_id>/outcome")
@signed_in(*STAFF)
def outcome(need_id: str, jobseeker_id: str):
    """Record what happened with a candidate (audit-logged as the API does)."""
    visible_need(need_id)
    if refused := _unsafe_form(need_id, jobseeker_id):
        return refused
    try:
        body = OutcomeInSchema().load(
            {"outcome": request.form.get("outcome", ""), "note": request.form.get("note", "")}
        )
    except ma.ValidationError:
        flash(gettext("Choose an outcome to record."), "error")
        return _back(need_id, jobseeker_id)
    record_outcome(
        services(), current_principal(), need_id, jobseeker_id, body["outcome"], body["note"]
    )
    flash(gettext("Recorded: %(outcome)s.", outcome=name_of(body["outcome"], "outcome")))
    return _back(need_id, jobseeker_id)


@bp.post("/needs/<need_id>/candidates/<jobseeker_id>/decision")
@signed_in(*STAFF)
def decision(need_id: str, jobseeker_id: str):
    """Pin a candidate to the top, hide one, or undo that, with a reason (the store writes
    the audit entry with the decision)."""
    visible_need(need_id)
    if refused := _unsafe_form(need_id, jobseeker_id):
        return refused
    action, reason = request.form.get("action", ""), request.form.get("reason", "").strip()
    if action != "clear":
        try:
            DecisionInSchema().load({"action": action, "reason": reason})
        except ma.ValidationError:
            flash(gettext("Give a reason (at least 3 characters) to pin or hide."), "error")
            return _back(need_id, jobseeker_id)
    reason = "" if action == "clear" else reason
    decide(services(), current_principal(), need_id, jobseeker_id, action, reason)
    flash(str(_DONE[action]))
    return _back(need_id, jobseeker_id)


_DONE = {
    "pin": _l("The candidate is pinned to the top of the list."),
    "hide": _l("The candidate is hidden from the list."),
    "clear": _l("The pin or hide was removed."),
}


def _unsafe_form(need_id: str, jobseeker_id: str):
    """Back to the list with a message when the form holds text that cannot be stored."""
    if found := next(unsafe_fields(walk(request.form.to_dict())), None):
        flash(field_message(found["reason"]), "error")
        return _back(need_id, jobseeker_id)
    return None


def _back(need_id: str, jobseeker_id: str):
    """Back to the candidate list as it was, at the candidate's entry."""
    args = {k: v for k, v in request.args.items() if k in CandidateQuerySchema().fields}
    url = url_for("web.candidates.index", need_id=need_id, **args)
    return redirect(f"{url}#candidate-{jobseeker_id}")
