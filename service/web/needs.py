"""Needs: the list with filters, and the form that submits or edits one."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import fields, validate

from matcher.documents import need_from_paste
from matcher.domain import EDUCATION_LEVELS, NEED_KINDS, NEED_STATUSES, WORK_DEMANDS
from matcher.drafts import Draft
from matcher.languages import CEFR_LEVELS
from service.api.common import services
from service.api.needs import visible_need
from service.api.skills import suggest_skills
from service.auth import current_principal
from service.duplicates import mapper
from service.schemas.common import Integer
from service.schemas.drafts import MAX_PASTE
from service.schemas.needs import NeedQuerySchema
from service.schemas.skills import SkillSuggestInSchema
from service.storage import Page, utcnow
from service.web import forms
from service.web.auth import signed_in
from service.web.common import EVERYONE, company_names, language, load_args, page_links
from service.web.i18n import LANGUAGE_NAMES

bp = Blueprint("needs", __name__)

PAGE_SIZE = 25


class NeedFilterSchema(NeedQuerySchema):
    """The API's need filters (open needs unless another status or ``any`` is chosen), and
    how recently a need was updated."""

    status = fields.String(validate=validate.OneOf((*NEED_STATUSES, "any")), load_default="open")
    updated_within_days = Integer(validate=validate.Range(min=1, max=3650))


@bp.get("/needs")
@signed_in(*EVERYONE)
def index():
    """Needs (open by default) with filters; a company user sees only its own."""
    fixed = {"page_size": PAGE_SIZE}
    principal = current_principal()
    if principal.role == "company":
        fixed["company_id"] = principal.company_id
    query, errors = load_args(NeedFilterSchema(), **fixed)
    if query["status"] == "any":
        del query["status"]
    page = _needs_page(query)
    return render_template(
        "web/needs.html",
        page=page,
        pager=page_links(page.page, page.page_size, page.total),
        filters=request.args,
        errors=errors,
        companies=company_names(services().store),
        kinds=NEED_KINDS,
        statuses=NEED_STATUSES,
    )


def _needs_page(query: dict) -> Page:
    """A page of needs; filtering by freshness reads every match (the store filters by equality)."""
    days = query.pop("updated_within_days", None)
    if days is None:
        return services().store.needs(**query)
    since = utcnow() - dt.timedelta(days=days)
    page, size = query.pop("page"), query.pop("page_size")
    fresh = [item for item in _all_needs(query) if item[1]["updated_at"] >= since]
    return Page(fresh[(page - 1) * size : page * size], len(fresh), page, size)


def _all_needs(filters: dict) -> list:
    items, page = [], 1
    while True:
        result = services().store.needs(page=page, page_size=100, **filters)
        items += result.items
        if page * 100 >= result.total:
            return items
        page += 1


@bp.route("/needs/new", methods=["GET", "POST"])
@signed_in(*EVERYONE)
def new():
    """Submit a need (a company user submits for its own company)."""
    values = forms.posted_form(request.form) if request.method == "POST" else forms.blank_form()
    if request.method == "POST":
        need, errors = _validated(values)
        if need is not None:
            services().store.add_needs([need])
            flash(gettext("The need was saved."))
            return redirect(url_for("web.candidates.index", need_id=need.id))
    else:
        errors = {}
    return _form_page(values, errors, None)


@bp.route("/needs/<need_id>/edit", methods=["GET", "POST"])
@signed_in(*EVERYONE)
def edit(need_id: str):
    """Change a need (validated again as a whole, as the API does; no change, no write)."""
    base, _ = visible_need(need_id)
    values = forms.posted_form(request.form) if request.method == "POST" else forms.blank_form(base)
    errors: dict = {}
    if request.method == "POST":
        need, errors = _validated(values, base)
        if need is not None:
            if need != base:
                services().store.replace_need(need)
            flash(gettext("The need was saved."))
            return redirect(url_for("web.candidates.index", need_id=need.id))
    return _form_page(values, errors, base)


def _validated(values: dict, base=None):
    """The need the form describes, or the errors per field: the API's schema first, then
    the domain's own checks."""
    body, errors = forms.validate(values)
    if errors:
        return None, errors
    principal = current_principal()
    company = principal.company_id if principal.role == "company" else None
    return forms.build_need(services().store, body, company, base)


@bp.route("/needs/paste", methods=["GET", "POST"])
@signed_in(*EVERYONE)
def paste():
    """Read a pasted job ad (or a job board's page with its JobPosting) into a proposed need,
    shown in the need form to check and save; nothing is stored before that."""
    text = request.form.get("text", "") if request.method == "POST" else ""
    if request.method == "GET" or not text.strip() or len(text) > MAX_PASTE:
        error = request.method == "POST"
        page = render_template("web/need_paste.html", text=text, error=error)
        return page, 422 if error else 200
    draft = need_from_paste(text, mapper(services()))
    return _form_page(forms.form_values(draft.body), {}, None, draft=draft)


def _form_page(values: dict, errors: dict, base, draft: Draft | None = None):
    status = 422 if errors else 200
    principal = current_principal()
    companies = company_names(services().store) if principal.role != "company" else {}
    return (
        render_template(
            "web/need_form.html",
            values=values,
            errors=errors,
            field_errors=lambda name: forms.messages(errors, name),
            anchor=forms.anchor,
            label_of=forms.label_of,
            need=base,
            companies=companies,
            kinds=NEED_KINDS,
            education_levels=EDUCATION_LEVELS,
            work_demands=WORK_DEMANDS,
            levels=CEFR_LEVELS,
            spoken=list(LANGUAGE_NAMES),
            draft=draft,
            proposed=_proposed(draft) if draft else [],
            not_found=[forms.label_of(name) for name in draft.missing] if draft else [],
        ),
        status,
    )


@bp.post("/skills/suggest")
@signed_in(*EVERYONE)
def suggest():
    """Skill suggestions for the need form's script: the API's suggestions, by session."""
    try:
        body = SkillSuggestInSchema().load(request.get_json(silent=True) or {})
    except ma.ValidationError:
        abort(400)
    items = suggest_skills(services().scorer, body["text"], body["language"], body["limit"])
    return jsonify({"items": items, "language": language()})


# Fields of a proposed need worth telling the reader that they came from the ad.
PROPOSED_FIELDS = (
    "title",
    "required_skills",
    "preferred_skills",
    "languages",
    "municipality",
    "start_date",
    "positions",
    "driving_licence",
)


def _proposed(draft: Draft) -> list[str]:
    """The names of the fields read from the ad, as the form labels them."""
    found = {r.field for r in draft.recognised}
    return [forms.label_of(name) for name in PROPOSED_FIELDS if name in found]
