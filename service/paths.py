"""Who is falling off the service path: the continuity report, and its reference date.

A person is on the report when they have no current step, when their planned next step is
past its date, or when a handover to them has gone unacknowledged for ``HANDOVER_ACK_DAYS``
days or more. Each entry says since when, and is grouped by organisation and counsellor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from service.storage import Principal
from service.storage_paths import PathStore

REASONS = ("no_current_step", "next_step_overdue", "handover_unacknowledged")


def reference_date(config: Mapping[str, Any]) -> dt.date:
    """ "Today" for paths: ``CONTINUITY_AS_OF``, else ``AS_OF``, else the calendar's today."""
    value = config.get("CONTINUITY_AS_OF") or config.get("AS_OF")
    if value is None:
        return dt.date.today()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def continuity_report(
    paths: PathStore, today: dt.date, ack_days: int, viewer: Principal | None = None
) -> dict[str, Any]:
    """The people falling off the path on ``today``, grouped by organisation and counsellor;
    a counsellor ``viewer`` gets only the people their organisation holds (and the
    handovers it made)."""
    state = paths.open_steps()
    entries = _entries(state, today, ack_days)
    if viewer is not None and viewer.role == "counsellor":
        entries = [e for e in entries if viewer.organisation_id in e.pop("seen_by")]
    else:
        for entry in entries:
            entry.pop("seen_by")
    names = paths.organisation_names()
    return {
        "as_of": today,
        "handover_days": ack_days,
        "total": len({e["jobseeker_id"] for e in entries}),
        "organisations": _grouped(entries, names),
    }


def report_entries(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every entry of a continuity report, across organisations and counsellors."""
    return [
        entry
        for group in report["organisations"]
        for counsellor in group["counsellors"]
        for entry in counsellor["people"]
    ]


def _entries(state: dict[str, Any], today: dt.date, ack_days: int) -> list[dict[str, Any]]:
    """Every reason anyone is on the report, each with the organisations that may see it
    (``seen_by``: those of the person's current and next steps, and a handover's two)."""
    current, planned = {}, {}
    for step in state["steps"]:
        (current if step["status"] == "current" else planned)[step["jobseeker_id"]] = step
    entries = _off_the_path(state, current, planned, today)
    entries += _late_handovers(state, today, ack_days)
    for entry in entries:
        person = entry["jobseeker_id"]
        entry["seen_by"] |= {
            s["organisation_id"] for s in (current.get(person), planned.get(person)) if s
        }
    return entries


def _off_the_path(state, current, planned, today: dt.date) -> list[dict[str, Any]]:
    """Active people with no current step, or with a next step past its date."""
    entries = []
    for person, registered in state["people"].items():
        following = planned.get(person)
        if person not in current:
            since = state["last_ended"].get(person) or registered
            entries.append(_entry(person, "no_current_step", since, today, following))
        elif following is not None and following["start"] < today:
            since = following["start"]
            entries.append(_entry(person, "next_step_overdue", since, today, following))
    return entries


def _late_handovers(state, today: dt.date, ack_days: int) -> list[dict[str, Any]]:
    """Active people's handovers unacknowledged for ``ack_days`` days or more."""
    steps = {s["id"]: s for s in state["steps"]}
    entries = []
    for handover in state["handovers"]:
        person, since = handover["jobseeker_id"], handover["handed_over_on"]
        if person not in state["people"] or (today - since).days < ack_days:
            continue
        entry = _entry(
            person, "handover_unacknowledged", since, today, steps.get(handover["to_step_id"])
        )
        entry.update(
            organisation_id=handover["to_organisation_id"],
            from_organisation_id=handover["from_organisation_id"],
            handover_id=handover["id"],
        )
        entry["seen_by"] |= {handover["to_organisation_id"], handover["from_organisation_id"]}
        entries.append(entry)
    return entries


def _entry(
    person: str, reason: str, since: dt.date, today: dt.date, step: Mapping[str, Any] | None
) -> dict[str, Any]:
    return {
        "jobseeker_id": person,
        "reason": reason,
        "since": since,
        "days": (today - since).days,
        "organisation_id": step["organisation_id"] if step else None,
        "counsellor": step["counsellor"] if step else "",
        "service": step["service"] if step else None,
        "from_organisation_id": None,
        "handover_id": None,
        "seen_by": set(),
    }


def _grouped(entries: list[dict[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Entries per organisation (those without one last) and counsellor, longest waits first."""
    tree: dict[str | None, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for entry in sorted(entries, key=lambda e: (-e["days"], e["jobseeker_id"])):
        tree[entry["organisation_id"]][entry["counsellor"]].append(entry)
    return [
        {
            "organisation_id": organisation,
            "name": names.get(organisation) if organisation else None,
            "counsellors": [
                {"counsellor": counsellor, "people": people}
                for counsellor, people in sorted(counsellors.items())
            ],
        }
        for organisation, counsellors in sorted(
            tree.items(), key=lambda item: (item[0] is None, item[0] or "")
        )
    ]
