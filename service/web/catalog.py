"""The pages' message catalogs: extract the English source strings, update the Finnish and
Swedish ``.po`` files, compile the ``.mo`` files the app reads.

Run ``python -m service.web.catalog`` after changing a page's text, translate the new entries
in ``translations/{fi,sv}/LC_MESSAGES/messages.po``, and run it again to compile; both the
``.po`` and the ``.mo`` files are committed, so a fresh clone needs no build step (a test checks
that every ``.mo`` matches its ``.po``).
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from service.web.i18n import TRANSLATIONS

SOURCES = Path(__file__).resolve().parent
TRANSLATED = ("fi", "sv")
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "silent": "false"}}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
}


def extract() -> Catalog:
    """Every translatable string of the pages (templates and Python), with where it occurs."""
    catalog = Catalog(project="Kohtaanto", version="1", fuzzy=False)
    found = extract_from_dir(
        str(SOURCES), METHODS, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, line, message, comments, context in found:
        catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    """Where a language's ``.po`` catalog lives (its ``.mo`` is beside it)."""
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read(language: str) -> Catalog:
    """A language's ``.po`` catalog."""
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def compiled(catalog: Catalog) -> bytes:
    """A catalog as ``.mo`` bytes."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update() -> None:
    """Merge the extracted strings into each ``.po`` file and compile its ``.mo``."""
    template = extract()
    for language in TRANSLATED:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read(language) if path.exists() else Catalog(locale=language)
        # Keep the header's dates and names, so that only real changes show in a diff.
        template.creation_date = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.project, catalog.version, catalog.fuzzy = "Kohtaanto", "1", False
        with path.open("wb") as file:
            write_po(file, catalog, width=100, include_lineno=False)
        path.with_suffix(".mo").write_bytes(compiled(read(language)))


if __name__ == "__main__":
    update()
