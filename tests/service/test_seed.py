"""The demo data set with its history, and learning from the outcomes recorded in a database."""

from __future__ import annotations

import json

from click.testing import CliRunner

from matcher.dataset import FIXTURES
from service.cli import cli
from service.seed import load_fixtures_if_empty
from service.storage import Store, table_counts


def lines(name: str) -> int:
    return sum(1 for line in (FIXTURES / name).read_text().splitlines() if line.strip())


def test_the_demo_loads_its_history_and_trains_on_recorded_outcomes(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    store = Store.connect(url)
    assert load_fixtures_if_empty(store, FIXTURES)
    counts = table_counts(store, ["self_reports", "outcomes"])
    assert counts == {
        "self_reports": lines("self_reports.jsonl"),
        "outcomes": lines("outcomes.jsonl"),
    }
    assert not load_fixtures_if_empty(store, FIXTURES)
    store.engine.dispose()

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("KOHTAANTO_AS_OF", "2026-12-01")
    result = CliRunner().invoke(cli, ["train", "--out", str(tmp_path / "models"), "--folds", "3"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.splitlines()[0])
    metadata = json.loads((tmp_path / "models" / summary["metadata"].split("/")[-1]).read_text())
    assert metadata["training"]["source"] == "recorded outcomes"
    # Trained on today's values of each feature, so that the service loads it.
    assert metadata["feature_versions"]["meaning_similarity"] == 3
    assert metadata["training"]["pairs"] == summary["pairs"] > 100
