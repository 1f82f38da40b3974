"""POST /v1/skills/suggest: vocabulary suggestions for API clients and the need form."""

from __future__ import annotations

import pytest

from service.api.skills import suggest_skills

SUGGEST = "/v1/skills/suggest"


@pytest.mark.parametrize("role", ["recruiter", "admin", "token_a"])
def test_any_role_gets_suggestions_with_labels_in_three_languages(client, world, role):
    response = client.post(
        SUGGEST, json={"text": "hitsa", "limit": 5}, headers=world.headers(getattr(world, role))
    )
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert 0 < len(items) <= 5
    assert all(set(i["labels"]) == {"fi", "sv", "en"} and 0 < i["score"] <= 1 for i in items)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert "welding" in {i["concept"] for i in items}


@pytest.mark.parametrize(
    ("text", "language", "concept"),
    [
        ("hitsauksessa", None, "welding"),  # inflected: the concept mapper reads it
        ("svetsnig", None, "welding"),  # misspelt Swedish
        ("svets", "sv", "welding"),  # a word still being typed: label completion
        ("weld", "en", "welding"),
    ],
)
def test_suggestions_read_text_as_matching_does(world, text, language, concept):
    scorer = world.app.extensions["kohtaanto"].scorer
    assert concept in [i["concept"] for i in suggest_skills(scorer, text, language, 10)]


def test_a_language_completes_only_that_languages_labels(world):
    scorer = world.app.extensions["kohtaanto"].scorer
    assert suggest_skills(scorer, "svet", "fi", 10) == []
    assert [i["concept"] for i in suggest_skills(scorer, "svet", "sv", 1)] == ["welding"]


def test_suggestions_need_a_bearer_token(client):
    response = client.post(SUGGEST, json={"text": "hitsa"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"text": "hitsa", "language": "de"}, "language"),
        ({"text": "hitsa", "limit": 0}, "limit"),
        ({"text": "hitsa", "limit": 51}, "limit"),
        ({"text": "hitsa", "unknown": 1}, "unknown"),
    ],
)
def test_invalid_requests_are_problems_naming_the_field(client, world, body, field):
    response = client.post(SUGGEST, json=body, headers=world.headers(world.recruiter))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert [p["name"] for p in response.get_json()["invalid_params"]] == [field]


def test_the_endpoint_is_documented(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"][SUGGEST]["post"]
    assert operation["security"] if "security" in operation else spec["security"]
    assert "422" in operation["responses"]
