"""The programme's results: how many of the jobseekers it served were shortlisted, contacted,
interviewed, hired, or started an apprenticeship or a training, over a period.

A jobseeker is *served* in a period when anything was recorded for them in it: put on a
shortlist sent to a company, a contact logged, or an outcome recorded. *Contacted* counts a
contact logged or an outcome that means the person was reached (all but a company's
rejection). Each stage counts
people (a person hired twice counts once) and its share is of the people served. Filters by
company and need kind keep the events about such needs (a contact logged about no need then
drops out); the path filter keeps the people on that service path. The time series counts the
same per calendar month.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from service import storage_shortlists as lists
from service.matching import Services
from service.storage import utcnow

STAGES = (
    "shortlisted",
    "contacted",
    "interviewed",
    "hired",
    "apprenticeship_started",
    "training_started",
)


def programme_report(
    services: Services,
    start: dt.date,
    end: dt.date,
    *,
    company_id: str | None = None,
    need_kind: str | None = None,
    service_path: str | None = None,
) -> dict[str, Any]:
    """The programme's results from ``start`` to ``end`` (both included), filtered."""
    events = _filtered(services, _events(services, start, end), company_id, need_kind, service_path)
    months = defaultdict(list)
    for event in events:
        months[event[0].strftime("%Y-%m")].append(event)
    return {
        "generated_at": utcnow(),
        "filters": {
            "start": start,
            "end": end,
            "company_id": company_id,
            "need_kind": need_kind,
            "service_path": service_path,
        },
        "stages": list(STAGES),
        "totals": _tally(events),
        "series": [{"month": m, **_tally(months.get(m, []))} for m in _months(start, end)],
    }


def period(query: dict) -> tuple[dt.date, dt.date]:
    """A report query's first and last day: the last 365 days unless given."""
    end = query.get("end") or utcnow().date()
    return query.get("start") or end - dt.timedelta(days=364), end


def filters(query: dict) -> dict:
    """A report query's filters."""
    return {name: query.get(name) for name in ("company_id", "need_kind", "service_path")}


def _events(services: Services, start: dt.date, end: dt.date) -> list[tuple]:
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    return lists.service_events(services.store, since, until)


def _filtered(services: Services, events, company_id, need_kind, service_path) -> list[tuple]:
    needs = services.store.needs_by_id(sorted({e[2] for e in events if e[2]}))
    people = services.store.jobseekers_by_id(sorted({e[1] for e in events}))

    def keep(event) -> bool:
        _, person, need_id, _ = event
        need = needs.get(need_id)
        if (company_id or need_kind) and need is None:
            return False
        if company_id and need.company_id != company_id:
            return False
        if need_kind and need.kind != need_kind:
            return False
        return not service_path or people[person].service_path == service_path

    return [e for e in events if e[1] in people and keep(e)]


def _tally(events: Iterable[tuple]) -> dict[str, Any]:
    """People served, and per stage the people reached and their share of those served."""
    served, reached = set(), defaultdict(set)
    for _, person, _, stage in events:
        served.add(person)
        reached[stage].add(person)
    counts = {stage: len(reached[stage]) for stage in STAGES}
    shares = {s: round(c / len(served), 4) if served else 0.0 for s, c in counts.items()}
    return {"served": len(served), "counts": counts, "shares": shares}


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def as_csv(report: dict[str, Any], labels: dict[str, str] | None = None) -> str:
    """The report as CSV: one row for the whole period, then one per month; each stage as a
    count and a share of the people served. ``labels`` names the columns (translated)."""
    labels = labels or {}
    header = [labels.get("period", "period"), labels.get("served", "served")]
    for stage in STAGES:
        name = labels.get(stage, stage)
        header += [name, f"{name} %"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    filters = report["filters"]
    whole = f"{filters['start']}/{filters['end']}"
    for period, row in [(whole, report["totals"])] + [(r["month"], r) for r in report["series"]]:
        cells = [period, row["served"]]
        for stage in STAGES:
            cells += [row["counts"][stage], f"{row['shares'][stage] * 100:.1f}"]
        writer.writerow(cells)
    return out.getvalue()
