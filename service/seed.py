"""Loading the fixture data set into an empty database (the embedded demo)."""

from __future__ import annotations

from pathlib import Path

from matcher.dataset import load_dataset
from service.storage import Store, table_counts


def load_fixtures_if_empty(store: Store, directory: str | Path) -> bool:
    """Load companies, needs and jobseekers from ``directory`` when no company is stored yet."""
    if table_counts(store, ["companies"])["companies"]:
        return False
    dataset = load_dataset(directory)
    store.add_companies(dataset.companies)
    store.add_needs(dataset.needs)
    store.add_jobseekers(dataset.jobseekers)
    return True
