"""The pages' languages."""

import babel.localedata
from flask import Flask

from service.web import i18n, init_app


def test_adding_the_pages_reads_every_languages_locale_data_before_any_request(monkeypatch):
    # Read in the process that forks gunicorn's workers, not by each worker's first request.
    monkeypatch.setattr(babel.localedata, "_cache", {})
    init_app(Flask(__name__), [])
    assert set(i18n.LANGUAGES) <= set(babel.localedata._cache)
