"""Shared helpers for the rule-family tests."""

from tests.conftest import AS_OF


def value(family, need, person):
    """The family's single column for one pair."""
    return float(family(as_of=AS_OF).fit().transform([(need, person)])[0, 0])


def unmet_fields(family, need, person):
    """Fields of the hard requirements the pair fails."""
    return [r.field for r in family(as_of=AS_OF).fit().requirements(need, person)]
