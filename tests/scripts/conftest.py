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
