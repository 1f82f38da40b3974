"""Need schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matcher.domain import EDUCATION_LEVELS, NEED_KINDS, NEED_STATUSES, TEXT_LANGUAGES, WORK_DEMANDS
from service.schemas.common import (
    MAX_TEXT,
    SHORT,
    Date,
    LanguageSkillSchema,
    PageQuerySchema,
    RecordSchema,
    page_of,
    skill_list,
)


class NeedFieldsSchema(ma.Schema):
    """The fields a company writes; every one optional (PATCH)."""

    kind = fields.String(validate=validate.OneOf(NEED_KINDS))
    title = fields.String(validate=SHORT)
    description = fields.String(validate=validate.Length(max=MAX_TEXT))
    required_skills = skill_list(
        metadata={"description": "Free text in Finnish, Swedish or English"}
    )
    preferred_skills = skill_list()
    languages = fields.List(fields.Nested(LanguageSkillSchema), validate=validate.Length(max=10))
    municipality = fields.String(validate=SHORT)
    remote = fields.Boolean()
    positions = fields.Integer(validate=validate.Range(min=1, max=10_000))
    start_date = Date(allow_none=True)
    end_date = Date(allow_none=True)
    min_education = fields.String(validate=validate.OneOf(EDUCATION_LEVELS), allow_none=True)
    driving_licence = fields.Boolean()
    wage_subsidy_accepted = fields.Boolean()
    work_demands = fields.List(fields.String(validate=validate.OneOf(WORK_DEMANDS)))
    text_language = fields.String(validate=validate.OneOf(TEXT_LANGUAGES), allow_none=True)


class NeedInSchema(NeedFieldsSchema):
    """A new need; ``company_id`` is given by recruiters and taken from the token for companies."""

    company_id = fields.String(validate=SHORT)
    kind = fields.String(required=True, validate=validate.OneOf(NEED_KINDS))
    title = fields.String(required=True, validate=SHORT)
    required_skills = skill_list(required=True, metadata={"description": "At least one skill"})
    municipality = fields.String(required=True, validate=SHORT)


class NeedSchema(NeedInSchema, RecordSchema):
    id = fields.String(dump_only=True)
    company_id = fields.String(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(NEED_STATUSES))


class NeedQuerySchema(PageQuerySchema):
    kind = fields.String(validate=validate.OneOf(NEED_KINDS))
    status = fields.String(validate=validate.OneOf(NEED_STATUSES))
    municipality = fields.String(validate=SHORT)
    company_id = fields.String(validate=SHORT)


NeedPageSchema = page_of(NeedSchema, "NeedPageSchema")
