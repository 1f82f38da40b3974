"""Skill suggestion schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import Integer, reader_language

MAX_SUGGESTIONS = 50


class SkillSuggestInSchema(ma.Schema):
    text = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "What has been typed so far, in any of the three languages"},
    )
    language = reader_language(
        "Complete labels of this language only (default: any)", default=None
    )
    limit = Integer(load_default=10, validate=validate.Range(min=1, max=MAX_SUGGESTIONS))


class SkillLabelsSchema(ma.Schema):
    fi = fields.String(required=True)
    sv = fields.String(required=True)
    en = fields.String(required=True)


class SkillSuggestionSchema(ma.Schema):
    concept = fields.String(required=True, metadata={"description": "Vocabulary concept id"})
    labels = fields.Nested(SkillLabelsSchema, required=True)
    score = fields.Float(required=True, metadata={"description": "How well the text fits, 0–1"})


class SkillSuggestionListSchema(ma.Schema):
    items = fields.List(fields.Nested(SkillSuggestionSchema), required=True)
