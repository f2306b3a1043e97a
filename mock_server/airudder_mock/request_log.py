"""The request log: one line per request (method, path, status, milliseconds, and the first field at fault when
the request was refused), as Prism prints it. Logger `airudder_mock.requests`, INFO; `airudder-mock serve
--quiet` turns it off.

Applied outermost, so faults (an injected 503, a dropped connection) are logged as the client saw them.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import CLIENT_GONE

log = logging.getLogger("airudder_mock.requests")
ERROR_BODY_LIMIT = 64 * 1024
"""Bytes of a refusal's body read for its first field (the envelope is small; a larger body is not one)."""


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started, seen = time.perf_counter(), Seen()

        async def watching(message: Message) -> None:
            seen.add(message)
            await send(message)

        try:
            await self.app(scope, receive, watching)
        finally:
            ms = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.0f ms%s", scope["method"], scope["path"], seen.outcome(), ms, seen.problem())


class Seen:
    """What the app sent: the status and, for a refusal, the start of its body."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.body = b""

    def add(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif (
            message["type"] == "http.response.body" and (self.status or 0) >= 400 and len(self.body) < ERROR_BODY_LIMIT
        ):
            self.body += message.get("body", b"")

    def outcome(self) -> str:
        if self.status == CLIENT_GONE:
            return "(the client disconnected)"
        return str(self.status) if self.status is not None else "(no answer: connection dropped)"

    def problem(self) -> str:
        """` body.end_time: is not in the future` for a refusal in the error envelope naming a field."""
        try:
            errors: Any = json.loads(self.body)["data"]["errors"]
            first = errors[0]
            return f" {first['field']}: {first['message']}"
        except (ValueError, LookupError, TypeError):
            return ""
