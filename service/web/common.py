"""Helpers shared by the pages."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask_babel import get_locale

from service.storage import Store
from service.web.i18n import field_message

EVERYONE = ("recruiter", "admin", "company")
STAFF = ("recruiter", "admin")


def language() -> str:
    """The language the page is shown in (``fi``, ``sv`` or ``en``)."""
    return str(get_locale() or "fi")


def load_args(schema: ma.Schema, **fixed: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A page's query string loaded by ``schema`` (blank fields left out), and the errors of
    the fields that did not load (those are left out, so the page still shows)."""
    names = set(schema.fields)
    given = {k: v.strip() for k, v in request.args.items() if k in names and v.strip()}
    try:
        return schema.load({**given, **fixed}), {}
    except ma.ValidationError as error:
        errors = {
            k: [field_message(m, k) for m in v]
            for k, v in error.messages.items()
            if isinstance(v, list)
        }
        kept = {k: v for k, v in given.items() if k not in error.messages}
        return schema.load({**kept, **fixed}), errors


def company_names(store: Store) -> dict[str, str]:
    """Every company's name by id (for filters and the recruiter's need form)."""
    names, page = {}, 1
    while True:
        result = store.companies(page=page, page_size=100)
        names.update({company.id: company.name for company, _ in result.items})
        if page * result.page_size >= result.total:
            return names
        page += 1


def page_links(page: int, page_size: int, total: int) -> dict[str, Any]:
    """Previous and next page numbers (None at the ends), for the pager."""
    last = max(1, -(-total // page_size))
    return {
        "page": page,
        "last": last,
        "total": total,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }
