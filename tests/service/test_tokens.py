"""Tokens listed and revoked: from the command line, through the admin API, and by each
``matcher serve --demo`` start."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from service.cli import cli, print_demo_tokens
from service.storage import Principal

ADMIN = Principal(None, "admin")


def token_id(world, token: str) -> int:
    return world.store.principal(token).token_id


def audit_targets(world, action: str) -> list[str]:
    entries = world.store.audit_log(page=1, page_size=100, action=action).items
    return [entry["target"] for entry in entries]


@pytest.fixture
def run(world, monkeypatch):
    """The ``matcher`` command line on the test world's database."""
    monkeypatch.setenv("DATABASE_URL", world.store.engine.url.render_as_string(False))
    monkeypatch.setenv("SECRET_KEY", "test-secret")

    def invoke(*args: str):
        result = CliRunner().invoke(cli, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    return invoke


# -- the command line -----------------------------------------------------------------------------


def test_token_list_shows_every_live_token_and_no_secret(run, world):
    result = run("token", "list", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [t["id"] for t in listed] == [token_id(world, t) for t in _all_tokens(world)]
    assert set(listed[0]) == {
        "id",
        "role",
        "company_id",
        "organisation_id",
        "label",
        "created_at",
        "revoked_at",
    }
    assert not any(t in result.output for t in _all_tokens(world))


def test_token_revoke_revokes_and_list_hides_it_unless_all(run, world):
    revoked = token_id(world, world.token_a)
    result = run("token", "revoke", str(revoked))
    assert result.exit_code == 0 and f"token {revoked} revoked" in result.output
    assert world.store.principal(world.token_a) is None
    assert audit_targets(world, "token.revoke") == [f"token:{revoked}"]
    live = [t["id"] for t in json.loads(run("token", "list", "--json").output)]
    everything = json.loads(run("token", "list", "--json", "--all").output)
    assert revoked not in live and len(live) == 3
    assert [t["revoked_at"] is not None for t in everything if t["id"] == revoked] == [True]


def test_token_list_as_a_table(run, world):
    lines = run("token", "list").output.splitlines()
    assert lines[0].split() == ["id", "role", "company", "created", "revoked", "label"]
    assert [line.split()[1] for line in lines[1:]] == ["recruiter", "admin", "company", "company"]


def test_revoking_an_unknown_token_fails(run):
    result = run("token", "revoke", "999")
    assert result.exit_code == 1 and "no token 999" in result.output


# -- matcher serve --demo --------------------------------------------------------------------------


def test_each_demo_start_revokes_the_earlier_demo_tokens(world, capsys):
    print_demo_tokens(world.store)
    first = capsys.readouterr().out
    print_demo_tokens(world.store)
    second = capsys.readouterr().out
    live = world.store.tokens(page=1, page_size=100, active=True).items
    assert sorted(t["role"] for t in live if t["label"] == "demo") == [
        "admin",
        "company",
        "recruiter",
    ]
    assert all(world.store.principal(t) is None for t in first.split() if t.startswith("kt_"))
    assert all(world.store.principal(t) for t in second.split() if t.startswith("kt_"))
    assert world.store.principal(world.recruiter) is not None


# -- the admin API --------------------------------------------------------------------------------


def _all_tokens(world) -> list[str]:
    return [world.recruiter, world.admin, world.token_a, world.token_b]


@pytest.mark.parametrize(
    ("query", "roles"),
    [
        ("", ["recruiter", "admin", "company", "company"]),
        ("?role=company", ["company", "company"]),
        ("?company_id={company_b}", ["company"]),
        ("?active=false", ["company"]),
        ("?active=true&role=admin", ["admin"]),
        ("?page=2&page_size=3", ["company"]),
    ],
)
def test_admin_lists_tokens_by_role_company_and_state(client, world, query, roles):
    world.store.revoke_token(token_id(world, world.token_a), ADMIN)
    url = "/v1/admin/tokens" + query.format(company_b=world.company_b)
    response = client.get(url, headers=world.headers(world.admin))
    assert response.status_code == 200
    body = response.get_json()
    assert [t["role"] for t in body["items"]] == roles
    assert "token_hash" not in body["items"][0]
    assert body["total"] == (4 if query.startswith("?page") else len(roles))


def test_admin_revokes_a_token_and_its_sessions_end(client, world):
    revoked = token_id(world, world.recruiter)
    session_id = world.store.start_web_session(revoked, forget_before=_long_ago())
    response = client.post(f"/v1/admin/tokens/{revoked}/revoke", headers=world.headers(world.admin))
    assert response.status_code == 200
    assert response.get_json()["revoked_at"] is not None
    assert client.get("/v1/needs", headers=world.headers(world.recruiter)).status_code == 401
    assert world.store.web_session_principal(session_id, _long_ago()) is None
    assert audit_targets(world, "token.revoke") == [f"token:{revoked}"]


def test_a_revocation_is_audited_once_and_with_its_write(client, world, monkeypatch):
    revoked = token_id(world, world.recruiter)
    url = f"/v1/admin/tokens/{revoked}/revoke"
    for _ in range(2):
        assert client.post(url, headers=world.headers(world.admin)).status_code == 200
    assert audit_targets(world, "token.revoke") == [f"token:{revoked}"]
    # An audit write that fails takes the revocation with it.
    other = token_id(world, world.token_a)
    monkeypatch.setattr("service.storage._audit_row", _failing)
    with pytest.raises(RuntimeError):
        world.store.revoke_token(other, ADMIN)
    assert world.store.principal(world.token_a) is not None


def _failing(*args):
    raise RuntimeError("the audit log is unwritable")


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("recruiter", "admin", 403),
        ("token_a", "token_b", 403),
        ("admin", "admin", 409),
        ("admin", 999, 404),
        ("admin", 2**40, 404),
    ],
)
def test_revoking_is_for_admins_and_not_of_ones_own_token(client, world, who, target, status):
    target_id = target if isinstance(target, int) else token_id(world, getattr(world, target))
    response = client.post(
        f"/v1/admin/tokens/{target_id}/revoke", headers=world.headers(getattr(world, who))
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert all(world.store.principal(t) for t in _all_tokens(world))


def test_only_admins_list_tokens(client, world):
    response = client.get("/v1/admin/tokens", headers=world.headers(world.recruiter))
    assert response.status_code == 403


def _long_ago():
    import datetime as dt

    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
