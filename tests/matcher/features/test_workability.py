"""WorkAbilityFit: workability feature family."""

from matcher.features import WorkAbilityFit
from tests.conftest import make_jobseeker, make_need
from tests.matcher.features.rules import unmet_fields, value


def test_work_restriction_only_matters_against_a_demand():
    person = make_jobseeker(work_restrictions=["heavy_lifting"])
    assert unmet_fields(WorkAbilityFit, make_need(work_demands=["heavy_lifting"]), person) == [
        "work_demands"
    ]
    assert unmet_fields(WorkAbilityFit, make_need(work_demands=["night_shifts"]), person) == []
    unrestricted = make_jobseeker()
    need = make_need(work_demands=["night_shifts"])
    assert value(WorkAbilityFit, need, person) == value(WorkAbilityFit, need, unrestricted)
