"""Needs: a company's vacancies, apprenticeship slots and recruitment trainings."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from matcher.domain import Need
from matcher.exceptions import InvalidInput
from service.api.common import bulk_body, bulk_result, bulk_rows, page_body, reject_field, services
from service.api.idempotency import idempotent, record
from service.auth import current_principal, owns_company, requires
from service.duplicates import duplicate_problem, need_duplicates
from service.errors import ProblemSchema
from service.schemas.common import BulkQuerySchema, BulkResultSchema
from service.schemas.merges import CreateQuerySchema
from service.schemas.needs import (
    NeedInSchema,
    NeedPageSchema,
    NeedPatchSchema,
    NeedQuerySchema,
    NeedSchema,
)
from service.storage import NotFound, new_id

blp = Blueprint("needs", __name__, url_prefix="/v1", description="Companies' needs for labour")


def dump_need(item) -> dict:
    need, meta = item
    return {**need.to_dict(), **meta}


def visible_need(need_id: str):
    """A need the caller may see; 404 for anything else, so existence does not leak."""
    need, meta = services().store.need(need_id)
    if not owns_company(need.company_id):
        abort(404, message="No such resource.")
    return need, meta


def _company_for(body: dict) -> str:
    principal = current_principal()
    if principal.role == "company":
        # Another company's id is answered as unknown, so that its existence does not leak.
        if body.get("company_id", principal.company_id) != principal.company_id:
            reject_field("company_id", "No such company.")
        return principal.company_id
    if not body.get("company_id"):
        reject_field("company_id", "Missing data for required field.")
    try:
        services().store.company(body["company_id"])
    except NotFound:
        reject_field("company_id", "No such company.")
    return body["company_id"]


def _build(body: dict, company_id: str) -> Need:
    return Need.from_dict({**body, "id": new_id("N"), "company_id": company_id})


@blp.route("/needs")
class Needs(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(NeedQuerySchema, location="query")
    @blp.response(200, NeedPageSchema)
    def get(self, query):
        """List needs with filters (a company token sees only its own)."""
        principal = current_principal()
        if principal.role == "company":
            query["company_id"] = principal.company_id
        return page_body(services().store.needs(**query), dump_need)

    @requires("recruiter", "admin", "company")
    @blp.arguments(CreateQuerySchema, location="query")
    @blp.arguments(NeedInSchema)
    @blp.response(201, NeedSchema)
    @blp.alt_response(409, schema=ProblemSchema, description="Probably a stored need")
    @idempotent(blp, lambda kept: dump_need(services().store.need(kept["id"])))
    def post(self, query, body):
        """Submit a need (409 naming the company's stored needs it probably duplicates, in
        any language: same kind, municipality, dates and mostly the same skills)."""
        need = _build(body, _company_for(body))
        if not query["allow_duplicate"] and (found := need_duplicates(services(), need)):
            return duplicate_problem(found, "need")
        services().store.add_needs([need], record=record(201, {"id": need.id}))
        services().embed(needs=[need])
        return dump_need(services().store.need(need.id))


@blp.route("/needs:bulk")
class NeedsBulk(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(BulkQuerySchema, location="query")
    @blp.doc(requestBody=bulk_body(NeedInSchema))
    @blp.response(201, BulkResultSchema)
    @idempotent(blp)
    def post(self, query):
        """Create needs from JSON Lines: all or none, or with ``partial=true`` the valid rows."""
        principal = current_principal()
        fixed = principal.company_id if principal.role == "company" else None
        needs, errors = bulk_rows(NeedInSchema(), lambda body: _bulk_need(body, fixed))
        result = bulk_result(services().store.add_needs, needs, errors, query["partial"])
        if isinstance(result, tuple):  # written (else the problem)
            services().embed(needs=needs)
        return result


def _bulk_need(body: dict, fixed_company: str | None) -> Need:
    if fixed_company:
        if body.get("company_id", fixed_company) != fixed_company:
            raise InvalidInput("no such company", field="company_id")
        return _build(body, fixed_company)
    try:
        services().store.company(body.get("company_id") or "")
    except NotFound:
        raise InvalidInput("no such company", field="company_id") from None
    return _build(body, body["company_id"])


@blp.route("/needs/<need_id>")
class NeedItem(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.response(200, NeedSchema)
    def get(self, need_id):
        """Read a need."""
        return dump_need(visible_need(need_id))

    @requires("recruiter", "admin", "company")
    @blp.arguments(NeedPatchSchema)
    @blp.response(200, NeedSchema)
    def patch(self, body, need_id):
        """Change a need (the whole result is validated again; no change, no write)."""
        need, _ = visible_need(need_id)
        changed = Need.from_dict({**need.to_dict(), **body})
        if changed != need:
            services().store.replace_need(changed)
            services().embed(needs=[changed])
        return dump_need(services().store.need(need_id))


@blp.route("/needs/<need_id>/close")
class NeedClose(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.response(200, NeedSchema)
    def post(self, need_id):
        """Close a need: it leaves matching but stays for reports."""
        need, _ = visible_need(need_id)
        services().store.replace_need(Need.from_dict({**need.to_dict(), "status": "closed"}))
        return dump_need(services().store.need(need_id))
