"""Need schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matcher.domain import EDUCATION_LEVELS, NEED_KINDS, NEED_STATUSES, TEXT_LANGUAGES, WORK_DEMANDS
from service.schemas.common import (
    FILTER_BY_MUNICIPALITY,
    MAX_TEXT,
    SHORT,
    Date,
    Integer,
    LanguageSkillSchema,
    Municipality,
    NonEmptySchema,
    PageQuerySchema,
    RecordSchema,
    Text,
    check_dates,
    check_languages,
    page_of,
    skill_list,
)


class NeedFieldsSchema(ma.Schema):
    """The fields a company writes."""

    kind = fields.String(validate=validate.OneOf(NEED_KINDS))
    title = Text(validate=SHORT)
    description = Text(validate=validate.Length(max=MAX_TEXT))
    required_skills = skill_list(
        non_empty=True,
        metadata={"description": "At least one skill; free text in Finnish, Swedish or English"},
    )
    preferred_skills = skill_list()
    must_have_skills = skill_list(
        metadata={
            "description": "Required skills without which a person is excluded (each one of "
            "required_skills)"
        }
    )
    languages = fields.List(
        fields.Nested(LanguageSkillSchema),
        validate=validate.Length(max=10),
        metadata={"description": "Each language at most once"},
    )
    municipality = Municipality()
    remote = fields.Boolean()
    positions = Integer(validate=validate.Range(min=1, max=10_000))
    start_date = Date(allow_none=True)
    end_date = Date(allow_none=True, metadata={"description": "Not before start_date"})
    min_education = fields.String(validate=validate.OneOf(EDUCATION_LEVELS), allow_none=True)
    driving_licence = fields.Boolean()
    wage_subsidy_accepted = fields.Boolean()
    work_demands = fields.List(fields.String(validate=validate.OneOf(WORK_DEMANDS)))
    text_language = fields.String(validate=validate.OneOf(TEXT_LANGUAGES), allow_none=True)
    english_suffices = fields.Boolean(
        metadata={"description": "English at the asked level meets any language the need asks"}
    )

    @ma.validates_schema
    def _rules(self, data: dict, **kwargs) -> None:
        check_dates(data, "start_date", "end_date")
        check_languages(data)
        _check_must_haves(data)


class NeedPatchSchema(NonEmptySchema, NeedFieldsSchema):
    """A change to a need: any of its fields, at least one (the whole result is validated
    again, e.g. an end_date against the stored start_date)."""


class NeedInSchema(NeedFieldsSchema):
    """A new need."""

    company_id = fields.String(
        validate=SHORT,
        metadata={
            "description": "Recruiters and admins must give it; a company token may leave it "
            "out or give its own company (any other is refused as unknown)"
        },
    )
    kind = fields.String(required=True, validate=validate.OneOf(NEED_KINDS))
    title = Text(required=True, validate=SHORT)
    required_skills = skill_list(
        non_empty=True,
        required=True,
        metadata={"description": "At least one skill; free text in Finnish, Swedish or English"},
    )
    municipality = Municipality(required=True)


class NeedSchema(NeedInSchema, RecordSchema):
    id = fields.String(dump_only=True)
    company_id = fields.String(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(NEED_STATUSES))


class NeedQuerySchema(PageQuerySchema):
    kind = fields.String(validate=validate.OneOf(NEED_KINDS))
    status = fields.String(validate=validate.OneOf(NEED_STATUSES))
    municipality = Municipality(metadata={"description": FILTER_BY_MUNICIPALITY})
    company_id = fields.String(validate=SHORT)


NeedPageSchema = page_of(NeedSchema, "NeedPageSchema")


def _check_must_haves(data: dict) -> None:
    """Each must-have skill is one of the required skills (when both are given)."""
    required = data.get("required_skills")
    for index, skill in enumerate(data.get("must_have_skills") or ()):
        if required is not None and skill.strip() not in {s.strip() for s in required}:
            raise ma.ValidationError(
                {"must_have_skills": {index: ["Must be one of required_skills."]}}
            )
