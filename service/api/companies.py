"""Companies: create, read, update, list, archive."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from matcher.domain import Company
from service.api.common import page_body, services
from service.api.idempotency import idempotent, record
from service.auth import current_principal, owns_company, requires
from service.schemas.companies import (
    CompanyInSchema,
    CompanyPageSchema,
    CompanyPatchSchema,
    CompanyQuerySchema,
    CompanySchema,
)
from service.storage import new_id

blp = Blueprint("companies", __name__, url_prefix="/v1/companies", description="Employers")


def _dump(item) -> dict:
    company, meta = item
    return {**company.to_dict(), **meta}


def _visible(company_id: str):
    if not owns_company(company_id):
        abort(404, message="No such resource.")
    return services().store.company(company_id)


@blp.route("")
class Companies(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(CompanyQuerySchema, location="query")
    @blp.response(200, CompanyPageSchema)
    def get(self, query):
        """List companies (a company token sees only its own)."""
        principal = current_principal()
        own = principal.company_id if principal.role == "company" else None
        page = services().store.companies(company_id=own, **query)
        return page_body(page, _dump)

    @requires("recruiter", "admin")
    @blp.arguments(CompanyInSchema)
    @blp.response(201, CompanySchema)
    @idempotent(blp, lambda kept: _dump(services().store.company(kept["id"])))
    def post(self, body):
        """Register a company."""
        company = Company.from_dict({**body, "id": new_id("C")})
        services().store.add_companies([company], record=record(201, {"id": company.id}))
        return _dump(services().store.company(company.id))


@blp.route("/<company_id>")
class CompanyItem(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.response(200, CompanySchema)
    def get(self, company_id):
        """Read a company."""
        return _dump(_visible(company_id))

    @requires("recruiter", "admin", "company")
    @blp.arguments(CompanyPatchSchema)
    @blp.response(200, CompanySchema)
    def patch(self, body, company_id):
        """Change a company's details (no change, no write)."""
        company, _ = _visible(company_id)
        changed = Company.from_dict({**company.to_dict(), **body})
        if changed != company:
            services().store.replace_company(changed)
        return _dump(services().store.company(company_id))


@blp.route("/<company_id>/archive")
class CompanyArchive(MethodView):
    @requires("recruiter", "admin")
    @blp.response(200, CompanySchema)
    def post(self, company_id):
        """Archive a company (kept for reports, hidden from lists)."""
        company, _ = services().store.company(company_id)
        services().store.replace_company(company, archived=True)
        return _dump(services().store.company(company_id))
