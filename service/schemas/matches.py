"""Schemas of candidate lists, explanations, ad-hoc matching and outcomes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.schemas.common import Integer, reader_language
from service.schemas.needs import NeedInSchema
from service.storage import DECISIONS, MAX_ROW_ID, OUTCOMES

# The fields of the hard requirements a near-miss may lack (``Requirement.field``).
UNMET_FIELD = (
    r"^(municipality|available_from|work_permit|driving_licence|work_demands|requirement"
    r"|must_have_skills"
    r"|languages(\.[a-z]{2,3})?)$"
)


class CandidateQuerySchema(ma.Schema):
    limit = Integer(load_default=20, validate=validate.Range(min=1, max=200))
    offset = Integer(load_default=0, validate=validate.Range(min=0, max=10_000))
    include_excluded = fields.Boolean(load_default=False)
    language = reader_language("Language of the explanations: their sentences and concept labels")
    since_run = Integer(
        validate=validate.Range(min=1, max=MAX_ROW_ID),
        metadata={"description": "Only candidates that this batch run did not list"},
    )
    show_hidden = fields.Boolean(
        load_default=False,
        metadata={"description": "Keep candidates a recruiter hid (marked by their decision)"},
    )
    unmet = fields.String(
        validate=validate.Regexp(UNMET_FIELD),
        metadata={
            "description": "Only the near-misses lacking this hard requirement, best first by "
            "score_with_remedy: municipality, available_from, work_permit, driving_licence, "
            "work_demands, must_have_skills, languages (any language) or languages.<code> "
            "(one language); a company names work permit and work demands only as requirement"
        },
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


REASON_PARAMS = (
    "The reason's parameters (a language code, levels, days, a municipality, a feature name, "
    "a score gain…; a nested reason as an object with its own code and params)"
)


class ReasonSchema(ma.Schema):
    """A reason as data, and as a sentence in the request's ``language``."""

    code = fields.String(
        required=True, allow_none=True, metadata={"description": "Null for a stored sentence"}
    )
    params = fields.Dict(required=True, metadata={"description": REASON_PARAMS})
    text = fields.String(required=True)


class RequirementSchema(ma.Schema):
    field = fields.String(required=True)
    code = fields.String(
        required=True, allow_none=True, metadata={"description": "What is not met, as a code"}
    )
    params = fields.Dict(required=True, metadata={"description": REASON_PARAMS})
    reason = fields.String(required=True, metadata={"description": "In the request's language"})
    remedy = fields.String(required=True, metadata={"description": "In the request's language"})


class ExplanationSchema(ma.Schema):
    features = fields.List(fields.Nested(FeatureContributionSchema), required=True)
    matched_skills = fields.List(fields.Nested(SkillMatchSchema), required=True)
    missing_skills = fields.List(fields.Nested(MissingSkillSchema), required=True)
    unmet_requirements = fields.List(fields.Nested(RequirementSchema), required=True)
    unmet_preferences = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Sentences in the request's language"},
    )
    preference_reasons = fields.List(
        fields.Nested(ReasonSchema),
        required=True,
        metadata={"description": "The unmet preferences as data, in the same order"},
    )
    suggestion = fields.String(
        allow_none=True, metadata={"description": "A sentence in the request's language"}
    )
    suggestion_reason = fields.Nested(
        ReasonSchema, allow_none=True, metadata={"description": "The suggestion as data"}
    )


class LanguageHeldSchema(ma.Schema):
    language = fields.String(required=True)
    level = fields.String(required=True)


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
    available_from = fields.Date(
        allow_none=True, metadata={"description": "When the person can start (null: at once)"}
    )
    languages = fields.List(
        fields.Nested(LanguageHeldSchema),
        metadata={"description": "The person's languages; for a company only the need's"},
    )
    distance_km = Integer(
        allow_none=True,
        metadata={"description": "From the need's municipality, between municipal centres"},
    )


class DecisionInSchema(ma.Schema):
    action = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class DecisionSchema(DecisionInSchema):
    """A recruiter's pin (listed first) or hide (left out) of a candidate, with the reason."""

    decided_at = fields.DateTime(required=True)


class MatchSchema(ma.Schema):
    rank = Integer(
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
    newer_than_run = fields.Boolean(
        allow_none=True,
        metadata={
            "description": "In a list served from a batch run: whether the person changed "
            "since the run began and was scored again for this list (the rest stand as the "
            "run scored them). None in a list computed now and for pinned candidates."
        },
    )
    candidate = fields.Nested(CandidateSchema, required=True)
    explanation = fields.Nested(ExplanationSchema, required=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)


class CandidateListSchema(ma.Schema):
    need_id = fields.String(allow_none=True)
    source = fields.String(required=True, validate=validate.OneOf(["live", "batch"]))
    computed_at = fields.DateTime(required=True)
    run_id = Integer(allow_none=True)
    eligible = Integer(
        allow_none=True, metadata={"description": "Candidates meeting every hard requirement"}
    )
    limit = Integer(required=True)
    offset = Integer(required=True)
    items = fields.List(fields.Nested(MatchSchema), required=True)


class NeedMatchSchema(ma.Schema):
    need_id = fields.String(required=True)
    company_id = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    municipality = fields.String(required=True)
    rank = Integer(allow_none=True)
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
    rank = Integer(required=True)
    score = fields.Float(required=True)
    new = fields.Boolean(required=True, metadata={"description": "Not listed by the run before"})


class ShortlistSchema(ma.Schema):
    run_id = Integer(required=True)
    finished_at = fields.DateTime(required=True)
    items = fields.List(fields.Nested(ShortlistEntrySchema), required=True)


class NeedListSchema(ma.Schema):
    jobseeker_id = fields.String(required=True)
    source = fields.String(required=True)
    computed_at = fields.DateTime(required=True)
    limit = Integer(required=True)
    offset = Integer(required=True)
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
    limit = Integer(load_default=20, validate=validate.Range(min=1, max=200))
    include_excluded = fields.Boolean(load_default=False)
    language = reader_language("Language of the explanations: their sentences and concept labels")


class OutcomeInSchema(ma.Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class OutcomeSchema(OutcomeInSchema):
    id = Integer(required=True)
    need_id = fields.String(required=True)
    jobseeker_id = fields.String(required=True)
    created_at = fields.DateTime(required=True)
