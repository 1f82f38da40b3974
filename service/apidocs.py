"""The interactive API docs' assets, served by this app so that ``/docs`` works offline.

flask-smorest renders ``/docs`` and loads Swagger UI from ``OPENAPI_SWAGGER_UI_URL``; that URL
is :data:`ASSETS_URL`, where this blueprint serves the Swagger UI files that the
``flask-swagger-ui`` package ships (its own blueprint is not used).
"""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint

ASSETS_URL = "/docs/assets/"
SWAGGER_UI_DIST = files("flask_swagger_ui") / "dist"

assets = Blueprint(
    "api-docs-assets",
    __name__,
    static_folder=str(SWAGGER_UI_DIST),
    static_url_path=ASSETS_URL.rstrip("/"),
)
