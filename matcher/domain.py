"""The domain: companies, their needs, jobseekers, and explained matches.

Objects are immutable dataclasses. ``from_dict`` builds them from plain mappings (JSON, a
database row, an HTTP body) and validates every value, raising :class:`InvalidInput` that
names the offending field; nothing is silently dropped or coerced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from matcher.exceptions import InvalidInput
from matcher.languages import CEFR_LEVELS, LANGUAGE_CODES
from matcher.reasons import Reason
from matcher.text import unsafe_char, unsafe_reason

NEED_KINDS = ("vacancy", "apprenticeship", "recruitment_training")
# Kinds of need where a skill gap is expected: the person learns on the way.
LEARNING_KINDS = ("apprenticeship", "recruitment_training")
SERVICE_PATHS = ("osmo", "osku", "ossi")
SERVICE_GROUPS = (
    "long_term_unemployed",
    "partially_able_to_work",
    "youth",
    "immigrant",
    "laid_off",
)
EDUCATION_LEVELS = ("basic", "upper_secondary", "vocational", "bachelor", "master", "doctorate")
EDUCATION_RANK = {
    "basic": 1,
    "upper_secondary": 2,
    "vocational": 2,
    "bachelor": 3,
    "master": 4,
    "doctorate": 5,
}
WORK_DEMANDS = (
    "heavy_lifting",
    "night_shifts",
    "shift_work",
    "standing_work",
    "cold_environment",
    "working_at_heights",
    "dust_or_chemicals",
    "driving",
)
NEED_STATUSES = ("open", "filled", "closed")
# Residence permit types that carry a right to work (Finnish permit classes; no nationality).
WORK_PERMIT_TYPES = ("permanent", "continuous", "temporary", "seasonal", "student", "other")
RECOGNITION_STATUSES = ("recognised", "pending", "not_applied")
TEXT_LANGUAGES = ("fi", "sv", "en")

# Rules that the HTTP schemas check as well, before the domain does: both call these, so that
# a rule is written once and says the same thing wherever it fails.
EMPTY_LIST = "must list at least one entry"
# A jobseeker's profile needs at least one of these fields (named as the message names one
# of them), or there is nothing to match on.
PROFILE_EVIDENCE = {
    "skills": "skill",
    "work_history": "work history entry",
    "headline": "headline",
    "summary": "summary",
}
*_others, _last = PROFILE_EVIDENCE.values()
EVIDENCE_CHOICES = f"{', '.join(_others)} or {_last}"
NO_EVIDENCE = f"give at least one {EVIDENCE_CHOICES}"


def ends_before_start(start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``end`` is before ``start`` (never when either is unknown)."""
    return bool(start and end and end < start)


def before_message(start: str) -> str:
    """The message for an end that comes before its start, named ``start``."""
    return f"must not be before {start}"


def first_repeat(values: Sequence[str]) -> int | None:
    """The index of the first value that was listed before it, or None."""
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            return index
        seen.add(value)
    return None


def twice_message(value: str) -> str:
    """The message for a value listed twice."""
    return f"{value!r} listed twice"


class _Reader:
    """Reads typed values out of a mapping, naming the field on every error."""

    def __init__(self, data: Any, prefix: str = "") -> None:
        # The plain types first: ABC checks are slow, and every stored profile is read nightly.
        if not isinstance(data, dict) and not isinstance(data, Mapping):
            raise InvalidInput("must be an object", field=prefix or None)
        self.data = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def fail(self, key: str, message: str) -> InvalidInput:
        return InvalidInput(message, field=self.name(key))

    def get(self, key: str, *, required: bool = False, default: Any = None) -> Any:
        value = self.data.get(key, None)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        return value

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.get(key, required=required, default=default)
        if not isinstance(value, str):
            raise self.fail(key, "must be a string")
        if required and not value.strip():
            raise self.fail(key, "must not be empty")
        self.safe(key, value)
        return value.strip()

    def safe(self, key: str, value: str) -> None:
        """Refuse text holding a character that cannot be stored and read back."""
        if char := unsafe_char(value):
            raise self.fail(key, unsafe_reason(char))

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.get(key, default=default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def number(self, key: str, *, minimum: float = 0, default: float | None = None):
        value = self.get(key, default=default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.get(key, required=required)
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(key, f"must be an ISO date (YYYY-MM-DD), got {value!r}") from None

    def choice(self, key: str, allowed: Sequence[str], *, required: bool = False) -> str | None:
        value = self.get(key, required=required)
        if value is not None and value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}; got {value!r}")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.get(key, default=[])
        if not isinstance(value, list) and (
            isinstance(value, str | bytes) or not isinstance(value, Sequence)
        ):
            raise self.fail(key, "must be a list")
        return list(value)

    def texts(self, key: str, *, non_empty: bool = False) -> tuple[str, ...]:
        values = self.items(key)
        if non_empty and not values:
            raise self.fail(key, EMPTY_LIST)
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"{key}[{index}]", "must be a non-empty string")
            self.safe(f"{key}[{index}]", value)
        return tuple(value.strip() for value in values)

    def choices(self, key: str, allowed: Sequence[str]) -> tuple[str, ...]:
        values = self.items(key)
        for index, value in enumerate(values):
            if value not in allowed:
                raise self.fail(
                    f"{key}[{index}]", f"must be one of {', '.join(allowed)}; got {value!r}"
                )
        return tuple(dict.fromkeys(values))

    def nested(self, key: str) -> list[_Reader]:
        return [_Reader(item, self.name(f"{key}[{i}]")) for i, item in enumerate(self.items(key))]


def _language_code(reader: _Reader, key: str) -> str:
    code = reader.text(key, required=True).lower()
    if code not in LANGUAGE_CODES:
        raise reader.fail(key, f"unknown ISO 639-1 language code {code!r}")
    return code


def _cefr_level(reader: _Reader, key: str) -> str:
    level = reader.text(key, required=True)
    normalised = level.lower() if level.lower() == "native" else level.upper()
    if normalised not in CEFR_LEVELS:
        raise reader.fail(key, f"must be one of {', '.join(CEFR_LEVELS)}; got {level!r}")
    return normalised


@dataclass(frozen=True)
class LanguageSkill:
    """A language with its CEFR level (A1–C2 or native) and, on needs, whether it is required."""

    language: str
    level: str
    required: bool = True

    @classmethod
    def read(cls, reader: _Reader) -> LanguageSkill:
        return cls(
            _language_code(reader, "language"),
            _cefr_level(reader, "level"),
            reader.flag("required", default=True),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "level": self.level, "required": self.required}


@dataclass(frozen=True)
class LanguageStudy:
    """A language the person is studying, the CEFR level aimed at and when it should be reached."""

    language: str
    target_level: str
    target_date: dt.date | None = None

    @classmethod
    def read(cls, reader: _Reader) -> LanguageStudy:
        return cls(
            _language_code(reader, "language"),
            _cefr_level(reader, "target_level"),
            reader.date("target_date"),
        )


@dataclass(frozen=True)
class QualificationRecognition:
    """A qualification earned abroad: its field and where its recognition stands."""

    field: str
    status: str

    @classmethod
    def read(cls, reader: _Reader) -> QualificationRecognition:
        return cls(
            field=reader.text("field", required=True),
            status=reader.choice("status", RECOGNITION_STATUSES, required=True),
        )


def _languages(reader: _Reader) -> tuple[LanguageSkill, ...]:
    skills = tuple(LanguageSkill.read(item) for item in reader.nested("languages"))
    index = first_repeat([skill.language for skill in skills])
    if index is not None:
        raise reader.fail(f"languages[{index}].language", twice_message(skills[index].language))
    return skills


def _municipality(reader: _Reader, key: str = "municipality", required: bool = True) -> str | None:
    from matcher.geo import canonical_municipality

    name = reader.text(key, required=required, default="") or None
    if name is None:
        return None
    return canonical_municipality(name, field=reader.name(key))


@dataclass(frozen=True)
class Company:
    """An employer that submits needs."""

    id: str
    name: str
    municipality: str | None = None
    business_id: str | None = None
    sector: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Company:
        """Build a validated company from a mapping."""
        r = _Reader(data)
        return cls(
            id=r.text("id", required=True),
            name=r.text("name", required=True),
            municipality=_municipality(r, required=False),
            business_id=r.text("business_id") or None,
            sector=r.text("sector") or None,
        )

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class Need:
    """A company's need for labour: a vacancy, an apprenticeship slot or a recruitment training."""

    id: str
    company_id: str
    kind: str
    title: str
    required_skills: tuple[str, ...]
    municipality: str
    description: str = ""
    preferred_skills: tuple[str, ...] = ()
    must_have_skills: tuple[str, ...] = ()
    languages: tuple[LanguageSkill, ...] = ()
    remote: bool = False
    positions: int = 1
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    min_education: str | None = None
    driving_licence: bool = False
    wage_subsidy_accepted: bool = False
    work_demands: tuple[str, ...] = ()
    text_language: str | None = None
    status: str = "open"
    english_suffices: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Need:
        """Build a validated need from a mapping."""
        r = _Reader(data)
        need = cls(
            id=r.text("id", required=True),
            company_id=r.text("company_id", required=True),
            kind=r.choice("kind", NEED_KINDS, required=True),
            title=r.text("title", required=True),
            description=r.text("description"),
            required_skills=r.texts("required_skills", non_empty=True),
            preferred_skills=r.texts("preferred_skills"),
            must_have_skills=r.texts("must_have_skills"),
            languages=_languages(r),
            municipality=_municipality(r),
            remote=r.flag("remote"),
            positions=int(r.number("positions", minimum=1, default=1)),
            start_date=r.date("start_date"),
            end_date=r.date("end_date"),
            min_education=r.choice("min_education", EDUCATION_LEVELS),
            driving_licence=r.flag("driving_licence"),
            wage_subsidy_accepted=r.flag("wage_subsidy_accepted"),
            work_demands=r.choices("work_demands", WORK_DEMANDS),
            text_language=r.choice("text_language", TEXT_LANGUAGES),
            status=r.choice("status", NEED_STATUSES) or "open",
            english_suffices=r.flag("english_suffices"),
        )
        if ends_before_start(need.start_date, need.end_date):
            raise r.fail("end_date", before_message("start_date"))
        for index, skill in enumerate(need.must_have_skills):
            if skill not in need.required_skills:
                raise r.fail(f"must_have_skills[{index}]", "must be one of required_skills")
        return need

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class WorkExperience:
    """One entry of a work history; ``end`` is None for a current job."""

    title: str
    description: str = ""
    employer: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def read(cls, r: _Reader) -> WorkExperience:
        item = cls(
            title=r.text("title", required=True),
            description=r.text("description"),
            employer=r.text("employer"),
            start=r.date("start"),
            end=r.date("end"),
        )
        if ends_before_start(item.start, item.end):
            raise r.fail("end", before_message("start"))
        return item

    def years(self, as_of: dt.date) -> float:
        """Length of the job in years (one year when the dates are unknown)."""
        if self.start is None:
            return 1.0
        end = min(self.end or as_of, as_of)
        return max((end - self.start).days, 0) / 365.25

    def years_since(self, as_of: dt.date) -> float:
        """Years since the job ended (zero for a current job)."""
        if self.end is None or self.end >= as_of:
            return 0.0
        return (as_of - self.end).days / 365.25


@dataclass(frozen=True)
class Education:
    """Highest education level, its field and completed qualifications."""

    level: str
    field: str = ""
    qualifications: tuple[str, ...] = ()

    @classmethod
    def read(cls, r: _Reader) -> Education:
        return cls(
            level=r.choice("level", EDUCATION_LEVELS, required=True),
            field=r.text("field"),
            qualifications=r.texts("qualifications"),
        )


@dataclass(frozen=True)
class Jobseeker:
    """A person looking for work, on a service path of the employment office.

    ``service_groups`` are held for routing and outcome monitoring only: no scoring
    feature reads them. A work permit's type and expiry, the recognition of a qualification
    earned abroad and the languages being studied are eligibility data; there is no field for
    nationality or origin. ``name``, ``email`` and ``phone`` are contact details that the
    engine never reads either.
    """

    id: str
    municipality: str
    headline: str = ""
    summary: str = ""
    skills: tuple[str, ...] = ()
    work_history: tuple[WorkExperience, ...] = ()
    education: Education | None = None
    languages: tuple[LanguageSkill, ...] = ()
    max_commute_km: float | None = None
    relocate: bool = False
    remote: bool = False
    available_from: dt.date | None = None
    wanted_kinds: tuple[str, ...] = ()
    service_path: str | None = None
    service_groups: tuple[str, ...] = ()
    work_restrictions: tuple[str, ...] = ()
    driving_licence: bool = False
    work_permit: bool = True
    work_permit_type: str | None = None
    work_permit_expires: dt.date | None = None
    qualification_recognitions: tuple[QualificationRecognition, ...] = ()
    languages_studied: tuple[LanguageStudy, ...] = ()
    wage_subsidy_eligible: bool = False
    text_language: str | None = None
    name: str = ""
    email: str = ""
    phone: str = ""

    def __hash__(self) -> int:
        # Profiles are cached by person, and hashing a person walks every field: once, then
        # kept beside the fields (never pickled: another process may hash strings otherwise).
        held = self.__dict__.get("_hash")
        if held is None:
            held = hash(tuple(getattr(self, name) for name in _JOBSEEKER_FIELDS))
            object.__setattr__(self, "_hash", held)
        return held

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Jobseeker:
        """Build a validated jobseeker from a mapping."""
        r = _Reader(data)
        education = r.get("education")
        person = cls(
            id=r.text("id", required=True),
            name=r.text("name"),
            email=r.text("email"),
            phone=r.text("phone"),
            headline=r.text("headline"),
            summary=r.text("summary"),
            skills=r.texts("skills"),
            work_history=tuple(WorkExperience.read(x) for x in r.nested("work_history")),
            education=Education.read(_Reader(education, "education")) if education else None,
            languages=_languages(r),
            municipality=_municipality(r),
            max_commute_km=r.number("max_commute_km"),
            relocate=r.flag("relocate"),
            remote=r.flag("remote"),
            available_from=r.date("available_from"),
            wanted_kinds=r.choices("wanted_kinds", NEED_KINDS),
            service_path=r.choice("service_path", SERVICE_PATHS),
            service_groups=r.choices("service_groups", SERVICE_GROUPS),
            work_restrictions=r.choices("work_restrictions", WORK_DEMANDS),
            driving_licence=r.flag("driving_licence"),
            work_permit=r.flag("work_permit", default=True),
            work_permit_type=r.choice("work_permit_type", WORK_PERMIT_TYPES),
            work_permit_expires=r.date("work_permit_expires"),
            qualification_recognitions=tuple(
                QualificationRecognition.read(x) for x in r.nested("qualification_recognitions")
            ),
            languages_studied=tuple(LanguageStudy.read(x) for x in r.nested("languages_studied")),
            wage_subsidy_eligible=r.flag("wage_subsidy_eligible"),
            text_language=r.choice("text_language", TEXT_LANGUAGES),
        )
        if not any(getattr(person, name) for name in PROFILE_EVIDENCE):
            raise r.fail("skills", NO_EVIDENCE)
        return person

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a domain object (dates as ISO strings, tuples as lists)."""
    if isinstance(value, Reason | Requirement):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_JOBSEEKER_FIELDS = tuple(f.name for f in fields(Jobseeker))


@dataclass(frozen=True)
class FeatureContribution:
    """One feature's value in [0, 1], its weight, and its share of the score."""

    name: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class SkillMatch:
    """A need skill and the jobseeker's words that evidence it."""

    need_skill: str
    evidence: str
    source: str
    similarity: float
    concept: str | None = None
    #: The concept's id (``concept`` is its label in the explanation's language).
    concept_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MissingSkill:
    """A need skill the person shows no evidence of; ``to_learn`` for apprentices and trainees."""

    need_skill: str
    required: bool
    to_learn: bool
    concept: str | None = None
    #: The concept's id (``concept`` is its label in the explanation's language).
    concept_id: str | None = field(default=None, compare=False)
    #: Named by its concept (an occupation's essential skill to learn), not by the need.
    named_by_concept: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Requirement:
    """A hard requirement the jobseeker does not meet (``field``), as a code and its
    parameters: :attr:`reason` says why it is not met, :attr:`remedy` what would meet it."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> Reason:
        """Why the requirement is not met."""
        return Reason(self.code, self.params)

    @property
    def remedy(self) -> Reason:
        """What would meet the requirement."""
        return Reason(f"{self.code}_remedy", self.params)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``field``, ``code`` and ``params``."""
        return {"field": self.field, **self.reason.to_dict()}


@dataclass(frozen=True)
class MatchExplanation:
    """Why a jobseeker got a score for a need."""

    features: tuple[FeatureContribution, ...] = ()
    matched_skills: tuple[SkillMatch, ...] = ()
    missing_skills: tuple[MissingSkill, ...] = ()
    unmet_requirements: tuple[Requirement, ...] = ()
    unmet_preferences: tuple[Reason, ...] = ()
    suggestion: Reason | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (the parts hold only plain values, so a shallow copy each)."""
        return {
            "features": [dict(vars(f)) for f in self.features],
            "matched_skills": [_public(m) for m in self.matched_skills],
            "missing_skills": [_public(m) for m in self.missing_skills],
            "unmet_requirements": [r.to_dict() for r in self.unmet_requirements],
            "unmet_preferences": [p.to_dict() for p in self.unmet_preferences],
            "suggestion": self.suggestion.to_dict() if self.suggestion else None,
        }

    def to_stored(self) -> dict[str, Any]:
        """:meth:`to_dict` with the ids of the skills' concepts (``concept_ids``), so that a
        stored explanation can be read in another language (:func:`relabelled`)."""
        return {
            **self.to_dict(),
            "concept_ids": {
                "matched": [m.concept_id for m in self.matched_skills],
                "missing": [m.concept_id for m in self.missing_skills],
                "named": [i for i, m in enumerate(self.missing_skills) if m.named_by_concept],
            },
        }


def _public(skill: SkillMatch | MissingSkill) -> dict[str, Any]:
    hidden = ("concept_id", "named_by_concept")
    return {name: value for name, value in vars(skill).items() if name not in hidden}


def relabelled(stored: Mapping[str, Any], label: Callable[[str], str | None]) -> dict[str, Any]:
    """A stored explanation (:meth:`MatchExplanation.to_stored`) as :meth:`~MatchExplanation.
    to_dict` gives it in another language: each concept named by ``label(concept_id)``, and
    a skill to learn that is named by its concept (an occupation's essential skill) renamed,
    in the suggestion too."""
    ids = stored.get("concept_ids") or {}
    named = set(ids.get("named", ()))
    renamed: dict[str, str] = {}
    out = {key: value for key, value in stored.items() if key != "concept_ids"}
    for part, key in (("matched_skills", "matched"), ("missing_skills", "missing")):
        skills = []
        concepts = list(ids.get(key, ()))
        for i, skill in enumerate(stored.get(part, ())):
            concept_id = concepts[i] if i < len(concepts) else None
            new = label(concept_id) if concept_id else None
            skill = dict(skill)
            if new is not None:
                if key == "missing" and i in named:
                    renamed[skill["need_skill"]] = new
                    skill["need_skill"] = new
                skill["concept"] = new
            skills.append(skill)
        out[part] = skills
    suggestion = out.get("suggestion")
    if isinstance(suggestion, Mapping) and suggestion.get("params", {}).get("skill") in renamed:
        params = {**suggestion["params"], "skill": renamed[suggestion["params"]["skill"]]}
        out["suggestion"] = {**suggestion, "params": params}
    return out


@dataclass(frozen=True)
class Match:
    """A scored (need, jobseeker) pair; excluded pairs score 0 and say why, and what they
    would score with their unmet requirements met (``score_with_remedy``)."""

    need_id: str
    jobseeker_id: str
    score: float
    excluded: bool
    explanation: MatchExplanation = field(default_factory=MatchExplanation)
    score_with_remedy: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)
