"""The jobseekers page searches as the API does: a skill in any language, a language level."""

from __future__ import annotations

import re

from tests.conftest import make_jobseeker
from tests.service.test_search import PEOPLE

ROW = re.compile(r'<th scope="row"><a href="/jobseekers/(S-[\w-]+)"')


def test_the_page_finds_a_skill_in_any_language_and_a_level(recruiter, world):
    world.store.add_jobseekers([make_jobseeker(**p) for p in PEOPLE])
    page = recruiter.text("/jobseekers?skill=svetsning&page_size=100")
    assert sorted(ROW.findall(page)) == ["S-en", "S-fi", "S-sv"]
    page = recruiter.text("/jobseekers?skill=welding&language=sv&min_level=B2")
    assert sorted(ROW.findall(page)) == ["S-en", "S-sv"]


def test_a_level_without_a_language_is_marked_and_the_rest_still_filters(recruiter, world):
    world.store.add_jobseekers([make_jobseeker(**p) for p in PEOPLE])
    page = recruiter.text("/jobseekers?skill=ruoanvalmistus&min_level=B2")
    assert "Choose the language of the level." in page
    assert ROW.findall(page) == ["S-cook"]
