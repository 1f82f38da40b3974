import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import cli, main
from matcher.engine import MatchEngine
from tests.matcher.test_taxonomy import write_esco


@pytest.fixture
def runner():
    return CliRunner()


def test_match_prints_ranked_explained_candidates(runner, dataset):
    need = dataset.needs[0]
    result = runner.invoke(cli, ["match", "--need", need.id, "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert need.title in result.output
    assert result.output.count("\n") >= 4


def test_match_as_json(runner, dataset):
    result = runner.invoke(cli, ["match", "--need", dataset.needs[1].id, "--limit", "2", "--json"])
    matches = json.loads(result.output)
    assert len(matches) == 2 and matches[0]["score"] >= matches[1]["score"]
    assert matches[0]["explanation"]["features"]


def test_match_lists_what_the_engine_ranks(runner, dataset, scorer):
    # A need where stage 1 leaves out someone that scoring everyone would list in the top 8.
    need = dataset.need("N028")
    command = ["match", "--need", need.id, "--limit", "8", "--json", "--no-esco"]
    result = runner.invoke(cli, command)
    engine = MatchEngine(scorer, dataset.jobseekers)
    expected = engine.matches(engine.rank(need), 8)
    assert len(expected) == 8
    assert json.loads(result.output) == json.loads(json.dumps([m.to_dict() for m in expected]))


def test_unknown_need_is_a_clear_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["match", "--need", "NOPE"])
    assert exited.value.code == 2
    assert "need: no need 'NOPE'" in capsys.readouterr().err


def test_import_esco_writes_a_vocabulary_the_matcher_reads(runner, tmp_path):
    write_esco(tmp_path)
    out = tmp_path / "esco.jsonl"
    result = runner.invoke(cli, ["taxonomy", "import-esco", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "imported 3 ESCO concepts" in result.output
    looked_up = runner.invoke(
        cli, ["taxonomy", "lookup", "käyttää hitsauslaitteita", "--vocabulary", str(out)]
    )
    assert "urn:s1" in looked_up.output


def test_console_script_evaluates():
    script = Path(sys.executable).with_name("matcher")
    out = subprocess.run(
        [script, "evaluate"], capture_output=True, text=True, check=True, timeout=600
    )
    assert "NDCG@10" in out.stdout and "lang sv→fi" in out.stdout
