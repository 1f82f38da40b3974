"""Errors as ``application/problem+json`` (RFC 9457), mapped in one place.

Validation errors carry ``invalid_params``: one ``{"name", "reason"}`` per offending field, with
names in the request's own terms (``languages[0].level``).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Flask, current_app, jsonify
from flask_smorest import Api
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from matcher.exceptions import MatcherError
from service.storage import Conflict, NotFound

PROBLEM_JSON = "application/problem+json"


class InvalidParamSchema(ma.Schema):
    name = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)


class RowErrorSchema(InvalidParamSchema):
    line = ma.fields.Integer(required=True)


class DuplicateSchema(ma.Schema):
    id = ma.fields.String(required=True)
    reasons = ma.fields.List(ma.fields.String(), required=True)
    similarity = ma.fields.Float(required=True)


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document; bulk requests add ``errors`` per row (line numbers)."""

    type = ma.fields.String()
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    invalid_params = ma.fields.List(ma.fields.Nested(InvalidParamSchema))
    errors = ma.fields.List(ma.fields.Nested(RowErrorSchema))
    duplicates = ma.fields.List(
        ma.fields.Nested(DuplicateSchema),
        metadata={"description": "On a 409 for a probable duplicate: the stored records to merge"},
    )


# HTTP's reason phrases as RFC 9110 names them, where werkzeug keeps older ones: every problem
# of a status has one title.
TITLES = {413: "Content Too Large", 414: "URI Too Long", 422: "Unprocessable Content"}


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    headers: dict | None = None,
    errors: list[dict[str, Any]] | None = None,
    **members: Any,
):
    """A problem+json response; ``members`` are extension members (e.g. ``duplicates``). The
    title, the detail and the fields' reasons are read in the client's language
    (:func:`localised`, :func:`~service.web.i18n.problem_text`)."""
    # Imported here: the pages' package imports the API, which imports this module.
    from service.web.i18n import problem_text

    invalid_params, detail = localised(invalid_params or [], detail)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem_text(title),
        "status": status,
        **members,
    }
    if detail:
        body["detail"] = detail
    if invalid_params:
        body["invalid_params"] = invalid_params
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    response.headers.update(headers or {})
    return response


def flatten(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """marshmallow's nested error messages as a flat list of named fields."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == "_schema":
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            out += flatten(value, name)
        return out
    if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        return [{"name": prefix or "body", "reason": "; ".join(messages)}]
    if isinstance(messages, list):
        return [
            item for index, m in enumerate(messages) for item in flatten(m, f"{prefix}[{index}]")
        ]
    return [{"name": prefix or "body", "reason": str(messages)}]


def localised(params: list[dict[str, str]], detail: str | None = None):
    """Field errors (and the detail) in the language the client asks for with
    ``Accept-Language`` (Finnish or Swedish), through the pages' catalogs; unchanged
    otherwise."""
    # Imported here: the pages' package imports the API, which imports this module.
    from flask_babel import force_locale, gettext

    from service.web.i18n import api_language, field_message

    language = api_language()
    if language is None:
        return params, detail
    with force_locale(language):
        params = [{**p, "reason": field_message(p["reason"], p["name"])} for p in params]
        return params, gettext(detail) if detail else detail


class ProblemApi(Api):
    """flask-smorest's Api answering every HTTP error as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Document every error response as problem+json, as it is sent."""
        default = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_JSON
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = default

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        params = []
        if isinstance(messages, dict):
            # webargs nests errors by location ("json", "query"), which is not part of the name.
            for location, fields in messages.items():
                params += (
                    flatten(fields)
                    if location in ("json", "query", "path", "form", "headers")
                    else flatten({location: fields})
                )
        detail = data.get("message") or (None if params else error.description)
        if error.code == 422 and params:
            detail = detail or "The request has invalid fields."
        # werkzeug's own headers (405's Allow, 401's WWW-Authenticate), not its HTML type.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        headers.update(data.get("headers") or {})
        title = TITLES.get(error.code, error.name)
        return problem(error.code or 500, title, detail, params or None, headers)


def register_error_handlers(app: Flask) -> None:
    """Map library and storage errors to problem responses."""

    @app.errorhandler(MatcherError)
    def matcher_error(error: MatcherError):
        if not error.field:
            return problem(422, "Unprocessable Content", str(error))
        params, _ = localised([{"name": error.field, "reason": error.message}])
        detail = f"{error.field}: {params[0]['reason']}"
        return problem(422, "Unprocessable Content", detail, params)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        return problem(404, "Not Found", "No such resource.")

    @app.errorhandler(Conflict)
    def conflict(error: Conflict):
        from service.web.i18n import conflict_text

        return problem(409, "Conflict", conflict_text(str(error)))

    @app.errorhandler(OperationalError)
    def unavailable(error: OperationalError):
        current_app.logger.error("database error: %s", error)
        return problem(503, "Service Unavailable", "The database is not reachable.")
