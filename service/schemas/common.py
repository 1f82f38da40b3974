"""Schemas shared by several resources: paging, language skills, timestamps, and the field
types and rules that every request body shares.

The schemas check every rule the server enforces on a request, so that the OpenAPI document
states it; the domain's ``from_dict`` checks the rules on content again (with the same
functions where both share one), for data that does not come over HTTP, but not the lengths,
the number of skills or the upper bounds, which only the schemas check.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import marshmallow as ma
from apispec import BasePlugin
from marshmallow import fields, validate

from matcher.domain import (
    EMPTY_LIST,
    before_message,
    ends_before_start,
    first_repeat,
    twice_message,
)
from matcher.exceptions import UnknownMunicipality
from matcher.geo import canonical_municipality
from matcher.languages import CEFR_LEVELS, LANGUAGE_CODES

MAX_TEXT = 5000
MAX_SKILLS = 100
# A string of white space is empty: the domain strips every text before it checks it.
NOT_BLANK = validate.Regexp(r"\s*\S", error="must not be empty")
SHORT = [NOT_BLANK, validate.Length(max=200)]
FILTER_BY_MUNICIPALITY = (
    "Only those in this municipality, given by its Finnish or Swedish name in any case (Vaasa, "
    "Vasa and VASA find the same rows, whichever name each was stored with). An unknown name "
    "is refused with up to three closest names. Answers show each name as it was stored."
)


class Text(fields.String):
    """A string whose surrounding white space is removed once its rules have passed (the
    length limit counts what was sent)."""

    def deserialize(self, value: Any, attr=None, data=None, **kwargs):
        output = super().deserialize(value, attr, data, **kwargs)
        return output.strip() if isinstance(output, str) else output


class Municipality(Text):
    """A Finnish municipality, returned in its official spelling."""

    def __init__(self, **kwargs: Any) -> None:
        description = (
            "A Finnish municipality by its Finnish or Swedish name (Vaasa or Vasa; case and "
            "hyphens do not matter); an unknown name is refused. Stored in its official "
            "spelling, in the language it was given in; answers return it so, and the pages "
            "show it in the reader's language. An unknown name is refused with up to three "
            "closest names (did you mean …)."
        )
        metadata = {"description": description, **kwargs.pop("metadata", {})}
        super().__init__(validate=SHORT, metadata=metadata, **kwargs)

    def deserialize(self, value: Any, attr=None, data=None, **kwargs):
        name = super().deserialize(value, attr, data, **kwargs)
        try:
            return canonical_municipality(name) if name else name
        except UnknownMunicipality as error:
            raise ma.ValidationError(error.message) from None


class Integer(fields.Integer):
    """A whole number: a number with a fraction (1.5, "2.9") is refused, never cut to 1 or 2
    (marshmallow's own field would cut a JSON number, while a query string's "2.9" is
    refused: the two agree now)."""

    def _validated(self, value: Any) -> int:
        # Infinity is not refused here: marshmallow calls it too large, as it is.
        if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


# Dates outside these years are typing errors, and the date arithmetic of reports and
# remedies (a day after, a year before) would overflow at year 1 or 9999.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


class Date(fields.Date):
    """An ISO date from 1900 to 2199; domain dictionaries already hold it as text, which is
    dumped unchanged."""

    def __init__(self, **kwargs) -> None:
        given = kwargs.pop("validate", None)
        given = [given] if callable(given) else list(given or ())
        within = validate.Range(
            min=FIRST_DAY, max=LAST_DAY, error=f"Must be from {FIRST_DAY} to {LAST_DAY}."
        )
        super().__init__(validate=[within, *given], **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def skill_list(*, non_empty: bool = False, **kwargs) -> fields.List:
    """A list of free-text skills (with ``non_empty``, at least one)."""
    size = [validate.Length(max=MAX_SKILLS)]
    if non_empty:
        size.insert(0, validate.Length(min=1, error=EMPTY_LIST))
    return fields.List(Text(validate=SHORT), validate=size, **kwargs)


def check_dates(data: dict, start: str, end: str) -> None:
    """Refuse an ``end`` before its ``start`` when a body gives both."""
    if ends_before_start(data.get(start), data.get(end)):
        raise ma.ValidationError(before_message(start), field_name=end)


def check_languages(data: dict) -> None:
    """Refuse a language listed twice, naming the second entry."""
    codes = [skill["language"] for skill in data.get("languages") or ()]
    index = first_repeat(codes)
    if index is not None:
        message = twice_message(codes[index])
        raise ma.ValidationError({"languages": {index: {"language": [message]}}})


class NonEmptySchema(ma.Schema):
    """A body that must give at least one field (a PATCH's: an empty one changes nothing);
    an empty or missing body is refused naming ``body``."""

    MIN_PROPERTIES = 1
    EMPTY = "Nothing to change: give at least one field."

    @ma.pre_load
    def _not_empty(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict) and not data:
            raise ma.ValidationError(self.EMPTY)
        return data


class RulesPlugin(BasePlugin):
    """Documents the rules of a whole body that no single field states (``minProperties``)."""

    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        schema = schema if isinstance(schema, type) else type(schema)
        minimum = getattr(schema, "MIN_PROPERTIES", None)
        return {"minProperties": minimum} if minimum else None


class LanguageSkillSchema(ma.Schema):
    language = fields.String(
        required=True,
        validate=validate.OneOf(sorted(LANGUAGE_CODES)),
        metadata={"description": "ISO 639-1 code"},
    )
    level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))
    required = fields.Boolean(load_default=True)


class PageQuerySchema(ma.Schema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "At most 100"},
    )


class RecordSchema(ma.Schema):
    """Fields the server sets; never accepted in requests."""

    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PageSchema(ma.Schema):
    page = Integer(required=True)
    page_size = Integer(required=True)
    total = Integer(required=True)


def page_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A schema for one page of ``item_schema`` items."""
    return type(
        name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)}
    )


class BulkErrorSchema(ma.Schema):
    line = Integer(required=True)
    name = fields.String(required=True)
    reason = fields.String(required=True)


class BulkResultSchema(ma.Schema):
    created = Integer(required=True)
    ids = fields.List(fields.String(), required=True)
    errors = fields.List(fields.Nested(BulkErrorSchema), required=True)


class BulkQuerySchema(ma.Schema):
    partial = fields.Boolean(
        load_default=False,
        metadata={
            "description": "false (default): all rows or none. "
            "true: write the valid rows, report the rest."
        },
    )


# The languages a reader reads Kohtaanto in.
READER_LANGUAGES = ("fi", "sv", "en")


def reader_language(description: str, default: str | None = "en") -> fields.String:
    """A request's ``language``: one of :data:`READER_LANGUAGES`, ``default`` when absent."""
    return fields.String(
        load_default=default,
        validate=validate.OneOf(READER_LANGUAGES),
        metadata={"description": description},
    )
