"""Administration: the audit log, and the tokens (listed, revoked)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service.api.common import page_body, services
from service.auth import current_principal, requires
from service.schemas.admin import (
    AuditPageSchema,
    AuditQuerySchema,
    TokenPageSchema,
    TokenQuerySchema,
    TokenSchema,
)

blp = Blueprint("admin", __name__, url_prefix="/v1", description="Audit log and tokens")


@blp.route("/audit")
class Audit(MethodView):
    @requires("admin")
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Who read which candidate list or exported or erased whom, newest first."""
        return page_body(services().store.audit_log(**query), lambda entry: entry)


@blp.route("/admin/tokens")
class Tokens(MethodView):
    @requires("admin")
    @blp.arguments(TokenQuerySchema, location="query")
    @blp.response(200, TokenPageSchema)
    def get(self, query):
        """The bearer tokens, oldest first, by role, company and whether live (never a secret)."""
        return page_body(services().store.tokens(**query), lambda token: token)


@blp.route("/admin/tokens/<int:token_id>/revoke")
class TokenRevoke(MethodView):
    @requires("admin")
    @blp.response(200, TokenSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No token has this id")
    @blp.alt_response(409, response="CONFLICT", description="The caller's own token")
    def post(self, token_id):
        """Revoke a token and end its page sessions (audit-logged). The caller's own token is
        refused, so an admin cannot lock themselves out by mistake."""
        if token_id == current_principal().token_id:
            abort(409, message="A token cannot revoke itself; use another admin token.")
        token = services().store.revoke_token(token_id, current_principal())
        return token
