"""Build a free-text development set for ``matcher evaluate --dataset`` from ESCO's CSVs.

People are ESCO occupations described only in free text: a ``summary`` made of the
occupation's English description, with its own names blanked out so that the title cannot be
read off it. Needs are ESCO occupations as an employer would post them: every other need a
bare title (en, fi or sv in turn; the title is also its one required skill, as an API client
knowing only a title sends it), the others an English job ad, a ``description`` written
from the occupation's essential skills, with the title. Grades as in ``esco_occupations.py``:
the same occupation 3, the same ISCO 4-digit group 2, the same 3-digit group 1. It measures
what the engine finds in text that no vocabulary maps: what a résumé or an ad says in
sentences.

    python scripts/devsets/esco_descriptions.py --esco ../shared/esco

The set is written to ``var/devsets/esco-descriptions/`` and not committed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from matcher.text import scrub

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esco_occupations import LANGUAGES, PLACE, cli, labels, read_csv, relations  # noqa: E402
from esco_occupations import _grades as grades  # noqa: E402

AD_SKILLS = 8


def _blank(text: str, names: list[str]) -> str:
    """``text`` without the occupation's own names (longest first)."""
    for name in sorted({n for n in names if len(n) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(name) + r"s?\b", "they", text, flags=re.IGNORECASE)
    return text


def build(directory: Path, needs: int, seed: int):
    """The set's needs, people and judgements."""
    rng = np.random.default_rng(seed)
    occupations, skills = labels(directory, "occupations"), labels(directory, "skills")
    related = relations(directory)
    rows = {r["conceptUri"]: r for r in read_csv(directory / "occupations_en.csv")}
    isco = {uri: row["iscoGroup"] for uri, row in rows.items()}
    people = described_people(occupations, related, rows)
    uris = [uri for _, uri in people]
    chosen = sorted(rng.choice(len(uris), size=min(needs, len(uris)), replace=False))
    need_rows = [(_need(f"N{k:04d}", uris[i], k, occupations, skills, related), uris[i])
                 for k, i in enumerate(chosen)]
    return [n for n, _ in need_rows], [p for p, _ in people], grades(need_rows, people, isco)


def described_people(occupations, related, rows) -> list[tuple[dict, str]]:
    """The set's people, each with its occupation's URI: every occupation of ``rows``
    (``occupations_en.csv`` by URI) with a description and at least three essential skills
    (``related``), described by that description without its names (``occupations``: labels
    by language and URI)."""
    uris = sorted(u for u in rows if rows[u]["description"] and len(related[u]["essential"]) >= 3)
    people = []
    for k, uri in enumerate(uris):
        preferred, alternatives = occupations["en"][uri]
        # A few descriptions carry C1 control characters (mis-decoded quotes): replaced.
        summary = scrub(_blank(rows[uri]["description"], [preferred, *alternatives]))
        person = {"id": f"P{k:05d}", "summary": summary, "text_language": "en", **PLACE}
        people.append((person, uri))
    return people


def _need(identifier, uri, k, occupations, skills, related) -> dict:
    if k % 2 == 0:
        language = LANGUAGES[(k // 2) % 3]
        title = occupations[language][uri][0]
        return {
            "id": identifier,
            "kind": "vacancy",
            "title": title,
            "required_skills": [title],
            "text_language": language,
            **PLACE,
        }
    essential = [skills["en"][s][0] for s in related[uri]["essential"] if s in skills["en"]]
    ad = (
        f"We are hiring a {occupations['en'][uri][0]}. In this role you will "
        + ", ".join(essential[:AD_SKILLS])
        + ". We offer a permanent position in a friendly team."
    )
    return {
        "id": identifier,
        "kind": "vacancy",
        "title": occupations["en"][uri][0],
        "required_skills": [occupations["en"][uri][0]],
        "description": ad,
        "text_language": "en",
        **PLACE,
    }


README = """# ESCO descriptions: a free-text development set for `matcher evaluate --dataset`

Built by `scripts/devsets/esco_descriptions.py --needs {needs} --seed {seed}` from the ESCO
v1.1.1 CSV files in `{esco}`. Not committed: ESCO is reference data read from a folder.

Source: ESCO v1.1.1, European Commission, free to reuse with the source acknowledged
(Commission Decision 2011/833/EU): `occupations_{{en,fi,sv}}.csv` (labels and the English
descriptions), `skills_en.csv`, `occupationSkillRelations.csv`; English files as mirrored
unchanged by repository tabiya-tech/tabiya-esco-datasets-and-tools, commit 1a8a32ef; Finnish
and Swedish preferred labels from repository Virtual-Finland-Development/esco-api, commit
88d4a3d3 (MIT).

- `people.jsonl` ({n_people}): every ESCO occupation with a description and at least three
  essential skills, as a person described only by a free-text `summary` (the description, its
  own names replaced by "they").
- `needs.jsonl` ({n_needs}): ESCO occupations, every other one a bare title in en, fi and sv
  in turn, the others an English ad (`description`) listing up to {ad_skills} essential skills.
- `relevance.jsonl` ({n_judgements}): the same occupation 3, the same ISCO 4-digit group 2,
  the same 3-digit group 1; everything else unjudged (0).

Every need is remote and every person in Vaasa without dates: text is what is compared.
"""


def main(argv: list[str] | None = None) -> None:
    """Read the ESCO folder, build the set, write it."""
    description, out = __doc__.splitlines()[0], "var/devsets/esco-descriptions"
    cli(argv, description, build, README, out, 200, ad_skills=AD_SKILLS)


if __name__ == "__main__":
    main()
