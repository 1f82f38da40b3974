"""A recruiter's shortlists on the pages: started from a need's candidates, signed off, sent."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from matcher.exceptions import MatcherError
from service import storage_shortlists as lists
from service.api.common import services
from service.auth import current_principal
from service.guard import unsafe_fields, walk
from service.shortlists import checked_entries, shaped, snapshots
from service.storage import Conflict
from service.web.auth import signed_in
from service.web.charts import contribution_bars
from service.web.common import STAFF, language
from service.web.i18n import field_message

bp = Blueprint("shortlists", __name__)

_REFUSED = _l(
    "Someone ticked cannot go on a shortlist now: archived, placed (employed, in an "
    "apprenticeship or a training), or with a stale profile to confirm first."
)


@bp.post("/needs/<need_id>/shortlists")
@signed_in(*STAFF)
def start(need_id: str):
    """Start a draft shortlist of the ticked candidates, in the order the form sends them
    (the list's), with their notes."""
    need, _ = services().store.need(need_id)
    if found := next(unsafe_fields(walk(request.form.to_dict())), None):
        flash(field_message(found["reason"]), "error")
        return redirect(url_for("web.candidates.index", need_id=need_id))
    # Each person once, as the API requires (a form posted by hand may repeat one).
    people = list(dict.fromkeys(request.form.getlist("jobseeker_id")))[:50]
    if not people:
        flash(gettext("Tick the candidates to put on the shortlist."), "error")
        return redirect(url_for("web.candidates.index", need_id=need_id))
    wanted = [{"jobseeker_id": p, "note": request.form.get(f"note-{p}", "")[:1000]} for p in people]
    try:
        entries = checked_entries(services(), wanted, current_app.config["STALE_DAYS"])
    except MatcherError:
        flash(str(_REFUSED), "error")
        return redirect(url_for("web.candidates.index", need_id=need_id))
    refs = [services().person_ref(p) for p, _ in entries]
    created = lists.create_shortlist(
        services().store, need.id, need.company_id, entries, current_principal(), refs
    )
    return redirect(url_for("web.shortlists.show", shortlist_id=created["id"]))


@bp.get("/shortlists/<shortlist_id>")
@signed_in(*STAFF)
def show(shortlist_id: str):
    """A shortlist as staff see it, with signing off and sending (audit-logged)."""
    found = lists.shortlist(services().store, shortlist_id)
    people = [services().person_ref(e["jobseeker_id"]) for e in found["entries"]]
    services().store.audit(
        current_principal(), "shortlist.read", f"shortlist:{shortlist_id}", {"people": people}
    )
    need, _ = services().store.need(found["need_id"])
    return render_template(
        "web/shortlist.html",
        shortlist=shaped(services(), current_principal(), found, concepts=language()),
        need=need,
        bars=contribution_bars,
    )


@bp.post("/shortlists/<shortlist_id>/sign")
@signed_in(*STAFF)
def sign(shortlist_id: str):
    """Sign a draft off in the recruiter's name: the scores and explanations are kept."""
    found = lists.shortlist(services().store, shortlist_id)
    name = request.form.get("signed_by", "").strip()[:200]
    if not name or next(unsafe_fields(walk({"signed_by": name})), None):
        flash(gettext("Give your name to sign the shortlist off."), "error")
        return redirect(url_for("web.shortlists.show", shortlist_id=shortlist_id))
    entries = [{"jobseeker_id": e["jobseeker_id"], "note": ""} for e in found["entries"]]
    try:
        checked_entries(services(), entries, current_app.config["STALE_DAYS"])
        lists.sign_shortlist(
            services().store, shortlist_id, snapshots(services(), found), current_principal(), name
        )
    except MatcherError:
        flash(str(_REFUSED), "error")
    except Conflict:
        flash(gettext("The shortlist is already signed off."), "error")
    return redirect(url_for("web.shortlists.show", shortlist_id=shortlist_id))


@bp.post("/shortlists/<shortlist_id>/send")
@signed_in(*STAFF)
def send(shortlist_id: str):
    """Send a signed shortlist to its company."""
    try:
        lists.send_shortlist(services().store, shortlist_id, current_principal())
        flash(gettext("The shortlist was sent to the company."))
    except Conflict:
        flash(gettext("Sign the shortlist off before sending it."), "error")
    return redirect(url_for("web.shortlists.show", shortlist_id=shortlist_id))
