import dataclasses
import datetime as dt
import pickle

import pytest

from matcher.exceptions import InvalidInput, UnknownMunicipality
from tests.conftest import make_jobseeker, make_need


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"languages": [{"language": "xx", "level": "B1"}]}, "languages[0].language"),
        ({"languages": [{"language": "sv", "level": "D7"}]}, "languages[0].level"),
        ({"languages": [{"language": "sv"}]}, "languages[0].level"),
        ({"required_skills": []}, "required_skills"),
        ({"required_skills": ["hitsaus", "  "]}, "required_skills[1]"),
        ({"municipality": "Atlantis"}, "municipality"),
        ({"kind": "internship"}, "kind"),
        ({"start_date": "15.12.2026"}, "start_date"),
        ({"start_date": "2027-02-01", "end_date": "2027-01-01"}, "end_date"),
        ({"positions": 0}, "positions"),
        ({"work_demands": ["juggling"]}, "work_demands[0]"),
        ({"min_education": "phd"}, "min_education"),
        ({"remote": "yes"}, "remote"),
        ({"title": ""}, "title"),
        ({"title": "Hitsaaja \ud800"}, "title"),
        ({"description": "nul \x00 byte"}, "description"),
        ({"required_skills": ["hitsaus", "tig\ufffe"]}, "required_skills[1]"),
    ],
)
def test_bad_need_names_the_field(overrides, field):
    with pytest.raises(InvalidInput) as raised:
        make_need(**overrides)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"languages": [{"language": "swe", "level": "B1"}]}, "languages[0].language"),
        ({"languages": [{"language": "fi", "level": "D7"}]}, "languages[0].level"),
        ({"skills": [], "headline": "", "summary": ""}, "skills"),
        ({"municipality": "Stockholm"}, "municipality"),
        ({"service_path": "osmu"}, "service_path"),
        ({"service_groups": ["youth", "veteran"]}, "service_groups[1]"),
        ({"max_commute_km": -5}, "max_commute_km"),
        ({"work_history": [{"description": "no title"}]}, "work_history[0].title"),
        ({"education": {"level": "kindergarten"}}, "education.level"),
        ({"work_history": [{"title": "bell\x07"}]}, "work_history[0].title"),
        ({"headline": "\x85 next line"}, "headline"),
        ({"work_permit_type": "tourist"}, "work_permit_type"),
        ({"work_permit_expires": "31.12.2027"}, "work_permit_expires"),
        (
            {"qualification_recognitions": [{"field": "nursing", "status": "maybe"}]},
            "qualification_recognitions[0].status",
        ),
        (
            {"qualification_recognitions": [{"status": "pending"}]},
            "qualification_recognitions[0].field",
        ),
        (
            {"languages_studied": [{"language": "fi", "target_level": "B9"}]},
            "languages_studied[0].target_level",
        ),
        (
            {"languages_studied": [{"language": "fi", "target_level": "B1", "target_date": "x"}]},
            "languages_studied[0].target_date",
        ),
        (
            {"languages": [{"language": "fi", "level": "B1"}, {"language": "fi", "level": "C1"}]},
            "languages[1].language",
        ),
    ],
)
def test_bad_jobseeker_names_the_field(overrides, field):
    with pytest.raises(InvalidInput) as raised:
        make_jobseeker(**overrides)
    assert raised.value.field == field


def test_a_profile_without_evidence_is_told_every_field_that_would_do():
    with pytest.raises(InvalidInput) as raised:
        make_jobseeker(skills=[], headline="", summary="")
    assert raised.value.message == (
        "give at least one skill, work history entry, headline or summary"
    )


@pytest.mark.parametrize(
    "evidence",
    [
        {"work_history": [{"title": "Hitsaaja"}]},
        {"headline": "Hitsaaja"},
        {"summary": "Hitsannut kymmenen vuotta"},
    ],
)
def test_any_one_kind_of_evidence_makes_a_profile(evidence):
    overrides = {"skills": [], "headline": "", "summary": "", **evidence}
    assert make_jobseeker(**overrides)


def test_unknown_municipality_is_its_own_error():
    with pytest.raises(UnknownMunicipality, match="Atlantis"):
        make_need(municipality="Atlantis")


@pytest.mark.parametrize(
    ("given", "stored"),
    [("vaasa", "Vaasa"), ("VASA", "Vasa"), ("korsholm", "Korsholm"), ("Mustasaari", "Mustasaari")],
)
def test_municipality_keeps_the_language_it_was_given_in(given, stored):
    assert make_need(municipality=given).municipality == stored


def test_level_and_language_are_normalised():
    person = make_jobseeker(
        languages=[{"language": "SV", "level": "b2"}, {"language": "fi", "level": "Native"}]
    )
    assert [(s.language, s.level) for s in person.languages] == [("sv", "B2"), ("fi", "native")]


def test_round_trip_through_dict():
    need = make_need(
        languages=[{"language": "sv", "level": "B1", "required": False}], end_date="2027-06-30"
    )
    assert type(need).from_dict(need.to_dict()) == need
    person = make_jobseeker(
        work_history=[{"title": "Svetsare", "start": "2019-01-01", "end": None}]
    )
    assert type(person).from_dict(person.to_dict()) == person


def test_international_candidate_data_reads_back_as_given():
    data = {
        "work_permit_type": "temporary",
        "work_permit_expires": "2027-08-31",
        "qualification_recognitions": [{"field": "Nursing", "status": "pending"}],
        "languages_studied": [
            {"language": "fi", "target_level": "b1", "target_date": "2027-06-01"}
        ],
    }
    person = make_jobseeker(**data)
    assert person.work_permit_expires == dt.date(2027, 8, 31)
    again = person.to_dict()
    assert again["languages_studied"] == [
        {"language": "fi", "target_level": "B1", "target_date": "2027-06-01"}
    ]
    assert again["qualification_recognitions"] == data["qualification_recognitions"]
    assert type(person).from_dict(again) == person


def test_a_persons_hash_is_kept_but_never_pickled(dataset):
    person = dataset.jobseekers[0]
    twin, other = dataclasses.replace(person), dataclasses.replace(person, headline="Kokki")
    assert hash(person) == hash(twin) and person == twin and hash(person) != hash(other)
    assert hash(person) == person.__dict__["_hash"]  # kept: profiles are cached by person
    copy = pickle.loads(pickle.dumps(person))
    assert "_hash" not in copy.__dict__ and copy == person and hash(copy) == hash(person)
