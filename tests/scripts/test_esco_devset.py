"""The ESCO development set builder writes a set that ``matcher evaluate --dataset`` reads."""

import csv
import importlib.util
from pathlib import Path

from matcher.dataset import load_relevance_set

SCRIPT = Path(__file__).parents[2] / "scripts" / "devsets" / "esco_occupations.py"
OCCUPATIONS = {"o1": "7212", "o2": "7212", "o3": "7213", "o4": "5120"}


def load_script():
    spec = importlib.util.spec_from_file_location("esco_occupations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


def write_mini_esco(directory: Path) -> None:
    for language in ("en", "fi", "sv"):
        occupations = [
            [u, g, f"{u} {language}", f"{u} alt {language}" if language != "fi" else ""]
            for u, g in OCCUPATIONS.items()
        ]
        write_csv(
            directory / f"occupations_{language}.csv",
            ["conceptUri", "iscoGroup", "preferredLabel", "altLabels"],
            occupations,
        )
        skills = [[f"s{i}", f"skill {i} {language}", ""] for i in range(12)]
        write_csv(
            directory / f"skills_{language}.csv",
            ["conceptUri", "preferredLabel", "altLabels"],
            skills,
        )
    relations = [
        [u, "essential" if i < 3 else "optional", "skill/competence", f"s{3 * k + i % 3}"]
        for k, u in enumerate(OCCUPATIONS)
        for i in range(4)
    ]
    write_csv(
        directory / "occupationSkillRelations.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        relations,
    )


def test_the_set_has_the_format_and_the_grades_of_the_isco_groups(tmp_path):
    write_mini_esco(tmp_path)
    out = tmp_path / "set"
    load_script().main(["--esco", str(tmp_path), "--out", str(out), "--needs", "4"])
    data = load_relevance_set(out)
    assert len(data.needs) == 4 and len(data.people) == 4
    by_title = {n.title.split()[0]: n for n in data.needs}
    person_of = {p.headline.split()[0]: p for p in data.people}
    assert all(n.remote for n in data.needs)
    for uri, need in by_title.items():
        assert person_of[uri].text_language != need.text_language
    grades = data.grades[by_title["o1"].id]
    assert grades == {person_of["o1"].id: 3, person_of["o2"].id: 2, person_of["o3"].id: 1}
    assert "2011/833/EU" in data.source and "commit 1a8a32ef" in data.source
