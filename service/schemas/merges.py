"""Schemas of duplicates and merges."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import Integer, Text


class CreateQuerySchema(ma.Schema):
    allow_duplicate = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Create even when the record probably duplicates a stored one "
            "(otherwise 409 with the stored ones in `duplicates`)"
        },
    )


class MergeInSchema(ma.Schema):
    duplicate_id = Text(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "The record merged into this one, then deleted"},
    )


class MergeSchema(ma.Schema):
    kept = fields.String(required=True)
    merged = fields.String(required=True)
    moved = fields.Dict(keys=fields.String(), values=Integer(), required=True)
