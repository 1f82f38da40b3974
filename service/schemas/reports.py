"""Schemas of self-reported demographics, the fairness and outcome reports, the model status."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from marshmallow import fields, validate

from matcher.domain import NEED_KINDS, SERVICE_PATHS
from service.schemas.common import Date, Integer, NonEmptySchema

SEXES = ("female", "male", "other")
AGE_BANDS = ("15-24", "25-34", "35-44", "45-54", "55-64", "65+")
MOTHER_TONGUES = ("fi", "sv", "se", "other")


class SelfReportInSchema(NonEmptySchema):
    """What a jobseeker chose to report about themselves, replacing the earlier report: every
    field is given, null for one not (or no longer) reported."""

    EMPTY = "Give sex, age_band and mother_tongue (null for one not reported)."

    sex = fields.String(required=True, allow_none=True, validate=validate.OneOf(SEXES))
    age_band = fields.String(required=True, allow_none=True, validate=validate.OneOf(AGE_BANDS))
    mother_tongue = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(MOTHER_TONGUES),
        metadata={"description": "Mother-tongue group: Finnish, Swedish, Sámi or other"},
    )


class SelfReportSchema(SelfReportInSchema):
    reported_at = fields.DateTime(required=True)


class FairnessQuerySchema(ma.Schema):
    top_n = Integer(load_default=20, validate=validate.Range(min=1, max=200))
    min_people = Integer(
        load_default=30,
        validate=validate.Range(min=1, max=10_000),
        metadata={"description": "Smaller groups are noted as too small to judge, not flagged"},
    )


class GroupRateSchema(ma.Schema):
    group = fields.String(required=True)
    people = Integer(required=True)
    rows = Integer(required=True)
    selected = Integer(required=True)
    rate = fields.Float(required=True)
    impact_ratio = fields.Float(allow_none=True)
    flagged = fields.Boolean(required=True)
    note = fields.String(allow_none=True)


class FairnessSliceSchema(ma.Schema):
    scores = fields.List(fields.Nested(GroupRateSchema))
    shortlist = fields.List(fields.Nested(GroupRateSchema))
    outcomes = fields.List(fields.Nested(GroupRateSchema))
    exposure = fields.List(
        fields.Nested(GroupRateSchema),
        metadata={"description": "Share proposed by the allocation at least once (overall)"},
    )


class FairnessReportSchema(ma.Schema):
    generated_at = fields.DateTime(required=True)
    top_n = Integer(required=True)
    threshold = fields.Float(required=True)
    min_people = Integer(required=True)
    scored_pairs = Integer(required=True)
    self_reported_people = Integer(required=True)
    attributes = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Nested(FairnessSliceSchema)),
        required=True,
        metadata={"description": "attribute → overall or need kind → measure → groups"},
    )
    flags = fields.List(fields.String(), required=True)
    method = fields.String(required=True)


class OutcomeCountsSchema(ma.Schema):
    service_path = fields.String(required=True)
    shortlisted = Integer(required=True)
    contacted = Integer(required=True)
    interviewed = Integer(required=True)
    hired = Integer(required=True)
    apprenticeship_started = Integer(required=True)
    training_started = Integer(required=True)


class OutcomeByKindSchema(OutcomeCountsSchema):
    need_kind = fields.String(required=True)


class OutcomeByPathSchema(OutcomeCountsSchema):
    jobseekers = Integer(required=True)
    shares = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class OutcomeReportSchema(ma.Schema):
    generated_at = fields.DateTime(required=True)
    by_path_and_kind = fields.List(fields.Nested(OutcomeByKindSchema), required=True)
    by_path = fields.List(fields.Nested(OutcomeByPathSchema), required=True)


class ModelStatusSchema(ma.Schema):
    active = fields.String(
        required=True, metadata={"description": "The default weights' version or the model"}
    )
    model = fields.Dict(allow_none=True, metadata={"description": "The model's metadata"})
    refused = fields.String(
        allow_none=True, metadata={"description": "Why a configured model was not used"}
    )


class ProgrammeQuerySchema(ma.Schema):
    """The period (both days included; the last 365 days by default) and the filters."""

    start = Date(metadata={"description": "First day (default: 364 days before end)"})
    end = Date(metadata={"description": "Last day, included (default: today)"})
    company_id = fields.String(validate=validate.Length(min=1, max=200))
    need_kind = fields.String(validate=validate.OneOf(NEED_KINDS))
    service_path = fields.String(validate=validate.OneOf(SERVICE_PATHS))

    @ma.validates_schema
    def _ordered(self, data, **_):
        # Against the end the report would use (today's when none is given).
        end = data.get("end") or dt.datetime.now(dt.UTC).date()
        if data.get("start") and data["start"] > end:
            raise ma.ValidationError("must not be after end", field_name="start")
        if data.get("start") and (end - data["start"]).days > 3660:
            raise ma.ValidationError("at most ten years", field_name="start")


class StageTallySchema(ma.Schema):
    served = Integer(
        required=True, metadata={"description": "People with anything recorded in the period"}
    )
    counts = fields.Dict(keys=fields.String(), values=Integer(), required=True)
    shares = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        metadata={"description": "Each count divided by served"},
    )


class MonthTallySchema(StageTallySchema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM"})


class ProgrammeFiltersSchema(ma.Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    company_id = fields.String(allow_none=True)
    need_kind = fields.String(allow_none=True)
    service_path = fields.String(allow_none=True)


class ProgrammeReportSchema(ma.Schema):
    generated_at = fields.DateTime(required=True)
    filters = fields.Nested(ProgrammeFiltersSchema, required=True)
    stages = fields.List(fields.String(), required=True)
    totals = fields.Nested(StageTallySchema, required=True)
    series = fields.List(fields.Nested(MonthTallySchema), required=True)
