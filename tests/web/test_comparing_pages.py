"""Pages built for comparing: the candidate list as one short row per candidate, the person's
page for staff with everything that happened, and reports whose flags are in sight."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from sqlalchemy import update

from service.storage import OutcomeRow
from tests.web.conftest import Pages
from tests.web.test_pages import audit_actions

NEED = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "description": "MIG-hitsausta konepajassa.\nKaksivuorotyö.",
    "required_skills": ["hitsaus", "asiakaspalvelu", "trukin ajo"],
    "municipality": "Vaasa",
    "languages": [{"language": "sv", "level": "C1"}],
    "start_date": "2026-12-15",
}


def add_need(world, **changes) -> str:
    body = {**NEED, "company_id": world.company_a, **changes}
    client = world.app.test_client()
    response = client.post("/v1/needs", json=body, headers=world.headers(world.recruiter))
    return response.get_json()["id"]


def rows(html: str) -> list[str]:
    """The candidates' ids in the comparison table, in order."""
    return re.findall(r'<tbody class="candidate[^"]*" id="candidate-([^"]+)"', html)


def cell(html: str, person: str, label: str) -> str:
    """The text of one candidate's cell under the column ``label``."""
    body = html[html.index(f'id="candidate-{person}"') :]
    found = re.search(rf'<td[^>]*data-label="{re.escape(label)}"[^>]*>(.*?)</td>', body, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found[1]).strip()


# -- the candidate list --------------------------------------------------------------------------


def test_the_candidates_compare_in_one_row_each_with_details_closed(recruiter, world):
    need_id = add_need(world)
    html = recruiter.text(f"/needs/{need_id}?limit=20&include_excluded=true")
    ids = rows(html)
    assert len(ids) > 5
    assert html.count("<details") >= len(ids) and "<details open" not in html
    people = {p.id: p for p in world.store.active_jobseekers()}
    for person_id in ids:
        person = people[person_id]
        distance = cell(html, person_id, "Distance")
        assert re.fullmatch(r"\d[\d,]* km", distance), distance
        languages = cell(html, person_id, "Languages")
        assert all(s.level in languages or s.level == "native" for s in person.languages)
    near = re.findall(r'<tbody class="candidate excluded" id="candidate-([^"]+)"', html)
    assert near and all(cell(html, i, "Missing") != "—" for i in near)
    assert any("Swedish" in cell(html, i, "Missing") for i in near)


def test_a_language_without_a_catalog_name_is_named_not_coded(world):
    person = {
        "name": "Somchai Thongdee",
        "municipality": "Vaasa",
        "skills": ["hitsaus", "trukin ajo", "asiakaspalvelu"],
        "languages": [{"language": "th", "level": "native"}, {"language": "sv", "level": "C1"}],
    }
    client = world.app.test_client()
    created = client.post("/v1/jobseekers", json=person, headers=world.headers(world.recruiter))
    person_id = created.get_json()["id"]
    need_id = add_need(world)
    finnish = Pages(world.app.test_client(), "fi")
    finnish.sign_in(world.recruiter)
    html = finnish.text(f"/needs/{need_id}?limit=50&include_excluded=true")
    assert "thai äidinkieli" in cell(html, person_id, "Kielitaito")
    assert "th äidinkieli" not in html
    assert "thai" in finnish.text(f"/jobseekers/{person_id}")


def test_the_needs_description_is_shown(recruiter, world):
    need_id = add_need(world)
    html = recruiter.text(f"/needs/{need_id}")
    assert "MIG-hitsausta konepajassa.\nKaksivuorotyö." in html


def test_the_page_filters_the_near_misses_by_the_requirement_they_lack(recruiter, world):
    need_id = add_need(world)
    html = recruiter.text(f"/needs/{need_id}?unmet=languages.sv&limit=50")
    ids = rows(html)
    assert ids and html.count('<tbody class="candidate excluded"') == len(ids)
    assert all("Swedish" in cell(html, i, "Missing") for i in ids)
    assert '<option value="languages.sv" selected>Swedish</option>' in html


def test_the_filter_is_kept_after_recording_an_outcome(recruiter, world):
    need_id = add_need(world)
    person = rows(recruiter.text(f"/needs/{need_id}?unmet=languages"))[0]
    path = f"/needs/{need_id}/candidates/{person}/outcome?unmet=languages"
    response = recruiter.post(path, {"outcome": "contacted"}, f"/needs/{need_id}")
    assert "unmet=languages" in response.headers["Location"]


# -- the person's page ---------------------------------------------------------------------------


def test_the_persons_page_shows_their_whole_record(recruiter, world):
    person = next(p for p in world.store.active_jobseekers() if p.work_history and p.education)
    html = recruiter.text(f"/jobseekers/{person.id}")
    for job in person.work_history:
        assert job.title in html
    assert "Work history" in html and "Education" in html and "Contact details" in html
    assert ("mailto:" + person.email in html) if person.email else "None given" in html
    assert "Restrictions and eligibility" in html and "Work permit" in html
    assert "No outcome or decision recorded yet." in html


def test_the_persons_page_lists_every_outcome_and_decision_in_time_order(recruiter, world):
    person = world.store.active_jobseekers()[0].id
    base = "/needs/{}/candidates/" + person
    recruiter.post(base.format(world.need_a) + "/outcome", {"outcome": "contacted"}, "/needs")
    recruiter.post(
        base.format(world.need_b) + "/decision", {"action": "pin", "reason": "Vahva"}, "/needs"
    )
    recruiter.post(
        base.format(world.need_a) + "/outcome",
        {"outcome": "interviewed", "note": "Haastattelu"},
        "/needs",
    )
    # The first outcome is dated a day earlier, the second a day later, than the pin.
    with world.store.transaction() as session:
        ids = sorted(
            session.scalars(OutcomeRow.__table__.select().with_only_columns(OutcomeRow.id))
        )
        now = dt.datetime.now(dt.UTC)
        for outcome_id, days in zip(ids, (-1, 1), strict=True):
            session.execute(
                update(OutcomeRow)
                .where(OutcomeRow.id == outcome_id)
                .values(created_at=now + dt.timedelta(days=days))
            )
    html = recruiter.text(f"/jobseekers/{person}")
    history = html[html.index('id="history"') : html.index("Needs that fit")]
    happened = re.findall(
        r'<tr class="history-(\w+)">.*?data-label="What happened">([^<]+)<', history, re.S
    )
    assert happened == [
        ("outcome", "Contacted"),
        ("decision", "Pinned to the top of the list"),
        ("outcome", "Interviewed"),
    ]
    assert "Haastattelu" in history and "Vahva" in history


def test_reading_the_persons_page_is_audit_logged_by_pseudonym(recruiter, world):
    person = world.store.active_jobseekers()[0]
    recruiter.text(f"/jobseekers/{person.id}")
    entry = audit_actions(world, "jobseeker.read")[0]
    assert entry["target"].startswith("jobseeker:") and person.id not in str(entry)
    assert person.name not in str(entry)


def test_a_company_cannot_open_the_persons_page(company_a, world):
    person = world.store.active_jobseekers()[0].id
    assert company_a.get(f"/jobseekers/{person}").status_code in (403, 404)


# -- reports -------------------------------------------------------------------------------------


class Charts(HTMLParser):
    """Counts the flagged bars in sight (inside no closed <details>) and the banner's items."""

    def __init__(self) -> None:
        super().__init__()
        self.closed = 0
        self.stack: list[bool] = []
        self.visible_flags = self.hidden_flags = self.banner = 0
        self.in_banner = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            shut = "open" not in attrs
            self.stack.append(shut)
            self.closed += shut
        elif tag == "rect" and attrs.get("class") == "chart-bar-flagged":
            if self.closed:
                self.hidden_flags += 1
            else:
                self.visible_flags += 1
        elif tag == "ul" and attrs.get("class") == "flag-list":
            self.in_banner = True
        elif tag == "li" and self.in_banner:
            self.banner += 1

    def handle_endtag(self, tag):
        if tag == "details":
            self.closed -= self.stack.pop()
        elif tag == "ul":
            self.in_banner = False


def plant_biased_vacancy_outcomes(world) -> None:
    """Women hired a fifth as often as men, all on vacancies: flagged overall and for the
    vacancies, whose section is collapsed unless it holds a flag."""
    client = world.app.test_client()
    headers = world.headers(world.recruiter)
    vacancies = [n.id for n in world.store.open_needs() if n.kind == "vacancy"]
    for i, person in enumerate(world.store.active_jobseekers()):
        sex = ("female", "male")[i % 2]
        body = {"sex": sex, "age_band": None, "mother_tongue": None}
        client.put(f"/v1/jobseekers/{person.id}/self-report", json=body, headers=headers)
        hired = i % 10 == 1 if sex == "female" else i % 2 == 1 and i % 10 != 9
        client.post(
            f"/v1/needs/{vacancies[i % len(vacancies)]}/candidates/{person.id}/outcome",
            json={"outcome": "hired" if hired else "rejected_by_company"},
            headers=headers,
        )


def test_every_flag_the_banner_counts_is_in_sight_with_its_size(recruiter, world):
    plant_biased_vacancy_outcomes(world)
    report = (
        world.app.test_client()
        .get("/v1/reports/fairness", headers=world.headers(world.recruiter))
        .get_json()
    )
    assert len(report["flags"]) >= 2
    assert any("/ vacancy /" in f for f in report["flags"])
    html = recruiter.text("/reports")
    charts = Charts()
    charts.feed(html)
    assert charts.banner == charts.visible_flags == len(report["flags"])
    assert charts.hidden_flags == 0
    female = report["attributes"]["sex"]["overall"]["outcomes"]
    size = next(r["people"] for r in female if r["group"] == "female")
    assert f"Women, {size} people, impact ratio" in html
    assert f"Women ({size})" in html


def test_without_flags_the_report_says_so(recruiter):
    html = recruiter.text("/reports")
    charts = Charts()
    charts.feed(html)
    assert charts.banner == charts.visible_flags == charts.hidden_flags == 0
    assert "No group is below four fifths." in html
