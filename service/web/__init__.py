"""Web pages for recruiters and company staff, served by the API's app.

Server-rendered (Jinja, a little progressive JavaScript), signed in with the API's tokens,
in Finnish, Swedish and English. The compiled catalogs (``translations/*/LC_MESSAGES/*.mo``)
are committed beside their ``.po`` sources; ``python -m service.web.catalog`` refreshes both.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from service.web import i18n
from service.web.auth import SessionCookies
from service.web.pages import web


def init_app(app: Flask, api_blueprints: Iterable[Blueprint]) -> None:
    """Add the pages to ``app``: cookie sessions, CSRF protection of every form (the bearer-token
    JSON API in ``api_blueprints`` is exempt), the languages and the pages' blueprint."""
    app.session_interface = SessionCookies()
    csrf = CSRFProtect(app)
    for blueprint in api_blueprints:
        csrf.exempt(blueprint)
    Babel(
        app,
        locale_selector=i18n.locale,
        default_locale=i18n.DEFAULT_LANGUAGE,
        default_translation_directories=str(i18n.TRANSLATIONS),
    )
    i18n.preload_locales()
    app.register_blueprint(web)
