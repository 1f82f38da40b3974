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
