"""Text normalisation shared by the skill vocabulary and the skill features.

People write skills in Finnish, Swedish and English, inflected, compounded and with typos.
This module turns such text into comparable keys: case-folded tokens, and stems from the
Snowball stemmers of all three languages (the language of a phrase is not known reliably).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import snowballstemmer

_TOKEN = re.compile(r"[^\W_]+(?:[+#]+)?", re.UNICODE)
_STEMMERS = {
    "fi": snowballstemmer.stemmer("finnish"),
    "sv": snowballstemmer.stemmer("swedish"),
    "en": snowballstemmer.stemmer("english"),
}
# Finnish consonant gradation leaves -uks-/-iks- stems where the base form has -us/-is
# ("hitsauksessa" stems to "hitsauks", "hitsaus" to "hitsaus").
_FI_GRADATION = re.compile(r"([aeiouyäö])ks$")

STOPWORDS = frozenset(
    """
    ja tai sekä on ole oli olen ollut olin myös kuin että joka jotka jossa mutta ei en
    vuotta vuoden vuosi kokemus kokemusta hyvä hyvät erittäin osaan osaaminen työ työt
    och eller samt är var har hade också som att men inte jag år erfarenhet god goda
    kunskap arbete med på av för till i en ett den det de
    and or the a an of in on at for to with as is are was have has had also years year
    experience good very skills skill work working knowledge from by my i
    """.split()
)


def fold(text: str) -> str:
    """Case-fold and compose ``text`` (keeps å, ä, ö: they distinguish words)."""
    return unicodedata.normalize("NFC", text).casefold()


def tokens(text: str) -> list[str]:
    """Word tokens of ``text``, case-folded; hyphens and slashes split words."""
    return _TOKEN.findall(fold(text))


def normalise(text: str) -> str:
    """The canonical key of a phrase: its tokens joined by single spaces."""
    return " ".join(tokens(text))


@functools.lru_cache(maxsize=200_000)
def stems(token: str) -> tuple[str, ...]:
    """Distinct stems of ``token`` under the Finnish, Swedish and English stemmers."""
    out = []
    for language, stemmer in _STEMMERS.items():
        stem = stemmer.stemWord(token)
        if language == "fi":
            stem = _FI_GRADATION.sub(r"\1s", stem)
        if len(stem) >= 3 and stem not in out:
            out.append(stem)
    return tuple(out) or (token,)


@functools.lru_cache(maxsize=500_000)
def stem(token: str, language: str) -> str:
    """Stem of ``token`` in one language (used to index vocabulary labels)."""
    result = _STEMMERS[language].stemWord(token)
    if language == "fi":
        result = _FI_GRADATION.sub(r"\1s", result)
    return result if len(result) >= 3 else token


# Characters that cannot be stored and read back everywhere, as inclusive code-point ranges:
# NUL (PostgreSQL text refuses it) and the other C0/C1 controls except tab, line feed and
# carriage return, lone UTF-16 surrogates (not encodable as UTF-8), and the noncharacters
# U+FDD0–U+FDEF and U+xFFFE/U+xFFFF. Both patterns below are built from this one table.
UNSAFE_RANGES = (
    (0x00, 0x08),
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x7F, 0x9F),
    (0xD800, 0xDFFF),
    (0xFDD0, 0xFDEF),
    *((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF) for plane in range(17)),
)
UNSAFE_PATTERN = "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in UNSAFE_RANGES) + "]"
# The same for ASCII text alone: a class of a few ranges, which ``re`` scans many times faster
# than the whole table (stored JSON is mostly ASCII, every non-ASCII letter escaped).
UNSAFE_ASCII_PATTERN = (
    "["
    + "".join(f"\\x{lo:02x}-\\x{min(hi, 0x7F):02x}" for lo, hi in UNSAFE_RANGES if lo <= 0x7F)
    + "]"
)


def _hex_span(lo: int, hi: int, width: int) -> list[str]:
    """Regexes that together match the ``width``-digit hex numerals from ``lo`` to ``hi``."""
    if width == 0:
        return [""]
    step = 16 ** (width - 1)
    first, last = lo // step, hi // step
    if first == last:
        return [f"{first:x}{rest}" for rest in _hex_span(lo % step, hi % step, width - 1)]
    head, tail = [], []
    if lo % step:
        head = [f"{first:x}{rest}" for rest in _hex_span(lo % step, step - 1, width - 1)]
        first += 1
    if hi % step != step - 1:
        tail = [f"{last:x}{rest}" for rest in _hex_span(0, hi % step, width - 1)]
        last -= 1
    middle = [_hex_digits(first, last) + "[0-9a-f]" * (width - 1)] if first <= last else []
    return head + middle + tail


def _hex_digits(first: int, last: int) -> str:
    digits = "".join(f"{d:x}" for d in range(first, last + 1))
    return digits if len(digits) == 1 else f"[{digits}]"


# The JSON escape (``\\uXXXX``, any case) of an unsafe character: characters beyond U+FFFF are
# escaped as surrogate pairs, which the surrogate range matches.
UNSAFE_ESCAPE_PATTERN = (
    r"(?i:\\u(?:"
    + "|".join(
        span for lo, hi in UNSAFE_RANGES if hi <= 0xFFFF for span in _hex_span(lo, hi, 4)
    )
    + "))"
)
_UNSAFE = re.compile(UNSAFE_PATTERN)
REPLACEMENT = "\ufffd"


def unsafe_char(text: str) -> str | None:
    """The first character of ``text`` that may not be stored, or None when all are safe.

    Unsafe are lone surrogates, NUL and the other control characters except tab, line feed
    and carriage return, and Unicode noncharacters.
    """
    found = _UNSAFE.search(text)
    return found.group() if found else None


def unsafe_reason(char: str) -> str:
    """Why ``char`` (one unsafe character) is refused, naming its code point."""
    return f"contains the character U+{ord(char):04X}, which cannot be stored"


def scrub(text: str) -> str:
    """``text`` with every unsafe character replaced by U+FFFD (for reading old rows)."""
    return _UNSAFE.sub(REPLACEMENT, text)


def scrubbed(value: Any) -> Any:
    """A JSON value with every text (keys too) :func:`scrub`-bed."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub(k): scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    return value
