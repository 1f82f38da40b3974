"""What a reader of a Finnish or Swedish page or explanation must never see: the library's
English sentences (the literal parts of its templates) and the domain's raw codes."""

from __future__ import annotations

import re

from matcher.domain import EDUCATION_LEVELS, NEED_KINDS, WORK_DEMANDS
from matcher.reasons import ENGLISH
from matcher.weights import FEATURES
from service.web.explain import SENTENCES

# The fields unmet hard requirements are about, as the API names them (those that are no word).
REQUIREMENT_FIELDS = {
    "available_from",
    "driving_licence",
    "work_permit",
    "work_permit_expires",
    "work_demands",
    "must_have_skills",
}
PARAMETER = re.compile(r"\{[^}]*\}|%\(\w+\)s")


def english_fragments() -> list[str]:
    """The literal parts of the library's English templates and of the service's English
    sources for them that are two words or more (one word may be a name, or the same word in
    Finnish or Swedish)."""
    parts = set()
    for template in [*ENGLISH.values(), *SENTENCES.values()]:
        for part in PARAMETER.split(template):
            part = part.strip(" .,:;()'+“”?")
            if " " in part and re.search(r"[A-Za-z]{3}", part):
                parts.add(part)
    return sorted(parts)


def raw_codes() -> list[str]:
    """Codes a reader must not meet: feature names, kinds of need, work demands and
    education levels with an underscore, and the reasons' own codes."""
    codes = set(FEATURES) | set(NEED_KINDS) | set(ENGLISH) | set(SENTENCES) | REQUIREMENT_FIELDS
    codes |= {c for c in (*WORK_DEMANDS, *EDUCATION_LEVELS) if "_" in c}
    return sorted(codes)


def english_left(text: str) -> list[str]:
    """The library's English sentence parts found in ``text``."""
    return [p for p in english_fragments() if _has(text, p)]


def codes_left(text: str) -> list[str]:
    """The raw codes found in ``text`` as words of their own."""
    return [c for c in raw_codes() if _has(text, c)]


def _has(text: str, part: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text, flags=re.I) is not None
