"""Path fit: the need's kind against the person's wishes and service path."""

from __future__ import annotations

from matcher.domain import Jobseeker, Need
from matcher.features.base import PairFeatures

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


class PathFit(PairFeatures):
    """``path_fit``: 1 for a kind of need the person wants, else the service-path table."""

    feature_names = ("path_fit",)

    def values(self, need: Need, person: Jobseeker) -> tuple[float]:
        if need.kind in person.wanted_kinds:
            return (1.0,)
        if person.wanted_kinds:
            return (UNWANTED_KIND[need.kind],)
        return (PATH_KIND_FIT[person.service_path][need.kind],)

    def preferences(self, need: Need, person: Jobseeker) -> list[str]:
        if person.wanted_kinds and need.kind not in person.wanted_kinds:
            return [f"the person looks for {', '.join(person.wanted_kinds)}, not {need.kind}"]
        return []
