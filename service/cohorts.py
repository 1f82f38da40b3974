"""Cohorts and proposals as the API and the pages serve them: one place that reads, solves,
stores and audit-logs, so both give the same answers.

A cohort is chosen among the need's eligible candidates as the live ranking scores them;
proposals are the latest complete run's allocation (:mod:`service.allocation`), served beside
the need's ranking with, for each of its candidates proposed elsewhere, where.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from matcher.cohort import Candidate, Constraints, build, relocating
from matcher.domain import Need
from service import storage_cohorts as stored
from service.matching import Services
from service.storage import Principal


def constraints_from(body: Mapping[str, Any]) -> Constraints:
    """The solver's constraints from a validated request body."""
    minimum = body.get("min_language") or {}
    return Constraints(
        reserves=body.get("reserves", 0),
        language=minimum.get("language"),
        level=minimum.get("level"),
        start_by=body.get("start_by"),
        max_relocating=body.get("max_relocating"),
        fixed=frozenset(body.get("fixed", ())),
        excluded=frozenset(body.get("excluded", ())),
    )


def eligible(services: Services, need: Need) -> list[Candidate]:
    """The need's candidates who meet its hard requirements, as the live ranking scores them."""
    engine = services.engine()
    ranked = engine.rank(need)
    keep = np.flatnonzero(~ranked.excluded)
    people = [engine.people[r] for r in ranked.rows[keep]]
    return [
        Candidate(person, float(score), relocating(need, person))
        for person, score in zip(people, ranked.scores[keep], strict=True)
    ]


def solve(
    services: Services, principal: Principal, need: Need, body: Mapping[str, Any]
) -> dict[str, Any]:
    """Solve the need's cohort under the body's constraints, store it in place of the last
    one, audit-log it, and return it with the people's names."""
    constraints = constraints_from(body)
    taken = stored.placed_elsewhere(services.store, need.id)
    cohort = build(need, eligible(services, need), constraints, taken=taken)
    detail = {"seats": len(cohort.seats), "reserves": len(cohort.reserves)}
    saved = stored.save_cohort(services.store, cohort, _plain(body), principal, detail)
    return with_names(services, saved)


def read(services: Services, principal: Principal, need: Need) -> dict[str, Any]:
    """The need's stored cohort, the read audit-logged."""
    cohort = stored.read_cohort(services.store, need.id)
    services.store.audit(principal, "cohort.read", f"need:{need.id}")
    return with_names(services, cohort)


def with_names(services: Services, cohort: dict[str, Any]) -> dict[str, Any]:
    """``cohort`` with each member's name and municipality (staff read cohorts)."""
    groups = ("seats", "reserves", "near_misses")
    ids = [m["jobseeker_id"] for g in groups for m in cohort[g]]
    people = services.people(ids)
    for group in groups:
        for member in cohort[group]:
            person = people.get(member["jobseeker_id"])
            member["name"] = person.name if person else ""
            member["municipality"] = person.municipality if person else ""
    return cohort


def _plain(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body as JSON values (dates as ISO text, sets as sorted lists)."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, list | tuple | set | frozenset):
            value = sorted(value)
        out[key] = value
    return out


def need_proposals(services: Services, principal: Principal, need: Need) -> dict[str, Any]:
    """The latest run's proposals for ``need``, and for every candidate on its stored list
    who is proposed for other needs instead, those needs (audit-logged as a list read)."""
    run = services.store.latest_run()
    services.store.audit(principal, "proposals.read", f"need:{need.id}")
    if run is None:
        return {"run_id": None, "proposed": [], "proposed_elsewhere": []}
    proposed = stored.need_proposals(services.store, run["id"], need.id)
    listed = [c["jobseeker_id"] for c in services.store.run_candidates(run["id"], need.id)]
    here = {p["jobseeker_id"] for p in proposed}
    others = stored.proposals_of(services.store, run["id"], [i for i in listed if i not in here])
    titles = stored.need_titles(services.store, [p["need_id"] for v in others.values() for p in v])
    elsewhere = [
        {
            "jobseeker_id": person,
            "needs": [{**p, "title": titles.get(p["need_id"], "")} for p in needs],
        }
        for person, needs in others.items()
        if needs
    ]
    return {"run_id": run["id"], "proposed": proposed, "proposed_elsewhere": elsewhere}


def person_proposals(services: Services, principal: Principal, jobseeker_id: str) -> dict:
    """A person's proposals in the latest run, and how often they were proposed in the kept
    runs (audit-logged, the person named by a pseudonym)."""
    services.store.audit(principal, "proposals.read", services.person_ref(jobseeker_id))
    run = services.store.latest_run()
    proposals = []
    if run is not None:
        proposals = stored.proposals_of(services.store, run["id"], [jobseeker_id])[jobseeker_id]
    titles = stored.need_titles(services.store, [p["need_id"] for p in proposals])
    return {
        "run_id": run["id"] if run else None,
        "proposals": [{**p, "title": titles.get(p["need_id"], "")} for p in proposals],
        "exposure": stored.exposure(services.store, jobseeker_id).get(jobseeker_id, 0),
        "runs": stored.proposed_runs(services.store),
    }
