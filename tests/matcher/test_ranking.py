import pytest

from matcher.exceptions import InvalidInput
from matcher.ranking import rank_candidates, rank_needs
from tests.conftest import make_jobseeker, make_need


def test_best_skill_fit_ranks_first_across_languages(scorer):
    need = make_need(required_skills=["svetsning", "truckkort"], text_language="sv")
    people = [
        make_jobseeker(id="J3", skills=["siivous"]),
        make_jobseeker(id="J2", skills=["hitsaus"]),
        make_jobseeker(id="J1", skills=["MIG-hitsaus", "trukkikortti"]),
    ]
    ranked = rank_candidates(need, people, 10, scorer=scorer)
    assert [m.jobseeker_id for m in ranked] == ["J1", "J2", "J3"]
    assert ranked[0].score > ranked[1].score > ranked[2].score


def test_ties_are_broken_by_id(scorer):
    need = make_need()
    people = [make_jobseeker(id=i) for i in ("J9", "J1", "J5")]
    assert [m.jobseeker_id for m in rank_candidates(need, people, 3, scorer=scorer)] == [
        "J1",
        "J5",
        "J9",
    ]


def test_limit_and_determinism(scorer, dataset):
    need = dataset.needs[0]
    first = rank_candidates(need, dataset.jobseekers, 5, scorer=scorer)
    again = rank_candidates(need, list(reversed(dataset.jobseekers)), 5, scorer=scorer)
    assert len(first) == 5
    assert [(m.jobseeker_id, m.score) for m in first] == [(m.jobseeker_id, m.score) for m in again]


def test_excluded_candidate_has_reason_and_smallest_change(scorer):
    need = make_need(languages=[{"language": "sv", "level": "B1", "required": True}])
    person = make_jobseeker(
        id="J1",
        languages=[{"language": "fi", "level": "native"}, {"language": "sv", "level": "A2"}],
    )
    assert rank_candidates(need, [person], 5, scorer=scorer) == []
    [match] = rank_candidates(need, [person], 5, scorer=scorer, include_excluded=True)
    assert match.excluded and match.score == 0.0
    assert [r.field for r in match.explanation.unmet_requirements] == ["languages.sv"]
    assert match.explanation.suggestion == "Swedish B1 is the only missing requirement"


def test_explanation_contributions_sum_to_score(scorer):
    need = make_need(
        required_skills=["hitsaus", "trukkikortti"], preferred_skills=["tulityökortti"]
    )
    [match] = rank_candidates(need, [make_jobseeker(skills=["svetsning"])], 1, scorer=scorer)
    total = sum(f.contribution for f in match.explanation.features)
    assert total == pytest.approx(match.score, abs=1e-3)
    assert 0.0 < match.score < 1.0
    assert match.explanation.missing_skills[0].need_skill == "trukkikortti"
    assert "trukkikortti" in match.explanation.suggestion


def test_apprenticeship_lists_the_gap_as_learning(scorer):
    need = make_need(kind="apprenticeship", required_skills=["hitsaus"])
    person = make_jobseeker(
        skills=["asiakaspalvelu"], service_path="osku", education={"level": "basic"}
    )
    [match] = rank_candidates(need, [person], 1, scorer=scorer)
    assert match.explanation.missing_skills[0].to_learn is True


def test_rank_needs_is_the_reverse(scorer):
    person = make_jobseeker(
        skills=["sjukskötare"], languages=[{"language": "sv", "level": "native"}]
    )
    needs = [
        make_need(id="N1", title="Hitsaaja", required_skills=["hitsaus"]),
        make_need(id="N2", title="Sairaanhoitaja", required_skills=["sairaanhoitaja"]),
    ]
    assert [m.need_id for m in rank_needs(person, needs, 2, scorer=scorer)] == ["N2", "N1"]


@pytest.mark.parametrize("limit", [0, -1, "10", True])
def test_bad_limit(scorer, limit):
    with pytest.raises(InvalidInput) as raised:
        rank_candidates(make_need(), [make_jobseeker()], limit, scorer=scorer)
    assert raised.value.field == "limit"
