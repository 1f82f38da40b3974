"""The pages' languages: which one a request gets, and names for the domain's codes.

The source strings are English; the catalogs in ``translations/`` hold Finnish and Swedish
(``python -m service.web.catalog`` extracts, updates and compiles them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from babel import Locale, localedata
from flask import has_request_context, request
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_COOKIE = "kohtaanto_language"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

# Each language named in itself, as a language switcher shows them.
ENDONYMS = {"fi": "suomi", "sv": "svenska", "en": "English"}


def preload_locales() -> None:
    """Read every page language's locale data now. ``matcher serve`` creates the app before
    gunicorn forks its workers, so they share one copy, and no worker's first request reads
    and merges it (about 20 ms)."""
    for code in LANGUAGES:
        localedata.load(code)


def locale() -> str:
    """The user's chosen language (a cookie), else the browser's preference, else Finnish."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


KINDS = {
    "vacancy": _l("Vacancy"),
    "apprenticeship": _l("Apprenticeship"),
    "recruitment_training": _l("Recruitment training"),
}
STATUSES = {"open": _l("Open"), "filled": _l("Filled"), "closed": _l("Closed")}
OUTCOMES = {
    "contacted": _l("Contacted"),
    "interviewed": _l("Interviewed"),
    "hired": _l("Hired"),
    "apprenticeship_started": _l("Apprenticeship started"),
    "training_started": _l("Training started"),
    "rejected_by_company": _l("Rejected by the company"),
    "declined_by_jobseeker": _l("Declined by the jobseeker"),
}
EDUCATION = {
    "basic": _l("Basic education"),
    "upper_secondary": _l("General upper secondary"),
    "vocational": _l("Vocational qualification"),
    "bachelor": _l("Bachelor's degree"),
    "master": _l("Master's degree"),
    "doctorate": _l("Doctorate"),
}
WORK_DEMANDS = {
    "heavy_lifting": _l("Heavy lifting"),
    "night_shifts": _l("Night shifts"),
    "shift_work": _l("Shift work"),
    "standing_work": _l("Standing work"),
    "cold_environment": _l("Cold environment"),
    "working_at_heights": _l("Working at heights"),
    "dust_or_chemicals": _l("Dust or chemicals"),
    "driving": _l("Driving"),
}
LANGUAGE_NAMES = {
    "fi": _l("Finnish"),
    "sv": _l("Swedish"),
    "en": _l("English"),
    "ru": _l("Russian"),
    "et": _l("Estonian"),
    "ar": _l("Arabic"),
    "so": _l("Somali"),
    "uk": _l("Ukrainian"),
    "fa": _l("Persian"),
    "de": _l("German"),
}
# Each feature by what a recruiter would call it.
FEATURES = {
    "skill_coverage": _l("Has the skills the need asks for"),
    "preferred_skill_coverage": _l("Has the skills the need would like"),
    "occupation_fit": _l("Has worked in this occupation"),
    "profile_similarity": _l("Whole profile fits the need"),
    "text_similarity": _l("Words of the profile match the need"),
    "meaning_similarity": _l("Profile means the same work as the need"),
    "sector_fit": _l("Knows the field"),
    "relevant_experience": _l("Years of relevant work"),
    "interest_fit": _l("Wants this kind of work"),
    "trainable_gap": _l("Can learn what is missing"),
    "language_fit": _l("Languages"),
    "location_fit": _l("Distance to work"),
    "availability_fit": _l("Can start in time"),
    "education_fit": _l("Education"),
    "wage_subsidy_fit": _l("Wage subsidy possible"),
    "path_fit": _l("Looks for this kind of opening"),
    "demands_compatible": _l("Can do what the work demands"),
    "baseline": _l("Starting point of the model"),
}
# What a hard requirement is about (``languages.sv`` → ``languages``).
REQUIREMENTS = {
    "languages": _l("Language"),
    "municipality": _l("Location"),
    "available_from": _l("Availability"),
    "work_permit": _l("Work permit"),
    "driving_licence": _l("Driving licence"),
    "work_demands": _l("Work demands"),
    "must_have_skills": _l("Must-have skills"),
    # What a company reads instead of a work-ability or work-permit reason.
    "requirement": _l("A requirement of the need"),
}
EVIDENCE = {
    "skills": _l("skills"),
    "work_history": _l("work history"),
    "education": _l("education"),
    "headline": _l("headline"),
    "summary": _l("summary"),
}
SERVICE_PATHS = {"osmo": "Osmo", "osku": "Osku", "ossi": "Ossi"}
LEVELS = {"native": _l("Native")}
STAGES = {**OUTCOMES, "shortlisted": _l("Shortlisted"), "served": _l("Served")}
# A company's answer about a person on a shortlist, and its reason.
DECISIONS = {
    "interview": _l("Invited to an interview"),
    "hired": _l("Hired"),
    "not_selected": _l("Not selected"),
}
FEEDBACK_REASONS = {
    "skills": _l("Skills"),
    "language_level": _l("Language level"),
    "availability": _l("Availability"),
    "experience": _l("Experience"),
    "location": _l("Location"),
    "other": _l("Other"),
}
# A person's status while placed.
PLACEMENTS = {
    "employed": _l("Employed"),
    "in_apprenticeship": _l("In an apprenticeship"),
    "in_training": _l("In a training"),
}
ATTRIBUTES = {"sex": _l("Sex"), "age_band": _l("Age group"), "mother_tongue": _l("Mother tongue")}
SLICES = {"overall": _l("All needs"), **KINDS}
MEASURES = {
    "scores": _l("Score above the median"),
    "shortlist": _l("On the shortlist shown"),
    "outcomes": _l("Hired or started"),
    "exposure": _l("Proposed across needs"),
}
REPORTED = {
    "female": _l("Women"),
    "male": _l("Men"),
    "other": _l("Other"),
    "not reported": _l("Not reported"),
    "fi": _l("Finnish"),
    "sv": _l("Swedish"),
    "se": _l("Sámi"),
}
ROLES = {
    "recruiter": _l("Recruiter"),
    "company": _l("Company user"),
    "admin": _l("Administrator"),
    "counsellor": _l("Counsellor"),
}
CONTINUITY = {
    "no_current_step": _l("No current step"),
    "next_step_overdue": _l("Next step past its date"),
    "handover_unacknowledged": _l("Handover not acknowledged"),
}
STEP_SERVICES = {
    "coaching": _l("Coaching"),
    "recruitment_training": _l("Recruitment training"),
    "apprenticeship": _l("Apprenticeship"),
    "rehabilitative_work": _l("Rehabilitative work"),
    "education": _l("Education"),
    "job": _l("Job"),
    "other": _l("Other"),
}
STEP_STATUSES = {
    "planned": _l("Planned"),
    "current": _l("Current"),
    "ended": _l("Ended"),
    "cancelled": _l("Cancelled"),
}
PERMIT_TYPES = {
    "permanent": _l("Permanent residence permit"),
    "continuous": _l("Continuous residence permit"),
    "temporary": _l("Temporary residence permit"),
    "seasonal": _l("Seasonal work permit"),
    "student": _l("Student residence permit"),
    "other": _l("Other permit"),
}
RECOGNITION = {
    "recognised": _l("recognised"),
    "pending": _l("recognition pending"),
    "not_applied": _l("recognition not applied for"),
}
TABLES: dict[str, Mapping] = {
    "kind": KINDS,
    "status": STATUSES,
    "outcome": OUTCOMES,
    "education": EDUCATION,
    "demand": WORK_DEMANDS,
    "language": LANGUAGE_NAMES,
    "feature": FEATURES,
    "evidence": EVIDENCE,
    "path": SERVICE_PATHS,
    "role": ROLES,
    "level": LEVELS,
    "stage": STAGES,
    "attribute": ATTRIBUTES,
    "slice": SLICES,
    "measure": MEASURES,
    "reported": REPORTED,
    "decision": DECISIONS,
    "feedback_reason": FEEDBACK_REASONS,
    "placement": PLACEMENTS,
    "continuity": CONTINUITY,
    "service": STEP_SERVICES,
    "step_status": STEP_STATUSES,
    "permit": PERMIT_TYPES,
    "recognition": RECOGNITION,
}


def name_of(code: str | None, table: str) -> str:
    """The translated name of a domain code (``kind``, ``outcome``…); the code when unnamed."""
    if code is None:
        return ""
    return str(TABLES[table].get(code, code))


def requirement_name(field: str) -> str:
    """The translated name of what an unmet requirement is about (``languages.sv`` → Swedish)."""
    head, _, language = field.partition(".")
    if head == "languages" and language:
        return language_name(language)
    # A requirement named nowhere here reads as the neutral one, never as its code.
    return str(REQUIREMENTS.get(head, REQUIREMENTS["requirement"]))


def N_(message: str) -> str:
    """Marks a message for the catalog; it is translated where it is used."""
    return message


# marshmallow's and the domain's English messages, and what the pages say instead; the
# groups of a pattern fill the message's placeholders in order.
_MESSAGES = tuple(
    (re.compile(pattern), message, names)
    for pattern, message, names in (
        (r"Missing data for required field\.|Field may not be null\.", N_("Required."), ()),
        (r"must not be empty|is required", N_("Required."), ()),
        (
            r"Length must be between (\d+) and (\d+)\.",
            N_("Write %(low)s–%(high)s characters."),
            ("low", "high"),
        ),
        (r"Longer than maximum length (\d+)\.", N_("At most %(high)s entries."), ("high",)),
        (r"Must be one of: .*|must be one of .*", N_("Choose one of the options."), ()),
        (
            r"Must be greater than or equal to (\d+) and less than or equal to (\d+)\.",
            N_("Give a number from %(low)s to %(high)s."),
            ("low", "high"),
        ),
        (r"must list at least one entry", N_("Give at least one."), ()),
        (r"must not be before start_date", N_("The end must not be before the start."), ()),
        (r".* listed twice", N_("This language is listed twice."), ()),
        (r"Not a valid integer\.|must be a number", N_("Give a whole number."), ()),
        (
            r"contains the character (U\+[0-9A-F]{4,6}), which cannot be stored",
            N_("Contains the character %(char)s, which cannot be stored."),
            ("char",),
        ),
        (r"must not be after end", N_("The start must not be after the end."), ()),
        (r"at most ten years", N_("Choose a period of at most ten years."), ()),
        (r"Number too large\.", N_("The number is too large."), ()),
        (
            r"Must be from (\S+) to (\S+)\.",
            N_("Give a date from %(low)s to %(high)s."),
            ("low", "high"),
        ),
        (r"Not a valid date\.|must be an ISO date.*", N_("Give a date as YYYY-MM-DD."), ()),
        (
            r"give at least one skill, work history entry, headline or summary",
            N_("Give at least one skill, work history entry, headline or summary."),
            (),
        ),
        (r"Not a valid boolean\.|must be true or false", N_("Give true or false."), ()),
        (r"Not a valid string\.|must be a string", N_("Give text."), ()),
        (r"Unknown field\.", N_("Unknown field."), ()),
        (r"No such company\.", N_("No such company."), ()),

        (r"give language with min_level", N_("Choose the language of the level."), ()),
    )
)


# The library's message for an unknown municipality (matcher.reasons), read back into its
# reason so that the names it suggests are shown in the reader's language too.
UNKNOWN_PLACE = re.compile(r"unknown Finnish municipality ['\"](.*)['\"](?:; did you mean (.*)\?)?")


# The API's own words in a problem document, translated for clients that ask in Finnish or
# Swedish (service.errors.localised).
API_DETAILS = (
    N_("The request has invalid fields."),
    N_("The request holds text that cannot be stored."),
    N_("The JSON body is nested deeper than %(depth)s."),
)


# Fields that hold lists: marshmallow's one message for too long says entries for these and
# characters for a text.
LIST_FIELDS = frozenset(
    {
        "required_skills",
        "preferred_skills",
        "must_have_skills",
        "skills",
        "languages",
        "languages_studied",
        "qualification_recognitions",
        "work_history",
        "work_demands",
        "restrictions",
        "interests",
        "entries",
        "fixed",
        "excluded",
    }
)
TOO_LONG = re.compile(r"Longer than maximum length (\d+)\.")


def field_message(message: str, field: str | None = None) -> str:
    """A validation message in the user's language (an unknown one is shown as it is);
    ``field``, its field's name (``languages[0].level``), when known."""
    if match := UNKNOWN_PLACE.fullmatch(message):
        return _unknown_place(match[1], match[2])
    name = re.sub(r"\[\d+\]$", "", (field or "").rsplit(".", 1)[-1])
    if (match := TOO_LONG.fullmatch(message)) and field and name not in LIST_FIELDS:
        return gettext("Write at most %(high)s characters.", high=match[1])
    for pattern, text, names in _MESSAGES:
        if match := pattern.fullmatch(message):
            return gettext(text, **dict(zip(names, match.groups(), strict=True)))
    return gettext(message)


def _unknown_place(name: str, suggestions: str | None) -> str:
    from service.web.explain import render  # explain reads this module's tables

    if suggestions is None:
        return render({"code": "unknown_municipality", "params": {"name": name}})
    params = {"name": name, "suggestions": suggestions.split(", ")}
    return render({"code": "unknown_municipality_suggest", "params": params})


def api_language() -> str | None:
    """The language an API client asks its errors in (``Accept-Language``): ``fi`` or ``sv``,
    else None (the API's own English messages, as they have always been)."""
    language = request.accept_languages.best_match(LANGUAGES)
    return language if language in ("fi", "sv") else None


# What an API problem says besides its fields' errors: HTTP's reason phrases (its title), the
# details werkzeug gives where no handler says more, and the service's own details; so that a
# client asking in Finnish or Swedish reads no English sentence.
PROBLEM_TEXTS = (
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Not Acceptable"),
    N_("Conflict"),
    N_("Length Required"),
    N_("Content Too Large"),
    N_("URI Too Long"),
    N_("Unsupported Media Type"),
    N_("Unprocessable Content"),
    N_("Precondition Required"),
    N_("Too Many Requests"),
    N_("Request Header Fields Too Large"),
    N_("Internal Server Error"),
    N_("Service Unavailable"),
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_(
        "The server could not verify that you are authorized to access the URL requested. You"
        " either supplied the wrong credentials (e.g. a bad password), or your browser doesn't"
        " understand how to supply the credentials required."
    ),
    N_(
        "You don't have the permission to access the requested resource. It is either"
        " read-protected or not readable by the server."
    ),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually please"
        " check your spelling and try again."
    ),
    N_("The method is not allowed for the requested URL."),
    N_(
        "The resource identified by the request is only capable of generating response entities"
        " which have content characteristics not acceptable according to the accept headers"
        " sent in the request."
    ),
    N_("The data value transmitted exceeds the capacity limit."),
    N_(
        "The length of the requested URL exceeds the capacity limit for this server. The"
        " request cannot be processed."
    ),
    N_("The server does not support the media type transmitted in the request."),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_("One or more header fields exceeds the maximum size."),
    N_(
        "The server encountered an internal error and was unable to complete your request."
        " Either the server is overloaded or there is an error in the application."
    ),
    N_("No such resource."),
    N_("A bearer token is required."),
    N_("The token is unknown or revoked."),
    N_("This token's role may not do this."),
    N_("A token cannot revoke itself; use another admin token."),
    N_("The database is not reachable."),
    N_("Invalid JSON body."),
    N_(
        "Not created: probably the same person as a stored one. Merge them, or send again with"
        " allow_duplicate=true."
    ),
    N_(
        "Not created: probably the same need as a stored one. Merge them, or send again with"
        " allow_duplicate=true."
    ),
    N_("Nothing was written: %(reason)s"),
    N_("Nothing was written: it conflicts with what is stored."),
    N_("the person already has a planned next step"),
    N_("only the current step can be ended"),
    N_("was already used for a different request"),
    N_("Idempotency-Key was already used for a different request."),
)


def problem_text(text: str | None) -> str | None:
    """A problem's title or detail in the language the client asks its errors in
    (:func:`api_language`); as it is otherwise, or when the catalog does not hold it."""
    language = api_language() if text and has_request_context() else None
    if language is None:
        return text
    with force_locale(language):
        return gettext(text)


def conflict_text(reason: str) -> str:
    """The detail of a write refused by a constraint: ``reason`` follows in English, or in the
    client's language when the catalog holds it (else a Finnish or Swedish reader reads the
    refusal without it: a constraint's own words are the database's)."""
    language = api_language() if has_request_context() else None
    if language is None:
        return f"Nothing was written: {reason}"
    with force_locale(language):
        translated = gettext(reason)
        if translated == reason:
            return gettext("Nothing was written: it conflicts with what is stored.")
        return gettext("Nothing was written: %(reason)s", reason=translated)


def language_name(code: str) -> str:
    """A language's name in the page's language: the catalog's name, else the one in the
    Unicode CLDR data Babel carries (``th`` → thai), so that a code is never shown."""
    if code in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[code])
    return (get_locale() or Locale.parse(DEFAULT_LANGUAGE)).languages.get(code, code)
