"""Company schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import SHORT, PageQuerySchema, RecordSchema, page_of


class CompanyInSchema(ma.Schema):
    name = fields.String(required=True, validate=SHORT)
    municipality = fields.String(validate=SHORT, allow_none=True)
    business_id = fields.String(
        validate=validate.Regexp(r"^\d{7}-\d$"),
        allow_none=True,
        metadata={"description": "Finnish business id (Y-tunnus)"},
    )
    sector = fields.String(validate=SHORT, allow_none=True)


class CompanyPatchSchema(CompanyInSchema):
    name = fields.String(validate=SHORT)


class CompanySchema(CompanyInSchema, RecordSchema):
    id = fields.String(dump_only=True)
    archived = fields.Boolean(dump_only=True)


class CompanyQuerySchema(PageQuerySchema):
    include_archived = fields.Boolean(load_default=False)


CompanyPageSchema = page_of(CompanySchema, "CompanyPageSchema")
