"""Drafts from text: a pasted job ad becomes a proposed need, a CV a proposed profile.

Nothing here is decided: a :class:`Draft` holds a proposed body, what was recognised in the
text (each value with the words it came from) and which required fields are still missing,
for a person to confirm. Skills are the vocabulary's concepts found in the text (so an ad in
Finnish, Swedish or English proposes the same concepts), labelled in the text's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from matcher.geo import municipalities
from matcher.taxonomy import ENDINGS, ConceptMapper
from matcher.text import tokens

# Words that tell a text's language; the language with most of them wins (ties: Finnish).
LANGUAGE_WORDS = {
    "fi": frozenset(
        "ja on tai että sekä olet sinulla meille haemme etsimme työ työhön kanssa "
        "joka jolla hyvä osaat voit meillä tehtävä tehtäviin alkaen".split()
    ),
    "sv": frozenset(
        "och är att för med som vi söker du har till på av en ett det kan hos våra "
        "arbete tjänsten från".split()
    ),
    "en": frozenset(
        "and the we are you for with to of is in our will your have looking as an work from".split()
    ),
}
# Sentences with one of these words list what is an advantage, not a requirement.
PREFERENCE_WORDS = frozenset(
    "eduksi etua eduksesi toivomme arvostamme plussaa meriterande merit fördel önskvärt "
    "preferred advantage plus desirable bonus".split()
)
KIND_WORDS = {
    "apprenticeship": ("oppisopimu", "läroavtal", "apprentice"),
    "recruitment_training": (
        "rekrytointikoulutu",
        "rekryteringsutbildning",
        "recruitment training",
    ),
}
# A language named in a text, by the beginning of its word in Finnish, Swedish and English.
LANGUAGE_NAMES = {
    "fi": ("suome", "suomi", "finsk", "finnish"),
    "sv": ("ruotsi", "ruotsa", "svensk", "swedish"),
    "en": ("englan", "engelsk", "english"),
}
# Words that say how well a language is needed, as a CEFR level (else B1).
LEVEL_WORDS = {
    "native": ("äidinkiel", "modersmål", "native", "mother tongue"),
    "C1": ("sujuva", "erinomai", "flytande", "utmärkt", "fluent", "excellent"),
    "B2": ("hyvä", "hyvät", "god", "goda", "good"),
    "A2": ("perus", "tyydyttävä", "grundläggande", "basic"),
}
DEFAULT_LEVEL = "B1"
CEFR = re.compile(r"\b([ABC][12])\b")
START_WORDS = ("alkaen", "aloitus", "alkaa", "från", "start", "tillträde", "begin")
DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
DRIVING_WORDS = ("ajokortti", "körkort", "driving licence", "driver's licence", "driving license")
# Bounded parts (64 letters before the @, as mail allows) tried only where a run of such
# letters starts: unbounded, one long word without an @ took seconds (quadratic backtracking).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
PHONE = re.compile(r"(?:\+|\b0)\d[\d \-()]{5,20}\d")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
CLAUSE = re.compile(r"[,;:]")
SKILL_TYPES = ("skill", "licence", "tool")
MAX_TITLE = 120


@dataclass(frozen=True)
class Recognised:
    """A value proposed for a field, and the words of the text it was read from."""

    field: str
    value: Any
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "evidence": self.evidence}


@dataclass(frozen=True)
class Draft:
    """A proposed body (not validated, not stored), what was recognised, and the required
    fields the text did not give."""

    body: dict[str, Any]
    recognised: tuple[Recognised, ...] = ()
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "recognised": [r.to_dict() for r in self.recognised],
            "missing": list(self.missing),
        }


@dataclass
class Reading:
    """What is read out of a text, field by field, with the evidence of each value."""

    body: dict[str, Any] = field(default_factory=dict)
    recognised: list[Recognised] = field(default_factory=list)

    def put(self, name: str, value: Any, evidence: str) -> None:
        if value is False or value in (None, "", [], ()):
            return
        self.body[name] = value
        self.recognised = [r for r in self.recognised if r.field != name]
        self.recognised.append(Recognised(name, value, evidence))

    def draft(self, required: tuple[str, ...]) -> Draft:
        missing = tuple(name for name in required if not self.body.get(name))
        return Draft(self.body, tuple(self.recognised), missing)


def text_language(text: str) -> str:
    """The language of ``text`` among fi, sv and en, by its most common function words."""
    words = tokens(text)
    counts = {lang: sum(w in vocab for w in words) for lang, vocab in LANGUAGE_WORDS.items()}
    return max(counts, key=lambda lang: (counts[lang], lang == "fi"))


def draft_need(text: str, mapper: ConceptMapper, *, title: str = "") -> Draft:
    """A proposed need read from a job ad in Finnish, Swedish or English."""
    language = text_language(text)
    reading = Reading()
    reading.put("kind", _kind(text), "default" if _kind(text) == "vacancy" else _kind_word(text))
    first_line = title or next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = first_line if len(first_line) <= MAX_TITLE else occupation_in(text, mapper, language)
    reading.put("title", title, first_line[:MAX_TITLE])
    required, preferred = skills_in(text, mapper, language)
    reading.put("required_skills", [label for label, _ in required], evidence_of(required))
    reading.put("preferred_skills", [label for label, _ in preferred], evidence_of(preferred))
    _common(reading, text, language)
    reading.put("start_date", *_start_date(text))
    reading.put("description", text.strip()[:5000], "the text")
    return reading.draft(("title", "required_skills", "municipality"))


def draft_profile(text: str, mapper: ConceptMapper) -> Draft:
    """A proposed jobseeker profile read from a CV's text."""
    language = text_language(text)
    reading = Reading()
    name = _name(text)
    reading.put("name", name, name)
    if email := EMAIL.search(text):
        reading.put("email", email.group(), email.group())
    if phone := PHONE.search(text):
        reading.put("phone", phone.group().strip(), phone.group())
    headline = occupation_in(text, mapper, language)
    reading.put("headline", headline, headline)
    required, preferred = skills_in(text, mapper, language)
    found = required + preferred
    reading.put("skills", [label for label, _ in found], evidence_of(found))
    _common(reading, text, language)
    for entry in reading.body.get("languages", []):
        entry.pop("required")  # a need's notion, not a person's
    reading.put("summary", text.strip()[:5000], "the text")
    return reading.draft(("municipality",))


def _common(reading: Reading, text: str, language: str) -> None:
    """What ads and CVs share: languages, the municipality, a driving licence, the language."""
    languages = _languages(text)
    reading.put("languages", [lang for lang, _ in languages], "; ".join(w for _, w in languages))
    place = find_municipality(text)
    reading.put("municipality", place[0] if place else None, place[1] if place else "")
    folded = text.casefold()
    driving = next((w for w in DRIVING_WORDS if w in folded), None)
    reading.put("driving_licence", bool(driving), driving or "")
    reading.put("text_language", language, "the text's words")


def _kind(text: str) -> str:
    folded = text.casefold()
    for kind, words in KIND_WORDS.items():
        if any(word in folded for word in words):
            return kind
    return "vacancy"


def _kind_word(text: str) -> str:
    folded = text.casefold()
    return next(w for words in KIND_WORDS.values() for w in words if w in folded)


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(text) if s.strip()]


def skills_in(text: str, mapper: ConceptMapper, language: str):
    """Skill concepts of the text as (label in ``language``, words found), split into those
    required and those named in a sentence of preferences."""
    required: dict[str, tuple[str, str]] = {}
    preferred: dict[str, tuple[str, str]] = {}
    for sentence in _sentences(text):
        wanted = preferred if PREFERENCE_WORDS & set(tokens(sentence)) else required
        for hit in mapper.find(sentence, phrase=False):
            concept = mapper.vocabulary[hit.concept]
            if concept.type in SKILL_TYPES and hit.concept not in required:
                wanted.setdefault(hit.concept, (concept.label(language), hit.surface))
    preferred = {k: v for k, v in preferred.items() if k not in required}
    return list(required.values()), list(preferred.values())


def evidence_of(found: list[tuple[str, str]]) -> str:
    return "; ".join(words for _, words in found)


def occupation_in(text: str, mapper: ConceptMapper, language: str) -> str:
    """The first occupation named in the text, in ``language``, or an empty string."""
    # Sentence by sentence, as skills_in reads them: the mapper remembers each sentence.
    for sentence in _sentences(text):
        for hit in mapper.find(sentence, phrase=False):
            concept = mapper.vocabulary[hit.concept]
            if concept.type == "occupation":
                return concept.label(language)
    return ""


def _languages(text: str) -> list[tuple[dict[str, Any], str]]:
    """Languages named in the text with the level its sentence asks (CEFR, a level word, or
    B1), optional in a sentence of preferences; each with its sentence."""
    found: dict[str, tuple[dict[str, Any], str]] = {}
    for sentence in _sentences(text):
        for clause in CLAUSE.split(sentence):
            words = tokens(clause)
            optional = bool(PREFERENCE_WORDS & set(words))
            for code, starts in LANGUAGE_NAMES.items():
                if code not in found and any(w.startswith(starts) for w in words):
                    level = _level(clause) or _level(sentence) or DEFAULT_LEVEL
                    entry = {"language": code, "level": level, "required": not optional}
                    found[code] = (entry, clause.strip()[:200])
    return list(found.values())


def _level(text: str) -> str | None:
    """The level a text names: a CEFR level, or a word for one."""
    if cefr := CEFR.search(text):
        return cefr.group(1)
    words = tokens(text)
    joined = " ".join(words)
    for level, starts in LEVEL_WORDS.items():
        if any(w.startswith(starts) for w in words) or any(s in joined for s in starts if " " in s):
            return level
    return None


def find_municipality(text: str) -> tuple[str, str] | None:
    """The first municipality named in the text (a capitalised word, inflected or not): its
    official name and the word."""
    table = municipalities()
    for word in re.findall(r"\b[A-ZÅÄÖ][\w-]{2,}", text):
        for base in _bases(word):
            if base in table:
                return table.canonical(base), word
    return None


def _bases(word: str) -> list[str]:
    """A word and its forms without a case ending (``Vaasassa`` → ``Vaasa``)."""
    forms = [word]
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.append(word[: -len(ending)])
    return forms


def _start_date(text: str) -> tuple[str | None, str]:
    """A date in a sentence that tells when the work starts, as ISO, and the sentence."""
    for sentence in _sentences(text):
        if any(word in sentence.casefold() for word in START_WORDS):
            if date := _date(sentence):
                return date, sentence.strip()[:200]
    return None, ""


def _date(sentence: str) -> str | None:
    match = DATE.search(sentence)
    if not match:
        return None
    if match.group(1):
        year, month, day = (int(g) for g in match.group(1, 2, 3))
    else:
        day, month, year = (int(g) for g in match.group(4, 5, 6))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _name(text: str) -> str:
    """A CV's first line when it reads as a name: two to four capitalised words."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    words = first.split()
    if 2 <= len(words) <= 4 and all(
        w[:1].isupper() and w.replace("-", "").isalpha() for w in words
    ):
        return first
    return ""
