"""Municipalities: both official names, in any case, are one place; typos get the closest names."""

from __future__ import annotations

import pytest

from matcher.exceptions import UnknownMunicipality
from matcher.geo import canonical_municipality, municipality_in, municipality_names

SPELLINGS = ["Vasa", "Vaasa", "VAASA", "vasa"]


@pytest.mark.parametrize("name", SPELLINGS)
def test_every_spelling_names_both_official_names(name):
    assert municipality_names(name) == ("Vaasa", "Vasa")


def test_a_municipality_with_one_name_has_one():
    assert municipality_names("alajärvi") == ("Alajärvi",)


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [("Vassa", "Vasa"), ("Vaasaa", "Vaasa"), ("Helsinky", "Helsinki"), ("Tamprere", "Tampere")],
)
def test_a_typo_is_refused_with_the_closest_names_first(typo, suggested):
    with pytest.raises(UnknownMunicipality) as raised:
        canonical_municipality(typo, field="filters.municipality")
    error = raised.value
    assert error.field == "filters.municipality"
    assert error.suggestions[0] == suggested
    assert len(error.suggestions) <= 3
    assert f"did you mean {suggested}" in error.message


def test_suggestions_name_each_municipality_once():
    with pytest.raises(UnknownMunicipality) as raised:
        canonical_municipality("Vaasaa")
    assert "Vasa" not in raised.value.suggestions


def test_nothing_alike_suggests_nothing():
    with pytest.raises(UnknownMunicipality) as raised:
        canonical_municipality("xyzzy")
    assert raised.value.suggestions == []
    assert "did you mean" not in raised.value.message


@pytest.mark.parametrize(
    ("name", "language", "shown"),
    [
        ("vasa", "fi", "Vaasa"),
        ("VAASA", "sv", "Vasa"),
        ("Vaasa", "en", "Vaasa (Vasa)"),
        ("alajärvi", "en", "Alajärvi"),
        ("Alajärvi", "sv", "Alajärvi"),
        ("Atlantis", "sv", "Atlantis"),
    ],
)
def test_a_municipality_is_shown_in_the_readers_language(name, language, shown):
    assert municipality_in(name, language) == shown
