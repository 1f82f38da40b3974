"""Every rule family follows the scikit-learn transformer protocol."""

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
