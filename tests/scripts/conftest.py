"""Shared fixtures of the scripts' tests."""

import importlib.util
from pathlib import Path

import pytest

DEVSETS = Path(__file__).parents[2] / "scripts" / "devsets"


@pytest.fixture(autouse=True)
def scripts_folder_on_path(monkeypatch):
    """As when a script runs: its folder on the path, so it finds its siblings."""
    monkeypatch.syspath_prepend(str(DEVSETS))


def load_devset_script(name: str):
    """The development-set script ``scripts/devsets/NAME.py`` as a module."""
    spec = importlib.util.spec_from_file_location(name, DEVSETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_people_are_titles(relevance_set, titles, language: str) -> None:
    """A titled set's people are ``titles`` in ``language``, as headlines and nothing else
    (``melo_titles.titled_set``)."""
    assert sorted(p.headline for p in relevance_set.people) == sorted(titles)
    for person in relevance_set.people:
        assert person.text_language == language and person.remote
        assert not (person.skills or person.summary or person.work_history)


def assert_needs_speak_their_language(relevance_set) -> None:
    """Each need of a titled set names its occupation and skills in its own language (the
    mini ESCO's labels end with their language's code)."""
    for need in relevance_set.needs:
        language = need.title.split()[1]
        assert need.text_language == language and need.remote
        assert all(s.endswith(f" {language}") for s in need.required_skills)
