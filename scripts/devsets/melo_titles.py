"""Build a development relevance set for ``matcher evaluate --dataset`` from MELO's Swedish titles.

Needs are ESCO occupations named by their Swedish or English preferred label (in turn), with a
few of their essential skills in the same language. People are real Swedish job titles, the
queries of the MELO benchmark's ``swe_q_sv_c_sv`` set, each as a person whose headline is the
title and nothing else. MELO annotates each title with one ESCO concept: an occupation or an
ISCO group. Grades: the title's occupation is the need's 3; the same ISCO 4-digit group 2; the
same 3-digit group 1. Every need is remote and nobody has dates, so text is what the engine
compares, not its rules.

    git clone https://github.com/Avature/melo-benchmark && git -C melo-benchmark checkout 014982fe
    python scripts/devsets/melo_titles.py \\
        --melo melo-benchmark/data/processed/melo/swe_q_sv_c_sv --esco ../shared/esco

The set is written to ``var/devsets/melo-sv/`` and not committed (the script rebuilds it).
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

import numpy as np

# The sibling script (this folder is on the path when a script of it runs): one reader of
# ESCO's CSV files, of its occupation-skill relations, and one writer of a set.
from esco_occupations import read_csv, relations, write

LANGUAGES = ("sv", "en")
PLACE = {"municipality": "Vaasa", "remote": True}
SKILLS_PER_NEED = 5
OCCUPATION, ISCO = "http://data.europa.eu/esco/occupation/", "http://data.europa.eu/esco/isco/C"


def read_tsv(path: Path) -> list[list[str]]:
    """The rows of one MELO TSV file (no header, no quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def titles(melo: Path) -> list[tuple[str, str, str]]:
    """``(query id, Swedish title, annotated ESCO concept URI)`` of every MELO query."""
    concept = dict(read_tsv(melo / "concept_mapping.tsv"))
    annotated = {row[0]: concept[row[2]] for row in read_tsv(melo / "annotations.tsv")}
    return [(q, text, annotated[q]) for q, text in read_tsv(melo / "queries.tsv") if q in annotated]


def isco_of(uri: str, occupation_isco: dict[str, str]) -> str:
    """The ISCO code of an ESCO occupation or ISCO group URI ('' when unknown)."""
    if uri.startswith(ISCO):
        return uri[len(ISCO) :]
    return occupation_isco.get(uri, "")


def grade(need_uri: str, need_isco: str, uri: str, isco: str) -> int:
    """3 the same occupation, 2 the same ISCO 4-digit group, 1 the same 3-digit group, else 0."""
    if uri == need_uri:
        return 3
    if len(isco) == 4 and isco == need_isco:
        return 2
    return 1 if len(isco) >= 3 and isco[:3] == need_isco[:3] else 0


def esco(directory: Path, languages: tuple[str, ...] = LANGUAGES):
    """Preferred labels ``{language: {uri: label}}`` of occupations and skills, the ISCO group
    of each occupation, and each occupation's essential skills."""
    occupations, skills = {}, {}
    for language in languages:
        rows = read_csv(directory / f"occupations_{language}.csv")
        occupations[language] = {r["conceptUri"]: r["preferredLabel"] for r in rows}
        rows = read_csv(directory / f"skills_{language}.csv")
        skills[language] = {r["conceptUri"]: r["preferredLabel"] for r in rows}
    isco = {r["conceptUri"]: r["iscoGroup"] for r in read_csv(directory / "occupations_en.csv")}
    essential = defaultdict(list, {o: r["essential"] for o, r in relations(directory).items()})
    return occupations, skills, isco, essential


def titled_set(
    rows, directory: Path, needs: int, people: int, seed: int, languages=LANGUAGES, said="sv"
):
    """Needs, people and judgements from real job titles ``rows`` (``(id, title, annotated
    ESCO URI)``, written in the language ``said``): needs are ESCO occupations the titles are
    annotated with, by their preferred label in each of ``languages`` in turn."""
    rng = np.random.default_rng(seed)
    occupations, skills, isco, essential = esco(directory, languages)
    uris = sorted({u for _, _, u in rows if u in isco and len(essential[u]) >= 3})
    chosen = [uris[i] for i in sorted(rng.choice(len(uris), min(needs, len(uris)), False))]
    need_rows = [
        (
            _need(f"N{k:04d}", uri, languages[k % len(languages)], occupations, skills, essential),
            uri,
        )
        for k, uri in enumerate(chosen)
    ]
    # Shuffled, so that ids (which break ties) say nothing of the source's order.
    picked = rng.permutation(_people(rows, set(chosen), people, rng))
    person_rows = [
        (_person(f"P{k:05d}", rows[i][1], said), rows[i][2]) for k, i in enumerate(picked)
    ]
    return (
        [n for n, _ in need_rows],
        [p for p, _ in person_rows],
        _grades(need_rows, person_rows, isco),
    )


def _people(rows, need_uris: set[str], size: int, rng) -> list[int]:
    """Positions of the titles to use: every title of a need's occupation, then a random
    sample of the others up to ``size`` in all."""
    relevant = [i for i, (_, _, uri) in enumerate(rows) if uri in need_uris]
    others = [i for i in range(len(rows)) if rows[i][2] not in need_uris]
    extra = max(0, min(size - len(relevant), len(others)))
    return sorted(relevant + [others[i] for i in rng.choice(len(others), extra, False)])


def _need(identifier, uri, language, occupations, skills, essential) -> dict:
    names = [skills[language][s] for s in essential[uri] if s in skills[language]]
    return {
        "id": identifier,
        "kind": "vacancy",
        "title": occupations[language][uri],
        "required_skills": names[:SKILLS_PER_NEED],
        "text_language": language,
        **PLACE,
    }


def _person(identifier: str, title: str, language: str = "sv") -> dict:
    return {"id": identifier, "headline": title, "text_language": language, **PLACE}


def _grades(needs, people, isco: dict[str, str]) -> list[dict]:
    """Every (need, person) pair with a grade above 0."""
    rows = []
    for need, need_uri in needs:
        for person, uri in people:
            value = grade(need_uri, isco[need_uri], uri, isco_of(uri, isco))
            if value:
                rows.append({"need_id": need["id"], "jobseeker_id": person["id"], "grade": value})
    return rows


README = """# MELO Swedish job titles: a development set for `matcher evaluate --dataset`

Built by `scripts/devsets/melo_titles.py --needs {needs} --people {people} --seed {seed}` from
MELO's `{melo}` and the ESCO v1.1.1 CSV files in `{esco}`. Not committed: the script rebuilds it.

Sources:
- People and relevance: the MELO benchmark (Multilingual Entity Linking of Occupations),
  repository Avature/melo-benchmark, commit 014982fe, licence MIT; paths
  `data/processed/melo/swe_q_sv_c_sv/queries.tsv` (Swedish job titles),
  `annotations.tsv` (each title's ESCO concept) and `concept_mapping.tsv` (concept → URI).
  MELO publishes this as an evaluation set; it has no training split. Here it is used for
  development only.
- Needs: ESCO v1.1.1, European Commission, free to reuse with the source acknowledged
  (Commission Decision 2011/833/EU): `occupations_{{sv,en}}.csv` (preferred labels),
  `skills_{{sv,en}}.csv`, `occupationSkillRelations.csv`, `occupations_en.csv` (ISCO groups);
  see that folder's README.md for its own sources.

Contents:
- `needs.jsonl` ({n_needs}): ESCO occupations with at least three essential skills that MELO
  annotates at least one title with, by
  their preferred label in Swedish and English in turn, with at most {per_need} of their
  essential skills in the need's language as required skills.
- `people.jsonl` ({n_people}): real Swedish job titles, each a person whose `headline` is the
  title and nothing else: every title annotated with a need's occupation, and a random sample
  of the others.
- `relevance.jsonl` ({n_judgements}): the title's ESCO occupation is the need's: 3; the same
  ISCO 4-digit group (of the title's occupation, or the ISCO group MELO annotates it with): 2;
  the same 3-digit group: 1; everything else unjudged (0).

Every need is `remote: true` in Vaasa and every person is in Vaasa without dates, so the
engine's hard rules exclude nobody and text is what is compared.

**Leak:** the `altLabels` of `occupations_sv.csv` hold MELO's Swedish surface forms, that is,
these very titles. Evaluate with the engine's embedded vocabulary only (no `--vocabulary`
built from that folder by `matcher taxonomy import-esco`): an engine that imports those
altLabels sees the answers.
"""


def titled_cli(argv, description: str, source: str, read, readme: str, out: str, **where):
    """The command line of a set built from real titles: the option ``--source`` names the
    file or folder that ``read`` turns into ``(id, title, ESCO URI)`` rows; ``where`` are
    :func:`titled_set`'s ``languages`` and ``said``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(f"--{source}", type=Path, required=True, help="the titles' source")
    parser.add_argument("--esco", type=Path, default=Path("../shared/esco"))
    parser.add_argument("--out", type=Path, default=Path(out))
    parser.add_argument("--needs", type=int, default=150)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rows = read(getattr(args, source))
    made = titled_set(rows, args.esco, args.needs, args.people, args.seed, **where)
    needs, people, judgements = made
    text = readme.format(
        needs=args.needs,
        people=args.people,
        seed=args.seed,
        esco=args.esco,
        n_needs=len(needs),
        n_people=len(people),
        n_judgements=len(judgements),
        per_need=SKILLS_PER_NEED,
        **{source: getattr(args, source)},
    )
    write(args.out, needs, people, judgements, text)
    print(f"{len(needs)} needs, {len(people)} people, {len(judgements)} judgements in {args.out}")


def main(argv: list[str] | None = None) -> None:
    """Read MELO's Swedish set and the ESCO folder, build the set, write it."""
    titled_cli(argv, __doc__.splitlines()[0], "melo", titles, README, "var/devsets/melo-sv")


if __name__ == "__main__":
    main()
