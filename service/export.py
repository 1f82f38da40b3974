"""Candidate lists as spreadsheets: CSV and XLSX, one row per candidate with the explanation
in columns (the contribution of each feature in its own)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from openpyxl import Workbook

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV, "xlsx": XLSX}
# How the OpenAPI document describes a list sent as a file.
SPREADSHEET_CONTENT = {
    CSV: {"schema": {"type": "string"}},
    XLSX: {"schema": {"type": "string", "format": "binary"}},
}
COLUMNS = (
    "rank",
    "ref",
    "id",
    "name",
    "municipality",
    "score",
    "score_with_remedy",
    "excluded",
    "decision",
    "matched_skills",
    "missing_skills",
    "unmet_requirements",
    "unmet_preferences",
    "suggestion",
)
# A cell starting with one of these is read as a formula by spreadsheet programs: such text
# (a name, a skill someone typed) is written with a leading apostrophe, as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Labels:
    """How a file names its columns and the codes in its cells: by the codes themselves
    (the API's files, which programs read; the default), or in a reader's words (the pages'
    files, which people open)."""

    column: Callable[[str], str] = str
    feature: Callable[[str], str] = "feature:{}".format
    flag: Callable[[bool], Any] = bool
    decision: Callable[[str], str] = str
    requirement: Callable[[str], str] = str
    municipality: Callable[[str], str] = str


def candidate_table(items: Sequence[dict[str, Any]], labels: Labels = Labels()) -> list[list[Any]]:
    """The header and one row per candidate; the features are the columns ``feature:NAME``,
    each holding its contribution to the score (named by ``labels``)."""
    features = list(
        dict.fromkeys(f["name"] for item in items for f in item["explanation"]["features"])
    )
    header = [*map(labels.column, COLUMNS), *map(labels.feature, features)]
    return [header, *(_row(item, features, labels) for item in items)]


def _row(item: dict[str, Any], features: list[str], labels: Labels) -> list[Any]:
    candidate, why = item["candidate"], item["explanation"]
    contributions = {f["name"]: f["contribution"] for f in why["features"]}
    decision = item.get("decision")
    unmet = (f"{labels.requirement(r['field'])}: {r['reason']}" for r in why["unmet_requirements"])
    return [
        item["rank"],
        candidate["ref"],
        candidate["id"],
        candidate["name"],
        labels.municipality(candidate["municipality"]) if candidate["municipality"] else None,
        item["score"],
        item.get("score_with_remedy"),
        labels.flag(item["excluded"]),
        labels.decision(decision["action"]) if decision else None,
        _joined(_matched(m) for m in why["matched_skills"]),
        _joined(m["need_skill"] for m in why["missing_skills"]),
        _joined(unmet),
        _joined(why["unmet_preferences"]),
        why["suggestion"],
        *(contributions.get(name) for name in features),
    ]


def _matched(match: dict[str, Any]) -> str:
    evidence = match.get("evidence")
    return f"{match['need_skill']} ({evidence})" if evidence else match["need_skill"]


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values)


def plain(value: Any) -> Any:
    """A cell's value with text that would start a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: list[list[Any]]) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark, so spreadsheet programs read å, ä, ö."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if v is None else plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(table: list[list[Any]], title: str = "candidates") -> bytes:
    """A table as an XLSX workbook of one sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in table:
        sheet.append([plain(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def spreadsheet(table: list[list[Any]], kind: str) -> bytes:
    """A table in the format ``kind`` (``csv`` or ``xlsx``)."""
    return to_csv(table) if kind == "csv" else to_xlsx(table)


def attachment(body: bytes, kind: str, name: str):
    """A download of a need's list ``body`` in format ``kind`` (named after the need)."""
    filename = re.sub(r"[^A-Za-z0-9_-]", "_", f"candidates-{name}") + f".{kind}"
    response = current_app.response_class(body, mimetype=FORMATS[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.vary.add("Accept")
    return response
