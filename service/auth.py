"""Bearer-token authentication and role checks.

Tokens are random strings stored only as hashes. A ``company`` token is bound to one company and
sees only that company's needs; ``recruiter`` sees all matching data; ``admin`` also manages
tokens, erasure and the audit log.
"""

from __future__ import annotations

import functools

from flask import current_app, g, request
from flask_smorest import abort

from service.storage import Principal


def current_principal() -> Principal:
    """The authenticated caller of this request."""
    return g.principal


def _authenticate() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401, message="A bearer token is required.", headers={"WWW-Authenticate": "Bearer"})
    principal = current_app.extensions["kohtaanto"].store.principal(token.strip())
    if principal is None:
        abort(
            401, message="The token is unknown or revoked.", headers={"WWW-Authenticate": "Bearer"}
        )
    return principal


def requires(*roles: str):
    """Decorator: the caller must hold one of ``roles``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.principal = _authenticate()
            if g.principal.role not in roles:
                abort(403, message="This token's role may not do this.")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def owns_company(company_id: str) -> bool:
    """Whether the caller may see ``company_id``'s data (company tokens see only their own)."""
    principal = current_principal()
    return principal.role != "company" or principal.company_id == company_id
