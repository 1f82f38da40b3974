"""AvailabilityFit: availability feature family."""

import pytest

from matcher.features import AvailabilityFit
from tests.conftest import make_jobseeker, make_need
from tests.matcher.features.rules import unmet_fields, value


@pytest.mark.parametrize(
    ("available", "end", "expected_value", "excluded"),
    [
        ("2026-12-01", None, 1.0, False),
        ("2027-02-13", None, 0.5, False),
        ("2027-06-01", None, 0.0, False),
        ("2027-06-01", "2027-03-31", 0.0, True),
    ],
)
def test_availability(available, end, expected_value, excluded):
    need = make_need(start_date="2026-12-15", end_date=end)
    person = make_jobseeker(available_from=available)
    assert value(AvailabilityFit, need, person) == pytest.approx(expected_value, abs=0.01)
    assert bool(unmet_fields(AvailabilityFit, need, person)) is excluded
