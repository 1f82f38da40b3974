"""Merges: a duplicate jobseeker or need folded into the record that is kept."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.common import reject_field, services
from service.api.needs import visible_need
from service.auth import current_principal, requires
from service.schemas.merges import MergeInSchema, MergeSchema
from service.storage import NotFound
from service.storage_merges import SameRecord, merge_jobseekers, merge_needs

blp = Blueprint("merges", __name__, url_prefix="/v1", description="Merging duplicates")


@blp.route("/jobseekers/<jobseeker_id>/merge")
class JobseekerMerge(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(MergeInSchema)
    @blp.response(200, MergeSchema)
    def post(self, body, jobseeker_id):
        """Merge a duplicate into this jobseeker: its outcomes, pins, hides and self-report
        move here, its profile is kept in the merge record, and the audit log keeps every
        entry (audit-logged)."""
        duplicate = body["duplicate_id"]
        services().store.jobseeker(jobseeker_id)
        refs = (services().person_ref(jobseeker_id), services().person_ref(duplicate))
        moved = _merge(merge_jobseekers, jobseeker_id, duplicate, refs, current_principal())
        return {"kept": jobseeker_id, "merged": duplicate, "moved": moved}


@blp.route("/needs/<need_id>/merge")
class NeedMerge(MethodView):
    @requires("recruiter", "admin")
    @blp.arguments(MergeInSchema)
    @blp.response(200, MergeSchema)
    def post(self, body, need_id):
        """Merge a duplicate need of the same company (e.g. its text in the other language)
        into this one: outcomes, tallies, pins and hides move here (audit-logged)."""
        need, _ = visible_need(need_id)
        duplicate = body["duplicate_id"]
        try:
            other, _ = services().store.need(duplicate)
        except NotFound:
            other = None
        if other is None or other.company_id != need.company_id:
            reject_field("duplicate_id", "No such need of the same company.")
        moved = _merge(merge_needs, need_id, duplicate, current_principal())
        return {"kept": need_id, "merged": duplicate, "moved": moved}


def _merge(merge, kept_id: str, *args):
    try:
        return merge(services().store, kept_id, *args)
    except SameRecord:
        reject_field("duplicate_id", "A record cannot be merged into itself.")
    except NotFound as error:
        if str(error) == kept_id:
            raise
        reject_field("duplicate_id", "No such record.")
