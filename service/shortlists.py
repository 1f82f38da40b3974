"""From a ranked list to a placement: shortlists, company feedback, a person's freshness.

A recruiter picks people from a need's ranked list, in any order and with a note each, signs
the list off (the scores and explanations are kept as they were then) and sends it to the
company. A company reads only the shortlists sent to it: each person by a pseudonym, by name
and contact details only once the person consented to share them with that company. Its
feedback becomes an outcome, which the fairness report, ``matcher train`` and the programme
report read; a hire or a start also places the person (:mod:`service.storage_shortlists`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import marshmallow as ma

from matcher.domain import relabelled
from matcher.exceptions import InvalidInput
from service import storage_shortlists as lists
from service.matching import Services, explained, for_company, placed_now, viewer_of
from service.storage import Principal, utcnow

FEEDBACK_DECISIONS = ("interview", "hired", "not_selected")
# Job-relevant reasons only; "other" needs words, which staff review.
FEEDBACK_REASONS = ("skills", "language_level", "availability", "experience", "location", "other")
CONTACT_CHANNELS = ("phone", "email", "meeting", "message")
CONTACT_RESULTS = ("reached", "no_answer", "interested", "not_interested", "unavailable")
# What a hire means for each kind of need.
HIRED_AS = {
    "vacancy": "hired",
    "apprenticeship": "apprenticeship_started",
    "recruitment_training": "training_started",
}
DECISION_OUTCOMES = {"interview": "interviewed", "not_selected": "rejected_by_company"}

# Words (fi, sv, en; stems where words inflect) naming a protected attribute or a group that
# stands for one: age, sex or gender, pregnancy, ethnicity or origin, nationality, health or
# disability, religion. Feedback that names one is refused, whatever its reason.
PROTECTED_WORDS = re.compile(
    r"\b("
    r"age[ds]?|old|older|elderly|young|younger|youth|gender|sex|female|male|wom[ae]n|"
    r"pregnan\w*|maternity|ethnic\w*|race|racial|origin|nationality|foreign\w*|"
    r"immigra\w*|native|health\w*|sick\w*|ill|illness|disab\w*|religio\w*|muslim|"
    r"ikä\w*|iäk\w*|nuor\w*|vanh\w*|nai(?:nen|s\w*)|mie(?:s|he\w*)|sukupuol\w*|raska\w*|"
    r"etni\w*|alkuperä\w*|kansallisuu\w*|ulkomaala\w*|maahanmuut\w*|tervey\w*|sairau\w*|"
    r"sairas\w*|vamma\w*|vammai\w*|uskon\w*|"
    r"ålder\w*|äldre|gammal|ung|unga|kvinn\w*|manlig|kön|gravid\w*|etnisk\w*|ursprung\w*|"
    r"nationalitet\w*|utländsk\w*|invandr\w*|hälsa\w*|sjuk\w*|funktionsneds\w*|religi\w*"
    r")\b",
    re.IGNORECASE,
)


def no_protected_attribute(text: str) -> None:
    """Refuse text that names a protected attribute (a marshmallow validator)."""
    if found := PROTECTED_WORDS.search(text or ""):
        raise ma.ValidationError(
            f"Feedback must give job-relevant reasons only; {found.group(0)!r} names a "
            "protected attribute (age, sex, origin, nationality, health, religion)."
        )


def outcome_of(decision: str, need_kind: str) -> str:
    """The outcome a company's decision stands for, for a need of ``need_kind``."""
    return HIRED_AS[need_kind] if decision == "hired" else DECISION_OUTCOMES[decision]


# -- building, signing, sending ------------------------------------------------------------------


def checked_entries(
    services: Services, entries: Sequence[dict], stale_days: int
) -> list[tuple[str, str]]:
    """The ``(jobseeker_id, note)`` pairs of a shortlist, each person checked: they exist, are
    active, not placed now, and their profile is not stale. :class:`InvalidInput` naming the
    entry otherwise."""
    ids = [e["jobseeker_id"] for e in entries]
    people = services.store.jobseekers_by_id(ids)
    active = lists.active_ids(services.store, ids)
    confirmed = lists.last_confirmed(services.store, ids)
    placed = placed_now(services, ids)
    cutoff = utcnow() - dt.timedelta(days=stale_days)
    for n, person_id in enumerate(ids):
        field = f"entries[{n}].jobseeker_id"
        if person_id not in people:
            raise InvalidInput("no such jobseeker", field=field)
        if person_id not in active:
            raise InvalidInput("the jobseeker is archived", field=field)
        if person_id in placed:
            raise InvalidInput(f"the jobseeker is {placed[person_id]['status']}", field=field)
        if confirmed[person_id] < cutoff:
            raise InvalidInput(
                f"the profile is stale (not confirmed for {stale_days} days): confirm it first",
                field=field,
            )
    return [(e["jobseeker_id"], e["note"]) for e in entries]


def snapshots(services: Services, shortlist: dict, language: str = "en") -> dict[int, dict]:
    """Each entry's score and explanation for the shortlist's need, as they are now."""
    need, _ = services.store.need(shortlist["need_id"])
    people = services.store.jobseekers_by_id([e["jobseeker_id"] for e in shortlist["entries"]])
    out = {}
    for entry in shortlist["entries"]:
        match = services.scorer.match(need, people[entry["jobseeker_id"]], language)
        out[entry["position"]] = {
            "score": float(match.score),
            "excluded": bool(match.excluded),
            # With its concepts' ids, so that it reads in any language (:func:`shaped`).
            "explanation": match.explanation.to_stored(),
        }
    return out


# -- reading: staff and company views ------------------------------------------------------------


def shaped(
    services: Services,
    principal: Principal,
    shortlist: dict,
    language: str | None = None,
    concepts: str = "en",
) -> dict[str, Any]:
    """A shortlist as ``principal`` may read it: staff see everything; a company sees each
    person by a pseudonym, by name and contact details once they consented to share them,
    and explanations without the person's own words or health and eligibility detail
    (their reasons also as sentences in ``language``, when given). Skills are named by
    their concepts in ``language``, else in ``concepts`` (a page's language); an entry kept
    before explanations carried their concepts' ids reads as it was kept."""
    labels = services.concept_labels(language or concepts).__getitem__
    company = principal.role == "company"
    ids = [e["jobseeker_id"] for e in shortlist["entries"]]
    people = services.store.jobseekers_by_id(ids)
    consent = lists.consented(services.store, shortlist["company_id"], ids)
    feedback = lists.shortlist_feedback(services.store, shortlist["id"])
    viewer = viewer_of(principal)
    entries = []
    for entry in shortlist["entries"]:
        person = people[entry["jobseeker_id"]]
        shown = not company or person.id in consent
        explanation = entry["explanation"]
        if explanation is not None and "concept_ids" in explanation:
            explanation = relabelled(explanation, labels)
        if company and explanation is not None:
            explanation = for_company(explanation)
        if language and explanation is not None:
            explanation = explained(explanation, language)
        entries.append(
            {
                "position": entry["position"],
                "person": {
                    "id": None if company else person.id,
                    "ref": services.candidate_ref(viewer, shortlist["need_id"], person.id),
                    "name": (person.name or None) if shown else None,
                    "email": (person.email or None) if shown else None,
                    "phone": (person.phone or None) if shown else None,
                    "municipality": person.municipality,
                    "consented": person.id in consent,
                },
                "note": entry["note"],
                "score": entry["score"],
                "excluded": entry["excluded"],
                "explanation": explanation,
                "feedback": feedback.get(entry["position"], []),
            }
        )
    signed_by = shortlist["signed_by"]
    if company and signed_by:
        signed_by = {"token_id": None, "label": signed_by["label"]}
    return {**shortlist, "signed_by": signed_by, "entries": entries}


def freshness(services: Services, jobseeker_id: str, stale_days: int) -> dict[str, Any]:
    """When a person's profile was last confirmed, and whether it is stale now."""
    confirmed = lists.last_confirmed(services.store, [jobseeker_id])[jobseeker_id]
    stale = confirmed < utcnow() - dt.timedelta(days=stale_days)
    return {"last_confirmed": confirmed, "stale": stale, "stale_after_days": stale_days}


def person_history(services: Services, jobseeker_id: str, stale_days: int) -> dict[str, Any]:
    """A person's history after the rankings, with their status now and freshness."""
    history = lists.history(services.store, jobseeker_id)
    now = lists.placed(services.store, utcnow().date(), [jobseeker_id]).get(jobseeker_id)
    return {
        "jobseeker_id": jobseeker_id,
        "status": now,
        "freshness": freshness(services, jobseeker_id, stale_days),
        **history,
    }
