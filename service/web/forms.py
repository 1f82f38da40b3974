"""The need form: what was typed ↔ the API's JSON body, validated by the API's own schemas.

Nothing typed is lost on an error: the form is shown again from what was posted, with each
error beside its field (errors are keyed by the API's field names, ``languages[0].level``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import marshmallow as ma
from flask_babel import gettext, lazy_gettext
from werkzeug.datastructures import MultiDict

from matcher.domain import Need
from matcher.exceptions import MatcherError
from service.errors import flatten
from service.guard import unsafe_fields, walk
from service.schemas.needs import NeedInSchema
from service.storage import NotFound, Store, new_id
from service.web.i18n import N_, field_message

_l = lazy_gettext

TEXTS = ("kind", "title", "municipality", "positions")
SKILL_LISTS = ("required_skills", "preferred_skills")
FLAGS = ("remote", "driving_licence", "wage_subsidy_accepted", "english_suffices")
OPTIONAL = ("start_date", "end_date", "min_education", "text_language")
ROW_FIELD = re.compile(r"languages\[(\d+)\]\.(language|level)")
LANGUAGE_ROWS = 3
MAX_LANGUAGE_ROWS = 10


LABELS = {
    "company_id": _l("Company"),
    "kind": _l("Kind"),
    "title": _l("Title"),
    "description": _l("Description"),
    "municipality": _l("Municipality"),
    "positions": _l("Number of positions"),
    "text_language": _l("Language of the text"),
    "required_skills": _l("Required skills"),
    "preferred_skills": _l("Preferred skills"),
    "languages": _l("Languages"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "min_education": _l("Minimum education"),
    "work_demands": _l("Work demands"),
    "driving_licence": _l("A driving licence is required"),
    "language": _l("Language"),
    "level": _l("Level"),
}


def blank_form(need: Need | None = None) -> dict[str, Any]:
    """The form's values: a need's, or empty ones for a new need."""
    return form_values(need.to_dict() if need else {})


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """The form's values for a need's JSON body (e.g. one proposed from a pasted ad)."""
    values = {name: _text(data.get(name)) for name in (*TEXTS, *OPTIONAL, "description")}
    values.update({name: "\n".join(data.get(name, ())) for name in SKILL_LISTS})
    values.update({name: bool(data.get(name)) for name in FLAGS})
    values["work_demands"] = list(data.get("work_demands", ()))
    values["languages"] = _rows(
        [
            {"language": s["language"], "level": s["level"], "required": s["required"]}
            for s in data.get("languages", ())
        ]
    )
    values["company_id"] = data.get("company_id", "")
    return values


def posted_form(form: MultiDict) -> dict[str, Any]:
    """The form's values as posted, in the shape :func:`blank_form` gives."""
    values = {name: form.get(name, "").strip() for name in (*TEXTS, *OPTIONAL, "company_id")}
    values["description"] = form.get("description", "").strip()
    values.update({name: form.get(name, "") for name in SKILL_LISTS})
    values.update({name: name in form for name in FLAGS})
    values["work_demands"] = form.getlist("work_demands")
    values["languages"] = _rows(_posted_languages(form))
    return values


def _posted_languages(form: MultiDict) -> list[dict[str, Any]]:
    """The language rows that were filled in, in order."""
    rows = []
    count = min(form.get("language_rows", LANGUAGE_ROWS, type=int) or 0, MAX_LANGUAGE_ROWS)
    for index in range(count):
        prefix = f"languages-{index}-"
        row = {key: form.get(prefix + key, "").strip() for key in ("language", "level")}
        row["required"] = f"{prefix}required" in form
        if row["language"] or row["level"]:
            rows.append(row)
    return rows


def body_of(values: dict[str, Any]) -> dict[str, Any]:
    """The API's JSON body for the form's values (blank fields left out or null)."""
    body: dict[str, Any] = {name: values[name] for name in TEXTS if values[name]}
    body["description"] = values["description"]
    for name in SKILL_LISTS:
        body[name] = [line.strip() for line in values[name].splitlines() if line.strip()]
    body.update({name: values[name] for name in FLAGS})
    body.update({name: values[name] or None for name in OPTIONAL})
    body["work_demands"] = values["work_demands"]
    body["languages"] = [
        {key: value for key, value in row.items() if value != ""}
        for row in values["languages"]
        if row["language"] or row["level"]
    ]
    if values.get("company_id"):
        body["company_id"] = values["company_id"]
    return body


def validate(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The body loaded by the API's schema, and the errors per field name (none when valid)."""
    body = body_of(values)
    if unsafe := list(unsafe_fields(walk(body))):
        return {}, _by_field(unsafe)
    try:
        return NeedInSchema().load(body), {}
    except ma.ValidationError as error:
        return {}, _by_field(flatten(error.messages))


def build_need(
    store: Store, body: dict[str, Any], company_id: str | None, base: Need | None = None
) -> tuple[Need | None, dict[str, list[str]]]:
    """A validated need from a loaded body (new, or ``base`` changed), or the errors.

    ``company_id`` is the company of a company user's need; other users choose one.
    """
    fields = {k: v for k, v in body.items() if k != "company_id"}
    if base is not None:
        data = {**base.to_dict(), **fields}
    else:
        company = company_id or body.get("company_id", "")
        if not _company_exists(store, company):
            return None, {"company_id": [N_("Choose a company.")]}
        data = {**fields, "id": new_id("N"), "company_id": company}
    try:
        return Need.from_dict(data), {}
    except MatcherError as error:
        return None, _by_field([{"name": error.field or "body", "reason": error.message}])


def _company_exists(store: Store, company_id: str) -> bool:
    if not company_id:
        return False
    try:
        store.company(company_id)
    except NotFound:
        return False
    return True


def _by_field(params: list[dict[str, str]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    for param in params:
        errors[_field_of(param["name"])].append(param["reason"])
    return dict(errors)


def _field_of(name: str) -> str:
    """The form field an API field name belongs to: ``required_skills[2]`` → the list;
    ``languages[0].level`` stays (each language row has its own fields)."""
    if ROW_FIELD.fullmatch(name):
        return name
    return name.split("[", 1)[0]


def anchor(name: str) -> str:
    """The id of the control an error is about (or of its error list, for a group)."""
    if match := ROW_FIELD.fullmatch(name):
        return f"f-languages-{match[1]}-{match[2]}"
    if name in ("languages", "work_demands", "body"):
        return f"f-{name}-error"
    return f"f-{name}"


def label_of(name: str) -> str:
    """The label of the field an error is about, as the form shows it."""
    if match := ROW_FIELD.fullmatch(name):
        row = gettext("Language %(n)s", n=int(match[1]) + 1)
        return f"{row}, {str(LABELS[match[2]]).lower()}"
    return str(LABELS.get(name, ""))


def messages(errors: dict[str, list[str]], name: str) -> list[str]:
    """The errors of one field, in the user's language."""
    return [field_message(message, name) for message in errors.get(name, ())]


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The given language rows and blank ones, so that a few more can be added without JS."""
    blank = {"language": "", "level": "", "required": True}
    return rows + [dict(blank) for _ in range(max(LANGUAGE_ROWS - len(rows), 1))]


def _text(value: Any) -> str:
    return "" if value is None else str(value)
