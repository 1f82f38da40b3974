"""Signing in and out, and choosing the language."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from service.web import auth
from service.web.i18n import LANGUAGE_COOKIE, LANGUAGES

bp = Blueprint("account", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    """The start page: the needs list (which asks to sign in first when nobody is); for a
    counsellor, the continuity report."""
    principal = auth.session_principal()
    if principal is not None and principal.role == "counsellor":
        return redirect(url_for("web.continuity.index"))
    return redirect(url_for("web.needs.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in by pasting an API token."""
    target = auth.local_path(request.values.get("next"), url_for("web.needs.index"))
    failed = False
    if request.method == "POST":
        if principal := auth.sign_in(request.form.get("token", "")):
            return redirect(_start(principal.role, target))
        failed = True
    status = 401 if failed else 200
    return render_template("web/sign_in.html", target=target, failed=failed), status


def _start(role: str, target: str) -> str:
    """Where signing in leads: ``target``, but a counsellor's start page for the needs list
    (which a counsellor may not open)."""
    if role == "counsellor" and target == url_for("web.needs.index"):
        return url_for("web.continuity.index")
    return target


@bp.post("/sign-out")
def sign_out():
    """Sign out."""
    auth.sign_out()
    return redirect(url_for("web.account.sign_in"))


@bp.post("/language")
def choose_language():
    """Remember the chosen language (a cookie, kept across sign-outs) and go back."""
    response = redirect(auth.local_path(request.form.get("next")))
    chosen = request.form.get("language")
    if chosen in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=ONE_YEAR,
            httponly=True,
            samesite="Lax",
            secure=auth.cookie_secure(),
        )
    return response
