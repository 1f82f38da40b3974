"""Jobseeker schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matcher.domain import (
    EDUCATION_LEVELS,
    NEED_KINDS,
    SERVICE_GROUPS,
    SERVICE_PATHS,
    TEXT_LANGUAGES,
    WORK_DEMANDS,
)
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


class WorkExperienceSchema(ma.Schema):
    title = fields.String(required=True, validate=SHORT)
    employer = fields.String(validate=validate.Length(max=200))
    description = fields.String(validate=validate.Length(max=MAX_TEXT))
    start = Date(allow_none=True)
    end = Date(allow_none=True, metadata={"description": "null for a current job"})


class EducationSchema(ma.Schema):
    level = fields.String(required=True, validate=validate.OneOf(EDUCATION_LEVELS))
    field = fields.String(validate=validate.Length(max=200))
    qualifications = skill_list()


class JobseekerFieldsSchema(ma.Schema):
    """Profile fields; every one optional (PATCH)."""

    name = fields.String(validate=validate.Length(max=200))
    email = fields.String(validate=validate.Length(max=200))
    phone = fields.String(validate=validate.Length(max=50))
    headline = fields.String(validate=validate.Length(max=300))
    summary = fields.String(validate=validate.Length(max=MAX_TEXT))
    skills = skill_list()
    work_history = fields.List(
        fields.Nested(WorkExperienceSchema), validate=validate.Length(max=50)
    )
    education = fields.Nested(EducationSchema, allow_none=True)
    languages = fields.List(fields.Nested(LanguageSkillSchema), validate=validate.Length(max=20))
    municipality = fields.String(validate=SHORT)
    max_commute_km = fields.Float(allow_none=True, validate=validate.Range(min=0, max=2000))
    relocate = fields.Boolean()
    remote = fields.Boolean()
    available_from = Date(allow_none=True)
    wanted_kinds = fields.List(fields.String(validate=validate.OneOf(NEED_KINDS)))
    service_path = fields.String(validate=validate.OneOf(SERVICE_PATHS), allow_none=True)
    service_groups = fields.List(
        fields.String(validate=validate.OneOf(SERVICE_GROUPS)),
        metadata={"description": "For routing and outcome monitoring only; never used in scoring"},
    )
    work_restrictions = fields.List(fields.String(validate=validate.OneOf(WORK_DEMANDS)))
    driving_licence = fields.Boolean()
    work_permit = fields.Boolean()
    wage_subsidy_eligible = fields.Boolean()
    text_language = fields.String(validate=validate.OneOf(TEXT_LANGUAGES), allow_none=True)


class JobseekerInSchema(JobseekerFieldsSchema):
    municipality = fields.String(required=True, validate=SHORT)


class JobseekerSchema(JobseekerInSchema, RecordSchema):
    id = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)


class JobseekerQuerySchema(PageQuerySchema):
    municipality = fields.String(validate=SHORT)
    service_path = fields.String(validate=validate.OneOf(SERVICE_PATHS))
    active = fields.Boolean()


JobseekerPageSchema = page_of(JobseekerSchema, "JobseekerPageSchema")
