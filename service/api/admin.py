"""Administration: the audit log."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.common import page_body, services
from service.auth import requires
from service.schemas.admin import AuditPageSchema, AuditQuerySchema

blp = Blueprint("admin", __name__, url_prefix="/v1", description="Audit log")


@blp.route("/audit")
class Audit(MethodView):
    @requires("admin")
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Who read which candidate list or exported or erased whom, newest first."""
        return page_body(services().store.audit_log(**query), lambda entry: entry)
