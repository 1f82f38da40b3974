"""Jobseeker schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matcher.domain import (
    EDUCATION_LEVELS,
    EVIDENCE_CHOICES,
    NEED_KINDS,
    NO_EVIDENCE,
    PROFILE_EVIDENCE,
    RECOGNITION_STATUSES,
    SERVICE_GROUPS,
    SERVICE_PATHS,
    TEXT_LANGUAGES,
    WORK_DEMANDS,
    WORK_PERMIT_TYPES,
)
from matcher.languages import CEFR_LEVELS, LANGUAGE_CODES
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


class WorkExperienceSchema(ma.Schema):
    title = Text(required=True, validate=SHORT)
    employer = Text(validate=validate.Length(max=200))
    description = Text(validate=validate.Length(max=MAX_TEXT))
    start = Date(allow_none=True)
    end = Date(
        allow_none=True, metadata={"description": "null for a current job; not before start"}
    )

    @ma.validates_schema
    def _rules(self, data: dict, **kwargs) -> None:
        check_dates(data, "start", "end")


class EducationSchema(ma.Schema):
    level = fields.String(required=True, validate=validate.OneOf(EDUCATION_LEVELS))
    field = Text(validate=validate.Length(max=200))
    qualifications = skill_list()


class QualificationRecognitionSchema(ma.Schema):
    field = Text(required=True, validate=validate.Length(max=200))
    status = fields.String(required=True, validate=validate.OneOf(RECOGNITION_STATUSES))


class LanguageStudySchema(ma.Schema):
    language = fields.String(
        required=True,
        validate=validate.OneOf(sorted(LANGUAGE_CODES)),
        metadata={"description": "ISO 639-1 code"},
    )
    target_level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))
    target_date = Date(allow_none=True)


class JobseekerFieldsSchema(ma.Schema):
    """Profile fields."""

    name = Text(validate=validate.Length(max=200))
    email = Text(validate=validate.Length(max=200))
    phone = Text(validate=validate.Length(max=50))
    headline = Text(validate=validate.Length(max=300))
    summary = Text(validate=validate.Length(max=MAX_TEXT))
    skills = skill_list(
        metadata={"description": f"A profile gives at least one {EVIDENCE_CHOICES}"}
    )
    work_history = fields.List(
        fields.Nested(WorkExperienceSchema), validate=validate.Length(max=50)
    )
    education = fields.Nested(EducationSchema, allow_none=True)
    languages = fields.List(
        fields.Nested(LanguageSkillSchema),
        validate=validate.Length(max=20),
        metadata={"description": "Each language at most once"},
    )
    municipality = Municipality()
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
    work_permit_type = fields.String(validate=validate.OneOf(WORK_PERMIT_TYPES), allow_none=True)
    work_permit_expires = Date(
        allow_none=True,
        metadata={"description": "A need whose dates pass it excludes, remedy: permit renewal"},
    )
    qualification_recognitions = fields.List(
        fields.Nested(QualificationRecognitionSchema),
        validate=validate.Length(max=20),
        metadata={"description": "Qualifications earned abroad and their recognition"},
    )
    languages_studied = fields.List(
        fields.Nested(LanguageStudySchema), validate=validate.Length(max=20)
    )
    wage_subsidy_eligible = fields.Boolean()
    text_language = fields.String(validate=validate.OneOf(TEXT_LANGUAGES), allow_none=True)

    @ma.validates_schema
    def _rules(self, data: dict, **kwargs) -> None:
        check_languages(data)


class JobseekerPatchSchema(NonEmptySchema, JobseekerFieldsSchema):
    """A change to a profile: any of its fields, at least one (the whole result is validated
    again, e.g. that something is left to match on)."""


class JobseekerInSchema(JobseekerFieldsSchema):
    """A new jobseeker."""

    municipality = Municipality(required=True)

    @ma.validates_schema
    def _evidence(self, data: dict, **kwargs) -> None:
        if not any(data.get(name) for name in PROFILE_EVIDENCE):
            raise ma.ValidationError(NO_EVIDENCE, field_name="skills")


class JobseekerSchema(JobseekerInSchema, RecordSchema):
    id = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)


class JobseekerQuerySchema(PageQuerySchema):
    municipality = Municipality(metadata={"description": FILTER_BY_MUNICIPALITY})
    service_path = fields.String(validate=validate.OneOf(SERVICE_PATHS))
    active = fields.Boolean()
    name = Text(validate=SHORT, metadata={"description": "A part of the name, in any case"})
    skill = Text(
        validate=SHORT,
        metadata={
            "description": "A skill in Finnish, Swedish or English (hitsaus, svetsning and "
            "welding find the same people); words the vocabulary does not know are looked "
            "for in the skills, headline and job titles"
        },
    )
    language = fields.String(
        validate=validate.OneOf(sorted(LANGUAGE_CODES)),
        metadata={"description": "Speaks this language (ISO 639-1)"},
    )
    min_level = fields.String(
        validate=validate.OneOf(CEFR_LEVELS),
        metadata={"description": "With language: at this CEFR level or above (native highest)"},
    )
    available_by = Date(metadata={"description": "Available to start on or before this date"})
    stale_days = Integer(
        validate=validate.Range(min=0, max=36_500),
        metadata={"description": "Only profiles not updated for at least this many days"},
    )
    updated_within_days = Integer(
        validate=validate.Range(min=0, max=36_500),
        metadata={"description": "Only profiles updated within this many days"},
    )

    @ma.validates_schema
    def _level_of_a_language(self, data: dict, **kwargs) -> None:
        if data.get("min_level") and not data.get("language"):
            raise ma.ValidationError("give language with min_level", field_name="min_level")


JobseekerPageSchema = page_of(JobseekerSchema, "JobseekerPageSchema")
