"""Every string of the pages is translated: the catalogs are complete and compiled, and no
English source string is left on any page shown in Finnish or Swedish."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from jinja2 import Environment

from matcher.allocation import Policy
from service.batch import run_batch
from service.web import catalog
from service.web.i18n import LANGUAGE_COOKIE
from tests.web.conftest import Pages

PLACEHOLDER = re.compile(r"%\(\w+\)s")
# Elements without an end tag: they open no scope for ``lang``.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-added")


def msgids() -> list[str]:
    """Every source string (singular and plural forms) the pages use."""
    ids = []
    for message in catalog.extract():
        if message.id:
            ids += list(message.id) if isinstance(message.id, tuple) else [message.id]
    return ids


@pytest.mark.parametrize("language", catalog.TRANSLATED)
def test_every_source_string_has_a_translation(language):
    translated = catalog.read(language)
    for message in catalog.extract():
        if not message.id:
            continue
        entry = translated.get(message.id)
        assert entry is not None, f"{language}: {message.id!r} is not in the catalog"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"{language}: {message.id!r} has no translation"
        assert not entry.fuzzy, f"{language}: {message.id!r} is marked fuzzy"


@pytest.mark.parametrize("language", catalog.TRANSLATED)
def test_the_compiled_catalogs_match_their_sources(language):
    compiled = catalog.po_path(language).with_suffix(".mo").read_bytes()
    assert compiled == catalog.compiled(catalog.read(language)), (
        "run `python -m service.web.catalog` to compile the catalogs"
    )


def template_sources() -> dict[str, str]:
    return {p.name: p.read_text() for p in (catalog.SOURCES / "templates" / "web").glob("*.html")}


def literal_html(source: str) -> str:
    """A template's own HTML, with each Jinja tag, expression and comment replaced by a mark."""
    environment = Environment(extensions=["jinja2.ext.i18n"])
    return "".join(
        value if kind == "data" else "\x00"
        for _, kind, value in environment.lex(source)
        if kind in ("data", "variable_begin", "block_begin")
    )


@pytest.mark.parametrize("name", sorted(template_sources()))
def test_templates_show_no_text_outside_gettext(name):
    html = literal_html(template_sources()[name])
    attributes = re.findall(rf'(?:{"|".join(SHOWN_ATTRIBUTES)})="([^"\x00]*[A-Za-z][^"]*)"', html)
    # Tags, comments, entities, and attributes a macro writes outside a tag.
    text = re.sub(r'<!--.*?-->|<[^>]*>|&\w+;|[\w-]+="[^"]*"', " ", html, flags=re.S)
    words = set(re.findall(r"[^\W\d_]{2,}", text)) - {"Kohtaanto"}
    assert not words and not attributes, f"{name}: text outside _(): {words or attributes}"


class ShownText(HTMLParser):
    """The text a page shows (and reads out), leaving out parts marked in another language."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.scopes = [language]
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            return
        if tag not in VOID:
            self.scopes.append(attrs.get("lang") or self.scopes[-1])
            self.skip += tag in ("script", "style")
        if self.scopes[-1] == self.scopes[0] and not self.skip:
            self.parts += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag not in VOID and tag != "html" and len(self.scopes) > 1:
            self.skip -= tag in ("script", "style")
            self.scopes.pop()

    def handle_data(self, data):
        if self.scopes[-1] == self.scopes[0] and not self.skip:
            self.parts.append(data)


def shown_text(html: str, language: str) -> str:
    parser = ShownText(language)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(text: str, language: str) -> list[str]:
    """Source strings (their literal parts) that appear untranslated in ``text``."""
    translations = catalog.read(language)
    found = []
    for msgid in msgids():
        entry = translations.get(msgid) or translations.get(_plural_key(translations, msgid))
        strings = () if entry is None else entry.string
        if msgid in (strings if isinstance(strings, tuple) else (strings,)):
            continue  # the same word in both languages ("Status")
        for part in PLACEHOLDER.split(msgid):
            part = part.strip(" .:()–")
            if len(part) >= 3 and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text):
                found.append(part)
    return found


def _plural_key(translations, msgid: str):
    """A plural entry is keyed by its (singular, plural) pair."""
    return next((m.id for m in translations if isinstance(m.id, tuple) and msgid in m.id), None)


def walk(app, tokens: dict[str, str], language: str) -> dict[str, str]:
    """Every page, as each role sees it, in ``language``: address → HTML."""
    anonymous = Pages(app.test_client(), language)
    recruiter, company = Pages(app.test_client(), language), Pages(app.test_client(), language)
    recruiter.sign_in(tokens["recruiter"])
    company.sign_in(tokens["company"])
    pin = {"action": "pin", "reason": "Vahva hitsaaja"}
    recruiter.post("/needs/N-fi-1/candidates/J-fi-0/decision", pin, "/needs")
    pages = {"/sign-in": anonymous.get("/sign-in").get_data(as_text=True)}
    pages["/sign-in (failed)"] = anonymous.sign_in("kt_unknown").get_data(as_text=True)
    for path in (
        "/needs",
        "/needs?status=any&updated_within_days=0",
        "/needs/new",
        "/needs/N-fi-1",
        "/needs/N-fi-1?include_excluded=true&show_hidden=true",
        "/needs/N-fi-1/edit",
        "/needs/N-fi-2",
        "/jobseekers",
        "/jobseekers?skill=hitsaus&language=sv&min_level=B1&stale_days=0&available_by=2027-01-01",
        "/jobseekers?min_level=B2&name=Aino",
        "/jobseekers/J-fi-0",
        "/jobseekers/J-fi-1",
        "/jobseekers/J-fi-3?include_excluded=true",
        "/reports",
        "/needs/N-missing",
    ):
        pages[path] = recruiter.get(path).get_data(as_text=True)
    for path in ("/needs", "/needs/N-fi-1", "/reports"):
        pages[f"{path} (company)"] = company.get(path).get_data(as_text=True)
    counsellor = Pages(app.test_client(), language)
    counsellor.sign_in(tokens["counsellor"])
    for who, browser in (("recruiter", recruiter), ("counsellor", counsellor)):
        pages[f"/reports/continuity ({who})"] = browser.get("/reports/continuity").get_data(
            as_text=True
        )
    pages["need form with errors"] = company.post(
        "/needs/new", {"title": "", "positions": "0", "languages-0-language": "fi"}
    ).get_data(as_text=True)
    pages["expired form"] = company.client.post("/needs/new", data={}).get_data(as_text=True)
    pages["/needs/paste"] = company.get("/needs/paste").get_data(as_text=True)
    ad = {"text": "Hitsaaja\nHaemme hitsaajaa. Edellytämme MIG-hitsausta ja trukkikorttia."}
    pages["a pasted ad, proposed"] = company.post("/needs/paste", ad).get_data(as_text=True)
    pages["an empty paste"] = company.post("/needs/paste", {"text": " "}).get_data(as_text=True)
    company.post("/needs/N-fi-1/candidates/J-fi-0/outcome", {"outcome": "x"}, "/needs")
    recruiter.post("/needs/N-fi-1/candidates/J-fi-0/outcome", {"outcome": "hired"}, "/needs")
    pages["after an outcome"] = recruiter.get("/needs/N-fi-1").get_data(as_text=True)
    pages.update(_cohort_pages(app, recruiter))
    return pages


def _cohort_pages(app, recruiter: Pages) -> dict[str, str]:
    """The cohort pages: none yet, solved with reserves, every near-miss below a language
    minimum, an impossible fix; the proposals before and after a nightly run, and the
    reports with the exposure measure."""
    pages = {"cohort (none yet)": recruiter.get("/needs/N-fi-2/cohort").get_data(as_text=True)}
    solved = {"reserves": "2", "max_relocating": "0", "start_by": "2027-01-15"}
    recruiter.post("/needs/N-fi-2/cohort", solved)
    pages["cohort"] = recruiter.get("/needs/N-fi-2/cohort").get_data(as_text=True)
    strict = {"language": "sv", "level": "B1"}
    pages["cohort (language)"] = recruiter.post("/needs/N-fi-1/cohort", strict).get_data(
        as_text=True
    )
    pages["cohort (impossible fix)"] = recruiter.post(
        "/needs/N-fi-1/cohort", {"fixed": "J-nobody"}
    ).get_data(as_text=True)
    pages["proposals"] = recruiter.get("/needs/N-fi-1/proposals").get_data(as_text=True)
    services = app.extensions["kohtaanto"]
    run_batch(services.store, services.scorer, k=10, allocation=Policy(per_person=1))
    pages["pathways"] = recruiter.get("/needs/N-fi-1/pathways").get_data(as_text=True)
    for path in ("/needs/N-fi-1/proposals", "/needs/N-fi-2/proposals", "/reports"):
        pages[f"{path} (after a run)"] = recruiter.get(path).get_data(as_text=True)
    for person in services.store.active_jobseekers():  # written again: changed since the run
        services.store.replace_jobseeker(person)
    pages["/needs/N-fi-1 (people changed since the run)"] = recruiter.get("/needs/N-fi-1").get_data(
        as_text=True
    )
    return pages


@pytest.mark.parametrize("language", catalog.TRANSLATED)
def test_no_english_is_left_on_any_page(finnish_world, language):
    app, tokens = finnish_world
    for name, html in walk(app, tokens, language).items():
        assert f'<html lang="{language}">' in html, name
        left = english_left(shown_text(html, language), language)
        assert not left, f"{language} {name}: untranslated {left}"


def test_every_page_renders_in_english_too(finnish_world):
    app, tokens = finnish_world
    pages = walk(app, tokens, "en")
    assert "Candidates" in pages["/needs/N-fi-1"] and "Fairness" in pages["/reports"]
    continuity = pages["/reports/continuity (counsellor)"]
    assert "Handover not acknowledged" in continuity and "Next step past its date" in continuity
    assert "changed since the run" in pages["/needs/N-fi-1 (people changed since the run)"]
    person = pages["/jobseekers/J-fi-1"]
    assert "Steps on the path" in person and "Temporary residence permit" in person
    assert "recognition pending" in person and "Vaasan ammattiopisto" in person


def test_the_language_is_the_users_choice_else_the_browsers(finnish_world):
    app, _ = finnish_world
    client = app.test_client()
    assert '<html lang="sv">' in client.get("/sign-in", headers={"Accept-Language": "sv"}).text
    assert '<html lang="fi">' in client.get("/sign-in").text
    client.set_cookie(LANGUAGE_COOKIE, "en")
    assert '<html lang="en">' in client.get("/sign-in", headers={"Accept-Language": "sv"}).text
