"""Schemas of the audit log, tokens, exports and erasure."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import Integer, PageQuerySchema, page_of
from service.schemas.paths import PathSchema
from service.storage import ROLES


class AuditEntrySchema(ma.Schema):
    id = Integer(required=True)
    at = fields.DateTime(required=True)
    token_id = Integer(allow_none=True)
    role = fields.String(required=True)
    company_id = fields.String(allow_none=True)
    action = fields.String(required=True)
    target = fields.String(required=True)
    detail = fields.Dict(required=True)


class AuditQuerySchema(PageQuerySchema):
    action = fields.String(validate=validate.Length(max=60))


AuditPageSchema = page_of(AuditEntrySchema, "AuditPageSchema")


class TokenSchema(ma.Schema):
    """A bearer token as listed: never its secret nor its hash."""

    id = Integer(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    company_id = fields.String(allow_none=True)
    organisation_id = fields.String(allow_none=True)
    label = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)


class TokenQuerySchema(PageQuerySchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    company_id = fields.String(validate=validate.Length(min=1, max=40))
    active = fields.Boolean(
        metadata={"description": "true: only live tokens; false: only revoked ones"}
    )


TokenPageSchema = page_of(TokenSchema, "TokenPageSchema")


class ExportSchema(ma.Schema):
    jobseeker = fields.Dict(required=True)
    record = fields.Dict(required=True)
    outcomes = fields.List(fields.Dict(), required=True)
    decisions = fields.List(fields.Dict(), required=True)
    self_report = fields.Dict(allow_none=True)
    after_ranking = fields.Dict(
        metadata={
            "description": "Shortlists, companies' feedback, contacts, placements and consents"
        }
    )
    merged = fields.List(
        fields.Dict(),
        metadata={"description": "Records merged into this person, each as it was"},
    )
    path = fields.Nested(PathSchema, required=True)


class ErasureSchema(ma.Schema):
    erased = fields.String(required=True)
    removed = fields.Dict(keys=fields.String(), values=Integer(), required=True)
