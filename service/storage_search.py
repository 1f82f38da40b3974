"""Persistence of jobseeker search: the filters a database can apply, and paging through the
rows a predicate keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, or_

from matcher.domain import Jobseeker
from matcher.text import fold
from service.storage import JobseekerRow, Page, Store, _filtered, _meta, utcnow


def search_jobseekers(
    store: Store,
    *,
    page: int,
    page_size: int,
    keep: Callable[[Jobseeker], bool] | None = None,
    name: str | None = None,
    available_by: dt.date | None = None,
    stale_days: int | None = None,
    updated_within_days: int | None = None,
    **filters: Any,
) -> Page:
    """A page of jobseekers, by id, filtered by the columns (``municipality``,
    ``service_path``, ``active``), a part of the name, being available by a date, days since
    the profile was last updated, and then ``keep``."""
    query = _filtered(JobseekerRow, filters)
    if name and name.isascii():
        query = query.where(_name_column().contains(name.lower(), autoescape=True))
    elif name:
        keep = _and(keep, lambda person: fold(name) in fold(person.name))
    if available_by:
        available = JobseekerRow.data["available_from"].as_string()
        query = query.where(or_(available.is_(None), available <= available_by.isoformat()))
    if stale_days is not None:
        query = query.where(JobseekerRow.updated_at <= utcnow() - dt.timedelta(days=stale_days))
    if updated_within_days is not None:
        since = utcnow() - dt.timedelta(days=updated_within_days)
        query = query.where(JobseekerRow.updated_at > since)
    query = query.order_by(JobseekerRow.id)
    if keep is None:
        return store._page(query, page, page_size, _found)
    return _kept_page(store, query, keep, page, page_size)


def _name_column():
    # lower() of SQLite folds only ASCII: a name with other letters is compared in Python.
    return func.lower(JobseekerRow.data["name"].as_string())


def _and(first, second):
    return second if first is None else (lambda person: first(person) and second(person))


def _found(row: JobseekerRow) -> tuple[Jobseeker, dict[str, Any]]:
    return Jobseeker.from_dict(row.data), _meta(row, active=row.active)


def _kept_page(store: Store, query, keep, page: int, page_size: int) -> Page:
    """The page of the rows that ``keep`` accepts (a predicate SQL cannot run: each row is
    read)."""
    with store.transaction() as session:
        found = [item for item in map(_found, session.scalars(query)) if keep(item[0])]
    start = (page - 1) * page_size
    return Page(found[start : start + page_size], len(found), page, page_size)
