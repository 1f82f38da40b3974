"""Impact ratios of groups, the NYC Local Law 144 way, with the four-fifths rule.

For each group, a *rate*: the share of its rows that were selected (a score above the overall
median, a place on the shortlist, a good outcome). The impact ratio of a group is its rate
over the rate of the most favoured group; a ratio below 0.8 is flagged. A group with too few
people is reported with a note and neither flagged nor used as the most favoured group.

The groups come from what jobseekers chose to self-report; they are inputs to this report
only and never to scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

FOUR_FIFTHS = 0.8
NOT_REPORTED = "not reported"


@dataclass(frozen=True)
class GroupRate:
    """One group's selection rate and impact ratio."""

    group: str
    people: int
    rows: int
    selected: int
    rate: float
    impact_ratio: float | None
    flagged: bool
    note: str | None = None


def impact_ratios(
    groups: Sequence[str | None],
    people: Sequence[str],
    selected: np.ndarray,
    *,
    min_people: int = 10,
    threshold: float = FOUR_FIFTHS,
) -> list[GroupRate]:
    """Rates and impact ratios of each group over rows (one row per scored pair or outcome).

    ``groups[i]`` is row ``i``'s group (None when not reported), ``people[i]`` its person,
    ``selected[i]`` whether it was selected. A group with fewer than ``min_people`` distinct
    people, or under 2 % of them, is too small to judge.
    """
    groups = np.array([NOT_REPORTED if g is None else g for g in groups], dtype=object)
    people = np.asarray(people, dtype=object)
    selected = np.asarray(selected, dtype=bool)
    everyone = len(set(people))
    floor = max(min_people, int(np.ceil(0.02 * everyone)))
    stats = {}
    for group in sorted(set(groups)):
        rows = groups == group
        stats[group] = (len(set(people[rows])), int(rows.sum()), int(selected[rows].sum()))
    judged = {g: s for g, s in stats.items() if g != NOT_REPORTED and s[0] >= floor}
    best = max((s[2] / s[1] for s in judged.values()), default=0.0)
    out = []
    for group, (persons, rows, chosen) in stats.items():
        rate = chosen / rows if rows else 0.0
        ratio, note = None, None
        if group == NOT_REPORTED:
            note = "not reported: not compared"
        elif group not in judged:
            note = f"too small to judge ({persons} people; at least {floor} needed)"
        elif best > 0:
            ratio = round(rate / best, 3)
        out.append(
            GroupRate(
                group,
                persons,
                rows,
                chosen,
                round(rate, 4),
                ratio,
                ratio is not None and ratio < threshold,
                note,
            )
        )
    return out


def above_median(scores: np.ndarray) -> np.ndarray:
    """Which scores are above the median of all of them (the Local Law 144 scoring rate)."""
    scores = np.asarray(scores, dtype=float)
    return scores > np.median(scores) if len(scores) else np.zeros(0, dtype=bool)


def rates_table(rates: list[GroupRate]) -> list[dict]:
    """The rates as plain dicts (for JSON)."""
    return [asdict(r) for r in rates]
