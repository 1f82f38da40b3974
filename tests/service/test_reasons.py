"""Explanations in the API are reasons as data, rendered in the request's language: the same
candidate list in Finnish and in Swedish has the same codes and parameters and no English
sentence; field errors follow ``Accept-Language``."""

from __future__ import annotations

import json
import re

import pytest

from tests.leaks import codes_left, english_left
from tests.service.conftest import send_shortlist

# A need most candidates miss in some way: each kind of reason has people to show it.

NEED = {
    "kind": "vacancy",
    "title": "Hitsaaja",
    "required_skills": ["hitsaus", "trukkikortti"],
    "preferred_skills": ["tulityökortti"],
    "municipality": "Vaasa",
    "languages": [
        {"language": "sv", "level": "B1", "required": True},
        {"language": "en", "level": "B2", "required": False},
    ],
    "driving_licence": True,
    "min_education": "vocational",
    "work_demands": ["heavy_lifting"],
    "start_date": "2026-12-15",
    "end_date": "2027-03-01",
}


def candidates(client, world, language: str, **query) -> list[dict]:
    headers = world.headers(world.recruiter)
    body = {"need": NEED, "include_excluded": True, "limit": 200, "language": language}
    response = client.post("/v1/match", json={**body, **query}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def structured(item: dict) -> dict:
    """What an explanation says, without its sentences."""
    e = item["explanation"]
    return {
        "requirements": [(r["field"], r["code"], r["params"]) for r in e["unmet_requirements"]],
        "preferences": [(p["code"], p["params"]) for p in e["preference_reasons"]],
        "suggestion": e["suggestion_reason"]
        and {k: e["suggestion_reason"][k] for k in ("code", "params")},
    }


def sentences(item: dict) -> list[str]:
    e = item["explanation"]
    texts = [t for r in e["unmet_requirements"] for t in (r["reason"], r["remedy"])]
    texts += e["unmet_preferences"] + [p["text"] for p in e["preference_reasons"]]
    return texts + ([e["suggestion"], e["suggestion_reason"]["text"]] if e["suggestion"] else [])


def test_finnish_and_swedish_explanations_say_the_same_in_their_own_words(client, world):
    finnish, swedish = candidates(client, world, "fi"), candidates(client, world, "sv")
    english = candidates(client, world, "en")
    assert [structured(i) for i in finnish] == [structured(i) for i in swedish]
    assert [structured(i) for i in finnish] == [structured(i) for i in english]
    codes = {c for i in finnish for _, c, _ in structured(i)["requirements"]}
    codes |= {c for i in finnish for c, _ in structured(i)["preferences"]}
    # The list holds reasons of each kind, so that the check below reads each kind's words.
    assert {"language_required", "driving_licence", "work_demand", "available_after_end"} <= codes
    assert {"language_preferred", "available_later", "education_below"} <= codes
    for fi, sv, en in zip(finnish, swedish, english, strict=True):
        for text in sentences(fi) + sentences(sv):
            assert not english_left(text) and not codes_left(text), text
        assert len(sentences(fi)) == len(sentences(en))
        # Each sentence is in its own language: no two languages say it alike.
        for a, b, c in zip(sentences(fi), sentences(sv), sentences(en), strict=True):
            assert len({a, b, c}) == 3, (a, b, c)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["ruotsi tasolla B1 vaaditaan", "Ainoa puuttuva vaatimus: ruotsi, taso B1"]),
        ("sv", ["svenska på nivå B1 krävs", "Det enda krav som saknas: svenska på nivå B1"]),
        ("en", ["Swedish at level B1 required", "The only requirement missing: Swedish"]),
    ],
)
def test_a_missing_language_is_said_with_the_languages_name(client, world, language, words):
    texts = [t for i in candidates(client, world, language) for t in sentences(i)]
    for phrase in words:
        assert any(phrase in t for t in texts), phrase


def test_numbers_and_dates_follow_the_language(client, world):
    """A gain reads +0,15 in Finnish and Swedish and +0.15 in English; a date 1.3.2027,
    1 mars 2027 and Mar 1, 2027."""
    texts = {
        language: " ".join(t for i in candidates(client, world, language) for t in sentences(i))
        for language in ("fi", "sv", "en")
    }
    assert "1.3.2027" in texts["fi"] and "1 mars 2027" in texts["sv"]
    assert "Mar 1, 2027" in texts["en"]
    assert re_gain(",", texts["fi"]) and re_gain(",", texts["sv"]) and re_gain(".", texts["en"])
    assert not re_gain(".", texts["fi"]) and not re_gain(".", texts["sv"])


def re_gain(separator: str, text: str) -> bool:
    return re.search(rf"\+0{re.escape(separator)}\d\d", text) is not None


def test_a_stored_need_lists_the_same_reasons_as_data_and_in_words(client, world):
    headers = world.headers(world.recruiter)
    body = {**NEED, "company_id": world.company_a}
    need_id = client.post("/v1/needs", json=body, headers=headers).get_json()["id"]
    url = f"/v1/needs/{need_id}/candidates?include_excluded=true&limit=100&language="
    lists = {
        lang: client.get(url + lang, headers=headers).get_json()["items"]
        for lang in "fi sv".split()
    }
    assert [structured(i) for i in lists["fi"]] == [structured(i) for i in lists["sv"]]
    assert any(i["explanation"]["unmet_requirements"] for i in lists["fi"])


SENSITIVE = {"work_demands", "work_permit"}


def test_a_company_reads_the_neutral_requirement_in_its_language(client, world):
    headers = world.headers(world.token_a)
    body = {**NEED, "work_demands": ["heavy_lifting"]}
    need_id = client.post("/v1/needs", json=body, headers=headers).get_json()["id"]
    staff = client.get(
        f"/v1/needs/{need_id}/candidates?include_excluded=true&limit=100",
        headers=world.headers(world.recruiter),
    ).get_json()["items"]
    sensitive = [
        i["candidate"]["id"]
        for i in staff
        if SENSITIVE & {r["field"] for r in i["explanation"]["unmet_requirements"]}
    ]
    shortlist_id = send_shortlist(client, world, need_id, sensitive[:5])
    url = f"/v1/shortlists/{shortlist_id}?language=sv"
    entries = client.get(url, headers=headers).get_json()["entries"]
    unmet = [r for e in entries for r in e["explanation"]["unmet_requirements"]]
    neutral = [r for r in unmet if r["field"] == "requirement"]
    assert neutral and {r["code"] for r in neutral} == {"requirement_of_need"}
    assert neutral[0]["reason"] == "uppfyller inte ett krav i behovet"
    assert not {r["code"] for r in unmet} & {"work_demand", "work_permit"}


PROBLEM = {**NEED, "municipality": "Vassa"}


@pytest.mark.parametrize(
    ("accept", "reason"),
    [
        ("sv-FI,sv;q=0.9", "Ingen kommun i Finland heter ”Vassa”. Menade du Vasa"),
        ("fi", "Suomessa ei ole kuntaa nimeltä ”Vassa”. Tarkoititko: Vaasa"),
        (None, "unknown Finnish municipality 'Vassa'; did you mean Vasa"),
        ("en-GB", "unknown Finnish municipality 'Vassa'; did you mean Vasa"),
    ],
)
def test_field_errors_follow_accept_language(client, world, accept, reason):
    headers = world.headers(world.token_a) | ({"Accept-Language": accept} if accept else {})
    response = client.post("/v1/needs", json=PROBLEM, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    [param] = response.get_json()["invalid_params"]
    assert param["name"] == "municipality" and param["reason"].startswith(reason)


def test_every_field_error_of_a_swedish_client_is_swedish(client, world):
    headers = world.headers(world.token_a) | {"Accept-Language": "sv"}
    body = {**NEED, "title": "", "positions": 0, "languages": [{"language": "sv", "level": "Q"}]}
    problem = client.post("/v1/needs", json=body, headers=headers).get_json()
    assert problem["detail"] == "Begäran har ogiltiga fält."
    reasons = {p["name"]: p["reason"] for p in problem["invalid_params"]}
    assert set(reasons) == {"title", "positions", "languages[0].level"}
    for text in reasons.values():
        assert not english_left(text) and "must" not in text.lower(), text


def test_a_bulk_rows_errors_follow_accept_language(client, world):
    headers = world.headers(world.token_a) | {
        "Accept-Language": "sv",
        "Content-Type": "application/x-ndjson",
    }
    body = json.dumps(PROBLEM) + "\n"
    problem = client.post("/v1/needs:bulk", data=body, headers=headers).get_json()
    [error] = problem["errors"]
    assert (error["line"], error["name"]) == (1, "municipality")
    assert error["reason"].startswith("Ingen kommun i Finland heter ”Vassa”. Menade du Vasa")


@pytest.mark.parametrize(
    ("body", "field", "swedish"),
    [
        (
            '{"start_date": "2200-01-01"}',
            "start_date",
            "Ange ett datum mellan 1900-01-01 och 2199-12-31.",
        ),
        ('{"positions": ' + "9" * 5000 + "}", "positions", "Talet är för stort."),
        ('{"positions": 1e999}', "positions", "Talet är för stort."),
    ],
)
def test_bounds_of_dates_and_numbers_are_told_in_swedish(client, world, body, field, swedish):
    headers = world.headers(world.token_a) | {
        "Accept-Language": "sv",
        "Content-Type": "application/json",
    }
    data = json.dumps(NEED)[:-1] + ", " + body[1:]
    problem = client.post("/v1/needs", data=data, headers=headers).get_json()
    reasons = {p["name"]: p["reason"] for p in problem["invalid_params"]}
    assert reasons[field] == swedish


def test_text_that_cannot_be_stored_is_told_in_swedish(client, world):
    headers = world.headers(world.token_a) | {
        "Accept-Language": "sv",
        "Content-Type": "application/json",
    }
    data = json.dumps({**NEED, "title": "SV"}).replace("SV", "Svetsare\\u0000")
    problem = client.post("/v1/needs", data=data, headers=headers).get_json()
    assert problem["detail"] == "Begäran innehåller text som inte kan sparas."
    assert problem["invalid_params"] == [
        {"name": "title", "reason": "Innehåller tecknet U+0000, som inte kan sparas."}
    ]


@pytest.mark.parametrize(
    ("accept", "detail"),
    [
        ("fi", "JSON-rungon sisäkkäisyys on syvempi kuin 64."),
        (None, "The JSON body is nested deeper than 64."),
    ],
)
def test_a_body_nested_too_deep_is_told_in_the_clients_language(client, world, accept, detail):
    headers = world.headers(world.token_a) | {"Content-Type": "application/json"}
    headers |= {"Accept-Language": accept} if accept else {}
    response = client.post("/v1/needs", data="[" * 1000, headers=headers)
    assert response.status_code == 400 and response.get_json()["detail"] == detail


# Problems other than field errors: (method, path, body, whether the request carries a token).
OTHER_PROBLEMS = {
    "unknown need": ("GET", "/v1/needs/NOPE/candidates", None, True),
    "role": ("GET", "/v1/audit", None, True),
    "unknown route": ("GET", "/v1/nowhere", None, True),
    "method": ("DELETE", "/v1/needs", None, True),
    "no token": ("GET", "/v1/needs", None, False),
    "body too large": ("POST", "/v1/needs", "x" * (6 * 1024 * 1024), True),
    "not JSON": ("POST", "/v1/needs", "{", True),
}


@pytest.mark.parametrize("case", sorted(OTHER_PROBLEMS))
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_problem_of_a_finnish_or_swedish_client_is_in_its_language(
    client, world, case, language
):
    method, path, body, token = OTHER_PROBLEMS[case]
    headers = world.headers(world.recruiter) if token else {}
    headers |= {"Content-Type": "application/json"}

    def problem(accept: dict) -> dict:
        response = client.open(path, method=method, data=body, headers=headers | accept)
        assert response.status_code >= 400 and response.mimetype == "application/problem+json"
        return response.get_json()

    english, theirs = problem({}), problem({"Accept-Language": language})
    assert theirs["status"] == english["status"]
    texts = [("title", english["title"], theirs["title"])]
    texts += [("detail", english["detail"], theirs["detail"])] if "detail" in english else []
    params = zip(english.get("invalid_params", []), theirs.get("invalid_params", []), strict=True)
    texts += [(p["name"], e["reason"], p["reason"]) for e, p in params]
    for name, in_english, in_theirs in texts:
        assert in_theirs != in_english, (name, in_theirs)
        assert not english_left(in_theirs), (name, in_theirs)


def test_a_write_refused_by_a_constraint_is_told_without_the_databases_words(client, world):
    from service.web.i18n import conflict_text

    app = client.application
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert conflict_text("only the current step can be ended") == (
            "Ingenting sparades: bara det pågående steget kan avslutas"
        )
        assert conflict_text("UNIQUE constraint failed: needs.id") == (
            "Ingenting sparades: begäran strider mot det som redan är sparat."
        )
    with app.test_request_context():
        assert conflict_text("UNIQUE constraint failed: needs.id") == (
            "Nothing was written: UNIQUE constraint failed: needs.id"
        )


def test_every_problem_of_a_status_has_one_title(client, world):
    headers = world.headers(world.recruiter)
    query = client.get("/v1/needs/NOPE/candidates?limit=0", headers=headers)
    stored = client.post(
        "/v1/needs",
        data='{"title": "a\\u0000"}',
        headers=headers | {"Content-Type": "application/json"},
    )
    assert query.status_code == stored.status_code == 422
    assert query.get_json()["title"] == stored.get_json()["title"] == "Unprocessable Content"
