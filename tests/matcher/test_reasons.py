"""Reasons are data: a code and JSON-ready parameters, rendered in English only on request."""

from __future__ import annotations

import json

import pytest

from matcher.domain import MatchExplanation, Requirement
from matcher.exceptions import UnknownMunicipality
from matcher.geo import canonical_municipality
from matcher.reasons import ENGLISH, Reason, render_en

REMEDY = Reason("language_required_remedy", {"language": "sv", "level": "B1", "held": "A2"})
# Parameters for every code, as the library writes them.
SAMPLES = {
    "work_demand": {"demand": "heavy_lifting"},
    "language_required": {"language": "sv", "level": "B1", "held": None},
    "language_preferred": {"language": "en", "level": "B2", "held": "A2"},
    "language_required_or_english": {"language": "sv", "level": "B1", "held": None},
    "language_preferred_or_english": {"language": "fi", "level": "B1", "held": "A2"},
    "must_have_skill": {"skill": "trukkikortti"},
    "work_permit_expires": {"expires": "2027-08-31", "last_day": "2027-12-31"},
    "commute": {"municipality": "Vasa", "distance_km": 80, "limit_km": 50},
    "available_after_end": {"available_from": "2027-05-29", "end_date": "2027-03-01"},
    "available_later": {"days": 12},
    "education_below": {"min_education": "vocational", "education": None},
    "other_kinds_wanted": {"wanted": ["apprenticeship", "recruitment_training"], "kind": "vacancy"},
    "only_missing_requirement": {"remedy": REMEDY},
    "missing_requirements": {"remedies": [REMEDY, Reason("driving_licence_remedy")]},
    "learn_skill": {"skill": "trukkikortti", "gain": 0.18},
    "show_skill": {"skill": "trukkikortti", "gain": 0.18},
    "meet_preference": {"preference": Reason("available_later", {"days": 3}), "gain": 0.05},
    "raise_feature": {"feature": "interest_fit", "gain": 0.1},
    "unknown_municipality": {"name": "Vassa"},
    "unknown_municipality_suggest": {"name": "Vassa", "suggestions": ["Vasa", "Vaala"]},
}


def sample(code: str) -> Reason:
    base = code.removesuffix("_remedy")
    return Reason(code, SAMPLES.get(base, SAMPLES.get(code, {})))


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_every_reason_round_trips_through_json_and_renders_in_english(code):
    reason = sample(code)
    stored = json.loads(json.dumps(reason.to_dict()))
    assert Reason.from_dict(stored) == reason
    text = render_en(stored)
    assert text == str(reason) and "{" not in text and "_" not in text


@pytest.mark.parametrize(
    ("reason", "english"),
    [
        (sample("language_required"), "Swedish B1 required, has none"),
        (sample("only_missing_requirement"), "Swedish B1 is the only missing requirement"),
        (sample("missing_requirements"), "Missing requirements: Swedish B1; a driving licence"),
        (sample("commute"), "Vasa is 80 km away, limit 50 km"),
        (sample("raise_feature"), "A higher interest fit would raise the score most (up to +0.10)"),
        (
            sample("other_kinds_wanted"),
            "the person looks for apprenticeship, recruitment training, not vacancy",
        ),
    ],
)
def test_the_english_rendering_says_what_the_command_line_always_said(reason, english):
    assert str(reason) == english


def test_an_explanation_holds_codes_and_parameters_not_sentences():
    requirement = Requirement("languages.sv", "language_required", SAMPLES["language_required"])
    explanation = MatchExplanation(
        unmet_requirements=(requirement,),
        unmet_preferences=(sample("available_later"),),
        suggestion=Reason("only_missing_requirement", {"remedy": requirement.remedy}),
    )
    data = json.loads(json.dumps(explanation.to_dict()))
    assert data["unmet_requirements"] == [
        {
            "field": "languages.sv",
            "code": "language_required",
            "params": SAMPLES["language_required"],
        }
    ]
    assert data["unmet_preferences"] == [{"code": "available_later", "params": {"days": 12}}]
    assert data["suggestion"]["params"]["remedy"]["code"] == "language_required_remedy"
    assert requirement.remedy.code == "language_required_remedy"


def test_an_unknown_municipality_says_why_as_data():
    with pytest.raises(UnknownMunicipality) as raised:
        canonical_municipality("Vassa")
    reason = raised.value.reason
    assert reason.code == "unknown_municipality_suggest"
    assert reason.params["name"] == "Vassa" and reason.params["suggestions"][0] == "Vasa"
    assert raised.value.message == str(reason)
