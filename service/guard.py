"""Hostile input stopped before any view: text that cannot be stored, bodies nested too deep,
numbers too long to read.

Every path segment, query parameter and JSON body is checked against one rule
(:func:`matcher.text.unsafe_char`); the first offending field is named in a 422 problem. A
JSON body nested deeper than :data:`MAX_DEPTH` is a 400, so that no parser recurses into it.
An integer of more than :data:`MAX_DIGITS` digits in a JSON body is a 422 naming its field:
Python refuses to read one of more than 4,300 digits at all, which no schema could name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, request

from matcher.jsontext import MAX_DEPTH, MAX_DIGITS, nested_deeper
from matcher.text import scrub, unsafe_char, unsafe_reason
from service.errors import localised, problem

TOO_LARGE = "Number too large."
INVALID_FIELDS = "The request has invalid fields."
UNSTORABLE = "The request holds text that cannot be stored."
TOO_DEEP = "The JSON body is nested deeper than %(depth)s."


class TooDeep(ValueError):
    """A JSON value nested deeper than :data:`MAX_DEPTH`."""


class OversizedNumber:
    """Where a JSON body held an integer of more than :data:`MAX_DIGITS` digits (it is
    never converted: past 4,300 digits Python refuses to)."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _integer(literal: str) -> int | OversizedNumber:
    digits = len(literal.lstrip("-"))
    return OversizedNumber(digits) if digits > MAX_DIGITS else int(literal)


def init_app(app: Flask) -> None:
    """Check every request before its view."""
    app.before_request(check_request)


def check_request():
    """A problem response for hostile input, or None to go on."""
    params = list(_request_texts())
    if found := next(unsafe_fields(params), None):
        return _unsafe(found)
    if not request.is_json:
        return None
    try:
        body = parse_json(request.get_data(cache=True))
    except TooDeep:
        _, detail = localised([], TOO_DEEP)
        return problem(400, "Bad Request", detail % {"depth": MAX_DEPTH})
    except ValueError:
        return None  # not JSON: the route's parser answers that, as it always has
    if found := next(unsafe_fields(walk(body)), None):
        return _unsafe(found)
    if name := next(oversized_numbers(body), None):
        return _refused({"name": name, "reason": TOO_LARGE}, INVALID_FIELDS)
    return None


def _request_texts() -> Iterator[tuple[str, str]]:
    """The path parameters and query parameters, as (name, text)."""
    # Converters such as <int:…> hand over numbers, which hold no text.
    args = (request.view_args or {}).items()
    yield from ((name, value) for name, value in args if isinstance(value, str))
    for name, value in request.args.items(multi=True):
        yield "query", name
        yield name, value


def parse_json(data: bytes) -> Any:
    """The JSON value of ``data`` (strict UTF-8), with an :class:`OversizedNumber` for each
    integer too long (:func:`oversized_numbers` finds them); :class:`TooDeep` when nested
    too deep, ValueError (UnicodeDecodeError, JSONDecodeError) when it is not JSON."""
    try:
        value = json.loads(data.decode(), parse_int=_integer)
    except RecursionError:
        raise TooDeep from None
    if nested_deeper(value, MAX_DEPTH):
        raise TooDeep
    return value


def walk(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a JSON value (keys too) as (field path, text), in document order."""
    return ((name, item) for name, item in _leaves(value, path) if isinstance(item, str))


def oversized_numbers(value: Any) -> Iterator[str]:
    """The field path of each integer too long in a value :func:`parse_json` read."""
    return (name for name, item in _leaves(value) if isinstance(item, OversizedNumber))


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every key and every value that is not an object or an array in a JSON value, as
    (field path, item), in document order."""
    stack = [(path, value)]
    while stack:
        name, item = stack.pop()
        if not isinstance(item, dict | list):
            yield name or "body", item
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                child_name = f"{name}.{scrub(key)}" if name else scrub(key)
                stack.append((child_name, child))
                stack.append((child_name, key))
        elif isinstance(item, list):
            stack.extend((f"{name}[{i}]", child) for i, child in reversed(list(enumerate(item))))


def unsafe_fields(texts: Iterable[tuple[str, str]]) -> Iterator[dict[str, str]]:
    """Each (name, text) pair whose text cannot be stored, as a problem's ``{name, reason}``.

    Lazy and in order: the guard and the bulk rows answer with the first, the pages with all.
    """
    for name, text in texts:
        if char := unsafe_char(text):
            yield {"name": name, "reason": unsafe_reason(char)}


def _unsafe(field: dict[str, str]):
    return _refused(field, UNSTORABLE)


def _refused(field: dict[str, str], detail: str):
    """A 422 naming ``field``, in the client's language (:func:`problem`)."""
    return problem(422, "Unprocessable Content", detail, [field])
