"""Kohtaanto's HTTP service: a Flask app over the ``matcher`` library and the store."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from flask import Flask

from service import apidocs, guard, metrics, privacy
from service.api import BLUEPRINTS
from service.config import load_config
from service.errors import ProblemApi, register_error_handlers
from service.matching import Services
from service.schemas.common import RulesPlugin
from service.seed import load_fixtures_if_empty
from service.storage import Store
from service.web import init_app as init_web


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then environment, then ``config``; migrate; load the scorer once."""
    settings = load_config(config)
    app = Flask(__name__)
    app.config.update(settings)
    store = Store.connect(settings["DATABASE_URL"])
    if settings["LOAD_FIXTURES"]:
        load_fixtures_if_empty(store, settings["FIXTURES_DIR"])
    app.extensions["kohtaanto"] = Services.configured(settings, store)
    api = ProblemApi(
        app, spec_kwargs={"security": [{"bearerAuth": []}], "extra_plugins": [RulesPlugin()]}
    )
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(apidocs.assets)
    init_web(app, BLUEPRINTS)
    register_error_handlers(app)
    guard.init_app(app)
    metrics.init_app(app)
    privacy.init_app(app)
    # Build the live engine and the prepared open needs now (before gunicorn forks its
    # workers, with --preload) and close this process's connections so that no worker
    # inherits them.
    app.extensions["kohtaanto"].open_needs()
    store.engine.dispose()
    # The engine holds millions of long-lived objects: keep them out of the garbage
    # collector's full passes (which otherwise stall requests) and out of copy-on-write.
    gc.freeze()
    return app
