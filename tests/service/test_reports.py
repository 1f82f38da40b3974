"""Human in charge (pins and hides), self-reports, the fairness and outcome reports, and the
model the service scores with."""

from __future__ import annotations

import json

import pytest

from matcher.weights import WEIGHTS_VERSION
from service import create_app
from service.batch import run_batch


def candidates(client, world, need_id, **query):
    query = "&".join(f"{k}={v}" for k, v in {"limit": 10, **query}.items())
    response = client.get(
        f"/v1/needs/{need_id}/candidates?{query}", headers=world.headers(world.recruiter)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def decide(client, world, person, action, reason="Knows the site already"):
    url = f"/v1/needs/{world.need_a}/candidates/{person}/decision"
    body = {"action": action, "reason": reason}
    return client.put(url, json=body, headers=world.headers(world.recruiter))


def ids(listing):
    return [item["candidate"]["id"] for item in listing["items"]]


@pytest.mark.parametrize("source", ["live", "batch"])
def test_pins_head_the_list_and_hides_leave_it(client, world, source):
    if source == "batch":
        run_batch(world.store, world.app.extensions["kohtaanto"].scorer, k=50)
    before = ids(candidates(client, world, world.need_a))
    pinned, hidden = before[4], before[0]
    assert decide(client, world, pinned, "pin").status_code == 200
    assert decide(client, world, hidden, "hide").status_code == 200
    after = candidates(client, world, world.need_a)
    assert after["source"] == source
    assert ids(after)[0] == pinned and after["items"][0]["decision"]["action"] == "pin"
    assert hidden not in ids(after)
    rest = [i for i in before if i not in (pinned, hidden)]
    assert ids(after)[1:] == rest + ids(after)[len(rest) + 1 :]
    assert [i["rank"] for i in after["items"][1:4]] == [1, 2, 3]
    shown = candidates(client, world, world.need_a, show_hidden="true")
    assert hidden in ids(shown)
    second = candidates(client, world, world.need_a, offset=1, limit=3)
    assert ids(second) == ids(after)[1:4]


def test_decisions_are_audited_and_can_be_cleared(client, world):
    person = ids(candidates(client, world, world.need_a))[0]
    decide(client, world, person, "hide", "Said no to shift work")
    url = f"/v1/needs/{world.need_a}/candidates/{person}/decision"
    assert client.delete(url, headers=world.headers(world.recruiter)).status_code == 204
    assert person in ids(candidates(client, world, world.need_a))
    audit = client.get("/v1/audit?page_size=100", headers=world.headers(world.admin)).get_json()
    actions = [e["action"] for e in audit["items"]]
    assert "candidate.hide" in actions and "candidate.clear" in actions
    entry = next(e for e in audit["items"] if e["action"] == "candidate.hide")
    assert entry["detail"]["reason_length"] == len("Said no to shift work")
    assert "shift work" not in json.dumps(audit)
    assert person not in json.dumps(audit)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"action": "star", "reason": "Fine fit"}, "action"), ({"action": "pin"}, "reason")],
)
def test_a_decision_needs_a_known_action_and_a_reason(client, world, body, field):
    person = world.store.active_jobseekers()[0].id
    url = f"/v1/needs/{world.need_a}/candidates/{person}/decision"
    response = client.put(url, json=body, headers=world.headers(world.recruiter))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in {p["name"].split(".")[-1] for p in response.get_json()["invalid_params"]}


def self_report(client, world, person, **fields):
    """PUT a self-report; the fields not given are sent as null (not reported)."""
    url = f"/v1/jobseekers/{person}/self-report"
    body = {"sex": None, "age_band": None, "mother_tongue": None, **fields}
    return client.put(url, json=body, headers=world.headers(world.recruiter))


def test_self_reports_change_no_score_and_are_erased(client, world):
    before = candidates(client, world, world.need_a, limit=30)
    people = world.store.active_jobseekers()
    for i, person in enumerate(people):
        response = self_report(
            client, world, person.id, sex=("female", "male")[i % 2], age_band="25-34"
        )
        assert response.status_code == 200
    after = candidates(client, world, world.need_a, limit=30)
    assert [(i["candidate"]["id"], i["score"]) for i in after["items"]] == [
        (i["candidate"]["id"], i["score"]) for i in before["items"]
    ]
    export = client.get(
        f"/v1/jobseekers/{people[0].id}/export", headers=world.headers(world.recruiter)
    )
    assert export.get_json()["self_report"]["sex"] == "female"
    client.delete(f"/v1/jobseekers/{people[0].id}", headers=world.headers(world.admin))
    assert people[0].id not in world.store.self_reports()


def test_an_unknown_self_report_value_names_the_field(client, world):
    person = world.store.active_jobseekers()[0].id
    response = self_report(client, world, person, age_band="very old")
    assert response.status_code == 422
    assert response.get_json()["invalid_params"][0]["name"].endswith("age_band")


def test_the_fairness_report_flags_a_planted_biased_outcome_history(client, world):
    """Women are taken on a fifth as often as men for the same needs: the outcomes measure
    must flag it, and the groups must be large enough to judge."""
    people = world.store.active_jobseekers()
    needs = [n.id for n in world.store.open_needs()]
    recruiter = world.headers(world.recruiter)
    for i, person in enumerate(people):
        sex = ("female", "male")[i % 2]
        self_report(client, world, person.id, sex=sex)
        hired = i % 10 == 1 if sex == "female" else i % 2 == 1 and i % 10 != 9
        outcome = "hired" if hired else "rejected_by_company"
        response = client.post(
            f"/v1/needs/{needs[i % len(needs)]}/candidates/{person.id}/outcome",
            json={"outcome": outcome},
            headers=recruiter,
        )
        assert response.status_code == 201
    report = client.get("/v1/reports/fairness?min_people=10", headers=recruiter).get_json()
    rows = {r["group"]: r for r in report["attributes"]["sex"]["overall"]["outcomes"]}
    assert rows["male"]["impact_ratio"] == 1.0
    assert rows["female"]["flagged"] and rows["female"]["impact_ratio"] < 0.8
    assert any(f.startswith("sex / overall / outcomes: female") for f in report["flags"])
    assert "scores" in report["attributes"]["sex"]["overall"]
    assert not report["attributes"]["age_band"]["overall"]["outcomes"][0]["flagged"]


def test_the_outcome_report_counts_people_per_path_and_kind(client, world):
    person = world.store.active_jobseekers()[0]
    need = world.store.need(world.need_a)[0]
    recruiter = world.headers(world.recruiter)
    for outcome in ("contacted", "interviewed", "hired"):
        client.post(
            f"/v1/needs/{need.id}/candidates/{person.id}/outcome",
            json={"outcome": outcome},
            headers=recruiter,
        )
    report = client.get("/v1/reports/outcomes", headers=recruiter).get_json()
    row = next(
        r
        for r in report["by_path_and_kind"]
        if r["service_path"] == person.service_path and r["need_kind"] == need.kind
    )
    assert (row["contacted"], row["interviewed"], row["hired"]) == (1, 1, 1)
    path = next(r for r in report["by_path"] if r["service_path"] == person.service_path)
    assert path["hired"] == 1 and path["shares"]["hired"] == pytest.approx(1 / path["jobseekers"])


def test_a_configured_model_of_other_features_is_refused_and_defaults_serve(
    database_url, tmp_path, client, world
):
    metadata = {"name": "stale", "feature_names": ["skill_coverage"], "artifact": "x.joblib"}
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(metadata))
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "AS_OF": "2026-12-01",
            "MODEL": str(path),
        }
    )
    try:
        status = app.test_client().get("/v1/model", headers=world.headers(world.recruiter))
        body = status.get_json()
        assert body["active"] == WEIGHTS_VERSION
        assert "other features" in body["refused"]
        url = f"/v1/needs/{world.need_a}/candidates?limit=5"
        served = app.test_client().get(url, headers=world.headers(world.recruiter))
        expected = candidates(client, world, world.need_a, limit=5)["items"]
        assert served.get_json()["items"] == expected
    finally:
        app.extensions["kohtaanto"].store.engine.dispose()


def test_the_report_command_prints_flags_and_fails_on_them(client, world, monkeypatch):
    from click.testing import CliRunner

    from service.cli import cli

    people = world.store.active_jobseekers()
    need = world.need_a
    for i, person in enumerate(people):
        self_report(client, world, person.id, mother_tongue=("fi", "other")[i % 2])
        outcome = "hired" if i % 2 == 0 else "rejected_by_company"
        client.post(
            f"/v1/needs/{need}/candidates/{person.id}/outcome",
            json={"outcome": outcome},
            headers=world.headers(world.recruiter),
        )
    monkeypatch.setenv("DATABASE_URL", str(world.store.engine.url.render_as_string(False)))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("KOHTAANTO_AS_OF", "2026-12-01")
    result = CliRunner().invoke(cli, ["report", "fairness", "--min-people", "10"])
    assert result.exit_code == 1, result.output
    assert "mother_tongue / overall / outcomes: other has impact ratio 0.0" in result.output
    outcomes = CliRunner().invoke(cli, ["report", "outcomes"])
    assert outcomes.exit_code == 0 and '"by_path"' in outcomes.output


@pytest.mark.parametrize("query", ["limit=5", "limit=50&show_hidden=true"])
def test_a_company_reads_no_decided_list_nor_behind_a_hide(client, world, query):
    hidden = ids(candidates(client, world, world.need_a))[0]
    decide(client, world, hidden, "hide", "Asked not to be put forward to this employer")
    response = client.get(
        f"/v1/needs/{world.need_a}/candidates?{query}", headers=world.headers(world.token_a)
    )
    assert response.status_code == 403 and "employer" not in response.get_data(as_text=True)
