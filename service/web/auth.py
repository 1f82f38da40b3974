"""Signing in to the pages with an API token, and the session that remembers it.

Signing in starts a server-side session (a ``web_sessions`` row tied to the token); the signed
cookie holds only that session's random id. Every request checks that the session has not ended,
is younger than ``WEB_SESSION_HOURS`` and that its token is not revoked, so signing out, revoking
the token or time ends it, and a copy of the cookie with it. The cookie is HttpOnly,
SameSite=Lax, and Secure on HTTPS (``SESSION_COOKIE_SECURE``: ``"auto"``, or true/false).
"""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from service.api.common import services
from service.storage import Principal, utcnow

SESSION_ID = "web_session"


def cookie_secure() -> bool:
    """Whether cookies get the Secure flag: on HTTPS requests, unless configured otherwise."""
    setting = current_app.config.get("SESSION_COOKIE_SECURE", "auto")
    return request.is_secure if setting == "auto" else bool(setting)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return cookie_secure()


def _oldest_start() -> dt.datetime:
    """When a session must have started to be still valid."""
    return utcnow() - dt.timedelta(hours=current_app.config["WEB_SESSION_HOURS"])


def session_principal() -> Principal | None:
    """Who is signed in, re-checked against the session store; None (and signed out) if nobody."""
    session_id = session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return None
    principal = services().store.web_session_principal(session_id, _oldest_start())
    if principal is None:
        session.clear()
    return principal


def sign_in(token: str) -> Principal | None:
    """Start a session for ``token``'s principal; None when the token is unknown or revoked."""
    store = services().store
    principal = store.principal(token.strip()) if token.strip() else None
    if principal is not None:
        # A fresh session: nothing from before signing in carries over (session fixation),
        # and the session it replaces ends, so an older copy of the cookie stops working.
        if isinstance(previous := session.get(SESSION_ID), str):
            store.end_web_session(previous)
        session.clear()
        session[SESSION_ID] = store.start_web_session(principal.token_id, _oldest_start())
        store.audit(principal, "web.sign_in", f"token:{principal.token_id}")
    return principal


def sign_out() -> None:
    """End the session, on the server too (a copied cookie stops working)."""
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        services().store.end_web_session(session_id)
    session.clear()


def signed_in(*roles: str):
    """Decorator: someone with one of ``roles`` is signed in (else to the sign-in page, or 403).

    The principal is put where :func:`service.auth.current_principal` finds it, so the API's
    helpers (``visible_need``…) apply the same rules to the pages.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = session_principal()
            if principal is None:
                return redirect(url_for("web.account.sign_in", next=local_path(request.full_path)))
            if principal.role not in roles:
                abort(403)
            g.principal = principal
            return view(*args, **kwargs)

        return wrapper

    return decorate


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects; no
    control characters either: a line break cannot stand in a Location header, and a 404
    page's own language form sent one back from the address typed)."""
    if not target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return default
    return target.removesuffix("?") or default


def current_role() -> str | None:
    """The signed-in principal's role, for templates (None when nobody is signed in)."""
    principal = g.get("principal")
    return principal.role if principal else None
