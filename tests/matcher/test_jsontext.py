"""Reading JSON within bounds: nesting, number length, UTF-8."""

from __future__ import annotations

import pytest

from matcher.jsontext import MAX_DEPTH, MAX_DIGITS, UnreadableJSON, json_value, nested_deeper


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": [1, -2, 3.5, null, true, "x"]}', {"a": [1, -2, 3.5, None, True, "x"]}),
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
        ("-" + "9" * MAX_DIGITS, -int("9" * MAX_DIGITS)),
        ("[" * MAX_DEPTH + "]" * MAX_DEPTH, json_value("[" * MAX_DEPTH + "]" * MAX_DEPTH)),
        ('"sm\u00f6rg\u00e5s"'.encode(), "sm\u00f6rg\u00e5s"),
    ],
)
def test_json_within_the_bounds_reads_as_json(text, value):
    assert json_value(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_000, "nested deeper than 64"),
        ("[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), "nested deeper than 64"),
        ('{"a":' * 100_000, "nested deeper than 64"),
        ("9" * 5000, "a number of 5000 digits (at most 100)"),
        ('{"n": -' + "1" * (MAX_DIGITS + 1) + "}", "a number of 101 digits (at most 100)"),
        (b'{"a": "\xff"}', "invalid UTF-8 at byte 7"),
        ("{'a': 1}", "invalid JSON (Expecting property name enclosed in double quotes)"),
        ("", "invalid JSON (Expecting value)"),
    ],
)
def test_json_past_the_bounds_is_an_error_saying_why(text, reason):
    with pytest.raises(UnreadableJSON) as raised:
        json_value(text)
    assert raised.value.reason == reason


def test_nesting_is_measured_without_recursion():
    value: list = []
    for _ in range(100_000):
        value = [value]
    assert nested_deeper(value, MAX_DEPTH)
    assert not nested_deeper([[{"a": [1]}]], 4)
    assert nested_deeper([[{"a": [1]}]], 3)
