"""The reports an employment office shows an auditor and its funders: fairness and outcomes.

The fairness report ranks every open need's candidates with the live engine (the people it
scores in full, up to its pool per need), applies the recruiters' pins and hides to get the
shortlist actually shown, and compares self-reported groups with :mod:`matcher.fairness`.
Self-reports are read here and nowhere in scoring.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from matcher.domain import NEED_KINDS, SERVICE_PATHS
from matcher.fairness import FOUR_FIFTHS, above_median, impact_ratios, rates_table
from matcher.learning import Outcome, latest_outcomes
from service import storage_cohorts, storage_shortlists
from service.matching import Services
from service.storage import SELF_REPORT_FIELDS, utcnow

SUCCESSES = ("hired", "apprenticeship_started", "training_started")


def fairness_report(services: Services, top_n: int = 20, min_people: int = 30) -> dict[str, Any]:
    """Impact ratios per self-reported attribute, overall and per need kind, on scores (share
    above the median), on the shortlist shown (first ``top_n``) and on recorded outcomes."""
    scored = _scored_pairs(services, top_n)
    outcomes = _latest_outcomes(services)
    exposure = _exposure(services)
    reports = services.store.self_reports()
    attributes, flags = {}, []
    for attribute in SELF_REPORT_FIELDS:
        by_slice = {}
        for name in ("overall", *NEED_KINDS):
            by_slice[name] = _slice(scored, outcomes, reports, attribute, name, min_people)
            if name == "overall" and len(exposure["person"]):
                by_slice[name]["exposure"] = _exposure_rates(
                    exposure, reports, attribute, min_people
                )
            flags += [
                f"{attribute} / {name} / {measure}: {row['group']} has impact ratio "
                f"{row['impact_ratio']}"
                for measure, rows in by_slice[name].items()
                if isinstance(rows, list)
                for row in rows
                if row["flagged"]
            ]
        attributes[attribute] = by_slice
    return {
        "generated_at": utcnow(),
        "top_n": top_n,
        "threshold": FOUR_FIFTHS,
        "min_people": min_people,
        "scored_pairs": len(scored["kind"]),
        "self_reported_people": len(reports),
        "attributes": attributes,
        "flags": flags,
        "method": (
            "Impact ratio = a group's selection rate / the most favoured group's rate (NYC "
            "Local Law 144). Scores: share of the group's scored pairs above the overall "
            "median. Shortlist: share on the first top_n shown (pins and hides applied). "
            "Outcomes: share of the group's recorded outcomes that were a hire or a start. "
            "Exposure: share of the group's people on the latest run's candidate lists that "
            "the allocation across needs proposed at least once in the kept runs. "
            "Below 0.8 is flagged (four-fifths rule)."
        ),
    }


def _scored_pairs(services: Services, top_n: int) -> dict[str, np.ndarray]:
    engine = services.engine()
    columns = defaultdict(list)
    for need in services.store.open_needs():
        ranked = engine.rank(need)
        keep = ~ranked.excluded
        ids = [engine.ids[r] for r in ranked.rows[keep]]
        shown = _shown(ids, services.store.decisions(need.id), top_n)
        for person, score in zip(ids, ranked.scores[keep], strict=True):
            columns["kind"].append(need.kind)
            columns["person"].append(person)
            columns["score"].append(float(score))
            columns["shortlisted"].append(person in shown)
    return {
        "kind": np.array(columns["kind"], dtype=object),
        "person": np.array(columns["person"], dtype=object),
        "score": np.array(columns["score"], dtype=float),
        "shortlisted": np.array(columns["shortlisted"], dtype=bool),
    }


def _shown(ranked_ids: list[str], decisions: dict[str, dict], top_n: int) -> set[str]:
    """The first ``top_n`` of the list a recruiter sees: pins first, hides left out."""
    pinned = [j for j, d in decisions.items() if d["action"] == "pin"]
    rest = [j for j in ranked_ids if j not in decisions]
    return set((pinned + rest)[:top_n])


def _exposure(services: Services) -> dict[str, np.ndarray]:
    """The people on the latest run's candidate lists, and whether the allocation proposed
    each of them at least once over the kept runs (empty before any run)."""
    run = services.store.latest_run()
    if run is None:
        return {"person": np.array([], dtype=object), "proposed": np.zeros(0, bool)}
    _, _, listed, _ = storage_cohorts.run_lists(services.store, run["id"])
    people = np.array(sorted(set(listed)), dtype=object)
    counts = storage_cohorts.exposure(services.store)
    return {"person": people, "proposed": np.array([counts.get(p, 0) > 0 for p in people])}


def _exposure_rates(exposure, reports, attribute: str, min_people: int) -> list[dict]:
    people = exposure["person"]
    groups = [reports.get(p, {}).get(attribute) for p in people]
    return rates_table(impact_ratios(groups, people, exposure["proposed"], min_people=min_people))


def _latest_outcomes(services: Services) -> dict[str, np.ndarray]:
    latest = latest_outcomes(Outcome(*row) for row in services.store.outcome_history())
    needs = services.store.needs_by_id(sorted({n for n, _ in latest}))
    kinds = {need_id: need.kind for need_id, need in needs.items()}
    keys = [k for k in latest if k[0] in kinds]
    return {
        "kind": np.array([kinds[n] for n, _ in keys], dtype=object),
        "person": np.array([p for _, p in keys], dtype=object),
        "success": np.array([latest[k] in SUCCESSES for k in keys], dtype=bool),
    }


def _slice(scored, outcomes, reports, attribute: str, name: str, min_people: int) -> dict:
    def group_of(people):
        return [reports.get(p, {}).get(attribute) for p in people]

    out: dict[str, Any] = {}
    rows = scored["kind"] == name if name != "overall" else np.ones(len(scored["kind"]), bool)
    people = scored["person"][rows]
    if len(people):
        selected = above_median(scored["score"][rows])
        out["scores"] = rates_table(
            impact_ratios(group_of(people), people, selected, min_people=min_people)
        )
        out["shortlist"] = rates_table(
            impact_ratios(
                group_of(people), people, scored["shortlisted"][rows], min_people=min_people
            )
        )
    rows = outcomes["kind"] == name if name != "overall" else np.ones(len(outcomes["kind"]), bool)
    people = outcomes["person"][rows]
    if len(people):
        out["outcomes"] = rates_table(
            impact_ratios(
                group_of(people), people, outcomes["success"][rows], min_people=min_people
            )
        )
    return out


def outcome_report(services: Services) -> dict[str, Any]:
    """Per service path and need kind: how many people were shortlisted (pinned, or on a
    shortlist sent to the company), contacted (a contact logged about the need, or an outcome
    that means the person was reached), interviewed, hired, or started an apprenticeship or
    training; per path also as shares of the path's active jobseekers."""
    paths = {p.id: p.service_path for p in services.store.active_jobseekers()}
    stages: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    history = services.store.outcome_history()
    # Being shortlisted and being contacted are separate events, counted separately (they
    # were once both taken from the outcomes, which made them always equal).
    shortlisted = services.store.pinned_pairs() + storage_shortlists.shortlisted_pairs(
        services.store
    )
    contacted = [
        (n, p) for n, p, o in history if o in storage_shortlists.CONTACT_OUTCOMES
    ] + storage_shortlists.contacted_pairs(services.store)
    pairs = [(n, p, o) for n, p, o in history]
    pairs += [(n, p, "shortlisted") for n, p in shortlisted]
    pairs += [(n, p, "contacted") for n, p in contacted]
    kinds = {
        i: n.kind for i, n in services.store.needs_by_id(sorted({n for n, *_ in pairs})).items()
    }
    for need_id, person, stage in pairs:
        if person in paths and need_id in kinds:
            stages[(paths[person], kinds[need_id])][stage].add(person)
    names = ("shortlisted", "contacted", "interviewed", *SUCCESSES)
    rows = [
        {
            "service_path": path,
            "need_kind": kind,
            **{name: len(stages[(path, kind)][name]) for name in names},
        }
        for path in SERVICE_PATHS
        for kind in NEED_KINDS
    ]
    totals = []
    for path in SERVICE_PATHS:
        people = sum(1 for p in paths.values() if p == path)
        reached = {n: set().union(*(stages[(path, k)][n] for k in NEED_KINDS)) for n in names}
        counts = {n: len(reached[n]) for n in names}
        shares = {n: round(c / people, 4) if people else 0.0 for n, c in counts.items()}
        totals.append({"service_path": path, "jobseekers": people, **counts, "shares": shares})
    return {"generated_at": utcnow(), "by_path_and_kind": rows, "by_path": totals}
