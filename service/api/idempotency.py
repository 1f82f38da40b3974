"""``Idempotency-Key`` on the creating routes: a retry replays the first answer.

The key's record (a hash of the request, the status, the ids created) is written in the
transaction that creates the rows (:func:`record`), so a retry after a lost answer finds
either both or neither. Keys are scoped per token and forgotten after a day
(``matcher retention``, :data:`service.retention.IDEMPOTENCY_KEPT`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

import marshmallow as ma
import orjson
from flask import current_app, g, request
from flask_smorest import Blueprint
from marshmallow import validate

from service.auth import current_principal
from service.errors import problem
from service.retention import IDEMPOTENCY_KEPT
from service.storage import Conflict, utcnow

HEADER = "Idempotency-Key"


class KeySchema(ma.Schema):
    """The ``Idempotency-Key`` request header."""

    key = ma.fields.String(
        data_key=HEADER,
        validate=[validate.Length(min=1, max=200), validate.Regexp(r"^[!-~]+$")],
        metadata={
            "description": "1–200 visible ASCII characters, new for each request: a retry "
            "with the same key and the same request replays the first answer (kept 24 "
            "hours); the same key with another request is a 422."
        },
    )


def idempotent(blp: Blueprint, reread: Callable[[dict], Any] | None = None):
    """Make a creating view of ``blp`` honour (and document) ``Idempotency-Key``; ``reread``
    turns the kept body (the created ``id``) into the answer again, else the kept body is
    the answer."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, idempotency: dict, **kwargs):
            key, token_id = idempotency.get("key"), current_principal().token_id
            if key is None or token_id is None:
                return view(*args, **kwargs)
            if kept := _store().idempotent_answer(token_id, key, _kept_since()):
                return _replay(kept, reread)
            g.idempotency = {"token_id": token_id, "key": key, **_request_identity()}
            try:
                return view(*args, **kwargs)
            except Conflict:
                # Another request with this key committed first: answer as its replay.
                if kept := _store().idempotent_answer(token_id, key, _kept_since()):
                    return _replay(kept, reread)
                raise

        return blp.arguments(KeySchema, location="headers", arg_name="idempotency")(wrapper)

    return decorate


def record(status: int, body: dict[str, Any]) -> dict[str, Any] | None:
    """The key's record to write with the created rows; None when no key was sent."""
    pending = g.get("idempotency")
    return {**pending, "status": status, "body": orjson.dumps(body)} if pending else None


def _store():
    return current_app.extensions["kohtaanto"].store


def _kept_since() -> dt.datetime:
    return utcnow() - IDEMPOTENCY_KEPT


def _request_identity() -> dict[str, str]:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.query_string):
        digest.update(part + b"\0")
    digest.update(request.get_data(cache=True))
    return {"route": f"{request.method} {request.path}"[:200], "request_hash": digest.hexdigest()}


def _replay(kept: dict[str, Any], reread):
    if kept["request_hash"] != _request_identity()["request_hash"]:
        reason = "was already used for a different request"
        params = [{"name": HEADER, "reason": reason}]
        return problem(422, "Unprocessable Content", f"{HEADER} {reason}.", params)
    body = orjson.loads(kept["body"])
    return (reread(body) if reread else body), kept["status"], {"Idempotent-Replayed": "true"}
