"""The pages' blueprint: its parts, error pages, security headers and template helpers."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from matcher.geo import municipality_in
from service.storage import NotFound
from service.web import (
    account,
    candidates,
    cohorts,
    continuity,
    explain,
    i18n,
    needs,
    people,
    reports,
    shortlists,
)
from service.web.auth import current_role, local_path
from service.web.common import language

web = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    # "/static" is the app's own (empty) static route.
    static_url_path="/assets",
)
for part in (
    account.bp,
    needs.bp,
    candidates.bp,
    people.bp,
    reports.bp,
    shortlists.bp,
    cohorts.bp,
    continuity.bp,
):
    web.register_blueprint(part)

# Everything a page loads comes from this site; no inline scripts, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@web.after_request
def security_headers(response):
    """Add the pages' security headers."""
    response.headers.update(SECURITY_HEADERS)
    return response


@web.errorhandler(HTTPException)
def error_page(error: HTTPException):
    """Errors as pages (the JSON API keeps its problem+json); 401 goes to the sign-in page."""
    if error.code == 401:
        return redirect(url_for("web.account.sign_in", next=local_path(request.full_path)))
    expired = isinstance(error, CSRFError)
    return render_template("web/error.html", code=error.code, expired=expired), error.code


@web.errorhandler(NotFound)
def not_found(error: NotFound):
    """A missing object is a 404 page, as one that belongs to someone else is."""
    return render_template("web/error.html", code=404, expired=False), 404


@web.app_template_global()
def name_of(code, table: str) -> str:
    """The translated name of a domain code, in templates."""
    return i18n.name_of(code, table)


@web.app_template_global()
def options(codes, table: str) -> list[tuple[str, str]]:
    """``(code, translated name)`` pairs for a select, in templates."""
    return [(code, i18n.name_of(code, table)) for code in codes]


# Reasons (a code and its parameters) as sentences in the page's language.
web.add_app_template_filter(explain.said, "said")


@web.app_template_global()
def language_name(code: str) -> str:
    """A language's name in the page's language, in templates."""
    return i18n.language_name(code)


@web.app_template_global()
def requirement_name(field: str) -> str:
    """What an unmet requirement is about, in templates."""
    return i18n.requirement_name(field)


@web.app_template_global()
def place(name: str | None) -> str:
    """A municipality in the page's language (Vaasa on a Finnish page, Vasa on a Swedish one),
    whichever name it was stored with; every template shows municipalities through this."""
    return municipality_in(name, language()) if name else ""


@web.context_processor
def page_context() -> dict:
    """What every page's frame needs: the languages, the current one and the user's role."""
    return {
        "languages": [(code, i18n.ENDONYMS[code]) for code in i18n.LANGUAGES],
        "language": language(),
        "role": current_role(),
    }
