"""The candidate list's comparison table: one short row per candidate, and the hard
requirements its near-misses can be filtered by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.domain import Need
from service.web.i18n import language_name, name_of, requirement_name


def comparison(item: Mapping[str, Any], need: Need) -> dict[str, Any]:
    """What a row of the table shows of a candidate: the strongest evidence, what is missing
    (unmet hard requirements, then required skills not found), when they can start compared
    with the need's start, and their languages, those the need asks for first."""
    explanation, candidate = item["explanation"], item["candidate"]
    return {
        "evidence": strongest(explanation["matched_skills"]),
        "missing": missing(explanation),
        "available_from": candidate.get("available_from"),
        "late": _late(candidate.get("available_from"), need),
        "languages": _languages(candidate.get("languages", []), need),
        "distance_km": candidate.get("distance_km"),
    }


def strongest(matched: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The matched skill with the highest similarity (the first of equals)."""
    return max(matched, key=lambda m: m["similarity"], default=None)


def missing(explanation: Mapping[str, Any]) -> list[str]:
    """The names of what a candidate lacks: each unmet hard requirement, then each required
    skill of the need not found in the profile."""
    unmet = [requirement_name(r["field"]) for r in explanation["unmet_requirements"]]
    skills = [m["need_skill"] for m in explanation["missing_skills"] if m["required"]]
    return list(dict.fromkeys(unmet + skills))


def _late(available_from, need: Need) -> bool:
    return bool(available_from and need.start_date and available_from > need.start_date)


def _languages(held: list[Mapping[str, str]], need: Need) -> list[dict[str, Any]]:
    asked = {s.language: s.level for s in need.languages}
    ordered = sorted(held, key=lambda s: s["language"] not in asked)
    return [
        {
            "name": language_name(s["language"]),
            "level": name_of(s["level"], "level"),
            "asked": s["language"] in asked,
        }
        for s in ordered
    ]


def unmet_choices(need: Need, company: bool) -> list[tuple[str, str]]:
    """The hard requirements of ``need`` a near-miss can lack, as ``(field, name)`` for the
    filter (a company names work permit and work demands only as one neutral requirement)."""
    fields = [f"languages.{s.language}" for s in need.languages if s.required]
    fields += ["municipality"]
    if need.start_date:
        fields.append("available_from")
    if need.driving_licence:
        fields.append("driving_licence")
    if need.must_have_skills:
        fields.append("must_have_skills")
    if company:
        fields.append("requirement")
    else:
        fields += ["work_permit", *(["work_demands"] if need.work_demands else [])]
    return [(field, requirement_name(field)) for field in fields]
