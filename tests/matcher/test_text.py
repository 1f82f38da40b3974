import json
import re

import pytest

from matcher.text import (
    REPLACEMENT,
    UNSAFE_ASCII_PATTERN,
    UNSAFE_ESCAPE_PATTERN,
    UNSAFE_PATTERN,
    UNSAFE_RANGES,
    scrub,
    unsafe_char,
)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("plain", None),
        ("tab\tline\nreturn\r", None),
        ("ä ö å € 😀 \u2028 \ufffd", None),
        ("lone \ud800 surrogate", "\ud800"),
        ("low \udfff", "\udfff"),
        ("nul \x00", "\x00"),
        ("escape \x1b and \x1c", "\x1b"),
        ("delete \x7f", "\x7f"),
        ("c1 \x85", "\x85"),
        ("nonchar \ufffe", "\ufffe"),
        ("nonchar \ufdd0", "\ufdd0"),
        ("last plane \U0010ffff", "\U0010ffff"),
    ],
)
def test_unsafe_char_finds_the_first_unsafe_character(text, first):
    assert unsafe_char(text) == first


def test_scrub_replaces_every_unsafe_character_and_keeps_the_rest():
    assert scrub("a\ud800b\x00c\ttä") == f"a{REPLACEMENT}b{REPLACEMENT}c\ttä"


def _boundaries():
    """The first and last code point of each unsafe range, and their safe neighbours."""
    unsafe = {c for lo, hi in UNSAFE_RANGES for c in (lo, hi)}
    around = {c for lo, hi in UNSAFE_RANGES for c in (lo - 1, hi + 1) if 0 <= c <= 0x10FFFF}
    return sorted(unsafe), sorted(around - {c for c in around if unsafe_char(chr(c))})


UNSAFE_EDGES, SAFE_EDGES = _boundaries()


@pytest.mark.parametrize("code", UNSAFE_EDGES, ids=hex)
def test_both_patterns_match_each_unsafe_range_boundary(code):
    char = chr(code)
    assert re.fullmatch(UNSAFE_PATTERN, char)
    for escaped in (_escape(char, "{:04x}"), _escape(char, "{:04X}")):
        assert json.loads(f'"{escaped}"') == char
        assert re.match(UNSAFE_ESCAPE_PATTERN, escaped)


@pytest.mark.parametrize("code", SAFE_EDGES, ids=hex)
def test_neither_pattern_matches_the_safe_neighbour_of_a_boundary(code):
    char = chr(code)
    assert not re.search(UNSAFE_PATTERN, char)
    if code <= 0xFFFF:
        assert not re.search(UNSAFE_ESCAPE_PATTERN, _escape(char, "{:04x}"))


def _escape(char: str, digits: str) -> str:
    """``char`` as JSON ``\\u`` escapes (a surrogate pair beyond U+FFFF)."""
    units = char.encode("utf-16-be", "surrogatepass")
    codes = (int.from_bytes(units[i : i + 2]) for i in range(0, len(units), 2))
    return "".join("\\u" + digits.format(code) for code in codes)


def test_the_ascii_pattern_finds_exactly_the_unsafe_ascii_characters():
    narrow, whole = re.compile(UNSAFE_ASCII_PATTERN), re.compile(UNSAFE_PATTERN)
    for code in range(0x80):
        assert bool(narrow.fullmatch(chr(code))) == bool(whole.fullmatch(chr(code))), code
    assert narrow.fullmatch("\x00") and not narrow.fullmatch("\t")
