"""A cohort for a recruitment training or a group of apprenticeship slots.

A coordinator fills a need's ``positions`` seats, plus reserves, from its eligible candidates
under constraints: a person sits in at most one cohort at a time, a minimum language level, a
start date by which people must be available, and at most ``max_relocating`` people from
outside their commute area (who would relocate). The seats maximise the total fit, solved
exactly as a small integer programme (SciPy's ``milp``, HiGHS); people the coordinator fixed
always sit, people they excluded never do. Reserves are the best eligible people left, in order.

Every choice and every near-miss comes with its reason as data (a code and parameters), so
that the service can say it in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.domain import Jobseeker, Need
from matcher.exceptions import InvalidInput
from matcher.geo import municipalities
from matcher.languages import CEFR_LEVELS, CEFR_RANK

DEFAULT_COMMUTE_KM = 50.0
NEAR_MISSES = 10


@dataclass(frozen=True)
class Constraints:
    """What a coordinator sets for a cohort.

    Parameters
    ----------
    reserves : int
        How many reserves after the seats.
    language, level : str or None
        A minimum language level (``"fi"``, ``"B1"``); both or neither.
    start_by : date or None
        Seated people must be available by this date.
    max_relocating : int or None
        At most this many seats go to people from outside their commute area.
    fixed, excluded : frozenset of str
        Jobseeker ids that must sit, and that must not.
    """

    reserves: int = 0
    language: str | None = None
    level: str | None = None
    start_by: dt.date | None = None
    max_relocating: int | None = None
    fixed: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if (self.language is None) != (self.level is None):
            raise InvalidInput("give both a language and a level, or neither", field="level")
        if self.level is not None and self.level not in CEFR_LEVELS:
            raise InvalidInput(f"must be one of {', '.join(CEFR_LEVELS)}", field="level")
        if self.reserves < 0:
            raise InvalidInput("must not be negative", field="reserves")
        if self.max_relocating is not None and self.max_relocating < 0:
            raise InvalidInput("must not be negative", field="max_relocating")
        if self.fixed & self.excluded:
            raise InvalidInput("a person cannot be both fixed and excluded", field="fixed")


@dataclass(frozen=True)
class Candidate:
    """An eligible candidate of the need: the person, their score, and whether they would
    relocate to take part."""

    person: Jobseeker
    score: float
    relocating: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a person was chosen or not: a code and its parameters."""

    code: str
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"code": self.code, "params": self.params}


@dataclass(frozen=True)
class Member:
    """A person in the answer: a seat, a reserve or a near-miss, with the reasons."""

    jobseeker_id: str
    score: float
    role: str
    relocating: bool
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict:
        return {
            "jobseeker_id": self.jobseeker_id,
            "score": round(self.score, 6),
            "role": self.role,
            "relocating": self.relocating,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Cohort:
    """The seats, the reserves (in order) and the near-misses of a need's cohort."""

    need_id: str
    seats: tuple[Member, ...]
    reserves: tuple[Member, ...]
    near_misses: tuple[Member, ...]
    total_score: float

    def to_dict(self) -> dict:
        return {
            "need_id": self.need_id,
            "seats": [m.to_dict() for m in self.seats],
            "reserves": [m.to_dict() for m in self.reserves],
            "near_misses": [m.to_dict() for m in self.near_misses],
            "total_score": round(self.total_score, 6),
        }


def relocating(need: Need, person: Jobseeker, default_km: float = DEFAULT_COMMUTE_KM) -> bool:
    """Whether ``person`` lives beyond their commute limit from ``need`` (and so would
    relocate to take part; remote work on both sides needs no move)."""
    if need.remote and person.remote:
        return False
    limit = default_km if person.max_commute_km is None else person.max_commute_km
    return municipalities().distance_km(need.municipality, person.municipality) > limit


def build(
    need: Need,
    candidates: Sequence[Candidate],
    constraints: Constraints = Constraints(),
    *,
    taken: Iterable[str] = (),
) -> Cohort:
    """The best cohort of ``need.positions`` seats and ``constraints.reserves`` reserves.

    ``candidates`` are the need's eligible candidates (hard requirements met); ``taken`` are
    the people sitting in another cohort. Raises :class:`InvalidInput` (field ``fixed``) when
    the fixed people cannot all sit under the constraints.
    """
    taken = set(taken)
    barred = {c.person.id: _bars(c, constraints, taken) for c in candidates}
    _check_fixed(candidates, constraints, barred)
    pool = [c for c in candidates if not barred[c.person.id]]
    chosen = _solve(pool, need.positions, constraints)
    seats = [pool[i] for i in chosen]
    seated = {c.person.id for c in seats}
    rest = sorted((c for c in pool if c.person.id not in seated), key=_best_first)
    reserves = rest[: constraints.reserves]
    chosen_freely = [c.score for c in seats if c.person.id not in constraints.fixed]
    cutoff = min(chosen_freely, default=max((c.score for c in seats), default=0.0))
    lowest_fixed = min((c.score for c in seats if c.person.id in constraints.fixed), default=None)
    return Cohort(
        need.id,
        tuple(_seat(c, constraints, rank) for rank, c in enumerate(_sorted(seats), start=1)),
        tuple(
            _member(c, "reserve", (Reason("reserve", {"order": i}),))
            for i, c in enumerate(reserves, start=1)
        ),
        _near_misses(
            candidates, rest[constraints.reserves :], barred, (cutoff, lowest_fixed), constraints
        ),
        float(sum(c.score for c in seats)),
    )


def _bars(candidate: Candidate, constraints: Constraints, taken: set[str]) -> list[Reason]:
    """The constraints that keep ``candidate`` out of every seat."""
    person, bars = candidate.person, []
    if person.id in constraints.excluded:
        bars.append(Reason("excluded_by_coordinator"))
    if person.id in taken:
        bars.append(Reason("in_other_cohort"))
    if constraints.language is not None:
        level = _level(person, constraints.language)
        if CEFR_RANK.get(level, 0) < CEFR_RANK[constraints.level]:
            params = {"language": constraints.language, "level": constraints.level, "has": level}
            bars.append(Reason("language_below", params))
    start = person.available_from
    if constraints.start_by is not None and start is not None and start > constraints.start_by:
        params = {"available_from": start.isoformat(), "start_by": constraints.start_by.isoformat()}
        bars.append(Reason("starts_later", params))
    return bars


def _level(person: Jobseeker, language: str) -> str | None:
    levels = [s.level for s in person.languages if s.language == language]
    return max(levels, key=lambda lv: CEFR_RANK[lv], default=None)


def _check_fixed(candidates, constraints, barred) -> None:
    known = {c.person.id for c in candidates}
    for person_id in sorted(constraints.fixed):
        if person_id not in known:
            raise InvalidInput(f"{person_id} is not an eligible candidate", field="fixed")
        if barred[person_id]:
            code = barred[person_id][0].code
            raise InvalidInput(f"{person_id} cannot sit: {code}", field="fixed")


def _solve(pool: Sequence[Candidate], seats: int, constraints: Constraints) -> list[int]:
    """Indices into ``pool`` of the seats that maximise the total score."""
    if not pool:
        return []
    scores = np.array([c.score for c in pool])
    moving = np.array([c.relocating for c in pool], dtype=float)
    fixed = np.array([c.person.id in constraints.fixed for c in pool], dtype=float)
    if fixed.sum() > seats:
        raise InvalidInput(f"more people fixed than the need's {seats} seats", field="fixed")
    limit = np.inf if constraints.max_relocating is None else constraints.max_relocating
    if (moving * fixed).sum() > limit:
        raise InvalidInput("the fixed people exceed max_relocating", field="fixed")
    fill = min(seats, int(len(pool) - moving.sum() + min(moving.sum(), limit)))
    rules = [LinearConstraint(np.ones(len(pool)), fill, fill)]
    if constraints.max_relocating is not None:
        rules.append(LinearConstraint(moving, 0, limit))
    result = milp(
        -scores, constraints=rules, integrality=np.ones(len(pool)), bounds=Bounds(fixed, 1)
    )
    if not result.success:
        raise InvalidInput("no cohort satisfies the constraints", field="fixed")
    return [int(i) for i in np.flatnonzero(result.x > 0.5)]


def _best_first(candidate: Candidate) -> tuple:
    return (-candidate.score, candidate.person.id)


def _sorted(candidates: Iterable[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=_best_first)


def _seat(candidate: Candidate, constraints: Constraints, rank: int) -> Member:
    reasons = [Reason("fixed_by_coordinator")] if candidate.person.id in constraints.fixed else []
    reasons.append(Reason("seat", {"rank": rank}))
    if candidate.relocating:
        reasons.append(Reason("relocating", {"max": constraints.max_relocating}))
    return _member(candidate, "seat", tuple(reasons))


def _member(candidate: Candidate, role: str, reasons: tuple[Reason, ...]) -> Member:
    return Member(candidate.person.id, candidate.score, role, candidate.relocating, reasons)


def _near_misses(candidates, left, barred, cutoffs, constraints) -> tuple[Member, ...]:
    """The best people left out: barred by a constraint; above the last seat chosen freely
    but kept out by the relocation limit; or below it (and, when they score above someone
    the coordinator fixed, left out to make room for them)."""
    cutoff, lowest_fixed = cutoffs
    out = [
        _member(c, "near_miss", tuple(barred[c.person.id]))
        for c in candidates
        if barred[c.person.id]
    ]
    for c in left:
        if c.relocating and c.score > cutoff:
            reasons = [Reason("relocation_limit", {"max": constraints.max_relocating})]
        else:
            reasons = [Reason("below_last_seat", {"gap": round(max(cutoff - c.score, 0.0), 6)})]
        if lowest_fixed is not None and c.score > lowest_fixed:
            reasons.append(Reason("room_for_fixed"))
        out.append(_member(c, "near_miss", tuple(reasons)))
    out.sort(key=lambda m: (-m.score, m.jobseeker_id))
    return tuple(out[:NEAR_MISSES])
