"""Reading companies, needs, jobseekers and relevance labels from JSON Lines files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from matcher.domain import Company, Jobseeker, Need
from matcher.exceptions import InvalidInput
from matcher.jsontext import UnreadableJSON, json_value

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "fixtures"


@dataclass
class Dataset:
    """Everything the engine is evaluated on: entities, graded labels and the reference date."""

    companies: list[Company]
    needs: list[Need]
    jobseekers: list[Jobseeker]
    labels: dict[str, dict[str, int]] = field(default_factory=dict)
    as_of: dt.date | None = None

    def need(self, need_id: str) -> Need:
        """The need with ``need_id``."""
        for need in self.needs:
            if need.id == need_id:
                return need
        raise InvalidInput(f"no need {need_id!r}", field="need")


def read_jsonl(path: Path, build):
    """Objects built by ``build`` from each line of ``path``; errors name the file and line
    (:func:`~matcher.jsontext.json_value`: invalid UTF-8, nesting too deep and numbers too
    long are errors like any other)."""
    out = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(build(json_value(line)))
            except UnreadableJSON as error:
                raise InvalidInput(f"{path.name}:{number}: {error.reason}") from None
            except InvalidInput as error:
                raise InvalidInput(
                    f"{path.name}:{number}: {error.message}", field=error.field
                ) from None
    return out


def load_dataset(directory: str | Path = FIXTURES) -> Dataset:
    """Read ``companies.jsonl``, ``needs.jsonl``, ``jobseekers.jsonl`` and, when present,
    ``labels.jsonl`` and ``meta.json`` (its ``as_of`` date) from ``directory``."""
    directory = Path(directory)
    for name in ("companies.jsonl", "needs.jsonl", "jobseekers.jsonl"):
        if not (directory / name).is_file():
            raise InvalidInput(f"{directory} has no {name}", field="data")
    companies = read_jsonl(directory / "companies.jsonl", Company.from_dict)
    needs = read_jsonl(directory / "needs.jsonl", Need.from_dict)
    jobseekers = read_jsonl(directory / "jobseekers.jsonl", Jobseeker.from_dict)
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    if (directory / "labels.jsonl").is_file():
        ids = ({n.id for n in needs}, {p.id for p in jobseekers})
        for need, person, grade in read_jsonl(directory / "labels.jsonl", _judgement(ids)):
            labels[need][person] = grade
    return Dataset(companies, needs, jobseekers, dict(labels), _as_of(directory / "meta.json"))


def _as_of(path: Path) -> dt.date | None:
    """The ``as_of`` date of a data folder's ``meta.json``; None without one."""
    if not path.is_file():
        return None
    try:
        meta = json_value(path.read_bytes())
    except UnreadableJSON as error:
        raise InvalidInput(f"{path.name}: {error.reason}", field="as_of") from None
    as_of = meta.get("as_of") if isinstance(meta, dict) else None
    try:
        return dt.date.fromisoformat(as_of) if as_of else None
    except (TypeError, ValueError):
        message = f"{path.name}: as_of must be a date (YYYY-MM-DD)"
        raise InvalidInput(message, field="as_of") from None


@dataclass
class RelevanceSet:
    """An open relevance data set (``matcher evaluate --dataset``): needs, people and graded
    judgements ``grades[need_id][jobseeker_id]`` from 0 (not relevant) to 3."""

    needs: list[Need]
    people: list[Jobseeker]
    grades: dict[str, dict[str, int]]
    source: str


def _need(data: dict) -> Need:
    # Open data sets have no companies; the engine never reads the company.
    return Need.from_dict({"company_id": "dataset", **data})


def _judgement(ids: tuple[set[str], set[str]]):
    needs, people = ids

    def build(row) -> tuple[str, str, int]:
        if not isinstance(row, dict):
            raise InvalidInput("must be a JSON object", field="relevance")
        need, person, grade = row.get("need_id"), row.get("jobseeker_id"), row.get("grade")
        if need not in needs:
            raise InvalidInput(f"unknown need {need!r}", field="need_id")
        if person not in people:
            raise InvalidInput(f"unknown jobseeker {person!r}", field="jobseeker_id")
        if isinstance(grade, bool) or grade not in (0, 1, 2, 3):
            raise InvalidInput("must be 0, 1, 2 or 3", field="grade")
        return need, person, grade

    return build


def load_relevance_set(directory: str | Path) -> RelevanceSet:
    """Read ``needs.jsonl``, ``people.jsonl``, ``relevance.jsonl`` and ``README.md`` (the
    source) from ``directory``; errors name the file, the line and the field."""
    directory = Path(directory)
    for name in ("needs.jsonl", "people.jsonl", "relevance.jsonl", "README.md"):
        if not (directory / name).is_file():
            raise InvalidInput(f"{directory} has no {name}", field="dataset")
    needs = read_jsonl(directory / "needs.jsonl", _need)
    people = read_jsonl(directory / "people.jsonl", Jobseeker.from_dict)
    ids = ({n.id for n in needs}, {p.id for p in people})
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for need, person, grade in read_jsonl(directory / "relevance.jsonl", _judgement(ids)):
        grades[need][person] = grade
    source = (directory / "README.md").read_text("utf-8")
    return RelevanceSet(needs, people, dict(grades), source)
