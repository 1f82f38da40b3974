"""The interactive API docs (``/docs``) load everything from this site, so they work offline."""

from __future__ import annotations

import re

import pytest

from service import create_app

CONTENT_TYPES = {".js": "javascript", ".css": "text/css"}


@pytest.fixture(scope="module")
def docs_client(tmp_path_factory):
    """A client of an app on an empty embedded database (the docs read nothing from it)."""
    folder = tmp_path_factory.mktemp("docs")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "SECRET_KEY": "x"})
    return app.test_client()


def referenced(page: str) -> list[str]:
    """The URLs of the scripts and style sheets ``page`` loads."""
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)


def test_the_docs_page_names_no_other_host(docs_client):
    response = docs_client.get("/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert len(referenced(page)) >= 3
    assert "://" not in page and "//" not in " ".join(referenced(page))


def test_each_asset_of_the_docs_page_is_served_here_and_cacheable(docs_client):
    page = docs_client.get("/docs").get_data(as_text=True)
    for url in referenced(page):
        with docs_client.get(url) as response:
            assert response.status_code == 200, url
            extension = url[url.rindex(".") :]
            assert CONTENT_TYPES[extension] in response.content_type, url
            assert len(response.data) > 1000, url
            assert response.headers.get("Cache-Control") != "no-store", url
            assert response.headers.get("ETag"), url


def test_an_unknown_asset_is_not_found(docs_client):
    assert docs_client.get("/docs/assets/nothing-here.js").status_code == 404
