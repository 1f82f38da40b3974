"""Configuration: safe defaults, then environment variables, then the caller's overrides.

Environment variables are read here and nowhere else: ``DATABASE_URL``, ``SECRET_KEY`` and
``KOHTAANTO_*`` (see :data:`ENVIRONMENT`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "var"

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": f"sqlite:///{DATA_DIR / 'kohtaanto.sqlite3'}",
    "SECRET_KEY": None,
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    "MAX_PAGE_SIZE": 100,
    "DEFAULT_PAGE_SIZE": 20,
    "MAX_CANDIDATES": 200,
    "RETENTION_DAYS": 365,
    "AUDIT_RETENTION_DAYS": 400,
    "LOAD_FIXTURES": False,
    "FIXTURES_DIR": str(PROJECT_ROOT / "data" / "fixtures"),
    "VOCABULARY_PATHS": (),
    # Match with the ESCO classification shipped in the package beneath the region's vocabulary.
    "ESCO": True,
    "AS_OF": None,
    # "Today" for the continuity report (else AS_OF, else today), and the days a handover may
    # wait for the receiving organisation's acknowledgement before it is reported.
    "CONTINUITY_AS_OF": None,
    "HANDOVER_ACK_DAYS": 5,
    "MODEL": None,
    "API_TITLE": "Kohtaanto",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    # Swagger UI's files, served by the app itself (service/apidocs.py): no other host.
    "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
    # The web pages' session cookie: Secure on HTTPS requests ("auto"), or always/never.
    "SESSION_COOKIE_SECURE": "auto",
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
    # A signed-in page session ends this many hours after signing in (a working day), and at
    # once on signing out or when its token is revoked.
    "WEB_SESSION_HOURS": 12,
    # A hire or an apprenticeship or training start keeps a person out of new candidate
    # lists for this many days.
    "PLACEMENT_DAYS": 180,
    # A profile not confirmed (or written) for this many days is stale: it must be confirmed
    # before the person goes on a shortlist.
    "STALE_DAYS": 90,
    # A form's CSRF token is valid as long as its session.
    "WTF_CSRF_TIME_LIMIT": None,
}


def flag(value: str) -> bool:
    """An environment variable's yes or no: "1", "true" or "yes" (any case) is yes."""
    return value.lower() in ("1", "true", "yes")


# Environment variable → (config key, parser).
ENVIRONMENT = {
    "DATABASE_URL": ("DATABASE_URL", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "KOHTAANTO_MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", int),
    "KOHTAANTO_RETENTION_DAYS": ("RETENTION_DAYS", int),
    "KOHTAANTO_AUDIT_RETENTION_DAYS": ("AUDIT_RETENTION_DAYS", int),
    "KOHTAANTO_LOAD_FIXTURES": ("LOAD_FIXTURES", flag),
    "KOHTAANTO_FIXTURES_DIR": ("FIXTURES_DIR", str),
    "KOHTAANTO_VOCABULARY": (
        "VOCABULARY_PATHS",
        lambda v: tuple(p for p in v.split(os.pathsep) if p),
    ),
    "KOHTAANTO_ESCO": ("ESCO", flag),
    "KOHTAANTO_AS_OF": ("AS_OF", str),
    "KOHTAANTO_CONTINUITY_AS_OF": ("CONTINUITY_AS_OF", str),
    "KOHTAANTO_HANDOVER_ACK_DAYS": ("HANDOVER_ACK_DAYS", int),
    "KOHTAANTO_SESSION_COOKIE_SECURE": (
        "SESSION_COOKIE_SECURE",
        lambda v: "auto" if v.lower() == "auto" else flag(v),
    ),
    "KOHTAANTO_MODEL": ("MODEL", str),
    "KOHTAANTO_WEB_SESSION_HOURS": ("WEB_SESSION_HOURS", float),
    "KOHTAANTO_PLACEMENT_DAYS": ("PLACEMENT_DAYS", int),
    "KOHTAANTO_STALE_DAYS": ("STALE_DAYS", int),
}

MIN_AUDIT_RETENTION_DAYS = 183


def load_config(overrides: Mapping[str, Any] | None = None, environ=None) -> dict[str, Any]:
    """Defaults, updated from the environment, then from ``overrides``; validated."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for variable, (key, parse) in ENVIRONMENT.items():
        if environ.get(variable):
            config[key] = parse(environ[variable])
    config.update(overrides or {})
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _local_secret(config)
    if config["AUDIT_RETENTION_DAYS"] < MIN_AUDIT_RETENTION_DAYS:
        raise ValueError("AUDIT_RETENTION_DAYS must keep audit entries at least 6 months")
    if config["HANDOVER_ACK_DAYS"] < 0:
        raise ValueError("HANDOVER_ACK_DAYS must not be negative")
    if config["WEB_SESSION_HOURS"] <= 0:
        raise ValueError("WEB_SESSION_HOURS must be positive")
    if config["PLACEMENT_DAYS"] < 0 or config["STALE_DAYS"] < 1:
        raise ValueError("PLACEMENT_DAYS must not be negative and STALE_DAYS must be positive")
    return config


def _local_secret(config: Mapping[str, Any]) -> str:
    """A secret kept beside the embedded database, so pseudonyms survive restarts."""
    url = config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        raise ValueError("SECRET_KEY must be set when DATABASE_URL is not the embedded database")
    path = Path(url.removeprefix("sqlite:///")).with_suffix(".secret")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
