"""Company schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import (
    SHORT,
    Municipality,
    NonEmptySchema,
    PageQuerySchema,
    RecordSchema,
    Text,
    page_of,
)


class CompanyInSchema(ma.Schema):
    name = Text(required=True, validate=SHORT)
    municipality = Municipality(allow_none=True)
    business_id = fields.String(
        validate=validate.Regexp(r"^\d{7}-\d$"),
        allow_none=True,
        metadata={"description": "Finnish business id (Y-tunnus)"},
    )
    sector = Text(validate=SHORT, allow_none=True)


class CompanyPatchSchema(NonEmptySchema, CompanyInSchema):
    """A change to a company: any of its fields, at least one."""

    name = Text(validate=SHORT)


class CompanySchema(CompanyInSchema, RecordSchema):
    id = fields.String(dump_only=True)
    archived = fields.Boolean(dump_only=True)


class CompanyQuerySchema(PageQuerySchema):
    include_archived = fields.Boolean(load_default=False)


CompanyPageSchema = page_of(CompanySchema, "CompanyPageSchema")
