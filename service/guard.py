"""Hostile input stopped before any view: text that cannot be stored, bodies nested too deep.

Every path segment, query parameter and JSON body is checked against one rule
(:func:`matcher.text.unsafe_char`); the first offending field is named in a 422 problem. A
JSON body nested deeper than :data:`MAX_DEPTH` is a 400, so that no parser recurses into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, request

from matcher.text import scrub, unsafe_char, unsafe_reason
from service.errors import problem

MAX_DEPTH = 64


class TooDeep(ValueError):
    """A JSON value nested deeper than :data:`MAX_DEPTH`."""


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
        return problem(400, "Bad Request", f"The JSON body is nested deeper than {MAX_DEPTH}.")
    except ValueError:
        return None  # not JSON: the route's parser answers that, as it always has
    if found := next(unsafe_fields(walk(body)), None):
        return _unsafe(found)
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
    """The JSON value of ``data`` (strict UTF-8); :class:`TooDeep` when nested too deep,
    ValueError (UnicodeDecodeError, JSONDecodeError) when it is not JSON."""
    try:
        value = json.loads(data.decode())
    except RecursionError:
        raise TooDeep from None
    if _depth_exceeds(value, MAX_DEPTH):
        raise TooDeep
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return False


def walk(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a JSON value (keys too) as (field path, text), in document order."""
    stack = [(path, value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, str):
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
    return problem(
        422, "Unprocessable Content", "The request holds text that cannot be stored.", [field]
    )
