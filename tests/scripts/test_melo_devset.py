"""The MELO development set builder writes a set that ``matcher evaluate --dataset`` reads."""

from pathlib import Path

import numpy as np
import pytest

from matcher.dataset import load_relevance_set
from tests.scripts.conftest import (
    assert_needs_speak_their_language,
    assert_people_are_titles,
    load_devset_script,
)
from tests.scripts.test_esco_devset import write_mini_esco

# Swedish titles as MELO has them, each annotated with one ESCO occupation or ISCO group.
TITLES = {
    "Svetsare": "o1",
    "MIG-svetsare": "o1",
    "Plåtslagare": "o2",
    "Smed": "o3",
    "Kock": "o4",
    "Svetsoperatör": "isco:7212",
    "Metallarbetare": "isco:721",
}


def load_script():
    return load_devset_script("melo_titles")


def write_mini_melo(directory: Path) -> None:
    concept = {
        uri: f"http://data.europa.eu/esco/isco/C{uri[5:]}" if uri.startswith("isco:") else uri
        for uri in TITLES.values()
    }
    ids = {uri: f"C{k:06d}_sv_000" for k, uri in enumerate(concept)}
    queries = [f"Q{k:06d}\t{title}" for k, title in enumerate(TITLES)]
    annotations = [f"Q{k:06d}\t0\t{ids[uri]}\t1" for k, uri in enumerate(TITLES.values())]
    mapping = [f"{ids[uri]}\t{concept[uri]}" for uri in concept]
    files = {"queries": queries, "annotations": annotations, "concept_mapping": mapping}
    for name, lines in files.items():
        (directory / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def built(tmp_path):
    (tmp_path / "esco").mkdir()
    (tmp_path / "melo").mkdir()
    write_mini_esco(tmp_path / "esco")
    write_mini_melo(tmp_path / "melo")
    out = tmp_path / "set"
    args = ["--melo", str(tmp_path / "melo"), "--esco", str(tmp_path / "esco"), "--out", str(out)]
    load_script().main([*args, "--needs", "4", "--people", "7"])
    return load_relevance_set(out)


def test_people_are_the_swedish_titles_and_nothing_else(built):
    assert_people_are_titles(built, TITLES, "sv")


def test_needs_are_esco_occupations_in_swedish_and_english_with_essential_skills(built):
    assert sorted(n.title for n in built.needs) == ["o1 sv", "o2 en", "o3 sv", "o4 en"]
    assert_needs_speak_their_language(built)
    assert all(len(need.required_skills) == 3 for need in built.needs)


def test_grades_follow_the_annotation_then_the_isco_groups(built):
    need = {n.title: n.id for n in built.needs}["o1 sv"]
    person = {p.headline: p.id for p in built.people}
    assert built.grades[need] == {
        person["Svetsare"]: 3,
        person["MIG-svetsare"]: 3,
        person["Plåtslagare"]: 2,
        person["Svetsoperatör"]: 2,
        person["Smed"]: 1,
        person["Metallarbetare"]: 1,
    }


def test_the_readme_names_the_source_and_the_leak(built):
    for words in ("Avature/melo-benchmark", "commit 014982fe", "MIT", "2011/833/EU"):
        assert words in built.source
    assert "swe_q_sv_c_sv/queries.tsv" in built.source and "altLabels" in built.source


def test_the_sample_keeps_every_title_of_a_need_and_fills_up_with_others():
    rows = [(f"Q{k}", f"t{k}", "a" if k < 3 else "b") for k in range(10)]
    picked = load_script()._people(rows, {"a"}, 5, np.random.default_rng(0))
    assert len(picked) == 5 and {0, 1, 2} <= set(picked)
