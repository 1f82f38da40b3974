"""Reading companies, needs, jobseekers and relevance labels from JSON Lines files."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from matcher.domain import Company, Jobseeker, Need
from matcher.exceptions import InvalidInput

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
    """Objects built by ``build`` from each line of ``path``; errors name the file and line."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(build(json.loads(line)))
            except json.JSONDecodeError as error:
                raise InvalidInput(f"{path.name}:{number}: invalid JSON ({error.msg})") from None
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
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    if (directory / "labels.jsonl").is_file():
        for row in read_jsonl(directory / "labels.jsonl", dict):
            labels[row["need_id"]][row["jobseeker_id"]] = int(row["grade"])
    meta = directory / "meta.json"
    as_of = json.loads(meta.read_text("utf-8")).get("as_of") if meta.is_file() else None
    return Dataset(
        companies=read_jsonl(directory / "companies.jsonl", Company.from_dict),
        needs=read_jsonl(directory / "needs.jsonl", Need.from_dict),
        jobseekers=read_jsonl(directory / "jobseekers.jsonl", Jobseeker.from_dict),
        labels=dict(labels),
        as_of=dt.date.fromisoformat(as_of) if as_of else None,
    )
