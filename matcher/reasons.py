"""Reasons as data: a code and its parameters, never a finished sentence.

The library says *why* (a language below the asked level, a commute beyond the limit, the
change that would raise a score most) as a :class:`Reason`; whoever shows it renders it in the
reader's language. :data:`ENGLISH` holds the English templates that :func:`render_en` (and
``str()``) use for the command line and for logs; the service renders the same codes through
its own catalogs. Parameters are plain JSON values (dates as ISO strings, numbers rounded),
or nested reasons (a suggestion names the remedies it is made of).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.languages import language_name

# code → English template; ``{name}`` is a parameter, rendered by :func:`_english`.
ENGLISH = {
    # Hard requirements (the reason) and what would meet them (the ``…_remedy`` code).
    "work_demand": "the work involves {demand}, which the person cannot do",
    "work_demand_remedy": "an arrangement without {demand}",
    "work_permit": "no work permit",
    "work_permit_remedy": "a work permit",
    "driving_licence": "driving licence required",
    "driving_licence_remedy": "a driving licence",
    "language_required": "{language} {level} required, has {held}",
    "language_required_remedy": "{language} {level}",
    "language_required_or_english": "{language} {level} or English {level} required, has {held}",
    "language_required_or_english_remedy": "{language} {level} or English {level}",
    "must_have_skill": "no evidence of the must-have skill {skill!r}",
    "must_have_skill_remedy": (
        "evidence of {skill!r}: a course, a certificate or work that shows it"
    ),
    "work_permit_expires": "work permit expires on {expires}, before {last_day}",
    "work_permit_expires_remedy": "permit renewal",
    "commute": "{municipality} is {distance_km} km away, limit {limit_km} km",
    "commute_remedy": "willingness to commute {distance_km} km or to relocate",
    "available_after_end": "available from {available_from}, after the need ends on {end_date}",
    "available_after_end_remedy": "availability by {end_date}",
    # Soft preferences not met.
    "language_preferred": "{language} {level} preferred, has {held}",
    "language_preferred_or_english": (
        "{language} {level} or English {level} preferred, has {held}"
    ),
    "available_later": "available {days} days after the start date",
    "education_below": "education {min_education} asked, has {education}",
    "other_kinds_wanted": "the person looks for {wanted}, not {kind}",
    # Suggestions: the change that would raise the score most.
    "only_missing_requirement": "{remedy} is the only missing requirement",
    "missing_requirements": "Missing requirements: {remedies}",
    "learn_skill": "Learning {skill!r} would raise the score most (up to +{gain})",
    "show_skill": "Evidence of {skill!r} would raise the score most (up to +{gain})",
    "meet_preference": "Meeting this would raise the score most (up to +{gain}): {preference}",
    "raise_feature": "A higher {feature} would raise the score most (up to +{gain})",
    # Validation.
    "unknown_municipality": "unknown Finnish municipality {name!r}",
    "unknown_municipality_suggest": (
        "unknown Finnish municipality {name!r}; did you mean {suggestions}?"
    ),
}


@dataclass(frozen=True)
class Reason:
    """Why, as data: ``code`` (a key of :data:`ENGLISH`) and its ``params``.

    ``str()`` gives the English sentence; :meth:`to_dict` the JSON form
    (``{"code": …, "params": {…}}``, nested reasons likewise).
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, nested reasons included."""
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        """The reason :meth:`to_dict` wrote (nested reasons restored)."""
        return cls(data["code"], {k: _restore(v) for k, v in data.get("params", {}).items()})

    def __str__(self) -> str:
        return render_en(self)


def render_en(reason: Reason | Mapping[str, Any] | str) -> str:
    """``reason`` as an English sentence (a plain string, as older stored rows hold, as is)."""
    if isinstance(reason, str):
        return reason
    if not isinstance(reason, Reason):
        reason = Reason.from_dict(reason)
    values = {k: _english(k, v) for k, v in reason.params.items()}
    text = ENGLISH[reason.code].format(**values)
    return text[:1].upper() + text[1:] if reason.code == "only_missing_requirement" else text


def _english(name: str, value: Any) -> Any:
    """A parameter as the English templates show it (codes with spaces for underscores)."""
    if isinstance(value, Reason):
        return render_en(value)
    if isinstance(value, list | tuple):
        parts = [str(_english(name, v)) for v in value]
        return "; ".join(parts) if name == "remedies" else ", ".join(parts)
    if name == "language":
        return language_name(value)
    if name == "gain":
        return f"{value:.2f}"
    if value is None and name in ("held", "education"):
        return "none"
    if name in _CODES and isinstance(value, str):
        return value.replace("_", " ")
    return value


# Parameters that hold a code of the domain (shown with spaces for underscores).
_CODES = frozenset({"demand", "kind", "wanted", "feature", "min_education", "education"})


def _plain(value: Any) -> Any:
    if isinstance(value, Reason):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _restore(value: Any) -> Any:
    if isinstance(value, Mapping) and "code" in value:
        return Reason.from_dict(value)
    if isinstance(value, list):
        return [_restore(v) for v in value]
    return value
