"""The programme report reproduces shares computed by hand on a history of its own."""

from __future__ import annotations

import datetime as dt

import pytest

from service.storage import OutcomeRow
from service.storage_shortlists import ContactRow, ShortlistEntryRow, ShortlistRow


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00:00+00:00")


@pytest.fixture
def history(world):
    """Nine people (p1, p2, p5, p8 on path osmo; p3, p4, p6, p7, p9 on osku) and what
    happened with them around October and November 2026:

    - 10-05 shortlist of company A's vacancy sent: p1 p2 p3 p4
    - 10-06 contact with p1 about the vacancy; 10-07 contact with p5 about no need
    - 10-10 p1 interviewed, 10-12 p2 interviewed, 10-20 p1 hired (the vacancy)
    - 11-02 shortlist of company A's apprenticeship sent: p3 p6; 11-15 p6 started it
    - 11-03 p2 rejected by company A (the vacancy)
    - 11-04 shortlist of company B's vacancy sent: p7 p8; 11-20 p8 hired there
    - outside the period: 09-30 contact with p4; 12-05 p9 hired; and a draft with p9 never sent
    """
    osmo = [p.id for p in world.store.active_jobseekers() if p.service_path == "osmo"]
    osku = [p.id for p in world.store.active_jobseekers() if p.service_path == "osku"]
    p = {1: osmo[0], 2: osmo[1], 5: osmo[2], 8: osmo[3]}
    p |= {3: osku[0], 4: osku[1], 6: osku[2], 7: osku[3], 9: osku[4]}
    needs = world.store.needs(page=1, page_size=100).items
    kinds = {(n.company_id, n.kind): n.id for n, _ in needs}
    vacancy_a = kinds[(world.company_a, "vacancy")]
    apprenticeship_a = kinds[(world.company_a, "apprenticeship")]
    vacancy_b = kinds[(world.company_b, "vacancy")]
    rows = []

    def shortlist(name, need, company, sent, people):
        rows.append(
            ShortlistRow(
                id=name,
                need_id=need,
                company_id=company,
                status="sent" if sent else "draft",
                created_at=at("2026-10-01"),
                signed_at=at(sent) if sent else None,
                sent_at=at(sent) if sent else None,
            )
        )
        rows.extend(
            ShortlistEntryRow(shortlist_id=name, position=n, jobseeker_id=p[i], note="")
            for n, i in enumerate(people, start=1)
        )

    def contact(i, day, need=None):
        rows.append(
            ContactRow(
                jobseeker_id=p[i],
                need_id=need,
                channel="phone",
                result="reached",
                note="",
                at=at(day),
            )
        )

    def outcome(i, need, name, day):
        rows.append(
            OutcomeRow(need_id=need, jobseeker_id=p[i], outcome=name, note="", created_at=at(day))
        )

    shortlist("S-1", vacancy_a, world.company_a, "2026-10-05", [1, 2, 3, 4])
    contact(1, "2026-10-06", vacancy_a)
    contact(5, "2026-10-07")
    outcome(1, vacancy_a, "interviewed", "2026-10-10")
    outcome(2, vacancy_a, "interviewed", "2026-10-12")
    outcome(1, vacancy_a, "hired", "2026-10-20")
    shortlist("S-2", apprenticeship_a, world.company_a, "2026-11-02", [3, 6])
    outcome(6, apprenticeship_a, "apprenticeship_started", "2026-11-15")
    outcome(2, vacancy_a, "rejected_by_company", "2026-11-03")
    shortlist("S-3", vacancy_b, world.company_b, "2026-11-04", [7, 8])
    outcome(8, vacancy_b, "hired", "2026-11-20")
    contact(4, "2026-09-30")
    outcome(9, vacancy_a, "hired", "2026-12-05")
    shortlist("S-4", vacancy_a, world.company_a, None, [9])
    with world.store.transaction() as session:
        for row in rows:
            session.add(row)
            session.flush()
    return p


STAGES = (
    "shortlisted",
    "contacted",
    "interviewed",
    "hired",
    "apprenticeship_started",
    "training_started",
)
PERIOD = "start=2026-10-01&end=2026-11-30"


def report(client, world, query: str = "") -> dict:
    response = client.get(
        f"/v1/reports/programme?{PERIOD}{query}", headers=world.headers(world.recruiter)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def tally(served: int, *counts: int) -> dict:
    return {
        "served": served,
        "counts": dict(zip(STAGES, counts, strict=True)),
        "shares": {s: round(c / served, 4) for s, c in zip(STAGES, counts, strict=True)},
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # p1-p8 served; p1-p4, p6-p8 shortlisted; p1, p2, p5, p6, p8 contacted (a contact
        # logged, or an outcome that means the person was reached: not p2's rejection alone);
        # p1, p2 interviewed; p1, p8 hired; p6 started an apprenticeship.
        ("", tally(8, 7, 5, 2, 2, 1, 0)),
        # Company A: p5's contact was about no need, and company B's p7, p8 drop out.
        ("&company_id={company_a}", tally(5, 5, 3, 2, 1, 1, 0)),
        ("&need_kind=apprenticeship", tally(2, 2, 1, 0, 0, 1, 0)),
        # osmo: p1, p2, p5, p8.
        ("&service_path=osmo", tally(4, 3, 4, 2, 2, 0, 0)),
        ("&service_path=osmo&company_id={company_b}", tally(1, 1, 1, 0, 1, 0, 0)),
    ],
)
def test_the_programme_report_reproduces_hand_computed_shares(
    client, world, history, query, expected
):
    body = report(client, world, query.format(company_a=world.company_a, company_b=world.company_b))
    assert body["totals"] == expected


def test_the_series_counts_each_month(client, world, history):
    series = report(client, world)["series"]
    assert [row["month"] for row in series] == ["2026-10", "2026-11"]
    # October: p1-p5 served; p1-p4 shortlisted; p1, p2, p5 contacted; p1, p2 interviewed;
    # p1 hired.
    assert {k: series[0][k] for k in ("served", "counts", "shares")} == tally(5, 4, 3, 2, 1, 0, 0)
    # November: p2 (rejected: not a contact), p3, p6, p7, p8; p6 started, p8 hired.
    assert {k: series[1][k] for k in ("served", "counts", "shares")} == tally(5, 4, 2, 0, 1, 1, 0)


def test_the_pages_offer_the_report_as_csv(world, history):
    from tests.web.conftest import Pages

    browser = Pages(world.app.test_client(), "fi")
    assert browser.sign_in(world.recruiter).status_code == 302
    response = browser.get(f"/reports/programme.csv?{PERIOD}")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].split(",")[:4] == ["Jakso", "Palveltu", "Esivalittu", "Esivalittu %"]
    assert lines[1].split(",") == [
        "2026-10-01/2026-11-30", "8", "7", "87.5", "5", "62.5", "2", "25.0", "2", "25.0", "1",
        "12.5", "0", "0.0",
    ]  # fmt: skip
    assert [line.split(",")[0] for line in lines[2:]] == ["2026-10", "2026-11"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-12-01&end=2026-11-01", "start"),
        ("need_kind=internship", "need_kind"),
        ("service_path=x", "service_path"),
        ("end=tomorrow", "end"),
    ],
)
def test_a_bad_period_or_filter_names_the_field(client, world, query, field):
    response = client.get(f"/v1/reports/programme?{query}", headers=world.headers(world.recruiter))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert [p["name"] for p in response.get_json()["invalid_params"]] == [field]
