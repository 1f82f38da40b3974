"""Shared fixtures: a fixed reference date, a fitted scorer, and builders of domain objects."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.domain import Jobseeker, Need
from matcher.scoring import MatchScorer

AS_OF = dt.date(2026, 12, 1)


def make_need(**overrides) -> Need:
    """A valid need in Vaasa; keyword arguments override fields (as in the JSON form)."""
    data = {
        "id": "N1",
        "company_id": "C1",
        "kind": "vacancy",
        "title": "Hitsaaja",
        "required_skills": ["hitsaus"],
        "municipality": "Vaasa",
        "start_date": "2026-12-15",
    }
    data.update(overrides)
    return Need.from_dict(data)


def make_jobseeker(**overrides) -> Jobseeker:
    """A valid jobseeker in Vaasa; keyword arguments override fields (as in the JSON form)."""
    data = {
        "id": "J1",
        "skills": ["hitsaus"],
        "municipality": "Vaasa",
        "languages": [{"language": "fi", "level": "native"}],
        "available_from": "2026-12-01",
    }
    data.update(overrides)
    return Jobseeker.from_dict(data)


@pytest.fixture(scope="session")
def scorer() -> MatchScorer:
    """The default scorer at the fixed reference date."""
    return MatchScorer(as_of=AS_OF).fit()


@pytest.fixture(scope="session")
def dataset():
    """The project's fixture data set."""
    from matcher.dataset import load_dataset

    return load_dataset()
