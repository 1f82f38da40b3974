"""Text normalisation shared by the skill vocabulary and the skill features.

People write skills in Finnish, Swedish and English, inflected, compounded and with typos.
This module turns such text into comparable keys: case-folded tokens, and stems from the
Snowball stemmers of all three languages (the language of a phrase is not known reliably).
"""

from __future__ import annotations

import functools
import re
import unicodedata

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


# Characters that cannot be stored and read back everywhere: lone UTF-16 surrogates (not
# encodable as UTF-8), NUL (PostgreSQL text refuses it), the other C0/C1 controls except tab,
# line feed and carriage return, and the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF.
UNSAFE_PATTERN = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
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
