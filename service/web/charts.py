"""Numbers shaped for the pages' inline SVG bar charts (drawn by templates/web/charts.html)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def contribution_bars(features: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each feature with its bar: start and width in percent of the track, scaled to the
    largest contribution; a zero line in the middle when some contribution is negative."""
    largest = max((abs(f["contribution"]) for f in features), default=0.0) or 1.0
    signed = any(f["contribution"] < 0 for f in features)
    zero, span = (50.0, 50.0) if signed else (0.0, 100.0)
    bars = []
    for feature in features:
        width = abs(feature["contribution"]) / largest * span
        start = zero - width if feature["contribution"] < 0 else zero
        bars.append({**feature, "x": round(start, 2), "width": round(width, 2), "zero": zero})
    return bars


def bar_width(value: float | None, largest: float) -> float:
    """A bar's length in percent of the track (0 for no value)."""
    return round(abs(value or 0) / (largest or 1) * 100, 2)


def outcome_charts(report: Mapping[str, Any]) -> dict[str, Any]:
    """The outcome report as one funnel chart per service path (people per stage, and the
    share of the path's jobseekers) and a path × need kind table with a bar in each cell."""
    stages = list(report["by_path"][0]["shares"]) if report["by_path"] else []
    paths = []
    for row in report["by_path"]:
        largest = max((row[s] for s in stages), default=0)
        bars = [
            {
                "stage": s,
                "value": row[s],
                "share": row["shares"][s],
                "width": bar_width(row[s], largest),
            }
            for s in stages
        ]
        paths.append({"path": row["service_path"], "jobseekers": row["jobseekers"], "bars": bars})
    largest = {s: max((r[s] for r in report["by_path_and_kind"]), default=0) for s in stages}
    table = [
        {
            "path": row["service_path"],
            "kind": row["need_kind"],
            "cells": [{"value": row[s], "width": bar_width(row[s], largest[s])} for s in stages],
        }
        for row in report["by_path_and_kind"]
    ]
    return {"stages": stages, "paths": paths, "table": table}


def fairness_charts(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The fairness report as, per self-reported attribute and slice (all needs, each kind),
    one chart per measure of each group's impact ratio against the four-fifths line."""
    largest = _largest_ratio(report)
    return [
        {
            "attribute": attribute,
            "slices": [
                _slice(attribute, name, measures, largest)
                for name, measures in slices.items()
                if measures
            ],
        }
        for attribute, slices in report["attributes"].items()
    ]


def _slice(attribute: str, name: str, measures: Mapping[str, list], largest: float) -> dict:
    charts = _measures(measures, largest)
    for chart in charts:
        chart["anchor"] = f"fairness-{attribute}-{name}-{chart['measure']}"
    return {"slice": name, "measures": charts, "flagged": sum(c["flagged"] for c in charts)}


def flagged_groups(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every group flagged on the fairness charts, with where its chart is (``anchor``), in
    the order the charts come: what the page's banner lists."""
    return [
        {
            "attribute": attribute["attribute"],
            "slice": part["slice"],
            "measure": chart["measure"],
            "anchor": chart["anchor"],
            **row,
        }
        for attribute in charts
        for part in attribute["slices"]
        for chart in part["measures"]
        for row in chart["rows"]
        if row["flagged"]
    ]


def threshold_position(report: Mapping[str, Any]) -> float:
    """Where the four-fifths line stands on the fairness charts' track, in percent."""
    return bar_width(report["threshold"], _largest_ratio(report))


def _measures(measures: Mapping[str, list], largest: float) -> list[dict[str, Any]]:
    return [
        {
            "measure": measure,
            "rows": [{**r, "width": bar_width(r["impact_ratio"], largest)} for r in rows],
            "flagged": sum(1 for r in rows if r["flagged"]),
        }
        for measure, rows in measures.items()
    ]


def _largest_ratio(report: Mapping[str, Any]) -> float:
    """The scale of the fairness charts: ratio 1 (the most favoured group), or more."""
    return max([1.0, *(r["impact_ratio"] or 0 for r in _all_rates(report))])


def _all_rates(report: Mapping[str, Any]):
    for slices in report["attributes"].values():
        for measures in slices.values():
            for rows in measures.values():
                yield from rows


SERIES_WIDTH, SERIES_HEIGHT, SERIES_LEFT, SERIES_TOP = 760, 200, 40, 10
# Month labels stand at least this far apart (a long period labels every second month, …).
LABEL_SPACING = 64


def series_chart(series: Sequence[Mapping[str, Any]], stages: Sequence[str]) -> dict[str, Any]:
    """A monthly series as lines for an inline SVG chart: per line (people served, then each
    stage) its points, and the months' x positions, scaled to the largest count."""
    names = ["served", *stages]
    values = {n: [r["served"] if n == "served" else r["counts"][n] for r in series] for n in names}
    largest = max((v for vs in values.values() for v in vs), default=0) or 1
    step = (SERIES_WIDTH - SERIES_LEFT - 40) / max(len(series) - 1, 1)
    xs = [round(SERIES_LEFT + i * step, 1) for i in range(len(series))]

    def y(value: int) -> float:
        return round(SERIES_TOP + (1 - value / largest) * SERIES_HEIGHT, 1)

    lines = [
        {
            "name": n,
            "index": i,
            "points": " ".join(f"{x},{y(v)}" for x, v in zip(xs, values[n], strict=True)),
        }
        for i, n in enumerate(names)
    ]
    every = max(1, math.ceil(LABEL_SPACING / step))
    months = [
        {"month": r["month"], "x": x, "label": i % every == 0}
        for i, (r, x) in enumerate(zip(series, xs, strict=True))
    ]
    return {
        "lines": lines,
        "months": months,
        "largest": largest,
        "width": SERIES_WIDTH,
        "height": SERIES_HEIGHT + SERIES_TOP + 30,
        "bottom": SERIES_TOP + SERIES_HEIGHT,
        "left": SERIES_LEFT,
    }


def stage_bars(totals: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each stage of a programme report's totals as a bar of its share of the people served."""
    return [
        {
            "stage": stage,
            "value": count,
            "share": totals["shares"][stage],
            "width": bar_width(totals["shares"][stage], 1.0),
        }
        for stage, count in totals["counts"].items()
    ]
