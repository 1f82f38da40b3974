"""Schemas of organisations, steps on the service path, handovers and the continuity report."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.paths import REASONS
from service.schemas.common import SHORT, Date, Integer, PageQuerySchema, Text, check_dates, page_of
from service.storage_paths import ORGANISATION_KINDS, STEP_SERVICES, STEP_STATUSES


class OrganisationInSchema(ma.Schema):
    """A new organisation of the service network."""

    name = Text(required=True, validate=SHORT)
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))


class OrganisationSchema(OrganisationInSchema):
    id = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class OrganisationQuerySchema(PageQuerySchema):
    kind = fields.String(validate=validate.OneOf(ORGANISATION_KINDS))


OrganisationPageSchema = page_of(OrganisationSchema, "OrganisationPageSchema")


class StepInSchema(ma.Schema):
    """A step: the current one (ending the one before it) or the planned next one, whose
    ``start`` is the date it is due."""

    service = fields.String(required=True, validate=validate.OneOf(STEP_SERVICES))
    organisation_id = fields.String(required=True, validate=validate.Length(min=1, max=40))
    counsellor = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "The responsible counsellor's name"},
    )
    start = Date(required=True, metadata={"description": "For a planned step, its due date"})
    planned_end = Date(allow_none=True, metadata={"description": "Not before start"})
    status = fields.String(required=True, validate=validate.OneOf(("current", "planned")))

    @ma.validates_schema
    def _rules(self, data: dict, **kwargs) -> None:
        check_dates(data, "start", "planned_end")


class StepSchema(ma.Schema):
    id = Integer(required=True)
    jobseeker_id = fields.String(required=True)
    service = fields.String(required=True, validate=validate.OneOf(STEP_SERVICES))
    organisation_id = fields.String(allow_none=True)
    company_id = fields.String(allow_none=True, metadata={"description": "For a job"})
    counsellor = fields.String(required=True)
    start = fields.Date(required=True)
    planned_end = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(STEP_STATUSES))


class StepEndSchema(ma.Schema):
    """Ending the current step; the planned step, if any, becomes current."""

    ended_on = Date(metadata={"description": "The reference date when left out"})


class HandoverSchema(ma.Schema):
    id = Integer(required=True)
    jobseeker_id = fields.String(required=True)
    from_step_id = Integer(required=True)
    to_step_id = Integer(required=True)
    from_organisation_id = fields.String(allow_none=True)
    to_organisation_id = fields.String(required=True)
    handed_over_on = fields.Date(required=True)
    acknowledged_on = fields.Date(allow_none=True)


class PathSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    steps = fields.List(fields.Nested(StepSchema), required=True)
    handovers = fields.List(fields.Nested(HandoverSchema), required=True)


class ContinuityEntrySchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    since = fields.Date(required=True)
    days = Integer(required=True)
    organisation_id = fields.String(allow_none=True)
    counsellor = fields.String(required=True)
    service = fields.String(allow_none=True)
    from_organisation_id = fields.String(allow_none=True)
    handover_id = Integer(allow_none=True)


class CounsellorGroupSchema(ma.Schema):
    counsellor = fields.String(required=True)
    people = fields.List(fields.Nested(ContinuityEntrySchema), required=True)


class OrganisationGroupSchema(ma.Schema):
    organisation_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    counsellors = fields.List(fields.Nested(CounsellorGroupSchema), required=True)


class ContinuityReportSchema(ma.Schema):
    as_of = fields.Date(required=True)
    handover_days = Integer(required=True)
    total = Integer(required=True, metadata={"description": "People on the report"})
    organisations = fields.List(fields.Nested(OrganisationGroupSchema), required=True)
