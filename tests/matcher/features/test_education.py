"""EducationFit: education feature family."""

import pytest

from matcher.features import EducationFit
from tests.conftest import make_jobseeker, make_need
from tests.matcher.features.rules import value


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
