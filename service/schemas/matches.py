"""Schemas of candidate lists, explanations, ad-hoc matching and outcomes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.needs import NeedInSchema
from service.storage import DECISIONS, MAX_ROW_ID, OUTCOMES


class CandidateQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))
    include_excluded = fields.Boolean(load_default=False)
    language = fields.String(
        load_default="en",
        validate=validate.OneOf(["fi", "sv", "en"]),
        metadata={"description": "Language of concept labels in explanations"},
    )
    since_run = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ROW_ID),
        metadata={"description": "Only candidates that this batch run did not list"},
    )
    show_hidden = fields.Boolean(
        load_default=False,
        metadata={"description": "Keep candidates a recruiter hid (marked by their decision)"},
    )


class CandidateListQuerySchema(CandidateQuerySchema):
    format = fields.String(
        validate=validate.OneOf(["json", "csv", "xlsx"]),
        metadata={
            "description": "json, or a file: csv or xlsx with the explanation in columns "
            "(else chosen by the Accept header; audit-logged as an export)"
        },
    )


class FeatureContributionSchema(ma.Schema):
    name = fields.String(required=True)
    value = fields.Float(required=True)
    weight = fields.Float(required=True)
    contribution = fields.Float(required=True)


class SkillMatchSchema(ma.Schema):
    need_skill = fields.String(required=True)
    evidence = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The person's words; null in a company's view"},
    )
    source = fields.String(required=True)
    similarity = fields.Float(required=True)
    concept = fields.String(allow_none=True)


class MissingSkillSchema(ma.Schema):
    need_skill = fields.String(required=True)
    required = fields.Boolean(required=True)
    to_learn = fields.Boolean(required=True)
    concept = fields.String(allow_none=True)


class RequirementSchema(ma.Schema):
    field = fields.String(required=True)
    reason = fields.String(required=True)
    remedy = fields.String(required=True)


class ExplanationSchema(ma.Schema):
    features = fields.List(fields.Nested(FeatureContributionSchema), required=True)
    matched_skills = fields.List(fields.Nested(SkillMatchSchema), required=True)
    missing_skills = fields.List(fields.Nested(MissingSkillSchema), required=True)
    unmet_requirements = fields.List(fields.Nested(RequirementSchema), required=True)
    unmet_preferences = fields.List(fields.String(), required=True)
    suggestion = fields.String(allow_none=True)


class CandidateSchema(ma.Schema):
    """Who the candidate is; for company tokens only a pseudonym and non-identifying fields."""

    id = fields.String(allow_none=True)
    ref = fields.String(
        required=True,
        metadata={
            "description": "Pseudonym per reader (a company, or staff) and need; new with every "
            "ad-hoc match"
        },
    )
    name = fields.String(allow_none=True)
    headline = fields.String(allow_none=True, metadata={"description": "Null for a company"})
    municipality = fields.String()


class DecisionInSchema(ma.Schema):
    action = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class DecisionSchema(DecisionInSchema):
    """A recruiter's pin (listed first) or hide (left out) of a candidate, with the reason."""

    decided_at = fields.DateTime(required=True)


class MatchSchema(ma.Schema):
    rank = fields.Integer(
        allow_none=True, metadata={"description": "None for excluded and pinned candidates"}
    )
    score = fields.Float(required=True)
    score_with_remedy = fields.Float(
        allow_none=True,
        metadata={
            "description": "For a near-miss (excluded): the score with its unmet requirements "
            "met; near-misses are listed best first by it. None otherwise."
        },
    )
    excluded = fields.Boolean(required=True)
    candidate = fields.Nested(CandidateSchema, required=True)
    explanation = fields.Nested(ExplanationSchema, required=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)


class CandidateListSchema(ma.Schema):
    need_id = fields.String(allow_none=True)
    source = fields.String(required=True, validate=validate.OneOf(["live", "batch"]))
    computed_at = fields.DateTime(required=True)
    run_id = fields.Integer(allow_none=True)
    eligible = fields.Integer(
        allow_none=True, metadata={"description": "Candidates meeting every hard requirement"}
    )
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    items = fields.List(fields.Nested(MatchSchema), required=True)


class NeedMatchSchema(ma.Schema):
    need_id = fields.String(required=True)
    company_id = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    municipality = fields.String(required=True)
    rank = fields.Integer(allow_none=True)
    score = fields.Float(required=True)
    score_with_remedy = fields.Float(
        allow_none=True,
        metadata={
            "description": "For a near-miss (excluded): the score with its unmet requirements "
            "met; near-misses are listed best first by it. None otherwise."
        },
    )
    excluded = fields.Boolean(required=True)
    explanation = fields.Nested(ExplanationSchema, required=True)


class ShortlistEntrySchema(ma.Schema):
    need_id = fields.String(required=True)
    title = fields.String(required=True)
    rank = fields.Integer(required=True)
    score = fields.Float(required=True)
    new = fields.Boolean(required=True, metadata={"description": "Not listed by the run before"})


class ShortlistSchema(ma.Schema):
    run_id = fields.Integer(required=True)
    finished_at = fields.DateTime(required=True)
    items = fields.List(fields.Nested(ShortlistEntrySchema), required=True)


class NeedListSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    source = fields.String(required=True)
    computed_at = fields.DateTime(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    items = fields.List(fields.Nested(NeedMatchSchema), required=True)
    shortlisted = fields.Nested(
        ShortlistSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "The open needs whose candidate list in the latest complete batch "
            "run holds the person, with their rank there; null before any run"
        },
    )


class AdHocNeedSchema(NeedInSchema):
    """A need that is scored but not stored."""

    company_id = fields.String(validate=validate.Length(max=200), load_default="ad-hoc")


class AdHocMatchSchema(ma.Schema):
    need = fields.Nested(AdHocNeedSchema, required=True)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))
    include_excluded = fields.Boolean(load_default=False)
    language = fields.String(load_default="en", validate=validate.OneOf(["fi", "sv", "en"]))


class OutcomeInSchema(ma.Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class OutcomeSchema(OutcomeInSchema):
    id = fields.Integer(required=True)
    need_id = fields.String(required=True)
    jobseeker_id = fields.String(required=True)
    created_at = fields.DateTime(required=True)
