"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.common import services
from service.errors import problem
from service.metrics import exposition

blp = Blueprint("health", __name__, description="Liveness, readiness and metrics")


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, {"type": "object", "properties": {"status": {"type": "string"}}})
    def get(self):
        """The process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.response(200, {"type": "object", "properties": {"status": {"type": "string"}}})
    @blp.alt_response(503, description="The database is not reachable")
    def get(self):
        """The database answers."""
        try:
            services().store.ping()
        except Exception:  # any failure to reach the database means not ready
            return problem(503, "Service Unavailable", "The database is not reachable.")
        return {"status": "ready"}


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.response(200, {"type": "string"}, content_type="text/plain")
    def get(self):
        """Request counts and latencies, matches served (Prometheus text format)."""
        body, content_type = exposition()
        return Response(body, content_type=content_type)
