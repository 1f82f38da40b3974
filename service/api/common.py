"""Helpers shared by the resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
import orjson
from flask import current_app, request
from flask_smorest import abort

from matcher.exceptions import InvalidInput, MatcherError
from service.api.idempotency import record
from service.errors import flatten, localised, problem
from service.guard import (
    MAX_DEPTH,
    TOO_LARGE,
    TooDeep,
    oversized_numbers,
    parse_json,
    unsafe_fields,
    walk,
)
from service.matching import Services
from service.storage import Page

NDJSON = "application/x-ndjson"


def bulk_body(row: type[ma.Schema]) -> dict[str, Any]:
    """The OpenAPI request body of a bulk route: its rows, sent as JSON Lines."""
    rows = {"type": "array", "items": row, "description": "One JSON object per line"}
    return {"required": True, "content": {NDJSON: {"schema": rows}}}


def services() -> Services:
    """The app's store, scorer and secret."""
    return current_app.extensions["kohtaanto"]


def as_json(body: dict[str, Any]):
    """A JSON response of an already JSON-shaped body, bypassing the response schema's dump
    (candidate lists are the hot path; the schema still documents them and the tests check
    the shape against it)."""
    return current_app.response_class(orjson.dumps(body), mimetype="application/json")


def page_body(page: Page, dump: Callable[[Any], dict]) -> dict[str, Any]:
    """A page as the API returns it."""
    return {
        "items": [dump(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
    }


def reject_field(name: str, reason: str = "Unknown field.") -> None:
    """Answer 422 naming one field."""
    abort(422, errors={"json": {name: [reason]}})


def bulk_rows(schema: ma.Schema, build: Callable[[dict], Any]) -> tuple[list[Any], list[dict]]:
    """Parse a JSON Lines body: built objects of the valid rows, and per-row errors.

    Lines end at a line feed only (a ``\r\n`` end is tolerated), so that U+2028 or U+0085
    inside a JSON string stays in its row; each line must be UTF-8.
    """
    built, errors = [], []
    for number, line in enumerate(request.get_data().split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            built.append(build(schema.load(bulk_row(line))))
        except ma.ValidationError as error:
            errors += [{"line": number, **item} for item in flatten(error.messages)]
        except MatcherError as error:
            errors.append({"line": number, "name": error.field or "body", "reason": error.message})
    if not built and not errors:
        errors.append(
            {"line": 0, "name": "body", "reason": "No rows: send one JSON object per line."}
        )
    return built, errors


def bulk_row(line: bytes) -> Any:
    """One row's JSON value; :class:`InvalidInput` naming the field for anything refused."""
    try:
        value = parse_json(line.removesuffix(b"\r"))
    except UnicodeDecodeError as error:
        raise InvalidInput(f"invalid UTF-8 at byte {error.start}", field="body") from None
    except TooDeep:
        raise InvalidInput(f"nested deeper than {MAX_DEPTH}", field="body") from None
    except ValueError as error:
        raise InvalidInput(f"invalid JSON: {getattr(error, 'msg', error)}", field="body") from None
    if found := next(unsafe_fields(walk(value)), None):
        raise InvalidInput(found["reason"], field=found["name"])
    if name := next(oversized_numbers(value), None):
        raise InvalidInput(TOO_LARGE, field=name)
    return value


def bulk_result(add, items, errors, partial: bool):
    """Write the valid rows (all or none); 422 with the errors (in the client's language)
    when nothing may be written."""
    errors, _ = localised(errors)
    if errors and not partial:
        return problem(
            422, "Unprocessable Content", "Invalid rows; nothing was written.", errors=errors
        )
    body = {"created": len(items), "ids": [i.id for i in items], "errors": errors}
    add(items, record=record(201, body))
    return body, 201
