"""Prometheus metrics: request counts and latencies, matches served.

Under gunicorn with several workers, set ``PROMETHEUS_MULTIPROC_DIR`` (``matcher serve`` does) so
that every worker's figures are collected together.
"""

from __future__ import annotations

import os
import time

from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "kohtaanto_http_requests_total", "HTTP requests", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "kohtaanto_http_request_seconds", "HTTP request latency", ["method", "endpoint"]
)
MATCHES_SERVED = Counter(
    "kohtaanto_matches_served_total", "Candidate or need matches returned", ["source"]
)


def init_app(app: Flask) -> None:
    """Time and count every request."""

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def record(response):
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        if "started" in g:
            LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - g.started)
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        return response


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format (all workers' when multiprocess is on)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
