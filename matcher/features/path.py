"""Path fit: the need's kind against the person's wishes and service path."""

from __future__ import annotations

import numpy as np

from matcher.domain import SERVICE_PATHS, Jobseeker, Need
from matcher.features.base import KIND_BITS, PairFeatures, PersonTable
from matcher.reasons import Reason

# How well each kind of need serves each service path when the person has stated no wish:
# osku (basic education only) is served best by an apprenticeship, osmo (a profession that
# cannot be practised) by a recruitment training that reshapes it.
PATH_KIND_FIT = {
    "osku": {"apprenticeship": 0.9, "recruitment_training": 0.7, "vacancy": 0.8},
    "osmo": {"recruitment_training": 0.9, "vacancy": 0.9, "apprenticeship": 0.6},
    "ossi": {"apprenticeship": 0.7, "recruitment_training": 0.6, "vacancy": 0.7},
    None: {"vacancy": 1.0, "apprenticeship": 0.6, "recruitment_training": 0.6},
}
# An apprenticeship or a training is a commitment to study: offering one to a person who has
# said they look for other things rarely works. A job is everyone's aim, so an unlisted
# vacancy costs less.
UNWANTED_KIND = {"vacancy": 0.7, "apprenticeship": 0.0, "recruitment_training": 0.0}
# PATH_KIND_FIT by the path codes of PersonTable (0 = no path).
_BY_CODE = {
    kind: np.array([PATH_KIND_FIT[path][kind] for path in (None, *SERVICE_PATHS)])
    for kind in UNWANTED_KIND
}


class PathFit(PairFeatures):
    """``path_fit``: 1 for a kind of need the person wants, else the service-path table."""

    feature_names = ("path_fit",)

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        wants = (people.wanted & KIND_BITS[need.kind]) != 0
        by_path = _BY_CODE[need.kind][people.path]
        value = np.where(
            wants, 1.0, np.where(people.wanted != 0, UNWANTED_KIND[need.kind], by_path)
        )
        return value[:, None]

    def preferences(self, need: Need, person: Jobseeker) -> list[Reason]:
        if person.wanted_kinds and need.kind not in person.wanted_kinds:
            wanted = list(person.wanted_kinds)
            return [Reason("other_kinds_wanted", {"wanted": wanted, "kind": need.kind})]
        return []
