"""The JobBERT development set builder writes a set that ``matcher evaluate --dataset`` reads."""

import csv

import pytest

from matcher.dataset import load_relevance_set
from tests.scripts.conftest import (
    assert_needs_speak_their_language,
    assert_people_are_titles,
    load_devset_script,
)
from tests.scripts.test_esco_devset import write_mini_esco

# Vacancy titles as the dataset has them, each tagged with one ESCO occupation.
TITLES = {
    "MIG WELDER": "o1",
    "Welder (Night Shift)": "o1",
    "Sheet metal worker": "o2",
    "Blacksmith / Forger": "o3",
    "Cook - Western Cuisine": "o4",
}


@pytest.fixture
def built(tmp_path):
    (tmp_path / "esco").mkdir()
    write_mini_esco(tmp_path / "esco")
    titles = tmp_path / "titles.csv"
    with titles.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "vacancyTitle", "conceptUri"])
        writer.writerows([k, title, uri] for k, (title, uri) in enumerate(TITLES.items()))
    module = load_devset_script("jobbert_titles")
    out = tmp_path / "set"
    args = ["--titles", str(titles), "--esco", str(tmp_path / "esco"), "--out", str(out)]
    module.main([*args, "--needs", "4", "--people", "5"])
    return load_relevance_set(out)


def test_people_are_the_english_vacancy_titles_and_nothing_else(built):
    assert_people_are_titles(built, TITLES, "en")


def test_needs_name_their_occupation_in_english_finnish_and_swedish_in_turn(built):
    assert sorted(n.title for n in built.needs) == ["o1 en", "o2 fi", "o3 sv", "o4 en"]
    assert_needs_speak_their_language(built)


def test_grades_follow_the_tag_then_the_isco_groups(built):
    need = {n.title: n.id for n in built.needs}["o1 en"]
    person = {p.headline: p.id for p in built.people}
    assert built.grades[need] == {
        person["MIG WELDER"]: 3,
        person["Welder (Night Shift)"]: 3,
        person["Sheet metal worker"]: 2,
        person["Blacksmith / Forger"]: 1,
    }


def test_the_readme_names_the_source_and_its_missing_licence(built):
    for words in ("jensjorisdecorte/JobBERT-evaluation-dataset", "127d5e4", "2011/833/EU"):
        assert words in built.source
    assert "no licence" in built.source and "titles.csv" in built.source
