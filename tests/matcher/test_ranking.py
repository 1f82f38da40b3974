"""The ranking contract as the engine answers it: order, ties, exclusions, explanations."""

import pytest

from matcher.engine import MatchEngine
from matcher.exceptions import InvalidInput
from matcher.ranking import Ranker
from matcher.reasons import Reason
from tests.conftest import make_jobseeker, make_need


def matches(scorer, need, people, limit, include_excluded=False):
    engine = MatchEngine(scorer, people)
    return engine.matches(engine.rank(need), limit, include_excluded=include_excluded)


def test_best_skill_fit_ranks_first_across_languages(scorer):
    need = make_need(required_skills=["svetsning", "truckkort"], text_language="sv")
    people = [
        make_jobseeker(id="J3", skills=["siivous"]),
        make_jobseeker(id="J2", skills=["hitsaus"]),
        make_jobseeker(id="J1", skills=["MIG-hitsaus", "trukkikortti"]),
    ]
    ranking = MatchEngine(scorer, people).top(need, limit=10)
    # Someone sharing nothing with the need still fills the list, but below those who do.
    assert ranking.ids == ["J1", "J2", "J3"]
    assert ranking.scores[0] > ranking.scores[1] > ranking.scores[2]
    assert ranking.explanations is None


def test_ties_are_broken_by_id(scorer):
    people = [make_jobseeker(id=i) for i in ("J9", "J1", "J5")]
    assert MatchEngine(scorer, people).top(make_need(), limit=3).ids == ["J1", "J5", "J9"]


def test_limit_and_determinism(scorer, dataset):
    need = dataset.needs[0]
    first = MatchEngine(scorer, dataset.jobseekers).top(need, limit=5)
    again = MatchEngine(scorer, list(reversed(dataset.jobseekers))).top(need, limit=5)
    assert len(first.ids) == 5 and first == again


def test_explained_top_is_the_matches_the_service_shows(scorer, dataset):
    engine = MatchEngine(scorer, dataset.jobseekers)
    need = dataset.needs[2]
    ranking = engine.top(need, limit=4, explain=True, language="fi")
    shown = engine.matches(engine.rank(need), 4, language="fi")
    assert ranking.ids == [m.jobseeker_id for m in shown]
    assert ranking.scores == [m.score for m in shown]
    assert ranking.explanations == [m.explanation for m in shown]


def test_excluded_candidate_has_reason_and_smallest_change(scorer):
    need = make_need(languages=[{"language": "sv", "level": "B1", "required": True}])
    person = make_jobseeker(
        id="J1",
        languages=[{"language": "fi", "level": "native"}, {"language": "sv", "level": "A2"}],
    )
    assert MatchEngine(scorer, [person]).top(need, limit=5).ids == []
    [match] = matches(scorer, need, [person], 5, include_excluded=True)
    assert match.excluded and match.score == 0.0
    assert [r.field for r in match.explanation.unmet_requirements] == ["languages.sv"]
    [unmet] = match.explanation.unmet_requirements
    assert (unmet.code, dict(unmet.params)) == (
        "language_required",
        {"language": "sv", "level": "B1", "held": "A2"},
    )
    assert match.explanation.suggestion == Reason(
        "only_missing_requirement", {"remedy": unmet.remedy}
    )
    assert str(match.explanation.suggestion) == "Swedish B1 is the only missing requirement"


SWEDISH_B1 = {"language": "sv", "level": "B1"}


def test_near_misses_come_best_first_by_the_score_they_would_have_with_the_remedy(scorer):
    need = make_need(
        required_skills=["hitsaus", "trukkikortti"],
        languages=[{"language": "sv", "level": "B1", "required": True}],
    )
    finnish_only = [{"language": "fi", "level": "native"}]
    people = [
        # The ids put the weaker near-miss first, as the old order by id did.
        make_jobseeker(id="J1", skills=["hitsaus"], languages=finnish_only),
        make_jobseeker(id="J2", skills=["MIG-hitsaus", "trukkikortti"], languages=finnish_only),
        make_jobseeker(id="J3", skills=["hitsaus"], languages=[*finnish_only, SWEDISH_B1]),
    ]
    shown = matches(scorer, need, people, 5, include_excluded=True)
    assert [(m.jobseeker_id, m.excluded) for m in shown] == [
        ("J3", False),
        ("J2", True),
        ("J1", True),
    ]
    assert shown[0].score_with_remedy is None
    assert shown[1].score_with_remedy > shown[2].score_with_remedy > 0.0
    assert shown[1].score == shown[2].score == 0.0


def test_explanation_contributions_sum_to_score(scorer):
    need = make_need(
        required_skills=["hitsaus", "trukkikortti"], preferred_skills=["tulityökortti"]
    )
    [match] = matches(scorer, need, [make_jobseeker(skills=["svetsning"])], 1)
    total = sum(f.contribution for f in match.explanation.features)
    assert total == pytest.approx(match.score, abs=1e-3)
    assert 0.0 < match.score < 1.0
    assert match.explanation.missing_skills[0].need_skill == "trukkikortti"
    assert match.explanation.suggestion.params["skill"] == "trukkikortti"
    assert "trukkikortti" in str(match.explanation.suggestion)


def test_apprenticeship_lists_the_gap_as_learning(scorer):
    need = make_need(kind="apprenticeship", required_skills=["hitsaus"])
    person = make_jobseeker(
        skills=["asiakaspalvelu"], service_path="osku", education={"level": "basic"}
    )
    # From the person's side: apprenticeships have a stage-1 pool of their own, shared words
    # or not (from the need's side, stage 1 proposes only people sharing something).
    engine = MatchEngine(scorer, [person])
    [match] = engine.need_matches(engine.rank_person(person, engine.open_needs([need])), 1)
    assert match.explanation.missing_skills[0].to_learn is True


def test_a_jobseekers_needs_are_the_reverse(scorer):
    person = make_jobseeker(
        skills=["sjukskötare"], languages=[{"language": "sv", "level": "native"}]
    )
    needs = [
        make_need(id="N1", title="Hitsaaja", required_skills=["hitsaus"]),
        make_need(id="N2", title="Sairaanhoitaja", required_skills=["sairaanhoitaja"]),
    ]
    engine = MatchEngine(scorer, [person])
    ranked = engine.rank_person(person, engine.open_needs(needs))
    assert [m.need_id for m in engine.need_matches(ranked, 2)] == ["N2", "N1"]


@pytest.mark.parametrize("limit", [0, -1, "10", True])
def test_bad_limit(scorer, limit):
    with pytest.raises(InvalidInput) as raised:
        MatchEngine(scorer, [make_jobseeker()]).top(make_need(), limit=limit)
    assert raised.value.field == "limit"


def test_the_engine_keeps_the_ranking_contract(scorer):
    assert isinstance(MatchEngine(scorer, []), Ranker)
