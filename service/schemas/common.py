"""Schemas shared by several resources: paging, language skills, timestamps."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matcher.languages import CEFR_LEVELS, LANGUAGE_CODES

MAX_TEXT = 5000
# The largest value of a PostgreSQL INTEGER: every integer accepted fits the columns.
MAX_INT = 2**31 - 1
MAX_SKILLS = 100
SHORT = validate.Length(min=1, max=200)


class Date(fields.Date):
    """An ISO date; domain dictionaries already hold it as text, which is dumped unchanged."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def skill_list(**kwargs) -> fields.List:
    """A list of free-text skills."""
    return fields.List(
        fields.String(validate=SHORT), validate=validate.Length(max=MAX_SKILLS), **kwargs
    )


class LanguageSkillSchema(ma.Schema):
    language = fields.String(
        required=True,
        validate=validate.OneOf(sorted(LANGUAGE_CODES)),
        metadata={"description": "ISO 639-1 code"},
    )
    level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))
    required = fields.Boolean(load_default=True)


class PageQuerySchema(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "At most 100"},
    )


class RecordSchema(ma.Schema):
    """Fields the server sets; never accepted in requests."""

    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PageSchema(ma.Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


def page_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A schema for one page of ``item_schema`` items."""
    return type(
        name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)}
    )


class BulkErrorSchema(ma.Schema):
    line = fields.Integer(required=True)
    name = fields.String(required=True)
    reason = fields.String(required=True)


class BulkResultSchema(ma.Schema):
    created = fields.Integer(required=True)
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
