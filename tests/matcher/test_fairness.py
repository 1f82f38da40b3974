"""Protected attributes and the service groups that stand for them are never scoring inputs;
the fairness report's impact ratios follow the four-fifths rule."""

import ast
import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

import matcher
from matcher import domain
from matcher.domain import SERVICE_GROUPS, Jobseeker, Need
from matcher.engine import MatchEngine
from matcher.fairness import above_median, impact_ratios

PROTECTED = re.compile(
    r"(^|_)(age|age_band|birth\w*|gender|sex|ethnic\w*|nationality|origin|health|disab\w*|religio\w*|"
    r"service_groups?|youth|immigra\w*|partially\w*|mother_tongue|native_language)(_|$)",
    re.IGNORECASE,
)
FEATURES_DIR = Path(matcher.__file__).parent / "features"


def test_no_feature_name_refers_to_a_protected_attribute(scorer):
    assert scorer.feature_names_
    assert [n for n in scorer.feature_names_ if PROTECTED.search(n)] == []


def _field_names(cls) -> set[str]:
    """The fields of a domain class and of the domain classes nested in it."""
    names = set()
    for f in dataclasses.fields(cls):
        names.add(f.name)
        for inner in vars(domain).values():
            if dataclasses.is_dataclass(inner) and inner.__name__ in str(f.type):
                names |= _field_names(inner)
    return names


@pytest.mark.parametrize("cls", [Jobseeker, Need])
def test_no_domain_field_holds_a_protected_attribute(cls):
    fields = _field_names(cls)
    assert {"work_permit_expires", "qualification_recognitions", "languages_studied"} <= (
        _field_names(Jobseeker)
    )
    assert [f for f in fields if PROTECTED.search(f) and f != "service_groups"] == []


def _read_names(path: Path) -> set[str]:
    """Every attribute, name and string constant that a module's code mentions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    return names


@pytest.mark.parametrize("path", sorted(FEATURES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_feature_code_never_reads_a_protected_attribute(path):
    """No feature reads the service groups, nationality or origin (nor any other protected
    attribute), by attribute, name or key."""
    read = {n for n in _read_names(path) if n.isidentifier()}
    assert "service_groups" not in read
    assert [n for n in read if PROTECTED.search(n)] == []


def test_the_check_finds_a_feature_reading_nationality(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def f(person):\n    return person.nationality == 'x'\n")
    assert [n for n in _read_names(planted) if PROTECTED.search(n)] == ["nationality"]


INTERNATIONAL = {
    "work_permit_type": "student",
    "qualification_recognitions": (domain.QualificationRecognition("nursing", "pending"),),
    "languages_studied": (domain.LanguageStudy("fi", "B1", None),),
}


@pytest.mark.parametrize("field", sorted(INTERNATIONAL))
def test_international_data_other_than_eligibility_changes_no_score(scorer, dataset, field):
    people = dataset.jobseekers[:120]
    changed = [dataclasses.replace(p, **{field: INTERNATIONAL[field]}) for p in people]
    for need in dataset.needs[:8]:
        before, values_before, _ = scorer.score([(need, p) for p in people])
        after, values_after, _ = scorer.score([(need, p) for p in changed])
        np.testing.assert_array_equal(before, after)
        np.testing.assert_array_equal(values_before, values_after)


def test_changing_service_groups_changes_no_score(scorer, dataset):
    people = dataset.jobseekers[:150]
    regrouped = [
        dataclasses.replace(
            p, service_groups=tuple(g for g in SERVICE_GROUPS if g not in p.service_groups)
        )
        for p in people
    ]
    for need in dataset.needs[:12]:
        before, values_before, _ = scorer.score([(need, p) for p in people])
        after, values_after, _ = scorer.score([(need, p) for p in regrouped])
        np.testing.assert_array_equal(before, after)
        np.testing.assert_array_equal(values_before, values_after)


@pytest.mark.parametrize("field", ["name", "email", "phone", "text_language"])
def test_contact_details_and_profile_language_change_no_score(scorer, dataset, field):
    people = dataset.jobseekers[:80]
    changed = [
        dataclasses.replace(p, **{field: "fi" if field == "text_language" else "x"}) for p in people
    ]
    for need in dataset.needs[:5]:
        np.testing.assert_array_equal(
            scorer.score([(need, p) for p in people])[0],
            scorer.score([(need, p) for p in changed])[0],
        )


def test_profile_language_changes_no_stage_one_candidate(scorer, dataset):
    """Stage 1 proposes by the text, never by the language a profile says it is written in."""
    people = dataset.jobseekers[:200]
    flipped = [
        dataclasses.replace(p, text_language="sv" if p.text_language == "fi" else "fi")
        for p in people
    ]
    engine, other = MatchEngine(scorer, people, pool=30), MatchEngine(scorer, flipped, pool=30)
    for need in dataset.needs[:10]:
        assert engine.ids[engine.candidates_for(need)].tolist() == (
            other.ids[other.candidates_for(need)].tolist()
        )


# -- impact ratios (the fairness report's arithmetic) -----------------------------------------


def _rows(counts: dict[str, tuple[int, int]]):
    """Rows of groups with (people, selected) each; one row per person."""
    groups, people, selected = [], [], []
    for group, (n, chosen) in counts.items():
        for i in range(n):
            groups.append(None if group == "none" else group)
            people.append(f"{group}-{i}")
            selected.append(i < chosen)
    return groups, people, np.array(selected)


def test_a_group_below_four_fifths_of_the_most_favoured_is_flagged():
    rates = {r.group: r for r in impact_ratios(*_rows({"a": (50, 25), "b": (50, 15)}))}
    assert rates["a"].impact_ratio == 1.0 and not rates["a"].flagged
    assert rates["b"].impact_ratio == pytest.approx(0.6) and rates["b"].flagged


def test_a_ratio_at_or_above_four_fifths_passes():
    rates = {r.group: r for r in impact_ratios(*_rows({"a": (50, 25), "b": (50, 20)}))}
    assert rates["b"].impact_ratio == pytest.approx(0.8) and not rates["b"].flagged


def test_small_and_unreported_groups_are_noted_not_judged():
    rates = {
        r.group: r for r in impact_ratios(*_rows({"a": (50, 25), "tiny": (3, 0), "none": (40, 0)}))
    }
    assert rates["tiny"].impact_ratio is None and "too small" in rates["tiny"].note
    assert rates["not reported"].impact_ratio is None and not rates["not reported"].flagged
    assert rates["a"].impact_ratio == 1.0


def test_the_scoring_rate_is_the_share_above_the_median():
    assert above_median(np.array([0.1, 0.2, 0.3, 0.4])).tolist() == [False, False, True, True]
