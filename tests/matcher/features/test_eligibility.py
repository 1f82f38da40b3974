"""EligibilityFit: eligibility feature family."""

import pytest

from matcher.features import EligibilityFit
from tests.conftest import make_jobseeker, make_need
from tests.matcher.features.rules import unmet_fields, value


@pytest.mark.parametrize(
    ("need_licence", "person", "expected"),
    [
        (False, {"work_permit": False}, ["work_permit"]),
        (True, {"driving_licence": False}, ["driving_licence"]),
        (True, {"driving_licence": True}, []),
        (False, {}, []),
    ],
)
def test_eligibility_requirements(need_licence, person, expected):
    need = make_need(driving_licence=need_licence)
    assert unmet_fields(EligibilityFit, need, make_jobseeker(**person)) == expected


def test_wage_subsidy_fit_needs_both_sides():
    accepting = make_need(wage_subsidy_accepted=True)
    assert value(EligibilityFit, accepting, make_jobseeker(wage_subsidy_eligible=True)) == 1.0
    assert value(EligibilityFit, make_need(), make_jobseeker(wage_subsidy_eligible=True)) == 0.0
