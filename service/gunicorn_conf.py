"""gunicorn settings of ``matcher serve``: the errors gunicorn answers itself, before the app
sees the request (a request line over its limit: 414; a malformed request: 400; too many
header bytes: 431), are problem+json like every answer of the app."""

from __future__ import annotations

import json

from gunicorn import util


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error``, answering problem+json instead of HTML."""
    problem = {"type": "about:blank", "title": reason, "status": status_int}
    if mesg:
        problem["detail"] = mesg
    body = json.dumps(problem).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)


# gunicorn has no setting for the body of its own errors; its workers call this function.
util.write_error = write_problem

# A worker silent this long is restarted. The first list after a large import computes the
# sentence embeddings the writes left (matcher.embedding; stored as it goes, so a restart
# loses little): well beyond gunicorn's 30 s default on two cores.
timeout = 180
