"""Schemas of the audit log, exports and erasure."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import PageQuerySchema, page_of


class AuditEntrySchema(ma.Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    token_id = fields.Integer(allow_none=True)
    role = fields.String(required=True)
    company_id = fields.String(allow_none=True)
    action = fields.String(required=True)
    target = fields.String(required=True)
    detail = fields.Dict(required=True)


class AuditQuerySchema(PageQuerySchema):
    action = fields.String(validate=validate.Length(max=60))


AuditPageSchema = page_of(AuditEntrySchema, "AuditPageSchema")


class ExportSchema(ma.Schema):
    jobseeker = fields.Dict(required=True)
    record = fields.Dict(required=True)
    outcomes = fields.List(fields.Dict(), required=True)
    decisions = fields.List(fields.Dict(), required=True)
    self_report = fields.Dict(allow_none=True)


class ErasureSchema(ma.Schema):
    erased = fields.String(required=True)
    removed = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
