"""No copy of personal data in caches: every response that may hold it says ``no-store``.

One rule for the API and the pages, in one hook: everything under ``/v1`` and every page is
``Cache-Control: no-store``, except what holds nothing about anyone (liveness, readiness,
metrics, the OpenAPI document and its viewer with its assets, static assets and the sign-in page).
"""

from __future__ import annotations

from flask import Flask, request

PUBLIC_BLUEPRINTS = frozenset({"health", "api-docs", "api-docs-assets"})
PUBLIC_ENDPOINTS = frozenset({"static", "web.static", "web.account.sign_in"})


def init_app(app: Flask) -> None:
    """Add the ``no-store`` hook to ``app``."""
    app.after_request(no_store)


def no_store(response):
    """Mark the response ``no-store`` unless it is one of the public ones."""
    if request.blueprint not in PUBLIC_BLUEPRINTS and request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response
