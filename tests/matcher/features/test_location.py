"""LocationFit: location feature family."""

import pytest

from matcher.features import LocationFit
from tests.conftest import make_jobseeker, make_need
from tests.matcher.features.rules import unmet_fields, value


@pytest.mark.parametrize(
    ("home", "commute", "relocate", "excluded"),
    [
        ("Vaasa", 10, False, False),
        ("Korsholm", 20, False, False),
        ("Seinäjoki", 100, False, False),
        ("Seinäjoki", 30, False, True),
        ("Seinäjoki", 30, True, False),
        ("Helsinki", 50, False, True),
    ],
)
def test_location_commute_limit(home, commute, relocate, excluded):
    need = make_need(municipality="Vaasa")
    person = make_jobseeker(municipality=home, max_commute_km=commute, relocate=relocate)
    assert bool(unmet_fields(LocationFit, need, person)) is excluded
    assert 0.0 <= value(LocationFit, need, person) <= 1.0


def test_location_decays_with_distance_and_remote_work_is_anywhere():
    need = make_need(municipality="Vaasa")
    near = value(LocationFit, need, make_jobseeker(municipality="Vaasa", max_commute_km=80))
    far = value(LocationFit, need, make_jobseeker(municipality="Seinäjoki", max_commute_km=80))
    assert near == 1.0 > far > 0.5
    remote_need = make_need(municipality="Vaasa", remote=True)
    remote_person = make_jobseeker(municipality="Helsinki", remote=True, max_commute_km=10)
    assert value(LocationFit, remote_need, remote_person) == 1.0
    assert unmet_fields(LocationFit, remote_need, remote_person) == []
