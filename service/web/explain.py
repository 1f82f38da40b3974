"""Reasons rendered in the reader's language, for the API and the pages alike.

The library explains with :class:`~matcher.reasons.Reason` values (a code and its
parameters); here each code has a sentence in the pages' catalogs, and each parameter is shown
as a reader of the language knows it: a language, level, work demand, education or kind of
need by its translated name, a municipality by its name in the language, numbers, dates and
score gains in the locale's format. No code reaches the reader.

A reason's sentence depends on the reason and the language alone, and the same reasons recur
across candidates and requests, so each is rendered once per worker (:func:`render`): a
precomputed list's page is read far more often than the catalogs change (never, while the
process lives).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import orjson
from babel.lists import format_list
from flask_babel import force_locale, format_date, format_decimal, get_locale, gettext, ngettext

from matcher.geo import municipality_in
from service.web.i18n import N_, name_of

# code → sentence (English source, translated in the catalogs); ``%(name)s`` is a parameter.
SENTENCES = {
    "work_demand": N_("the work involves %(demand)s, which the person cannot do"),
    "work_demand_remedy": N_("an arrangement without %(demand)s"),
    "work_permit": N_("no work permit"),
    "work_permit_remedy": N_("a work permit"),
    "driving_licence": N_("a driving licence is required, the person has none"),
    "driving_licence_remedy": N_("a driving licence"),
    "language_required": N_("%(language)s at level %(level)s required, the person has %(held)s"),
    "language_required_remedy": N_("%(language)s at level %(level)s"),
    "language_required_or_english": N_(
        "%(language)s or English at level %(level)s required, the person has %(held)s"
    ),
    "language_required_or_english_remedy": N_("%(language)s or English at level %(level)s"),
    "must_have_skill": N_("no evidence of the must-have skill “%(skill)s”"),
    "must_have_skill_remedy": N_(
        "evidence of “%(skill)s”: a course, a certificate or work that shows it"
    ),
    "work_permit_expires": N_("the work permit expires on %(expires)s, before %(last_day)s"),
    "work_permit_expires_remedy": N_("permit renewal"),
    "commute": N_(
        "%(municipality)s is %(distance_km)s km away, the person's limit is %(limit_km)s km"
    ),
    "commute_remedy": N_("willingness to commute %(distance_km)s km or to move"),
    "available_after_end": N_(
        "available from %(available_from)s, after the need ends on %(end_date)s"
    ),
    "available_after_end_remedy": N_("being available by %(end_date)s"),
    "language_preferred": N_(
        "%(language)s at level %(level)s preferred, the person has %(held)s"
    ),
    "language_preferred_or_english": N_(
        "%(language)s or English at level %(level)s preferred, the person has %(held)s"
    ),
    "education_below": N_("education asked: %(min_education)s; the person has %(education)s"),
    "other_kinds_wanted": N_("the person looks for %(wanted)s, not %(kind)s"),
    "only_missing_requirement": N_("The only requirement missing: %(remedy)s"),
    "missing_requirements": N_("Requirements missing: %(remedies)s"),
    "learn_skill": N_("Learning “%(skill)s” would raise the score most (up to %(gain)s)"),
    "show_skill": N_("Evidence of “%(skill)s” would raise the score most (up to %(gain)s)"),
    "meet_preference": N_(
        "Meeting this would raise the score most (up to %(gain)s): %(preference)s"
    ),
    "raise_feature": N_(
        "A better fit in “%(feature)s” would raise the score most (up to %(gain)s)"
    ),
    "unknown_municipality": N_("No Finnish municipality is called “%(name)s”."),
    "unknown_municipality_suggest": N_(
        "No Finnish municipality is called “%(name)s”. Did you mean %(suggestions)s?"
    ),
    # What a company reads instead of a work-ability or work-permit reason (service.matching).
    "requirement_of_need": N_("does not meet a requirement of the need"),
    "requirement_of_need_remedy": N_("what the employment service can tell"),
}


# Sentences already rendered, by (language, reason as canonical JSON); emptied when full.
_RENDERED: dict[tuple[str, bytes], str] = {}
RENDERED_LIMIT = 100_000


def render(reason: Mapping[str, Any] | str | None, language: str | None = None) -> str:
    """A reason (``{"code", "params"}``) as a sentence in ``language`` (the request's locale
    when None); a plain string, as explanations stored before reasons were data hold, as is."""
    if reason is None:
        return ""
    if isinstance(reason, str):
        return reason
    language = language or _locale()
    key = (language, orjson.dumps(reason, option=orjson.OPT_SORT_KEYS, default=str))
    text = _RENDERED.get(key)
    if text is None:
        with force_locale(language):
            text = _sentence(reason)
        if len(_RENDERED) >= RENDERED_LIMIT:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


def _sentence(reason: Mapping[str, Any]) -> str:
    """``reason`` in the current locale."""
    params = reason.get("params") or {}
    if reason["code"] == "available_later":
        days = int(params["days"])
        return ngettext(
            "available %(days)s day after the start date",
            "available %(days)s days after the start date",
            days,
            days=format_decimal(days),
        )
    values = {name: _value(name, value) for name, value in params.items()}
    return gettext(SENTENCES[reason["code"]], **values)


def explained(explanation: Mapping[str, Any], language: str) -> dict[str, Any]:
    """An explanation as the API sends it: each unmet requirement's ``code`` and ``params``
    with its ``reason`` and ``remedy`` in ``language``, the unmet preferences and the
    suggestion as sentences (``unmet_preferences``, ``suggestion``) and as data
    (``preference_reasons``, ``suggestion_reason``)."""
    preferences = [_data(p, language) for p in explanation.get("unmet_preferences", ())]
    suggestion = _data(explanation.get("suggestion"), language)
    requirements = explanation["unmet_requirements"]
    return {
        **explanation,
        "unmet_requirements": [_requirement(r, language) for r in requirements],
        "unmet_preferences": [p["text"] for p in preferences],
        "preference_reasons": preferences,
        "suggestion": suggestion["text"] if suggestion else None,
        "suggestion_reason": suggestion,
    }


def _requirement(requirement: Mapping[str, Any], language: str) -> dict[str, Any]:
    if "code" not in requirement:  # stored before reasons were data
        return {**requirement, "code": None, "params": {}}
    return {
        "field": requirement["field"],
        "code": requirement["code"],
        "params": requirement.get("params", {}),
        "reason": render(requirement, language),
        "remedy": render(_remedy(requirement), language),
    }


def _remedy(requirement: Mapping[str, Any]) -> dict[str, Any]:
    """What would meet an unmet requirement, as a reason (the library's ``…_remedy`` code)."""
    return {"code": f"{requirement['code']}_remedy", "params": requirement.get("params", {})}


def _data(reason: Mapping[str, Any] | str | None, language: str) -> dict[str, Any] | None:
    if reason is None:
        return None
    if isinstance(reason, str):
        return {"code": None, "params": {}, "text": reason}
    params = reason.get("params", {})
    return {"code": reason["code"], "params": params, "text": render(reason, language)}


def said(item: Mapping[str, Any] | str | None, part: str = "reason") -> str:
    """In templates: a reason, or an unmet requirement's ``reason`` or ``remedy``, in the
    page's language."""
    if isinstance(item, Mapping) and item.get("code") is None:
        return str(item.get(part) or item.get("text") or "")  # stored before reasons were data
    return render(_remedy(item) if part == "remedy" and isinstance(item, Mapping) else item)


def _value(name: str, value: Any) -> str:
    """A parameter as a reader of the current locale knows it."""
    if isinstance(value, Mapping) and "code" in value:
        return render(value)
    renderer = _RENDERERS.get(name)
    return renderer(value) if renderer else str(value)


def _inline(text: str) -> str:
    """A name inside a sentence: starting in lower case (language names already do)."""
    return text[:1].lower() + text[1:]


def _level(level: str | None) -> str:
    if level is None:
        return gettext("no level")
    return _inline(name_of(level, "level")) if level == "native" else level


def _education(level: str | None) -> str:
    if level is None:
        return gettext("no education recorded")
    return _inline(name_of(level, "education"))


def _names(values, table: str) -> str:
    return format_list([_inline(name_of(v, table)) for v in values], locale=_locale())


def _date(value: str) -> str:
    return format_date(dt.date.fromisoformat(value), "medium")


def _locale() -> str:
    return str(get_locale() or "fi")


def _feature(name: str) -> str:
    return name_of(name, "feature")


_RENDERERS = {
    "language": lambda code: name_of(code, "language"),
    "level": _level,
    "held": _level,
    "demand": lambda demand: _inline(name_of(demand, "demand")),
    "min_education": _education,
    "education": _education,
    "kind": lambda kind: _inline(name_of(kind, "kind")),
    "wanted": lambda kinds: _names(kinds, "kind"),
    "municipality": lambda name: municipality_in(name, _locale()),
    "distance_km": format_decimal,
    "limit_km": format_decimal,
    "days": format_decimal,
    "available_from": _date,
    "end_date": _date,
    "expires": _date,
    "last_day": _date,
    "gain": lambda gain: format_decimal(gain, "+0.00;-0.00"),
    "feature": _feature,
    "skill": str,
    "name": str,
    "suggestions": lambda names: format_list(
        [municipality_in(n, _locale()) for n in names], style="or", locale=_locale()
    ),
    "remedy": render,
    "preference": render,
    "remedies": lambda remedies: "; ".join(render(r) for r in remedies),
}
