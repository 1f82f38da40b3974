"""The service's commands: how ``matcher serve`` starts gunicorn."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from service.cli import cli


@pytest.mark.parametrize(("operator", "expected"), [(None, "1"), ("2", "2")])
def test_serve_gives_each_worker_one_model_thread_unless_told(
    tmp_path, monkeypatch, operator, expected
):
    """A write's embedding must not take the cores of the other workers' reads; an operator's
    own setting wins."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # else a new one in /tmp
    if operator is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", operator)
    started = []
    monkeypatch.setattr(os, "execve", lambda path, args, env: started.append((args, env)))
    result = CliRunner().invoke(cli, ["serve", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    ((args, env),) = started
    assert args[1:3] == ["-m", "gunicorn"]
    assert env["OMP_NUM_THREADS"] == expected
