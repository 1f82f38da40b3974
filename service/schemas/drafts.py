"""Schemas of drafts: a pasted ad or CV in, a proposed body out (nothing is stored)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.errors import InvalidParamSchema
from service.schemas.common import NOT_BLANK, Text

# A job ad or a CV is seldom a tenth of this; reading the longest takes a few seconds.
MAX_PASTE = 20_000


def _pasted(description: str):
    return Text(
        validate=[NOT_BLANK, validate.Length(max=MAX_PASTE)], metadata={"description": description}
    )


class _OneSource(ma.Schema):
    SOURCES: tuple[str, ...] = ()

    @ma.validates_schema
    def _one_source(self, data: dict, **kwargs) -> None:
        given = [name for name in self.SOURCES if data.get(name) is not None]
        if len(given) != 1:
            message = f"give exactly one of {', '.join(self.SOURCES)}"
            raise ma.ValidationError(message, field_name=self.SOURCES[0])


class NeedDraftInSchema(_OneSource):
    SOURCES = ("text", "jobposting")

    text = _pasted(
        "A job ad in Finnish, Swedish or English as pasted; a schema.org JobPosting in it "
        "(JSON-LD, or a job board's page with one) is read as such"
    )
    jobposting = fields.Dict(metadata={"description": "A schema.org JobPosting (JSON-LD)"})
    company_id = Text(validate=validate.Length(max=40))


class JobseekerDraftInSchema(_OneSource):
    SOURCES = ("text", "europass")

    text = _pasted("A CV's text as pasted")
    europass = fields.Raw(
        metadata={"description": "A Europass CV: its XML or JSON as a string, or the JSON object"}
    )

    @ma.validates("europass")
    def _document(self, value, **kwargs) -> None:
        if not isinstance(value, str | dict) or (isinstance(value, str) and len(value) > MAX_PASTE):
            raise ma.ValidationError(
                f"must be an object or a string of at most {MAX_PASTE} characters"
            )


class RecognisedSchema(ma.Schema):
    field = fields.String(required=True)
    value = fields.Raw(required=True)
    evidence = fields.String(required=True)


class DraftSchema(ma.Schema):
    body = fields.Dict(
        required=True,
        metadata={"description": "The proposed body, to confirm and send to create the record"},
    )
    recognised = fields.List(fields.Nested(RecognisedSchema), required=True)
    missing = fields.List(
        fields.String(), required=True, metadata={"description": "Required fields not found"}
    )
    invalid_params = fields.List(
        fields.Nested(InvalidParamSchema),
        required=True,
        metadata={"description": "What the create schema would refuse in the proposed body"},
    )
