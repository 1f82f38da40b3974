"""schemathesis against the served OpenAPI document: no 5xx, no response that breaks the schema.

Run with the admin token and with a company token (each role sees other answers); the bulk
bodies are generated from their row schema and sent as JSON Lines. It knows nothing of
ownership; test_access.py covers object-level access by hand. The admin reaches every
operation, so its run adds schemathesis's coverage phase (about a hundred boundary and
schema-breaking requests per operation); the company's run, to which most operations answer
403, keeps the explicit examples and the random fuzzing.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


@schemathesis.serializer("application/x-ndjson")
def json_lines(ctx, value):
    """Bulk bodies are JSON Lines: send whatever was generated as lines of JSON."""
    rows = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(row) for row in rows).encode()


@pytest.fixture(params=["admin", "company"])
def served_schema(request, server):
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    schema.config.phases.coverage.enabled = request.param == "admin"
    token = server.tokens[request.param]

    @schema.auth()
    class Bearer:
        """schemathesis's auth hook: every generated request carries the role's token."""

        def get(self, case, ctx):
            return token

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


# Revoking would end the demo tokens the other end-to-end tests share (the admin's own is
# refused); tests/service/test_tokens.py covers that route. (The filter must be set here: the
# lazy schema replaces the fixture's filters with its own.)
schema = schemathesis.pytest.from_fixture("served_schema").exclude(
    path="/v1/admin/tokens/{token_id}/revoke"
)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_schema_violation(case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        timeout=30,
    )
