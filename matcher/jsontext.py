"""Reading JSON that anyone may have written: files given to the command line, text pasted
into a draft, a vocabulary to merge.

:func:`json_value` is :func:`json.loads` with two bounds that the standard parser lacks, so
that hostile text is an error saying what is wrong rather than a crash: nesting deeper than
:data:`MAX_DEPTH` (the parser recurses, and past about a thousand levels raises
``RecursionError``), and integers longer than :data:`MAX_DIGITS` (past 4,300 digits Python
refuses to read one at all, with a message about its own settings).
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64
# No field takes a number near this long.
MAX_DIGITS = 100


class UnreadableJSON(ValueError):
    """Text that is not JSON within the bounds; ``reason`` says why, for a reader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def json_value(text: str | bytes) -> Any:
    """The JSON value of ``text`` (bytes must be UTF-8).

    Raises
    ------
    UnreadableJSON
        When it is not JSON, is not UTF-8, is nested deeper than :data:`MAX_DEPTH` or holds
        an integer of more than :data:`MAX_DIGITS` digits.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        value = json.loads(text, parse_int=_integer)
    except UnicodeDecodeError as error:
        raise UnreadableJSON(f"invalid UTF-8 at byte {error.start}") from None
    except RecursionError:
        raise UnreadableJSON(f"nested deeper than {MAX_DEPTH}") from None
    except json.JSONDecodeError as error:
        raise UnreadableJSON(f"invalid JSON ({error.msg})") from None
    if nested_deeper(value, MAX_DEPTH):
        raise UnreadableJSON(f"nested deeper than {MAX_DEPTH}")
    return value


def _integer(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_DIGITS:
        raise UnreadableJSON(f"a number of {digits} digits (at most {MAX_DIGITS})")
    return int(literal)


def nested_deeper(value: Any, limit: int, children=None) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (without recursing): a JSON value's
    objects and arrays, or any tree whose nodes' ``children(node)`` are given (an XML
    element's, say)."""
    children = children or _json_children
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children(item))
    return False


def _json_children(item: Any):
    if isinstance(item, dict):
        return item.values()
    return item if isinstance(item, list) else ()
