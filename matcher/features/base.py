"""The protocol every feature family follows.

A family is a scikit-learn transformer over a sequence of ``(need, jobseeker)`` pairs that
returns named numeric columns in [0, 1]. A family may also state hard requirements: a pair
that fails one is excluded from ranking, with the reason recorded.

Rule families compute one need against many people at once over a :class:`PersonTable` (the
people's rule attributes as numpy arrays); ``transform`` groups the pairs by need.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from matcher.domain import (
    EDUCATION_RANK,
    NEED_KINDS,
    SERVICE_PATHS,
    WORK_DEMANDS,
    Jobseeker,
    Need,
    Requirement,
)
from matcher.exceptions import InvalidInput
from matcher.geo import municipalities
from matcher.languages import CEFR_RANK
from matcher.reasons import Reason

Pair = tuple[Need, Jobseeker]
PATH_CODES = {None: 0, **{path: i for i, path in enumerate(SERVICE_PATHS, start=1)}}
KIND_BITS = {kind: 1 << i for i, kind in enumerate(NEED_KINDS)}
DEMAND_BITS = {demand: 1 << i for i, demand in enumerate(WORK_DEMANDS)}
NO_DATE = -1


def check_pairs(pairs: Sequence[Pair]) -> Sequence[Pair]:
    """Validate that ``pairs`` is a sequence of (Need, Jobseeker) tuples."""
    for index, pair in enumerate(pairs):
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or not isinstance(pair[0], Need)
            or not isinstance(pair[1], Jobseeker)
        ):
            raise InvalidInput("must be a (Need, Jobseeker) tuple", field=f"pairs[{index}]")
    return pairs


def row_dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Each row of ``matrix`` times ``vector``, row by row: a BLAS product's blocking depends
    on the number of rows, so a person's value would differ by an ulp between a list of one
    and a list of thousands (and between a batch's list and a live one)."""
    # One type and row-major first: else einsum's order of summing a row depends on the
    # layout (a column slice is column-major) or on a casting buffer's chunks.
    kind = np.result_type(matrix, vector)
    matrix = np.ascontiguousarray(matrix, dtype=kind)
    return np.einsum("ij,j->i", matrix, np.ascontiguousarray(vector, dtype=kind))


def sparse_cosines(rows, vector) -> np.ndarray:
    """Each row of the sparse ``rows`` times the one-row sparse ``vector`` (their cosines,
    for unit rows), as a flat array. The vector is spread out dense first: scipy's
    sparse-by-sparse product builds an index per call and costs several times as much for
    one column, while the dense product sums each row's terms in the same order, so for
    finite values without repeated columns (as TF-IDF rows are) the values are the same bit
    for bit."""
    if vector.ndim == 1:
        vector = vector.reshape(1, -1)
    if vector.format != "csr":
        vector = vector.tocsr()
    dense = _zeros(vector.shape[1], np.result_type(rows.dtype, vector.dtype))
    np.add.at(dense, vector.indices, vector.data)
    try:
        return np.asarray(rows @ dense).ravel()
    finally:
        dense[vector.indices] = 0


_SCRATCH = threading.local()


def _zeros(size: int, dtype) -> np.ndarray:
    """A zero vector of ``size`` kept per thread, to be zeroed again after use: allocating
    a hashed vocabulary's width afresh cost two thirds of a cosine with one person (a
    person's needs take a few hundred such cosines)."""
    held = vars(_SCRATCH).setdefault("vectors", {})
    key = (size, np.dtype(dtype).str)
    if key not in held:
        held[key] = np.zeros(size, dtype=dtype)
    return held[key]


def prose_only(person: Jobseeker) -> bool:
    """Whether ``person`` is described only in prose: a summary, with no headline, skills,
    work history or field of education (a résumé pasted as text)."""
    education = person.education
    studied = education is not None and (education.field or education.qualifications)
    return not (person.headline or person.skills or person.work_history or studied)


def bits(values: Sequence[str], table: dict[str, int]) -> int:
    """A bit mask of ``values``."""
    mask = 0
    for value in values:
        mask |= table[value]
    return mask


@dataclass
class PersonTable:
    """The rule attributes of many jobseekers as arrays, one entry per person."""

    municipality: np.ndarray
    max_commute_km: np.ndarray
    relocate: np.ndarray
    remote: np.ndarray
    available_from: np.ndarray
    education: np.ndarray
    languages: dict[str, np.ndarray]
    driving_licence: np.ndarray
    work_permit: np.ndarray
    permit_expires: np.ndarray
    wage_subsidy: np.ndarray
    path: np.ndarray
    wanted: np.ndarray
    restrictions: np.ndarray
    #: Described only in prose (:func:`prose_only`): scored with the prose weights.
    prose: np.ndarray

    def __len__(self) -> int:
        return len(self.municipality)

    @classmethod
    def from_people(cls, people: Sequence[Jobseeker]) -> PersonTable:
        """Gather the arrays from jobseeker objects."""
        places = municipalities()
        levels: dict[str, np.ndarray] = {}
        for row, person in enumerate(people):
            for skill in person.languages:
                column = levels.setdefault(skill.language, np.zeros(len(people), dtype=np.int8))
                column[row] = max(column[row], CEFR_RANK[skill.level])

        def array(values, dtype):
            return np.fromiter(values, dtype=dtype, count=len(people))

        return cls(
            municipality=array((places.index(p.municipality) for p in people), np.int32),
            max_commute_km=array(
                (np.nan if p.max_commute_km is None else p.max_commute_km for p in people),
                np.float64,
            ),
            relocate=array((p.relocate for p in people), bool),
            remote=array((p.remote for p in people), bool),
            available_from=array(
                (p.available_from.toordinal() if p.available_from else NO_DATE for p in people),
                np.int64,
            ),
            education=array(
                (EDUCATION_RANK[p.education.level] if p.education else 0 for p in people), np.int8
            ),
            languages=levels,
            driving_licence=array((p.driving_licence for p in people), bool),
            work_permit=array((p.work_permit for p in people), bool),
            permit_expires=array(
                (
                    p.work_permit_expires.toordinal() if p.work_permit_expires else NO_DATE
                    for p in people
                ),
                np.int64,
            ),
            wage_subsidy=array((p.wage_subsidy_eligible for p in people), bool),
            path=array((PATH_CODES[p.service_path] for p in people), np.int8),
            wanted=array((bits(p.wanted_kinds, KIND_BITS) for p in people), np.int8),
            restrictions=array((bits(p.work_restrictions, DEMAND_BITS) for p in people), np.int32),
            prose=array((prose_only(p) for p in people), bool),
        )

    def level(self, language: str) -> np.ndarray:
        """Each person's level in ``language`` as a CEFR rank (0 = none)."""
        return self.languages.get(language, np.zeros(len(self), dtype=np.int8))

    @classmethod
    def concat(cls, parts: Sequence[PersonTable]) -> PersonTable:
        """The people of ``parts`` one after the other, as one table."""
        names = [name for name in vars(parts[0]) if name != "languages"]
        codes = sorted({code for part in parts for code in part.languages})
        return cls(
            languages={code: np.concatenate([p.level(code) for p in parts]) for code in codes},
            **{name: np.concatenate([getattr(p, name) for p in parts]) for name in names},
        )

    def take(self, rows: np.ndarray) -> PersonTable:
        """The table of the people at ``rows``."""
        fields = {name: value[rows] for name, value in vars(self).items() if name != "languages"}
        languages = {code: levels[rows] for code, levels in self.languages.items()}
        return PersonTable(languages=languages, **fields)


def group_by_need(pairs: Sequence[Pair]) -> dict[Need, list[int]]:
    """Row numbers of ``pairs`` per need, in first-seen order."""
    groups: dict[Need, list[int]] = defaultdict(list)
    for row, (need, _) in enumerate(pairs):
        groups[need].append(row)
    return groups


class NamedColumns:
    """A feature family whose output columns are its ``feature_names`` (what scikit-learn's
    ``FeatureUnion`` reads through ``get_feature_names_out``)."""

    feature_names: tuple[str, ...] = ()
    #: What the columns' values mean, raised when a column's scale or reading changes: a
    #: model trained on values of another version is refused (:func:`matcher.artifacts.load_model`).
    feature_version: int = 1

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the columns that ``transform`` returns."""
        return np.asarray(self.feature_names, dtype=object)


class PairFeatures(NamedColumns, TransformerMixin, BaseEstimator):
    """Base class of rule feature families.

    Subclasses set ``feature_names`` and implement ``need_values`` (one need against a
    :class:`PersonTable`); those with hard requirements implement ``need_unmet`` (the mask)
    and ``requirements`` (the reasons, for explanations). ``as_of`` is the reference date
    (today when None).
    """

    def __init__(self, as_of: dt.date | None = None) -> None:
        self.as_of = as_of

    def fit(self, X: Sequence[Pair] = (), y=None):
        """Validate the pairs and fix the reference date; returns ``self``."""
        check_pairs(X)
        self.as_of_ = self.as_of or dt.date.today()
        self.n_features_out_ = len(self.feature_names)
        return self

    def transform(self, X: Sequence[Pair]) -> np.ndarray:
        """Feature values, one row per pair, one column per name."""
        check_is_fitted(self, "as_of_")
        check_pairs(X)
        out = np.zeros((len(X), len(self.feature_names)))
        for need, rows in group_by_need(X).items():
            out[rows] = self.need_values(need, PersonTable.from_people([X[r][1] for r in rows]))
        return out

    def need_values(self, need: Need, people: PersonTable) -> np.ndarray:
        """Feature values of ``need`` against every person of ``people`` (n × columns)."""
        raise NotImplementedError

    def need_unmet(self, need: Need, people: PersonTable) -> np.ndarray:
        """Which people fail a hard requirement of ``need`` (boolean mask)."""
        return np.zeros(len(people), dtype=bool)

    def requirements(self, need: Need, person: Jobseeker) -> list[Requirement]:
        """Hard requirements of ``need`` that ``person`` does not meet, with reasons."""
        return []

    def preferences(self, need: Need, person: Jobseeker) -> list[Reason]:
        """Soft preferences of ``need`` (or of the person) that the pair does not meet."""
        return []
