"""Drafts from documents: a schema.org ``JobPosting`` (JSON-LD, as job boards publish them)
becomes a proposed need, a Europass CV (XML or JSON) a proposed profile.

The structured fields are taken as they are (a place is still checked against the
municipalities); the free text (the posting's description, the CV's skills and activities) is
read as :mod:`matcher.drafts` reads a pasted text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from matcher.drafts import (
    Draft,
    Reading,
    draft_need,
    evidence_of,
    find_municipality,
    skills_in,
    text_language,
)
from matcher.exceptions import InvalidInput
from matcher.geo import municipalities
from matcher.jsontext import MAX_DEPTH, UnreadableJSON, json_value, nested_deeper
from matcher.languages import CEFR_LEVELS, LANGUAGE_CODES
from matcher.taxonomy import ConceptMapper
from matcher.text import scrubbed

JOB_POSTING_TEXT = (
    "skills",
    "qualifications",
    "experienceRequirements",
    "educationRequirements",
    "responsibilities",
)
EUROPASS_SKILLS = ("JobRelated", "Computer", "Other", "Organisational", "Communication")
MAX_JOBS = 50
_BLOCKS = frozenset("p br div li ul ol h1 h2 h3 h4 h5 h6 tr".split())


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(markup: str) -> str:
    """The text of an HTML fragment, a line per block (descriptions are often HTML)."""
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _text(value: Any) -> str:
    """The text of a JSON-LD value: a string, a list of them, or a thing with a name."""
    if isinstance(value, str):
        return html_text(value)
    if isinstance(value, list):
        return "\n".join(filter(None, map(_text, value)))
    if isinstance(value, Mapping):
        return _text(value.get("name") or value.get("description") or "")
    return ""


def job_posting(document: Any) -> Mapping[str, Any]:
    """The ``JobPosting`` in a JSON-LD document (itself, in a list or in ``@graph``)."""
    items = document if isinstance(document, list) else [document]
    for item in items:
        if not isinstance(item, Mapping):
            continue
        kind = item.get("@type")
        if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
            return item
        if "@graph" in item:
            return job_posting(item["@graph"])
    raise InvalidInput("no schema.org JobPosting in the document", field="jobposting")


# The tag's attributes bounded: unbounded, many unclosed "<script" made the search quadratic.
_LD_JSON = re.compile(
    r"<script[^>]{0,500}application/ld\+json[^>]{0,500}>(.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)


def embedded_postings(text: str) -> list[Any]:
    """The JSON-LD documents in a pasted text: the text itself when it is JSON, else the
    ``application/ld+json`` scripts of a pasted page."""
    stripped = text.strip()
    sources = [stripped] if stripped.startswith(("{", "[")) else _LD_JSON.findall(text)
    documents = []
    for source in sources:
        try:
            # JSON's escapes can spell what pasted text cannot hold (a lone surrogate).
            documents.append(scrubbed(json_value(source)))
        except UnreadableJSON:
            continue
    return documents


def need_from_paste(text: str, mapper: ConceptMapper) -> Draft:
    """A proposed need from pasted text: the JobPosting it holds (JSON-LD, or a job board's
    page with one), else the text read as an ad."""
    for document in embedded_postings(text):
        try:
            return need_from_jobposting(document, mapper)
        except InvalidInput:
            continue
    return draft_need(text, mapper)


def need_from_jobposting(document: Any, mapper: ConceptMapper) -> Draft:
    """A proposed need from a schema.org ``JobPosting``."""
    posting = job_posting(document)
    title = _text(posting.get("title"))
    parts = [title, _text(posting.get("description")), *map(_text, _posting_extras(posting))]
    draft = draft_need("\n".join(filter(None, parts)), mapper, title=title)
    reading = Reading(dict(draft.body), list(draft.recognised))
    if place := _place(posting.get("jobLocation")):
        reading.put("municipality", *place)
    start = str(posting.get("jobStartDate") or "")[:10]
    if _iso_date(start):
        reading.put("start_date", start, "jobStartDate")
    openings = posting.get("totalJobOpenings")
    if isinstance(openings, int) and not isinstance(openings, bool) and openings > 0:
        reading.put("positions", openings, "totalJobOpenings")
    return reading.draft(("title", "required_skills", "municipality"))


def _posting_extras(posting: Mapping[str, Any]) -> list[Any]:
    return [posting.get(name) for name in JOB_POSTING_TEXT]


def _place(location: Any) -> tuple[str, str] | None:
    """A known municipality of a JobPosting's ``jobLocation`` (the first that is known)."""
    places = location if isinstance(location, list) else [location]
    table = municipalities()
    for place in places:
        address = place.get("address") if isinstance(place, Mapping) else None
        locality = address.get("addressLocality") if isinstance(address, Mapping) else address
        if isinstance(locality, str) and locality.strip() in table:
            return table.canonical(locality.strip()), "jobLocation.address.addressLocality"
    return None


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- Europass --------------------------------------------------------------------------------


def europass(document: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``LearnerInfo`` of a Europass CV given as XML, JSON text or a parsed object."""
    if isinstance(document, bytes):
        document = document.decode("utf-8", errors="replace")
    if isinstance(document, str):
        document = _parse(document.strip())
    info = _get(document, "SkillsPassport", "LearnerInfo") or _get(document, "LearnerInfo")
    if not isinstance(info, Mapping):
        raise InvalidInput("no Europass LearnerInfo in the document", field="europass")
    return info


def _parse(text: str) -> Mapping[str, Any]:
    if text.startswith("<"):
        from defusedxml import ElementTree
        from defusedxml.common import DefusedXmlException

        try:
            root = ElementTree.fromstring(text)
        except (ElementTree.ParseError, DefusedXmlException) as error:
            raise InvalidInput(f"not readable XML: {error}", field="europass") from None
        # Without recursing: :func:`_element` recurses, once per level.
        if nested_deeper(root, MAX_DEPTH, children=list):
            raise InvalidInput(f"XML nested deeper than {MAX_DEPTH}", field="europass")
        return {_tag(root): _element(root)}
    try:
        value = scrubbed(json_value(text))
    except UnreadableJSON as error:
        raise InvalidInput(f"neither XML nor JSON: {error.reason}", field="europass") from None
    if not isinstance(value, Mapping):
        raise InvalidInput("must be an object", field="europass")
    return value


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _element(element) -> Any:
    """An XML element as JSON-like data: attributes and children by name (repeated ones as a
    list), or its text."""
    children = list(element)
    if not children and not element.attrib:
        return (element.text or "").strip()
    out: dict[str, Any] = dict(element.attrib)
    for child in children:
        name, value = _tag(child), _element(child)
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


def _get(node: Any, *path: str) -> Any:
    """The value at ``path``, keys compared without case (Europass XML and JSON differ)."""
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = next((v for k, v in node.items() if k.casefold() == key.casefold()), None)
    return node


def _string(node: Any, *path: str) -> str:
    """The text at ``path``, or an empty string when there is none (or something else)."""
    value = _get(node, *path)
    return value.strip() if isinstance(value, str) else ""


def _many(node: Any, name: str) -> list[Any]:
    """The repeated ``name`` entries under ``node``, with or without the ``…List`` wrapper."""
    value = _get(node, f"{name}List", name) or _get(node, name) or []
    return value if isinstance(value, list) else [value]


def profile_from_europass(document: str | bytes | Mapping[str, Any], mapper) -> Draft:
    """A proposed jobseeker profile from a Europass CV."""
    info = europass(document)
    reading = Reading()
    person = _get(info, "Identification")
    names = (_string(person, "PersonName", part) for part in ("FirstName", "Surname"))
    reading.put("name", " ".join(filter(None, names)), "Identification.PersonName")
    contact = _get(person, "ContactInfo")
    reading.put("email", _string(contact, "Email", "Contact"), "ContactInfo.Email")
    phones = _many(contact, "Telephone")
    reading.put("phone", _string(phones[0], "Contact") if phones else "", "ContactInfo.Telephone")
    jobs = [job for job in map(_job, _many(info, "WorkExperience")[:MAX_JOBS]) if job]
    text = _free_text(info, jobs)
    language = text_language(text)
    reading.put("headline", _string(info, "Headline", "Description", "Label"), "Headline")
    reading.put("work_history", jobs, "WorkExperience")
    required, preferred = skills_in(text, mapper, language)
    found = required + preferred
    reading.put("skills", [label for label, _ in found], evidence_of(found))
    reading.put("languages", _europass_languages(info), "Skills.Linguistic")
    reading.put("municipality", *_home(contact, text))
    licences = _get(info, "Skills", "Driving", "Description")
    reading.put("driving_licence", bool(licences), "Skills.Driving")
    reading.put("text_language", language, "the text's words")
    return reading.draft(("municipality",))


def _free_text(info: Any, jobs: list[dict[str, Any]]) -> str:
    skills = _get(info, "Skills")
    texts = [_text(_get(skills, name, "Description") or "") for name in EUROPASS_SKILLS]
    texts += [f"{job['title']}\n{job.get('description', '')}" for job in jobs]
    return "\n".join(filter(None, texts))


def _job(entry: Any) -> dict[str, Any] | None:
    title = _string(entry, "Position", "Label")
    if not title:
        return None
    period = _get(entry, "Period")
    job = {
        "title": title[:200],
        "employer": _string(entry, "Employer", "Name")[:200],
        "description": _text(_get(entry, "Activities") or "")[:5000],
        "start": _month(_get(period, "From")),
        "end": None
        if str(_get(period, "Current")).lower() == "true"
        else _month(_get(period, "To")),
    }
    if job["start"] and job["end"] and job["end"] < job["start"]:
        job["end"] = None
    return {k: v for k, v in job.items() if v not in ("", None)}


def _month(value: Any) -> str | None:
    """The first day of a Europass period's year and month (``--03`` or 3), as ISO."""
    try:
        year = int(_get(value, "year"))
        month = int(str(_get(value, "month") or 1).lstrip("-") or 1)
        return dt.date(year, month, 1).isoformat()
    except (TypeError, ValueError):
        return None


def _europass_languages(info: Any) -> list[dict[str, str]]:
    linguistic = _get(info, "Skills", "Linguistic")
    out: dict[str, str] = {}
    for entry in _many(linguistic, "MotherTongue"):
        code = str(_get(entry, "Description", "Code") or "").lower()
        if code in LANGUAGE_CODES:
            out.setdefault(code, "native")
    for entry in _many(linguistic, "ForeignLanguage"):
        code = str(_get(entry, "Description", "Code") or "").lower()
        levels = _get(entry, "ProficiencyLevel")
        known = (
            [v for v in levels.values() if v in CEFR_LEVELS] if isinstance(levels, Mapping) else []
        )
        # The weakest of the five skills: a need's level is met only when all of them meet it.
        if code in LANGUAGE_CODES and known:
            out.setdefault(code, min(known, key=CEFR_LEVELS.index))
    return [{"language": code, "level": level} for code, level in out.items()]


def _home(contact: Any, text: str) -> tuple[str | None, str]:
    place = _get(contact, "Address", "Contact", "Municipality")
    table = municipalities()
    if isinstance(place, str) and place.strip() in table:
        return table.canonical(place.strip()), "ContactInfo.Address.Municipality"
    found = find_municipality(text)
    return (found[0], found[1]) if found else (None, "")
