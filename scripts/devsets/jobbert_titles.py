"""Build a development relevance set for ``matcher evaluate --dataset`` from real English
vacancy titles: the JobBERT evaluation dataset.

Needs are ESCO occupations named by their English, Finnish or Swedish preferred label (in
turn), with a few of their essential skills in the same language. People are real vacancy
titles from a governmental job board, as collected for the JobBERT paper and each tagged with
one ESCO occupation, each as a person whose headline is the title and nothing else. Grades as
in ``melo_titles.py``: the title's occupation is the need's 3, the same ISCO 4-digit group 2,
the same 3-digit group 1. Every need is remote and nobody has dates, so text is what the engine
compares. It measures English titles as employers write them ("SALES EXECUTIVE MANAGER",
"Digital Marketing & Social Media") against occupations named in the region's languages.

    git clone https://github.com/jensjorisdecorte/JobBERT-evaluation-dataset jobbert
    git -C jobbert checkout 127d5e4
    python scripts/devsets/jobbert_titles.py --titles jobbert/titles.csv --esco ../shared/esco

The set is written to ``var/devsets/jobbert-en/`` and not committed: the source states no
licence, so only this script is.
"""

from __future__ import annotations

import csv
from pathlib import Path

from melo_titles import titled_cli

LANGUAGES = ("en", "fi", "sv")


def titles(path: Path) -> list[tuple[str, str, str]]:
    """``(row id, vacancy title, tagged ESCO occupation URI)`` of every row of the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row[""], row["vacancyTitle"], row["conceptUri"]) for row in csv.DictReader(handle)]


README = """# JobBERT vacancy titles: a development set for `matcher evaluate --dataset`

Built by `scripts/devsets/jobbert_titles.py --needs {needs} --people {people} --seed {seed}`
from `{titles}` and the ESCO v1.1.1 CSV files in `{esco}`. Not committed: the script rebuilds it.

Sources:
- People and relevance: the JobBERT evaluation dataset (Decorte et al., "JobBERT:
  Understanding Job Titles through Skills", 2021), repository
  jensjorisdecorte/JobBERT-evaluation-dataset, commit 127d5e4, path `titles.csv` (the split
  the paper used for validation; `titles.test.csv` is left alone): vacancy titles collected
  from a governmental job board (myfuturejobs.gov.my), each tagged with an ESCO occupation.
  The repository states no licence: the set is used for development here and not
  redistributed.
- Needs: ESCO v1.1.1, European Commission, free to reuse with the source acknowledged
  (Commission Decision 2011/833/EU): `occupations_{{en,fi,sv}}.csv` (preferred labels),
  `skills_{{en,fi,sv}}.csv`, `occupationSkillRelations.csv`, `occupations_en.csv` (ISCO
  groups); see that folder's README.md for its own sources.

Contents:
- `needs.jsonl` ({n_needs}): ESCO occupations with at least three essential skills that at
  least one title is tagged with, by their preferred label in English, Finnish and Swedish in
  turn, with at most {per_need} of their essential skills in the need's language as required
  skills.
- `people.jsonl` ({n_people}): real vacancy titles in English, each a person whose `headline`
  is the title and nothing else: every title tagged with a need's occupation, and a random
  sample of the others.
- `relevance.jsonl` ({n_judgements}): the title's ESCO occupation is the need's: 3; the same
  ISCO 4-digit group: 2; the same 3-digit group: 1; everything else unjudged (0).

Every need is `remote: true` in Vaasa and every person is in Vaasa without dates, so the
engine's hard rules exclude nobody and text is what is compared. The titles were tagged
automatically by the dataset's authors; some tags are loose ("Talent Executive" as a
marketing occupation), which bounds what any ranker can reach.
"""


def main(argv: list[str] | None = None) -> None:
    """Read the titles and the ESCO folder, build the set, write it."""
    description = __doc__.splitlines()[0]
    out = "var/devsets/jobbert-en"
    titled_cli(argv, description, "titles", titles, README, out, languages=LANGUAGES, said="en")


if __name__ == "__main__":
    main()
