import pytest

from matcher.exceptions import InvalidInput
from matcher.features import SkillFit
from tests.conftest import AS_OF, make_jobseeker, make_need


@pytest.fixture(scope="module")
def skills():
    return SkillFit(as_of=AS_OF).fit()


def coverage(skills, need, person):
    names = list(skills.get_feature_names_out())
    return dict(zip(names, skills.transform([(need, person)])[0], strict=True))


@pytest.mark.parametrize("need_skill", ["hitsaus", "svetsning", "welding"])
@pytest.mark.parametrize(
    "person_skill", ["hitsaus", "svetsning", "welding", "hitsauksessa", "weldng"]
)
def test_welding_matches_across_languages(skills, need_skill, person_skill):
    need = make_need(required_skills=[need_skill])
    person = make_jobseeker(skills=[person_skill])
    assert coverage(skills, need, person)["skill_coverage"] >= 0.8


@pytest.mark.parametrize(
    ("need_skill", "person_skill"),
    [
        ("trukkikortti", "truckkort"),
        ("truckkort", "forklift licence"),
        ("forklift license", "trukkikortti"),
        ("sairaanhoitaja", "sjukskötare"),
        ("registered nurse", "sairaanhoitaja"),
    ],
)
def test_licences_and_professions_match_across_languages(skills, need_skill, person_skill):
    value = coverage(
        skills, make_need(required_skills=[need_skill]), make_jobseeker(skills=[person_skill])
    )
    assert value["skill_coverage"] >= 0.8


def test_unrelated_skill_does_not_match(skills):
    need = make_need(required_skills=["hitsaus"])
    assert coverage(skills, need, make_jobseeker(skills=["siivous"]))["skill_coverage"] < 0.2


def test_occupation_in_work_history_implies_its_skills(skills):
    need = make_need(required_skills=["welding"])
    person = make_jobseeker(
        skills=[], work_history=[{"title": "hitsaajana Wärtsilällä", "start": "2015-01-01"}]
    )
    assert coverage(skills, need, person)["skill_coverage"] >= 0.7


def test_recent_work_counts_more_than_old_work(skills):
    need = make_need(title="Welder", required_skills=["welding"])
    recent = make_jobseeker(
        skills=[], work_history=[{"title": "svetsare", "start": "2020-01-01", "end": "2026-10-01"}]
    )
    old = make_jobseeker(
        skills=[], work_history=[{"title": "svetsare", "start": "2000-01-01", "end": "2006-10-01"}]
    )
    assert (
        coverage(skills, need, recent)["skill_coverage"]
        > coverage(skills, need, old)["skill_coverage"]
    )


def test_occupation_title_fits_people_who_held_it(skills):
    need = make_need(title="Sairaanhoitaja", required_skills=["lääkehoito"])
    nurse = make_jobseeker(skills=[], headline="Sjukskötare med tio års erfarenhet")
    welder = make_jobseeker(skills=["svetsning"])
    assert (
        coverage(skills, need, nurse)["occupation_fit"]
        > 0.8
        > coverage(skills, need, welder)["occupation_fit"]
    )


def test_unmapped_phrase_falls_back_to_text_similarity(skills):
    need = make_need(required_skills=["Kvanttisuperkalibrointi"])
    same = make_jobseeker(skills=["kvanttisuperkalibrointi"])
    other = make_jobseeker(skills=["hitsaus"])
    assert coverage(skills, need, same)["skill_coverage"] > 0.9
    assert coverage(skills, need, other)["skill_coverage"] == 0.0


def test_values_stay_in_unit_interval(skills, dataset):
    pairs = [(need, person) for need in dataset.needs[:10] for person in dataset.jobseekers[:60]]
    values = skills.transform(pairs)
    assert values.shape == (len(pairs), len(skills.feature_names))
    assert ((values >= 0) & (values <= 1)).all()


def test_explain_lists_matched_evidence_and_what_to_learn(skills):
    need = make_need(kind="apprenticeship", required_skills=["hitsaus", "trukkikortti"])
    person = make_jobseeker(skills=["svetsning"])
    matched, missing = skills.explain(need, person)
    assert [(m.need_skill, m.evidence) for m in matched] == [("hitsaus", "svetsning")]
    assert (missing[0].need_skill, missing[0].required, missing[0].to_learn) == (
        "trukkikortti",
        True,
        True,
    )
    assert all(m.to_learn and not m.required for m in missing[1:])  # the occupation's essentials


def test_apprentice_learns_the_essential_skills_of_the_occupation(skills):
    need = make_need(
        kind="apprenticeship", title="Oppisopimus: hitsaaja", required_skills=["motivaatio"]
    )
    _, missing = skills.explain(need, make_jobseeker(skills=["asiakaspalvelu"]))
    assert "welding" in {m.concept for m in missing if m.to_learn}
    vacancy = make_need(title="Hitsaaja", required_skills=["motivaatio"])
    assert "welding" not in {m.concept for m in skills.explain(vacancy, make_jobseeker())[1]}


def test_holding_the_needs_own_title_is_experience_of_it(skills):
    # "Fotterapeut" maps to no concept; the years in a job of that very title still count.
    need = make_need(title="Fotterapeut", required_skills=["fotvård"])
    held = make_jobseeker(
        skills=[],
        work_history=[{"title": "Fotterapeut", "start": "2018-01-01", "end": "2025-12-31"}],
    )
    other = make_jobseeker(
        skills=[],
        work_history=[{"title": "Kassapersonal", "start": "2018-01-01", "end": "2025-12-31"}],
    )
    assert coverage(skills, need, held)["relevant_experience"] == pytest.approx(1.0)
    assert coverage(skills, need, held)["occupation_fit"] >= 0.9
    assert coverage(skills, need, other)["relevant_experience"] < 0.5


def test_a_compound_part_never_saturates_experience(skills):
    # "Bildbearbetning" (image editing) contains "bearbetning" (machining): partial at most.
    need = make_need(title="CNC-koneistaja", required_skills=["koneistus"])
    person = make_jobseeker(
        skills=[],
        work_history=[{"title": "Bildbearbetning", "start": "2010-01-01", "end": "2025-12-31"}],
    )
    assert coverage(skills, need, person)["relevant_experience"] <= 0.5


def test_a_must_have_skill_excludes_with_its_reason(scorer):
    need = make_need(
        required_skills=["hitsaus", "trukkikortti"], must_have_skills=["trukkikortti"]
    )
    without = make_jobseeker(skills=["hitsaus"])
    holder = make_jobseeker(id="J2", skills=["hitsaus", "truckkort"])
    scores, _, excluded = scorer.score([(need, without), (need, holder)])
    assert excluded.tolist() == [True, False] and scores[0] == 0
    [unmet] = scorer.unmet(need, without)
    assert unmet.field == "must_have_skills" and "trukkikortti" in str(unmet.reason)


def test_a_must_have_skill_is_one_of_the_required_ones():
    with pytest.raises(InvalidInput) as error:
        make_need(required_skills=["hitsaus"], must_have_skills=["trukkikortti"])
    assert error.value.field == "must_have_skills[0]"


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("Hitsaaja", ("svetsare", "welder")),
        ("welder", ("hitsaaja", "svetsare")),
        ("hitsaajana", ("hitsaaja", "svetsare", "welder")),  # the base form too
        ("Hitsaaja ja asentaja", ()),  # names no occupation as a whole
        ("Kokki, Vaasa", ("kokki", "kock", "cook")),  # a part names it
        ("Welder (m/f/d)", ("hitsaaja", "svetsare", "welder")),
        ("Hitsaaja / Svetsare", ("hitsaaja", "svetsare", "welder")),
        ("Hitsaaja - osa-aikainen", ("hitsaaja", "svetsare", "welder")),
        ("Hitsaaja, kokki", ()),  # two occupations: neither
        ("asiakaspalvelu", ()),  # a skill, not an occupation
    ],
)
def test_a_title_that_names_an_occupation_has_its_names_in_the_other_languages(
    skills, title, names
):
    assert skills.title_names(title) == names
