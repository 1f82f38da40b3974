"""Build a development relevance set for ``matcher evaluate --dataset`` from ESCO's CSVs.

Needs are ESCO occupations named by their preferred label in English, Finnish or Swedish, with
their essential skills as required skills. People are every ESCO occupation, each described by
one of its alternative labels (the preferred label where there is none: ESCO has no Finnish
alternative labels) and a sample of its essential and optional skills, in another language than
the need of the same occupation. Grades: the same occupation 3, the same ISCO 4-digit group 2,
the same 3-digit group 1. Every need is remote and nobody has dates, so text is what the engine
compares, not its rules.

    python scripts/devsets/esco_occupations.py --esco ../shared/esco

ESCO is reference data read from a folder; the set is written to ``var/devsets/`` and not
committed.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

LANGUAGES = ("en", "fi", "sv")
PLACE = {"municipality": "Vaasa", "remote": True}
SKILLS_PER_PERSON = 6


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of one ESCO CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def labels(directory: Path, kind: str) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """``{language: {uri: (preferred label, alternative labels)}}`` of occupations or skills."""
    out = {}
    for language in LANGUAGES:
        rows = read_csv(directory / f"{kind}_{language}.csv")
        out[language] = {
            r["conceptUri"]: (r["preferredLabel"], [a for a in r["altLabels"].split("\n") if a])
            for r in rows
        }
    return out


def relations(directory: Path) -> dict[str, dict[str, list[str]]]:
    """``{occupation uri: {"essential": [skill uri…], "optional": […]}}``."""
    path = directory / "occupationSkillRelations.csv"
    if not path.is_file():
        path = directory / "occupationSkillRelations_en.csv"
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in read_csv(path):
        out[row["occupationUri"]][row["relationType"]].append(row["skillUri"])
    return out


def build(directory: Path, needs: int, seed: int):
    """The set's needs, people and judgements."""
    rng = np.random.default_rng(seed)
    occupations, skills = labels(directory, "occupations"), labels(directory, "skills")
    related = relations(directory)
    isco = {r["conceptUri"]: r["iscoGroup"] for r in read_csv(directory / "occupations_en.csv")}
    uris = sorted(u for u in isco if len(related[u]["essential"]) >= 3)
    chosen = sorted(rng.choice(len(uris), size=min(needs, len(uris)), replace=False))
    need_language = {uris[i]: LANGUAGES[k % 3] for k, i in enumerate(chosen)}
    need_rows = [
        (_need(f"N{k:04d}", uri, language, occupations, skills, related), uri)
        for k, (uri, language) in enumerate(need_language.items())
    ]
    people = []
    for k, uri in enumerate(uris):
        others = [x for x in LANGUAGES if x != need_language.get(uri)]
        language = others[rng.integers(len(others))]
        people.append(_person(f"P{k:05d}", uri, language, occupations, skills, related, rng))
    judgements = _grades(need_rows, people, isco)
    return [n for n, _ in need_rows], [p for p, _ in people], judgements


def _need(identifier, uri, language, occupations, skills, related) -> dict:
    essential = [skills[language][s][0] for s in related[uri]["essential"] if s in skills[language]]
    return {
        "id": identifier,
        "kind": "vacancy",
        "title": occupations[language][uri][0],
        "required_skills": essential[:12],
        "text_language": language,
        **PLACE,
    }


def _person(identifier, uri, language, occupations, skills, related, rng) -> tuple[dict, str]:
    preferred, alternatives = occupations[language][uri]
    headline = alternatives[rng.integers(len(alternatives))] if alternatives else preferred
    pool = related[uri]["essential"] + related[uri]["optional"]
    pool = [s for s in pool if s in skills[language]]
    picked = rng.choice(len(pool), size=min(SKILLS_PER_PERSON, len(pool)), replace=False)
    person = {
        "id": identifier,
        "headline": headline,
        "skills": [skills[language][pool[i]][0] for i in sorted(picked)],
        "text_language": language,
        **PLACE,
    }
    return person, uri


def _grades(needs: list[tuple[dict, str]], people: list[tuple[dict, str]], isco: dict[str, str]):
    """Same occupation 3, same ISCO 4-digit group 2, same 3-digit group 1 (others unjudged)."""
    by_group: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person, uri in people:
        by_group[isco[uri][:3]].append((person["id"], uri))
    rows = []
    for need, uri in needs:
        for person_id, other in by_group[isco[uri][:3]]:
            grade = 3 if other == uri else 2 if isco[other] == isco[uri] else 1
            rows.append({"need_id": need["id"], "jobseeker_id": person_id, "grade": grade})
    return rows


README = """# ESCO occupations: a development set for `matcher evaluate --dataset`

Built by `scripts/devsets/esco_occupations.py --needs {needs} --seed {seed}` from the ESCO
v1.1.1 CSV files in `{esco}`. Not committed: ESCO is reference data read from a folder.

Source: ESCO v1.1.1, European Commission, free to reuse with the source acknowledged
(Commission Decision 2011/833/EU). English labels and the relations: the official download as
mirrored unchanged by repository tabiya-tech/tabiya-esco-datasets-and-tools, commit 1a8a32ef;
Finnish and Swedish preferred labels: repository Virtual-Finland-Development/esco-api, commit
88d4a3d3 (MIT); Swedish alternative occupation labels: repository Avature/melo-benchmark,
commit 014982fe (MIT). Paths: `occupations_{{en,fi,sv}}.csv`, `skills_{{en,fi,sv}}.csv`,
`occupationSkillRelations.csv` (see the folder's own README.md).

- `needs.jsonl` ({n_needs}): ESCO occupations by preferred label, in en, fi and sv in turn,
  with their essential skills (at most 12) as required skills.
- `people.jsonl` ({n_people}): every ESCO occupation with at least three essential skills,
  as a person whose headline is one of its alternative labels (the preferred label where
  ESCO has none, which is always the case in Finnish) and whose skills are {per_person} of its
  essential and optional skills, in a language other than the need of the same occupation.
- `relevance.jsonl` ({n_judgements}): the same occupation 3, the same ISCO 4-digit group 2,
  the same 3-digit group 1; everything else unjudged (0).

Every need is `remote: true` in Vaasa and every person is in Vaasa without dates, so the
engine's hard rules exclude nobody and text is what is compared. The set measures how well
occupation and skill labels are matched across languages, nothing about the rules. It is
built from ESCO's own labels: evaluating with ESCO imported as a vocabulary
(`--vocabulary var/taxonomy/esco.jsonl`) maps both sides to the very concepts they were made
from, which flatters the engine.
"""


def write(out: Path, needs, people, judgements, readme: str) -> None:
    """The set's four files in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("needs", needs), ("people", people), ("relevance", judgements)):
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        (out / f"{name}.jsonl").write_text(lines, encoding="utf-8")
    (out / "README.md").write_text(readme, encoding="utf-8")


def cli(argv, description: str, build, readme: str, out: str, needs: int, **extra) -> None:
    """The command line of a set built from ESCO: read the ESCO folder, build the set with
    ``build(esco, needs, seed)``, write it with ``readme`` filled in (``extra`` too)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--esco", type=Path, default=Path("../shared/esco"))
    parser.add_argument("--out", type=Path, default=Path(out))
    parser.add_argument("--needs", type=int, default=needs)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    made, people, judgements = build(args.esco, args.needs, args.seed)
    text = readme.format(
        needs=args.needs,
        seed=args.seed,
        esco=args.esco,
        n_needs=len(made),
        n_people=len(people),
        n_judgements=len(judgements),
        **extra,
    )
    write(args.out, made, people, judgements, text)
    print(f"{len(made)} needs, {len(people)} people, {len(judgements)} judgements in {args.out}")


def main(argv: list[str] | None = None) -> None:
    """Read the ESCO folder, build the set, write it."""
    description = __doc__.splitlines()[0]
    out, per_person = "var/devsets/esco-occupations", SKILLS_PER_PERSON
    cli(argv, description, build, README, out, 300, per_person=per_person)


if __name__ == "__main__":
    main()
