"""Probable duplicates: the same person posted twice, the same need posted in two languages.

A person is the same when the contact details agree (e-mail, or phone number however it is
written), or when the name agrees and the profile does too (same municipality or mostly the
same skills). A need is the same when it is the same company's, of the same kind, in the same
municipality (either official name), with the same dates and mostly the same skills, compared
as vocabulary concepts so that a Finnish and a Swedish text of one need agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.domain import Jobseeker, Need
from matcher.geo import municipality_names
from matcher.taxonomy import ConceptMapper
from matcher.text import normalise

# Share of skill concepts two records must have in common (Jaccard) to count as the same: a
# need more than half (a welder wanted with other certificates is another need).
PERSON_OVERLAP = 0.5
NEED_OVERLAP = 0.6
MIN_PHONE_DIGITS = 6
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Duplicate:
    """A stored record that probably is the new one: its id, what agrees, and how much of
    the skills (0–1)."""

    id: str
    reasons: tuple[str, ...]
    similarity: float

    def to_dict(self) -> dict:
        return {"id": self.id, "reasons": list(self.reasons), "similarity": self.similarity}


def phone_key(phone: str) -> str:
    """A phone number as comparable digits: Finland's +358 or 00358 read as a leading 0;
    empty when too short to tell people apart."""
    digits = _NOT_DIGIT.sub("", phone)
    for prefix in ("00358", "358"):
        if phone.strip().startswith(("+", "00")) and digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :]
            break
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def concepts(mapper: ConceptMapper, phrases: Iterable[str]) -> frozenset[str]:
    """The vocabulary concepts found in ``phrases``, in any of the three languages."""
    return frozenset(hit.concept for phrase in phrases for hit in mapper.find(phrase))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The Jaccard share of two concept sets (0 when both are empty)."""
    union = a | b
    return round(len(a & b) / len(union), 3) if union else 0.0


def person_concepts(mapper: ConceptMapper, person: Jobseeker) -> frozenset[str]:
    """The concepts of a profile's skills, headline and job titles."""
    titles = [job.title for job in person.work_history]
    return concepts(mapper, [*person.skills, person.headline, *titles])


def need_concepts(mapper: ConceptMapper, need: Need) -> frozenset[str]:
    """The concepts of a need's title and skills."""
    return concepts(mapper, [need.title, *need.required_skills, *need.preferred_skills])


def same_person(mapper: ConceptMapper, new: Jobseeker, old: Jobseeker) -> Duplicate | None:
    """``old`` as a probable duplicate of ``new``, or None."""
    reasons = []
    if new.email and new.email.casefold() == old.email.casefold():
        reasons.append("email")
    if phone_key(new.phone) and phone_key(new.phone) == phone_key(old.phone):
        reasons.append("phone")
    if new.name and normalise(new.name) == normalise(old.name):
        reasons.append("name")
    if _same_place(new.municipality, old.municipality):
        reasons.append("municipality")
    similarity = overlap(person_concepts(mapper, new), person_concepts(mapper, old))
    if similarity >= PERSON_OVERLAP:
        reasons.append("skills")
    contact = {"email", "phone"} & set(reasons)
    profile = "name" in reasons and {"municipality", "skills"} & set(reasons)
    return Duplicate(old.id, tuple(reasons), similarity) if contact or profile else None


def same_need(mapper: ConceptMapper, new: Need, old: Need) -> Duplicate | None:
    """``old`` as a probable duplicate of ``new`` (e.g. the same need in another language),
    or None."""
    if (new.company_id, new.kind) != (old.company_id, old.kind):
        return None
    if not _same_place(new.municipality, old.municipality) or not _same_dates(new, old):
        return None
    similarity = overlap(need_concepts(mapper, new), need_concepts(mapper, old))
    if similarity < NEED_OVERLAP:
        return None
    return Duplicate(old.id, ("company", "municipality", "dates", "skills"), similarity)


def duplicates(matches: Sequence[Duplicate | None]) -> list[Duplicate]:
    """The probable duplicates found, the likeliest first (most reasons, then skills)."""
    found = [m for m in matches if m is not None]
    return sorted(found, key=lambda d: (-len(d.reasons), -d.similarity, d.id))


def _same_place(a: str, b: str) -> bool:
    return a == b or b in municipality_names(a)


def _same_dates(a: Need, b: Need) -> bool:
    """Dates agree where both needs give them."""
    pairs = ((a.start_date, b.start_date), (a.end_date, b.end_date))
    return all(x is None or y is None or x == y for x, y in pairs)
