"""LanguageFit: language feature family."""

import pytest

from matcher.features import LanguageFit
from matcher.reasons import Reason
from tests.conftest import AS_OF, make_jobseeker, make_need
from tests.matcher.features.rules import unmet_fields, value

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
    preferences = LanguageFit(as_of=AS_OF).fit().preferences(need, person)
    assert preferences == [
        Reason("language_preferred", {"language": "en", "level": "B2", "held": None})
    ]
    assert str(preferences[0]) == "English B2 preferred, has none"


@pytest.mark.parametrize(
    ("english", "suffices", "expected_value", "expected_unmet"),
    [
        ("B2", True, 1.0, []),
        ("B1", True, 1.0, []),
        ("A2", True, 2 / 3, ["languages.sv"]),
        ("B2", False, 0.0, ["languages.sv"]),
    ],
)
def test_english_suffices_meets_the_asked_level_in_english(
    english, suffices, expected_value, expected_unmet
):
    need = make_need(languages=SWEDISH_B1, english_suffices=suffices)
    person = make_jobseeker(languages=[{"language": "en", "level": english}])
    assert value(LanguageFit, need, person) == pytest.approx(expected_value)
    assert unmet_fields(LanguageFit, need, person) == expected_unmet


def test_english_suffices_is_named_in_the_reason():
    need = make_need(languages=SWEDISH_B1, english_suffices=True)
    person = make_jobseeker(languages=[{"language": "fi", "level": "native"}])
    [unmet] = LanguageFit(as_of=AS_OF).fit().requirements(need, person)
    assert str(unmet.reason) == "Swedish B1 or English B1 required, has none"
