"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import marshmallow as ma
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.common import services
from service.errors import problem
from service.metrics import exposition

blp = Blueprint("health", __name__, description="Liveness, readiness and metrics")


class StatusSchema(ma.Schema):
    status = ma.fields.String(required=True)


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, StatusSchema)
    def get(self):
        """The process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.response(200, StatusSchema)
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
    @blp.doc(
        responses={
            "200": {
                "description": "Prometheus text format",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    )
    def get(self):
        """Request counts and latencies, matches served (Prometheus text format)."""
        body, content_type = exposition()
        return Response(body, content_type=content_type)
