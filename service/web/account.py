"""Signing in and out, and choosing the language."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from service.web import auth
from service.web.i18n import LANGUAGE_COOKIE, LANGUAGES

bp = Blueprint("account", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    """The start page: the needs list (which asks to sign in first when nobody is)."""
    return redirect(url_for("web.needs.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in by pasting an API token."""
    target = auth.local_path(request.values.get("next"), url_for("web.needs.index"))
    failed = False
    if request.method == "POST":
        if auth.sign_in(request.form.get("token", "")):
            return redirect(target)
        failed = True
    status = 401 if failed else 200
    return render_template("web/sign_in.html", target=target, failed=failed), status


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
