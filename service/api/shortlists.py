"""Shortlists sent to companies, their feedback, and what is recorded about a person after a
ranking: consents to share, contacts, confirmations and their history."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service import storage_shortlists as lists
from service.api.common import services
from service.api.needs import visible_need
from service.auth import current_principal, owns_company, requires
from service.schemas.shortlists import (
    ConsentSchema,
    ContactInSchema,
    ContactSchema,
    FeedbackInSchema,
    FeedbackListSchema,
    FeedbackSchema,
    FreshnessSchema,
    HistorySchema,
    ShortlistInSchema,
    ShortlistListSchema,
    ShortlistQuerySchema,
    ShortlistReadSchema,
    ShortlistViewSchema,
    SignInSchema,
)
from service.shortlists import (
    checked_entries,
    freshness,
    outcome_of,
    person_history,
    shaped,
    snapshots,
)
from service.storage import NotFound

blp = Blueprint(
    "shortlists",
    __name__,
    url_prefix="/v1",
    description="Shortlists sent to companies, their feedback, a person's status and history",
)


def _stale_days() -> int:
    return current_app.config["STALE_DAYS"]


def _visible(shortlist_id: str) -> dict:
    """A shortlist the caller may read: a company only one sent to it (404 otherwise)."""
    found = lists.shortlist(services().store, shortlist_id)
    principal = current_principal()
    if principal.role == "company" and (
        not owns_company(found["company_id"]) or found["status"] != "sent"
    ):
        abort(404, message="No such resource.")
    return found


def _shaped(found: dict, language: str = "en") -> dict:
    """A shortlist shaped for the caller, its reasons also as sentences in ``language``."""
    return shaped(services(), current_principal(), found, language)


def _read(found: dict, language: str) -> dict:
    """A shortlist shaped for the caller, the read audit-logged (people by pseudonym)."""
    people = [services().person_ref(e["jobseeker_id"]) for e in found["entries"]]
    services().store.audit(
        current_principal(), "shortlist.read", f"shortlist:{found['id']}", {"people": people}
    )
    return _shaped(found, language)


def _refs(entries) -> list[str]:
    return [services().person_ref(person) for person, _ in entries]


@blp.route("/needs/<need_id>/shortlists")
class NeedShortlists(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(ShortlistReadSchema, location="query")
    @blp.response(200, ShortlistListSchema)
    def get(self, query, need_id):
        """A need's shortlists (a company sees only those sent to it; audit-logged)."""
        visible_need(need_id)
        company = current_principal().role == "company"
        found = lists.shortlists(services().store, need_id=need_id, sent_only=company)
        return {"items": [_read(s, query["language"]) for s in found]}

    @requires("recruiter", "admin")
    @blp.arguments(ShortlistInSchema)
    @blp.response(201, ShortlistViewSchema)
    def post(self, body, need_id):
        """Start a shortlist from a need's ranked list: people in any order, a note each (the
        profiles must be confirmed, not stale; placed or archived people are refused)."""
        need, _ = visible_need(need_id)
        entries = checked_entries(services(), body["entries"], _stale_days())
        created = lists.create_shortlist(
            services().store,
            need.id,
            need.company_id,
            entries,
            current_principal(),
            _refs(entries),
        )
        return _shaped(created)


@blp.route("/shortlists")
class Shortlists(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(ShortlistQuerySchema, location="query")
    @blp.response(200, ShortlistListSchema)
    def get(self, query):
        """Shortlists, newest first (a company sees only those sent to it; audit-logged)."""
        principal = current_principal()
        company = principal.role == "company"
        found = lists.shortlists(
            services().store,
            need_id=query.get("need_id"),
            company_id=principal.company_id if company else None,
            sent_only=company,
        )
        return {"items": [_read(s, query["language"]) for s in found]}


@blp.route("/shortlists/<shortlist_id>")
class ShortlistItem(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(ShortlistReadSchema, location="query")
    @blp.response(200, ShortlistViewSchema)
    def get(self, query, shortlist_id):
        """A shortlist (a company reads only one sent to it; audit-logged)."""
        return _read(_visible(shortlist_id), query["language"])

    @requires("recruiter", "admin")
    @blp.arguments(ShortlistInSchema)
    @blp.response(200, ShortlistViewSchema)
    def put(self, body, shortlist_id):
        """Replace a draft's people, order and notes (409 once signed)."""
        lists.shortlist(services().store, shortlist_id)
        entries = checked_entries(services(), body["entries"], _stale_days())
        changed = lists.replace_entries(
            services().store, shortlist_id, entries, current_principal(), _refs(entries)
        )
        return _shaped(changed)


@blp.route("/shortlists/<shortlist_id>/sign")
class ShortlistSign(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(SignInSchema)
    @blp.response(200, ShortlistViewSchema)
    def post(self, body, shortlist_id):
        """Sign a draft off (who, when): each person's score and explanation are kept as
        they are now (stale profiles must be confirmed first; 409 once signed)."""
        found = lists.shortlist(services().store, shortlist_id)
        entries = [{"jobseeker_id": e["jobseeker_id"], "note": ""} for e in found["entries"]]
        checked_entries(services(), entries, _stale_days())
        signed = lists.sign_shortlist(
            services().store,
            shortlist_id,
            snapshots(services(), found),
            current_principal(),
            body["signed_by"],
        )
        return _shaped(signed)


@blp.route("/shortlists/<shortlist_id>/send")
class ShortlistSend(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, ShortlistViewSchema)
    def post(self, shortlist_id):
        """Send a signed shortlist to its company (409 for a draft or one already sent)."""
        sent = lists.send_shortlist(services().store, shortlist_id, current_principal())
        return _shaped(sent)


@blp.route("/shortlists/<shortlist_id>/entries/<int:position>/feedback")
class EntryFeedback(MethodView):
    @requires("company", "recruiter", "admin")
    @blp.arguments(FeedbackInSchema)
    @blp.response(201, FeedbackSchema)
    def post(self, body, shortlist_id, position):
        """The company's answer about one person of a sent shortlist (invite to interview,
        hired, not selected) with a job-relevant reason; it becomes an outcome, and a hire
        or a start changes the person's status (audit-logged)."""
        found = _visible(shortlist_id)
        entry = next((e for e in found["entries"] if e["position"] == position), None)
        if entry is None:
            abort(404, message="No such resource.")
        need, _ = services().store.need(found["need_id"])
        return lists.record_feedback(
            services().store,
            shortlist_id,
            position,
            body,
            outcome_of(body["decision"], need.kind),
            services().placement_days,
            current_principal(),
            services().person_ref(entry["jobseeker_id"]),
        )


@blp.route("/feedback/review")
class FeedbackReview(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, FeedbackListSchema)
    def get(self):
        """Feedback given for an "other" reason, waiting for staff to review its words."""
        return {"items": lists.feedback_to_review(services().store)}


@blp.route("/feedback/<int:feedback_id>/review")
class FeedbackReviewed(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, FeedbackSchema)
    def post(self, feedback_id):
        """Mark feedback as reviewed (audit-logged)."""
        return lists.mark_reviewed(services().store, feedback_id, current_principal())


@blp.route("/jobseekers/<jobseeker_id>/consents/<company_id>")
class Consent(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, ConsentSchema)
    def put(self, jobseeker_id, company_id):
        """Record the person's consent to show their name and contact details to a company
        (audit-logged)."""
        return _consent(jobseeker_id, company_id, True)

    @requires("recruiter", "admin")
    @blp.response(200, ConsentSchema)
    def delete(self, jobseeker_id, company_id):
        """Withdraw that consent: the company sees the person by a pseudonym again."""
        return _consent(jobseeker_id, company_id, False)


def _consent(jobseeker_id: str, company_id: str, given: bool) -> dict:
    ref = services().person_ref(jobseeker_id)
    lists.set_consent(services().store, jobseeker_id, company_id, given, current_principal(), ref)
    return {"jobseeker_id": jobseeker_id, "company_id": company_id, "consented": given}


@blp.route("/jobseekers/<jobseeker_id>/contacts")
class Contacts(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(ContactInSchema)
    @blp.response(201, ContactSchema)
    def post(self, body, jobseeker_id):
        """Log a contact with a person and its result (audit-logged)."""
        if body.get("need_id"):
            try:
                visible_need(body["need_id"])
            except NotFound:
                abort(422, errors={"json": {"need_id": ["No such need."]}})
        ref = services().person_ref(jobseeker_id)
        return lists.log_contact(services().store, jobseeker_id, body, current_principal(), ref)


@blp.route("/jobseekers/<jobseeker_id>/confirm")
class Confirm(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, FreshnessSchema)
    def post(self, jobseeker_id):
        """Confirm that a person's profile is still true: it is no longer stale."""
        ref = services().person_ref(jobseeker_id)
        lists.confirm_profile(services().store, jobseeker_id, current_principal(), ref)
        return freshness(services(), jobseeker_id, _stale_days())


@blp.route("/jobseekers/<jobseeker_id>/history")
class History(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, HistorySchema)
    def get(self, jobseeker_id):
        """A person's status and freshness, and what happened after the rankings: shortlists,
        feedback, contacts, outcomes, placements, consents (audit-logged)."""
        history = person_history(services(), jobseeker_id, _stale_days())
        services().store.audit(
            current_principal(), "jobseeker.history", services().person_ref(jobseeker_id)
        )
        return history
