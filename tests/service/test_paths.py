"""Organisations, counsellors, steps on the path, handovers and the continuity report, over
the API on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from service import create_app
from service.cli import cli
from service.storage import NotFound
from service.storage_paths import HandoverRow, PathStore, StepRow

TODAY = "2026-12-01"


@pytest.fixture
def network(world):
    """Three organisations, a counsellor token for each, and two people of the world."""
    paths = PathStore(world.store)
    office = paths.add_organisation("TE-toimisto Vaasa", "employment_office")["id"]
    school = paths.add_organisation("Vamia", "education_provider")["id"]
    other = paths.add_organisation("Kuntakokeilu", "municipal_services")["id"]
    tokens = {
        org: world.store.create_token("counsellor", organisation_id=org)[0]
        for org in (office, school, other)
    }
    people = [person.id for person, _ in world.store.jobseekers(page=1, page_size=2).items]
    return {"office": office, "school": school, "other": other, "tokens": tokens, "people": people}


def _post(client, world, token, url, body=None):
    return client.post(url, json=body or {}, headers=world.headers(token))


def _step(client, world, token, person, org, status, start, service="coaching", who="Aino"):
    body = {
        "service": service,
        "organisation_id": org,
        "counsellor": who,
        "start": start,
        "status": status,
    }
    return _post(client, world, token, f"/v1/jobseekers/{person}/steps", body)


def _continuity(client, world, token):
    response = client.get("/v1/reports/continuity", headers=world.headers(token))
    assert response.status_code == 200, response.json
    return {
        (e["jobseeker_id"], e["reason"]): e
        for g in response.json["organisations"]
        for c in g["counsellors"]
        for e in c["people"]
    }


def test_a_counsellor_token_belongs_to_an_existing_organisation(world, network):
    with pytest.raises(ValueError, match="organisation"):
        world.store.create_token("counsellor")
    with pytest.raises(ValueError, match="organisation"):
        world.store.create_token("recruiter", organisation_id=network["office"])
    with pytest.raises(NotFound):
        world.store.create_token("counsellor", organisation_id="O-nowhere")
    principal = world.store.principal(network["tokens"][network["school"]])
    assert (principal.role, principal.organisation_id) == ("counsellor", network["school"])


def test_organisations_are_validated_and_listed(client, world, network):
    bad = _post(client, world, world.recruiter, "/v1/organisations", {"name": "X", "kind": "pub"})
    assert bad.status_code == 422 and "kind" in str(bad.json)
    made = _post(
        client,
        world,
        world.recruiter,
        "/v1/organisations",
        {"name": "Kuntoutus Oy", "kind": "rehabilitation"},
    )
    assert made.status_code == 201
    listed = client.get(
        "/v1/organisations?kind=rehabilitation", headers=world.headers(world.recruiter)
    )
    assert [o["id"] for o in listed.json["items"]] == [made.json["id"]]
    company = _post(
        client, world, world.token_a, "/v1/organisations", {"name": "Y", "kind": "other"}
    )
    assert company.status_code == 403


def test_an_end_before_the_step_began_is_its_start_and_so_is_the_handover(
    client, world, network
):
    person, office, school = network["people"][0], network["office"], network["school"]
    first = _step(client, world, world.recruiter, person, office, "current", "2026-10-01")
    _step(client, world, world.recruiter, person, school, "planned", "2026-12-01")
    url = f"/v1/jobseekers/{person}/steps/{first.json['id']}/end"
    ended = _post(client, world, world.recruiter, url, {"ended_on": "1900-01-01"})
    assert ended.status_code == 200, ended.json
    [handover] = ended.json["handovers"]
    assert ended.json["steps"][0]["ended_on"] == handover["handed_over_on"] == "2026-10-01"


def test_a_handover_is_acknowledged_by_the_receiver_only(client, world, network):
    person = network["people"][0]
    office, school = network["office"], network["school"]
    first = _step(client, world, world.recruiter, person, office, "current", "2026-10-01")
    assert first.status_code == 201
    assert (
        _step(
            client,
            world,
            world.recruiter,
            person,
            school,
            "planned",
            "2026-12-01",
            service="apprenticeship",
        ).status_code
        == 201
    )
    again = _step(client, world, world.recruiter, person, school, "planned", "2026-12-05")
    assert again.status_code == 409
    # Before the move the school already holds the next step, the third organisation nothing.
    school_token, other_token = network["tokens"][school], network["tokens"][network["other"]]
    assert (
        client.get(f"/v1/jobseekers/{person}", headers=world.headers(other_token)).status_code
        == 404
    )
    ended = _post(
        client,
        world,
        network["tokens"][office],
        f"/v1/jobseekers/{person}/steps/{first.json['id']}/end",
        {"ended_on": "2026-11-30"},
    )
    assert ended.status_code == 200, ended.json
    steps, [handover] = ended.json["steps"], ended.json["handovers"]
    assert [s["status"] for s in steps] == ["ended", "current"]
    assert (handover["from_organisation_id"], handover["to_organisation_id"]) == (office, school)
    assert handover["acknowledged_on"] is None
    # The office no longer holds the person: its counsellor is answered as for a stranger.
    office_token = network["tokens"][office]
    assert (
        client.get(f"/v1/jobseekers/{person}/path", headers=world.headers(office_token)).status_code
        == 404
    )
    url = f"/v1/handovers/{handover['id']}/acknowledge"
    assert _post(client, world, other_token, url).status_code == 404
    assert _post(client, world, office_token, url).status_code == 404
    done = _post(client, world, school_token, url)
    assert done.status_code == 200 and done.json["acknowledged_on"] == TODAY
    seen = client.get(f"/v1/jobseekers/{person}", headers=world.headers(school_token))
    assert seen.status_code == 200 and seen.json["id"] == person
    reads = world.store.audit_log(page=1, page_size=50).items
    assert {"path.step_end", "handover.acknowledge", "jobseeker.read"} <= {
        r["action"] for r in reads
    }
    assert all(person not in str(r) for r in reads)


def test_only_the_current_step_ends(client, world, network):
    person = network["people"][0]
    step = _step(client, world, world.recruiter, person, network["office"], "current", "2026-10-01")
    url = f"/v1/jobseekers/{person}/steps/{step.json['id']}/end"
    assert _post(client, world, world.recruiter, url).status_code == 200
    assert _post(client, world, world.recruiter, url).status_code == 409
    other = network["people"][1]
    assert (
        _post(
            client, world, world.recruiter, f"/v1/jobseekers/{other}/steps/{step.json['id']}/end"
        ).status_code
        == 404
    )


def test_a_step_names_a_known_organisation_and_valid_dates(client, world, network):
    person = network["people"][0]
    unknown = _step(client, world, world.recruiter, person, "O-nowhere", "current", "2026-10-01")
    assert unknown.status_code == 422 and "organisation_id" in str(unknown.json)
    body = {
        "service": "coaching",
        "organisation_id": network["office"],
        "start": "2026-10-01",
        "planned_end": "2026-09-01",
        "status": "current",
    }
    backwards = _post(client, world, world.recruiter, f"/v1/jobseekers/{person}/steps", body)
    assert backwards.status_code == 422 and "planned_end" in str(backwards.json)
    extra = _post(
        client,
        world,
        world.recruiter,
        f"/v1/jobseekers/{person}/steps",
        {**body, "planned_end": None, "id": 3},
    )
    assert extra.status_code == 422
    with world.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(StepRow)) == 0


def test_the_continuity_report_lists_who_falls_off(world, network):
    office, school = network["office"], network["school"]
    lost, overdue = network["people"]
    paths = PathStore(world.store)
    first = paths.add_step(
        lost,
        {
            "service": "coaching",
            "organisation_id": office,
            "counsellor": "Aino",
            "start": _d("2026-09-01"),
            "status": "current",
        },
    )
    paths.end_step(lost, first["id"], _d("2026-11-21"))
    paths.add_step(
        overdue,
        {
            "service": "coaching",
            "organisation_id": office,
            "counsellor": "Aino",
            "start": _d("2026-09-01"),
            "status": "current",
        },
    )
    paths.add_step(
        overdue,
        {
            "service": "apprenticeship",
            "organisation_id": school,
            "counsellor": "Bo",
            "start": _d("2026-11-25"),
            "status": "planned",
        },
    )
    client = world.app.test_client()
    report = _continuity(client, world, world.recruiter)
    assert report[(lost, "no_current_step")]["days"] == 10
    assert report[(lost, "no_current_step")]["since"] == "2026-11-21"
    entry = report[(overdue, "next_step_overdue")]
    assert (entry["days"], entry["organisation_id"], entry["counsellor"]) == (6, school, "Bo")
    # Everyone of the world without a step is off the path too, since registration.
    assert len({p for p, _ in report}) == len(world.store.active_jobseekers())
    # The school's counsellor sees only the person whose next step it holds.
    school_view = _continuity(client, world, network["tokens"][school])
    assert set(school_view) == {(overdue, "next_step_overdue")}
    assert _continuity(client, world, network["tokens"][network["other"]]) == {}
    audit = world.store.audit_log(page=1, page_size=5, action="report.continuity").items
    other_read, school_read = audit[:2]
    assert other_read["detail"] == {"people": [], "organisation": network["other"]}
    assert len(school_read["detail"]["people"]) == 1 and overdue not in str(school_read)


@pytest.mark.parametrize(("days", "listed"), [(5, True), (6, False)])
def test_an_unacknowledged_handover_is_reported_after_the_configured_days(
    database_url, small_dataset, days, listed
):
    companies, _, people = small_dataset
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "s",
            "CONTINUITY_AS_OF": "2026-12-06",
            "HANDOVER_ACK_DAYS": days,
        }
    )
    store = app.extensions["kohtaanto"].store
    store.add_jobseekers(people[:1])
    paths = PathStore(store)
    office = paths.add_organisation("Office", "employment_office")["id"]
    school = paths.add_organisation("School", "education_provider")["id"]
    step = paths.add_step(
        people[0].id,
        {
            "service": "coaching",
            "organisation_id": office,
            "counsellor": "",
            "start": _d("2026-09-01"),
            "status": "current",
        },
    )
    paths.add_step(
        people[0].id,
        {
            "service": "education",
            "organisation_id": school,
            "counsellor": "",
            "start": _d("2026-12-01"),
            "status": "planned",
        },
    )
    paths.end_step(people[0].id, step["id"], _d("2026-12-01"))
    token = store.create_token("recruiter")[0]
    response = app.test_client().get(
        "/v1/reports/continuity", headers={"Authorization": f"Bearer {token}"}
    )
    reasons = [
        e["reason"]
        for g in response.json["organisations"]
        for c in g["counsellors"]
        for e in c["people"]
    ]
    assert reasons == (["handover_unacknowledged"] if listed else [])
    # An archived person is off the service, not off the path.
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    assert client.post(f"/v1/jobseekers/{people[0].id}/archive", headers=headers).status_code == 200
    after = client.get("/v1/reports/continuity", headers=headers).json
    assert after["total"] == 0
    store.engine.dispose()


def test_a_hire_opens_a_job_step(client, world, network):
    person = network["people"][0]
    _step(client, world, world.recruiter, person, network["office"], "current", "2026-10-01")
    _step(client, world, world.recruiter, person, network["school"], "planned", "2027-01-10")
    recorded = _post(
        client,
        world,
        world.recruiter,
        f"/v1/needs/{world.need_a}/candidates/{person}/outcome",
        {"outcome": "hired"},
    )
    assert recorded.status_code in (200, 201), recorded.json
    path = client.get(f"/v1/jobseekers/{person}/path", headers=world.headers(world.recruiter)).json
    assert [(s["service"], s["status"]) for s in path["steps"]] == [
        ("coaching", "ended"),
        ("coaching", "cancelled"),
        ("job", "current"),
    ]
    assert path["steps"][-1]["company_id"] == world.company_a


def test_erasure_removes_steps_and_handovers(client, world, network):
    person = network["people"][0]
    first = _step(
        client, world, world.recruiter, person, network["office"], "current", "2026-10-01"
    )
    _step(client, world, world.recruiter, person, network["school"], "planned", "2026-12-01")
    _post(client, world, world.recruiter, f"/v1/jobseekers/{person}/steps/{first.json['id']}/end")
    export = client.get(f"/v1/jobseekers/{person}/export", headers=world.headers(world.recruiter))
    steps = export.json["path"]["steps"]
    assert [(s["status"], s["start"]) for s in steps] == [
        ("ended", "2026-10-01"),
        ("current", "2026-12-01"),
    ]
    assert export.json["path"]["handovers"][0]["to_organisation_id"] == network["school"]
    erased = client.delete(f"/v1/jobseekers/{person}", headers=world.headers(world.admin))
    assert erased.status_code == 200
    assert erased.json["removed"]["path_steps"] == 2 and erased.json["removed"]["handovers"] == 1
    with world.store.transaction() as session:
        for table in (StepRow, HandoverRow):
            assert session.scalar(select(func.count()).select_from(table)) == 0


def test_counsellors_read_no_candidate_lists_or_people_lists(client, world, network):
    token = network["tokens"][network["office"]]
    assert client.get("/v1/jobseekers", headers=world.headers(token)).status_code == 403
    assert (
        client.get(f"/v1/needs/{world.need_a}/candidates", headers=world.headers(token)).status_code
        == 403
    )


def _d(text):
    return dt.date.fromisoformat(text)


@pytest.fixture
def run(world, monkeypatch):
    """The ``matcher`` command line on the test world's database, "today" 2026-12-10."""
    monkeypatch.setenv("DATABASE_URL", world.store.engine.url.render_as_string(False))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("KOHTAANTO_CONTINUITY_AS_OF", "2026-12-10")

    def invoke(*args: str):
        result = CliRunner().invoke(cli, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    return invoke


def test_the_command_line_adds_organisations_counsellors_and_reports_continuity(run, world):
    made = run("organisation", "add", "--name", "Vamia", "--kind", "education_provider")
    assert made.exit_code == 0
    organisation = made.output.strip()
    assert organisation in run("organisation", "list").output
    token = run("token", "create", "--role", "counsellor", "--organisation", organisation)
    principal = world.store.principal(token.stdout.strip().splitlines()[0])
    assert (principal.role, principal.organisation_id) == ("counsellor", organisation)
    assert run("token", "create", "--role", "counsellor").exit_code == 2
    assert run("token", "create", "--role", "counsellor", "--organisation", "O-x").exit_code == 2
    # Everyone of the world has no step yet: all are on the report, and the command says so.
    report = run("report", "continuity", "--json")
    assert report.exit_code == 1
    body = json.loads(report.output)
    assert body["as_of"] == "2026-12-10"
    assert body["total"] == len(world.store.active_jobseekers())
    paths = PathStore(world.store)
    for person in world.store.active_jobseekers():
        step = {
            "service": "coaching",
            "organisation_id": organisation,
            "counsellor": "",
            "start": dt.date(2026, 12, 1),
            "status": "current",
        }
        paths.add_step(person.id, step)
    quiet = run("report", "continuity")
    assert quiet.exit_code == 0 and "0 people off the path" in quiet.output


def test_a_new_current_step_before_the_last_began_hands_over_on_the_day_it_ended(
    client, world, network
):
    person, office, school = network["people"][0], network["office"], network["school"]
    _step(client, world, world.recruiter, person, office, "current", "2026-10-01")
    moved = _step(client, world, world.recruiter, person, school, "current", "1900-01-01")
    assert moved.status_code == 201, moved.json
    path = client.get(f"/v1/jobseekers/{person}/path", headers=world.headers(world.recruiter))
    [handover] = path.json["handovers"]
    assert path.json["steps"][0]["ended_on"] == handover["handed_over_on"] == "2026-10-01"
