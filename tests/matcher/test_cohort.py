"""A cohort's seats: the solver's choice equals brute force, and the constraints hold."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from matcher.cohort import Candidate, Constraints, build, relocating
from matcher.exceptions import InvalidInput
from tests.conftest import make_jobseeker, make_need

SCORES = [0.91, 0.88, 0.86, 0.83, 0.80, 0.77, 0.74, 0.70, 0.66, 0.61]
# People 0, 1 and 3 live far away and would relocate.
MOVING = {0, 1, 3}


def person(i: int, **overrides):
    data = {"id": f"J{i:02}", "languages": [{"language": "fi", "level": "B2"}]}
    data.update(overrides)
    return make_jobseeker(**data)


def candidates(per_person=None):
    per_person = per_person or {}
    return [
        Candidate(person(i, **per_person.get(i, {})), score, relocating=i in MOVING)
        for i, score in enumerate(SCORES)
    ]


def brute_force(pool, seats, max_relocating, fixed=()):
    """The best total over every subset of ``seats`` people that obeys the constraints."""
    best, choice = -1.0, None
    for subset in itertools.combinations(pool, seats):
        ids = {c.person.id for c in subset}
        if sum(c.relocating for c in subset) > max_relocating or not set(fixed) <= ids:
            continue
        total = sum(c.score for c in subset)
        if total > best + 1e-12:
            best, choice = total, ids
    return best, choice


FEASIBLE = [
    (seats, limit, fixed)
    for seats, limit, fixed in itertools.product(
        [1, 3, 5], [0, 1, 2], [(), ("J07",), ("J01", "J09")]
    )
    if len(fixed) <= seats and ("J01" not in fixed or limit >= 1)
]


@pytest.mark.parametrize("seats, max_relocating, fixed", FEASIBLE)
def test_seats_equal_brute_force(seats, max_relocating, fixed):
    need = make_need(kind="recruitment_training", positions=seats)
    pool = candidates()
    constraints = Constraints(max_relocating=max_relocating, fixed=frozenset(fixed))
    cohort = build(need, pool, constraints)
    best, choice = brute_force(pool, seats, max_relocating, fixed)
    assert {m.jobseeker_id for m in cohort.seats} == choice
    assert cohort.total_score == pytest.approx(best)


def test_hand_checked_optimum():
    # 3 seats, at most one relocating: J00 (0.91, moving) + J02 (0.86) + J04 (0.80) = 2.57
    # beats the three best (two of them moving) and every other pair with J02.
    need = make_need(kind="recruitment_training", positions=3)
    cohort = build(need, candidates(), Constraints(max_relocating=1, reserves=2))
    assert [m.jobseeker_id for m in cohort.seats] == ["J00", "J02", "J04"]
    assert cohort.total_score == pytest.approx(2.57)
    assert [m.jobseeker_id for m in cohort.reserves] == ["J01", "J03"]
    codes = {m.jobseeker_id: m.reasons[0].code for m in cohort.near_misses}
    assert codes["J05"] == "below_last_seat"


def test_relocation_limit_is_named_for_the_better_person_left_out():
    need = make_need(kind="recruitment_training", positions=3)
    cohort = build(need, candidates(), Constraints(max_relocating=1))
    codes = {m.jobseeker_id: m.reasons[0].code for m in cohort.near_misses}
    assert codes["J01"] == "relocation_limit"


def test_nobody_sits_in_two_cohorts():
    first_need = make_need(id="N1", kind="recruitment_training", positions=4)
    second_need = make_need(id="N2", kind="recruitment_training", positions=4)
    pool = candidates()
    first = build(first_need, pool)
    taken = {m.jobseeker_id for m in first.seats}
    second = build(second_need, pool, taken=taken)
    assert not taken & {m.jobseeker_id for m in second.seats}
    assert not taken & {m.jobseeker_id for m in second.reserves}
    barred = {m.jobseeker_id for m in second.near_misses if m.reasons[0].code == "in_other_cohort"}
    assert barred == taken


def test_language_minimum_holds():
    weak = {i: {"languages": [{"language": "fi", "level": "A2"}]} for i in (0, 2, 4)}
    need = make_need(kind="recruitment_training", positions=4)
    cohort = build(need, candidates(weak), Constraints(language="fi", level="B1", reserves=3))
    chosen = [*cohort.seats, *cohort.reserves]
    assert not {m.jobseeker_id for m in chosen} & {"J00", "J02", "J04"}
    below = [m for m in cohort.near_misses if m.reasons[0].code == "language_below"]
    assert {m.jobseeker_id for m in below} == {"J00", "J02", "J04"}
    assert below[0].reasons[0].params == {"language": "fi", "level": "B1", "has": "A2"}


def test_start_date_and_exclusion_hold():
    late = {1: {"available_from": "2027-03-01"}}
    need = make_need(kind="apprenticeship", positions=3)
    constraints = Constraints(start_by=dt.date(2027, 1, 15), excluded=frozenset({"J00"}))
    cohort = build(need, candidates(late), constraints)
    assert {m.jobseeker_id for m in cohort.seats} == {"J02", "J03", "J04"}


def test_fewer_eligible_than_seats_fills_what_it_can():
    need = make_need(kind="recruitment_training", positions=12)
    cohort = build(need, candidates()[:5], Constraints(max_relocating=1))
    # Three of the five would relocate and only one may: two stay-at-home people and one mover.
    assert len(cohort.seats) == 3
    assert sum(m.relocating for m in cohort.seats) == 1


@pytest.mark.parametrize(
    "constraints, field",
    [
        (Constraints(fixed=frozenset({"nobody"})), "fixed"),
        (Constraints(fixed=frozenset({"J00", "J01"}), max_relocating=1), "fixed"),
    ],
)
def test_impossible_fixes_name_the_field(constraints, field):
    need = make_need(kind="recruitment_training", positions=3)
    with pytest.raises(InvalidInput) as error:
        build(need, candidates(), constraints)
    assert error.value.field == field


def test_a_fixed_person_who_fails_a_constraint_is_refused():
    weak = {0: {"languages": [{"language": "fi", "level": "A1"}]}}
    constraints = Constraints(language="fi", level="B1", fixed=frozenset({"J00"}))
    with pytest.raises(InvalidInput, match="language_below"):
        build(make_need(positions=2), candidates(weak), constraints)


def test_relocating_reads_the_commute_limit():
    need = make_need(municipality="Vaasa")
    assert not relocating(need, make_jobseeker(municipality="Mustasaari"))
    assert relocating(need, make_jobseeker(municipality="Helsinki", relocate=True))


def test_a_near_miss_above_a_fixed_person_is_told_they_made_room():
    need = make_need(kind="recruitment_training", positions=2)
    cohort = build(need, candidates(), Constraints(fixed=frozenset({"J09"})))
    assert [m.jobseeker_id for m in cohort.seats] == ["J00", "J09"]
    first_left = cohort.near_misses[0]
    assert first_left.jobseeker_id == "J01"
    assert [r.code for r in first_left.reasons] == ["below_last_seat", "room_for_fixed"]
    assert first_left.reasons[0].params["gap"] == pytest.approx(0.03)
