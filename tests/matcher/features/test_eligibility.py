"""EligibilityFit: eligibility feature family."""

import pytest

from matcher.features import EligibilityFit
from matcher.features.base import PersonTable
from tests.conftest import AS_OF, make_jobseeker, make_need
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


@pytest.mark.parametrize(
    ("need_dates", "expires", "excluded"),
    [
        ({"start_date": "2026-12-15", "end_date": "2027-06-30"}, "2027-03-31", True),
        ({"start_date": "2026-12-15", "end_date": "2027-06-30"}, "2027-06-30", False),
        ({"start_date": "2027-02-01"}, "2027-01-31", True),
        ({"start_date": "2027-02-01"}, "2027-02-01", False),
        # A need without dates needs a permit valid on the reference date (2026-12-01).
        ({"start_date": None}, "2026-11-30", True),
        ({"start_date": None}, "2026-12-01", False),
    ],
)
def test_permit_expiring_before_the_need_ends_excludes(need_dates, expires, excluded):
    need = make_need(**need_dates)
    person = make_jobseeker(work_permit_type="temporary", work_permit_expires=expires)
    family = EligibilityFit(as_of=AS_OF).fit()
    mask = family.need_unmet(need, PersonTable.from_people([person]))
    assert bool(mask[0]) is excluded
    assert unmet_fields(EligibilityFit, need, person) == (["work_permit"] if excluded else [])


def test_permit_expiry_excludes_with_the_renewal_remedy(scorer):
    need = make_need(start_date="2027-01-01", end_date="2027-12-31")
    lapsing = make_jobseeker(work_permit_type="temporary", work_permit_expires="2027-08-31")
    renewed = make_jobseeker(work_permit_type="temporary", work_permit_expires="2028-08-31")
    match = scorer.match(need, lapsing)
    assert match.excluded and match.score == 0
    [unmet] = match.explanation.unmet_requirements
    assert (unmet.field, str(unmet.remedy)) == ("work_permit", "permit renewal")
    assert unmet.reason.code == "work_permit_expires"
    assert unmet.reason.params["expires"] == "2027-08-31"
    # With the permit renewed the person scores what the remedy promised.
    assert not scorer.match(need, renewed).excluded
    assert match.score_with_remedy == pytest.approx(scorer.match(need, renewed).score)


def test_no_permit_says_so_rather_than_renewal():
    person = make_jobseeker(work_permit=False, work_permit_expires="2020-01-01")
    requirements = EligibilityFit(as_of=AS_OF).fit().requirements(make_need(), person)
    assert [r.remedy.code for r in requirements] == ["work_permit_remedy"]
