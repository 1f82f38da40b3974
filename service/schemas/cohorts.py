"""Schemas of cohorts and of the allocation's proposals."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matcher.languages import CEFR_LEVELS, LANGUAGE_CODES
from service.schemas.common import Date, Integer

MAX_PEOPLE = 200
PERSON_ID = fields.String(validate=validate.Length(min=1, max=40))


class MinimumLanguageSchema(ma.Schema):
    language = fields.String(required=True, validate=validate.OneOf(sorted(LANGUAGE_CODES)))
    level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))


class CohortInSchema(ma.Schema):
    """What a coordinator sets: reserves, a minimum language level, a start date, at most K
    people who would relocate, and people fixed in or excluded."""

    reserves = Integer(load_default=0, validate=validate.Range(min=0, max=100))
    min_language = fields.Nested(MinimumLanguageSchema, allow_none=True, load_default=None)
    start_by = Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "Seated people must be available by this date"},
    )
    max_relocating = Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0, max=1000),
        metadata={"description": "At most this many seats for people who would relocate"},
    )
    fixed = fields.List(PERSON_ID, load_default=list, validate=validate.Length(max=MAX_PEOPLE))
    excluded = fields.List(PERSON_ID, load_default=list, validate=validate.Length(max=MAX_PEOPLE))

    @ma.validates_schema
    def fixed_or_excluded(self, data, **kwargs):
        both = sorted(set(data.get("fixed", ())) & set(data.get("excluded", ())))
        if both:
            raise ma.ValidationError(f"{both[0]} is both fixed and excluded", "fixed")


class CohortReasonSchema(ma.Schema):
    """Why a person holds their place in a cohort: a code and its parameters."""

    code = fields.String(required=True)
    params = fields.Dict(required=True)


class CohortMemberSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    name = fields.String(required=True)
    municipality = fields.String(required=True)
    score = fields.Float(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["seat", "reserve", "near_miss"]))
    relocating = fields.Boolean(required=True)
    reasons = fields.List(fields.Nested(CohortReasonSchema), required=True)


class CohortSchema(ma.Schema):
    need_id = fields.String(required=True)
    constraints = fields.Dict(required=True)
    total_score = fields.Float(required=True)
    solved_at = fields.DateTime(required=True)
    seats = fields.List(fields.Nested(CohortMemberSchema), required=True)
    reserves = fields.List(fields.Nested(CohortMemberSchema), required=True)
    near_misses = fields.List(fields.Nested(CohortMemberSchema), required=True)


class ProposalSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    score = fields.Float(required=True)


class ProposedNeedSchema(ma.Schema):
    need_id = fields.String(required=True)
    title = fields.String(required=True)
    score = fields.Float(required=True)


class ElsewhereSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    needs = fields.List(fields.Nested(ProposedNeedSchema), required=True)


class NeedProposalsSchema(ma.Schema):
    run_id = Integer(allow_none=True, required=True)
    proposed = fields.List(fields.Nested(ProposalSchema), required=True)
    proposed_elsewhere = fields.List(fields.Nested(ElsewhereSchema), required=True)


class PersonProposalsSchema(ma.Schema):
    run_id = Integer(allow_none=True, required=True)
    proposals = fields.List(fields.Nested(ProposedNeedSchema), required=True)
    exposure = Integer(
        required=True, metadata={"description": "Proposals over the kept runs"}
    )
    runs = Integer(required=True, metadata={"description": "Runs with proposals kept"})


class PathwayQuerySchema(ma.Schema):
    limit = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ReadyNowSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    name = fields.String(required=True)
    score = fields.Float(required=True)


class TrainingSchema(ma.Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)


class PathwaySchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    name = fields.String(required=True)
    training_id = fields.String(required=True)
    training = fields.Nested(TrainingSchema, required=True)
    vacancy_id = fields.String(required=True)
    vacancy_title = fields.String(required=True)
    score_now = fields.Float(
        allow_none=True, required=True, metadata={"description": "None when excluded now"}
    )
    score_after = fields.Float(required=True)


class VacancyPathwaysSchema(ma.Schema):
    ready_now = fields.List(fields.Nested(ReadyNowSchema), required=True)
    after_training = fields.List(fields.Nested(PathwaySchema), required=True)


class PersonPathwaysSchema(ma.Schema):
    after_training = fields.List(fields.Nested(PathwaySchema), required=True)
