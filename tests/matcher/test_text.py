import pytest

from matcher.text import REPLACEMENT, scrub, unsafe_char


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
