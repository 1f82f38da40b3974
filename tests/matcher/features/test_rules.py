"""Rule families: language, location, availability, education, eligibility, path, work ability."""

import pytest

from matcher.features import (
    AvailabilityFit,
    EducationFit,
    EligibilityFit,
    LanguageFit,
    LocationFit,
    PathFit,
    WorkAbilityFit,
)
from tests.conftest import AS_OF, make_jobseeker, make_need


def value(family, need, person):
    return float(family(as_of=AS_OF).fit().transform([(need, person)])[0, 0])


def unmet_fields(family, need, person):
    return [r.field for r in family(as_of=AS_OF).fit().requirements(need, person)]


SWEDISH_B1 = [{"language": "sv", "level": "B1", "required": True}]


@pytest.mark.parametrize(
    ("held", "expected_value", "expected_unmet"),
    [
        ([{"language": "sv", "level": "native"}], 1.0, []),
        ([{"language": "sv", "level": "B1"}], 1.0, []),
        ([{"language": "sv", "level": "A2"}], 2 / 3, ["languages.sv"]),
        ([{"language": "fi", "level": "native"}], 0.0, ["languages.sv"]),
    ],
)
def test_required_language(held, expected_value, expected_unmet):
    need, person = make_need(languages=SWEDISH_B1), make_jobseeker(languages=held)
    assert value(LanguageFit, need, person) == pytest.approx(expected_value)
    assert unmet_fields(LanguageFit, need, person) == expected_unmet


def test_preferred_language_lowers_value_but_does_not_exclude():
    need = make_need(languages=[{"language": "en", "level": "B2", "required": False}])
    person = make_jobseeker(languages=[{"language": "fi", "level": "native"}])
    assert value(LanguageFit, need, person) == 0.0
    assert unmet_fields(LanguageFit, need, person) == []
    assert LanguageFit(as_of=AS_OF).fit().preferences(need, person) == [
        "English B2 preferred, has none"
    ]


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


@pytest.mark.parametrize(
    ("kind", "minimum", "held", "expected"),
    [
        ("vacancy", "vocational", "vocational", 1.0),
        ("vacancy", "vocational", "basic", 0.5),
        ("vacancy", "master", "basic", 0.2),
        ("vacancy", None, "basic", 1.0),
        ("apprenticeship", "vocational", "basic", 1.0),
    ],
)
def test_education(kind, minimum, held, expected):
    need = make_need(kind=kind, min_education=minimum)
    assert value(EducationFit, need, make_jobseeker(education={"level": held})) == expected


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
    ("kind", "path", "wanted", "expected"),
    [
        ("apprenticeship", "osku", [], 0.9),
        ("vacancy", "osku", [], 0.8),
        ("recruitment_training", "osmo", [], 0.9),
        ("vacancy", None, ["vacancy"], 1.0),
        ("apprenticeship", "osku", ["vacancy"], 0.0),
        ("vacancy", "osku", ["apprenticeship"], 0.7),
    ],
)
def test_path_fit(kind, path, wanted, expected):
    need = make_need(kind=kind)
    assert value(PathFit, need, make_jobseeker(service_path=path, wanted_kinds=wanted)) == expected


def test_work_restriction_only_matters_against_a_demand():
    person = make_jobseeker(work_restrictions=["heavy_lifting"])
    assert unmet_fields(WorkAbilityFit, make_need(work_demands=["heavy_lifting"]), person) == [
        "work_demands"
    ]
    assert unmet_fields(WorkAbilityFit, make_need(work_demands=["night_shifts"]), person) == []
    unrestricted = make_jobseeker()
    need = make_need(work_demands=["night_shifts"])
    assert value(WorkAbilityFit, need, person) == value(WorkAbilityFit, need, unrestricted)


@pytest.mark.parametrize(
    "family",
    [
        AvailabilityFit,
        EducationFit,
        EligibilityFit,
        LanguageFit,
        LocationFit,
        PathFit,
        WorkAbilityFit,
    ],
)
def test_family_follows_the_transformer_protocol(family):
    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError

    estimator = family(as_of=AS_OF)
    assert clone(estimator).get_params() == estimator.get_params()
    with pytest.raises(NotFittedError):
        estimator.transform([(make_need(), make_jobseeker())])
    pairs = [(make_need(), make_jobseeker())] * 3
    out = estimator.fit(pairs).transform(pairs)
    assert out.shape == (3, len(estimator.get_feature_names_out()))
