"""Drafts from text and documents: a job ad in Finnish or Swedish proposes the same need, a
JobPosting's structured fields are taken, a CV and a Europass CV propose a profile."""

from __future__ import annotations

import json

import pytest

from matcher.documents import (
    embedded_postings,
    html_text,
    need_from_jobposting,
    need_from_paste,
    profile_from_europass,
)
from matcher.drafts import draft_need, draft_profile, text_language
from matcher.duplicates import concepts
from matcher.exceptions import InvalidInput
from matcher.geo import municipality_names
from matcher.taxonomy import ConceptMapper, embedded_vocabulary
from matcher.text import unsafe_char

AD_FI = """Hitsaaja, Vaasa
Haemme kokenutta hitsaajaa. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.
Työ alkaa 15.3.2027. Hyvä suomen kielen taito, ruotsin kielen taito katsotaan eduksi.
Eduksi katsotaan myös asiakaspalvelu."""
AD_SV = """Svetsare, Vasa
Vi söker en erfaren svetsare. Du behärskar MIG-svetsning och har truckkort.
Tillträde 15.3.2027. God finska, kunskaper i svenska är meriterande.
Meriterande är också kundservice."""
AD_EN = """Welder in Vaasa
We are looking for an experienced welder with MIG welding and a forklift licence.
Starting from 2027-03-15. Good Finnish, Swedish is an advantage. Customer service is a plus."""
POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Kock till lunchrestaurang",
    "description": "<p>Vi söker en kock.</p><ul><li>Erfarenhet av matlagning</li>"
    "<li>Hygienpass</li></ul><p>Goda kunskaper i svenska.</p>",
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Jakobstad"}},
    "jobStartDate": "2027-02-01",
    "totalJobOpenings": 2,
}
EUROPASS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass" locale="en">
 <LearnerInfo>
  <Identification>
   <PersonName><FirstName>Stina</FirstName><Surname>Åkerlund</Surname></PersonName>
   <ContactInfo>
    <Address><Contact><Municipality>Vasa</Municipality></Contact></Address>
    <Email><Contact>stina@example.fi</Contact></Email>
    <TelephoneList><Telephone><Contact>+358 50 111 2233</Contact></Telephone></TelephoneList>
   </ContactInfo>
  </Identification>
  <Headline><Description><Label>Welder</Label></Description></Headline>
  <WorkExperienceList>
   <WorkExperience>
    <Period><From year="2019" month="--03"/><Current>true</Current></Period>
    <Position><Label>Welder</Label></Position>
    <Activities>MIG welding of steel structures</Activities>
    <Employer><Name>Verkstad Ab</Name></Employer>
   </WorkExperience>
  </WorkExperienceList>
  <Skills>
   <Linguistic>
    <MotherTongueList><MotherTongue><Description><Code>sv</Code></Description></MotherTongue></MotherTongueList>
    <ForeignLanguageList><ForeignLanguage><Description><Code>fi</Code></Description>
     <ProficiencyLevel><Listening>B2</Listening><Reading>B1</Reading><Writing>B2</Writing></ProficiencyLevel>
    </ForeignLanguage></ForeignLanguageList>
   </Linguistic>
   <JobRelated><Description>Forklift licence</Description></JobRelated>
   <Driving><Description><Licence>B</Licence></Description></Driving>
  </Skills>
 </LearnerInfo>
</SkillsPassport>"""
# The same CV in Europass JSON, as the Europass editor saved it.
EUROPASS_JSON = {
    "SkillsPassport": {
        "LearnerInfo": {
            "Identification": {
                "PersonName": {"FirstName": "Stina", "Surname": "Åkerlund"},
                "ContactInfo": {
                    "Address": {"Contact": {"Municipality": "Vasa"}},
                    "Email": {"Contact": "stina@example.fi"},
                    "Telephone": [{"Contact": "+358 50 111 2233"}],
                },
            },
            "Headline": {"Description": {"Label": "Welder"}},
            "WorkExperience": [
                {
                    "Period": {"From": {"Year": 2019, "Month": 3}, "Current": True},
                    "Position": {"Label": "Welder"},
                    "Activities": "MIG welding of steel structures",
                    "Employer": {"Name": "Verkstad Ab"},
                }
            ],
            "Skills": {
                "Linguistic": {
                    "MotherTongue": [{"Description": {"Code": "sv"}}],
                    "ForeignLanguage": [
                        {
                            "Description": {"Code": "fi"},
                            "ProficiencyLevel": {
                                "Listening": "B2",
                                "Reading": "B1",
                                "Writing": "B2",
                            },
                        }
                    ],
                },
                "JobRelated": {"Description": "Forklift licence"},
                "Driving": {"Description": ["B"]},
            },
        }
    }
}


@pytest.fixture(scope="module")
def mapper():
    return ConceptMapper(embedded_vocabulary())


@pytest.mark.parametrize(("text", "language"), [(AD_FI, "fi"), (AD_SV, "sv"), (AD_EN, "en")])
def test_the_language_of_an_ad(text, language):
    assert text_language(text) == language


def test_an_ad_in_three_languages_proposes_the_same_need(mapper):
    drafts = [draft_need(text, mapper).body for text in (AD_FI, AD_SV, AD_EN)]
    required = [concepts(mapper, d["required_skills"]) for d in drafts]
    preferred = [concepts(mapper, d["preferred_skills"]) for d in drafts]
    assert required[0] == required[1] == required[2] and len(required[0]) >= 2
    assert preferred[0] == preferred[1] == preferred[2] and preferred[0]
    assert {d["municipality"] for d in drafts} <= set(municipality_names("Vaasa"))
    assert {d["start_date"] for d in drafts} == {"2027-03-15"}
    for draft in drafts:
        levels = {entry["language"]: entry for entry in draft["languages"]}
        assert levels["fi"]["required"] and not levels["sv"]["required"]


def test_each_recognised_value_names_its_words(mapper):
    draft = draft_need(AD_FI, mapper)
    by_field = {r.field: r for r in draft.recognised}
    assert by_field["municipality"].evidence in AD_FI
    assert "15.3.2027" in by_field["start_date"].evidence
    assert draft.missing == ()


def test_an_ad_without_a_place_or_skills_says_what_is_missing(mapper):
    draft = draft_need("Myyjä\nTule meille töihin!", mapper)
    assert set(draft.missing) == {"required_skills", "municipality"}


def test_a_jobpostings_fields_are_taken(mapper):
    body = need_from_jobposting(POSTING, mapper).body
    assert body["municipality"] == "Jakobstad"
    assert body["start_date"] == "2027-02-01" and body["positions"] == 2
    assert body["title"] == "Kock till lunchrestaurang"
    assert {"cooking"} <= concepts(mapper, body["required_skills"])
    assert "<" not in body["description"]


def test_a_pasted_page_with_a_jobposting_reads_as_the_posting(mapper):
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps({"@graph": [{"@type": "WebPage"}, POSTING]})
        + "</script></head><body>Kock</body></html>"
    )
    assert need_from_paste(page, mapper) == need_from_jobposting(POSTING, mapper)
    assert need_from_paste(json.dumps(POSTING), mapper) == need_from_jobposting(POSTING, mapper)
    assert embedded_postings(AD_FI) == []


@pytest.mark.parametrize("nested", ["[" * 5000, '{"a":' * 5000, "[" * 70 + "]" * 70])
def test_a_pasted_text_nested_too_deep_is_read_as_text(mapper, nested):
    page = f"<script type='application/ld+json'>{nested}</script>{AD_FI}"
    assert embedded_postings(nested) == embedded_postings(page) == []
    assert need_from_paste(page, mapper).body["description"]


@pytest.mark.parametrize(
    "document",
    ['{"a":' * 5000, "<a>" * 2000 + "</a>" * 2000, '{"LearnerInfo": {"n": ' + "9" * 5000 + "}}"],
)
def test_a_europass_document_past_the_bounds_is_refused(mapper, document):
    with pytest.raises(InvalidInput) as error:
        profile_from_europass(document, mapper)
    assert error.value.field == "europass"


def test_a_document_without_a_jobposting_is_refused(mapper):
    with pytest.raises(InvalidInput) as error:
        need_from_jobposting({"@type": "Organization"}, mapper)
    assert error.value.field == "jobposting"


def test_a_cv_proposes_a_profile(mapper):
    cv = "Aino Mäkinen\naino@example.fi, +358 40 765 4321, Kokkola\n" + (
        "Hitsaaja. Osaaminen: MIG-hitsaus, trukkikortti. Äidinkieli suomi, ruotsi B1."
    )
    body = draft_profile(cv, mapper).body
    assert (body["name"], body["email"], body["phone"]) == (
        "Aino Mäkinen",
        "aino@example.fi",
        "+358 40 765 4321",
    )
    assert body["municipality"] == "Kokkola"
    assert {"mig_mag_welding", "forklift_licence"} <= concepts(mapper, body["skills"])
    assert body["languages"] == [
        {"language": "fi", "level": "native"},
        {"language": "sv", "level": "B1"},
    ]


def test_a_europass_cv_in_xml_and_in_json_proposes_the_same_profile(mapper):
    xml = profile_from_europass(EUROPASS_XML, mapper)
    assert xml == profile_from_europass(EUROPASS_JSON, mapper)
    assert xml == profile_from_europass(json.dumps(EUROPASS_JSON), mapper)
    body = xml.body
    assert body["name"] == "Stina Åkerlund" and body["municipality"] == "Vasa"
    # The weakest of the language's levels: B1.
    assert body["languages"] == [
        {"language": "sv", "level": "native"},
        {"language": "fi", "level": "B1"},
    ]
    assert body["work_history"] == [
        {
            "title": "Welder",
            "employer": "Verkstad Ab",
            "description": "MIG welding of steel structures",
            "start": "2019-03-01",
        }
    ]
    assert body["driving_licence"] is True
    assert {"forklift_licence", "mig_mag_welding"} <= concepts(mapper, body["skills"])


@pytest.mark.parametrize(
    "document",
    [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa">]><SkillsPassport>&a;</SkillsPassport>',
        "<SkillsPassport><LearnerInfo>",
        "not a document",
        '{"SkillsPassport": {}}',
    ],
)
def test_an_unreadable_or_unsafe_europass_is_refused(mapper, document):
    with pytest.raises(InvalidInput) as error:
        profile_from_europass(document, mapper)
    assert error.value.field == "europass"


def test_html_text_keeps_a_line_per_block():
    assert html_text("<p>Yksi</p><ul><li>kaksi &amp; kolme</li></ul>") == "Yksi\nkaksi & kolme"


def test_europass_fields_of_the_wrong_type_are_left_out(mapper):
    odd = {
        "LearnerInfo": {
            "Identification": {
                "PersonName": {"FirstName": {"a": 1}, "Surname": ["x"]},
                "ContactInfo": {"Email": [1], "Telephone": "x"},
            },
            "Headline": 5,
            "WorkExperience": [
                {"Position": {"Label": ["x"]}},
                3,
                {"Position": {"Label": "Cook"}, "Period": {"From": {"year": "x"}, "To": [1]}},
            ],
            "Skills": {"JobRelated": {"Description": {"x": 1}}},
        }
    }
    body = profile_from_europass(odd, mapper).body
    assert body["work_history"] == [{"title": "Cook"}]
    assert not {"name", "email", "phone", "headline", "driving_licence"} & set(body)


def test_one_very_long_word_is_read_as_a_word(mapper):
    word = "hitsaus" + "x" * 50_000
    body = draft_profile(f"{word}@{word}.fi 0{' ' * 5000}1", mapper).body
    # Neither an address (its parts are too long) nor a phone number (its digits too few).
    assert "email" not in body and "phone" not in body
    assert body["summary"].startswith("hitsaus")


def test_a_jobposting_spelling_an_unstorable_character_is_read_without_it(mapper):
    page = (
        '<script type="application/ld+json">{"@type": "JobPosting", "title": "Svetsare\\ud800",'
        ' "description": "a\\udfffb \\u0000 svetsning"}</script>'
    )
    body = need_from_paste(page, mapper).body
    assert body["title"] == "Svetsare\ufffd"
    assert not any(unsafe_char(v) for v in body.values() if isinstance(v, str))


def test_many_unclosed_script_tags_are_read_as_text(mapper):
    text = "<script " * 2500 + "Kokki, ruoanvalmistus."
    assert embedded_postings(text) == []
    assert need_from_paste(text, mapper).body
