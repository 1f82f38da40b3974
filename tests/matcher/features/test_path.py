"""PathFit: path feature family."""

import pytest

from matcher.features import PathFit
from tests.conftest import make_jobseeker, make_need
from tests.matcher.features.rules import value


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
