"""Schemas of shortlists, company feedback, consents, contacts and a person's history."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import SHORT, Integer, Text, reader_language
from service.schemas.matches import ExplanationSchema
from service.shortlists import (
    CONTACT_CHANNELS,
    CONTACT_RESULTS,
    FEEDBACK_DECISIONS,
    FEEDBACK_REASONS,
    no_protected_attribute,
)
from service.storage_shortlists import SHORTLIST_STATES

MAX_ENTRIES = 50


class EntryInSchema(ma.Schema):
    jobseeker_id = Text(required=True, validate=SHORT)
    note = Text(load_default="", validate=validate.Length(max=1000))


class ShortlistInSchema(ma.Schema):
    """The people of a shortlist in the order the company will read them, each with a note."""

    entries = fields.List(
        fields.Nested(EntryInSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ENTRIES),
    )

    @ma.validates("entries")
    def _once_each(self, entries, **_):
        people = [e["jobseeker_id"] for e in entries if "jobseeker_id" in e]
        if len(set(people)) < len(people):
            raise ma.ValidationError("A person is on the list twice.")


class ShortlistReadSchema(ma.Schema):
    language = reader_language("Language of the explanations' sentences")


class ShortlistQuerySchema(ShortlistReadSchema):
    need_id = Text(validate=SHORT)


class SignInSchema(ma.Schema):
    signed_by = Text(
        required=True,
        validate=SHORT,
        metadata={"description": "The name of the recruiter who signs the list off"},
    )


class PersonSchema(ma.Schema):
    """Who a person on a shortlist is: a company sees the name and contact details only after
    the person consented to share them with it, a pseudonym (``ref``) always."""

    id = fields.String(allow_none=True)
    ref = fields.String(required=True)
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    municipality = fields.String(allow_none=True)
    consented = fields.Boolean(required=True)


class FeedbackInSchema(ma.Schema):
    """A company's answer about one person, with a job-relevant reason; "other" needs text,
    which staff review. No text may name a protected attribute."""

    decision = fields.String(required=True, validate=validate.OneOf(FEEDBACK_DECISIONS))
    reason = fields.String(required=True, validate=validate.OneOf(FEEDBACK_REASONS))
    text = Text(
        load_default="",
        validate=[validate.Length(max=1000), no_protected_attribute],
    )

    @ma.validates_schema
    def _other_explained(self, data, **_):
        if data.get("reason") == "other" and not data.get("text"):
            raise ma.ValidationError("Say what the other reason is.", field_name="text")


class FeedbackSchema(ma.Schema):
    id = Integer(required=True)
    shortlist_id = fields.String(required=True)
    position = Integer(required=True)
    need_id = fields.String(required=True)
    decision = fields.String(required=True)
    reason = fields.String(required=True)
    text = fields.String(required=True)
    needs_review = fields.Boolean(required=True)
    reviewed_at = fields.DateTime(allow_none=True)
    given_at = fields.DateTime(required=True)
    outcome = fields.String()


class EntrySchema(ma.Schema):
    position = Integer(required=True)
    person = fields.Nested(PersonSchema, required=True)
    note = fields.String(required=True)
    score = fields.Float(allow_none=True, metadata={"description": "As when signed off"})
    excluded = fields.Boolean(allow_none=True)
    explanation = fields.Nested(
        ExplanationSchema, allow_none=True, metadata={"description": "As when signed off"}
    )
    feedback = fields.List(fields.Nested(FeedbackSchema), required=True)


class SignatureSchema(ma.Schema):
    token_id = Integer(allow_none=True)
    label = fields.String(allow_none=True)


class ShortlistViewSchema(ma.Schema):
    id = fields.String(required=True)
    need_id = fields.String(required=True)
    company_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(SHORTLIST_STATES))
    created_at = fields.DateTime(required=True)
    signed_at = fields.DateTime(allow_none=True)
    signed_by = fields.Nested(SignatureSchema, allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    entries = fields.List(fields.Nested(EntrySchema), required=True)


class ShortlistListSchema(ma.Schema):
    items = fields.List(fields.Nested(ShortlistViewSchema), required=True)


class FeedbackListSchema(ma.Schema):
    items = fields.List(fields.Nested(FeedbackSchema), required=True)


class ConsentSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    company_id = fields.String(required=True)
    consented = fields.Boolean(required=True)


class ContactInSchema(ma.Schema):
    need_id = Text(validate=SHORT)
    channel = fields.String(required=True, validate=validate.OneOf(CONTACT_CHANNELS))
    result = fields.String(required=True, validate=validate.OneOf(CONTACT_RESULTS))
    note = Text(load_default="", validate=validate.Length(max=2000))


class ContactSchema(ContactInSchema):
    id = Integer(required=True)
    need_id = fields.String(allow_none=True)
    at = fields.DateTime(required=True)


class PlacementSchema(ma.Schema):
    status = fields.String(required=True)
    starts = fields.Date(required=True)
    ends = fields.Date(required=True)
    need_id = fields.String(allow_none=True)


class FreshnessSchema(ma.Schema):
    last_confirmed = fields.DateTime(required=True)
    stale = fields.Boolean(required=True)
    stale_after_days = Integer(required=True)


class HistorySchema(ma.Schema):
    """What happened with a person after the rankings: their current status and freshness,
    the shortlists they were on, the companies' feedback, contacts, outcomes, placements."""

    jobseeker_id = fields.String(required=True)
    status = fields.Nested(PlacementSchema, allow_none=True)
    freshness = fields.Nested(FreshnessSchema, required=True)
    outcomes = fields.List(fields.Dict(), required=True)
    shortlists = fields.List(fields.Dict(), required=True)
    feedback = fields.List(fields.Nested(FeedbackSchema), required=True)
    contacts = fields.List(fields.Nested(ContactSchema), required=True)
    statuses = fields.List(fields.Nested(PlacementSchema), required=True)
    consents = fields.List(fields.Dict(), required=True)
