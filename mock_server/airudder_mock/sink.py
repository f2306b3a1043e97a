"""A receiver that keeps what it gets: the handle's own (`webhooks`), and any test's stand-in for an app."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Predicate = Callable[[Any], bool]


@dataclass
class WebhookSink:
    """The webhooks received, in arrival order: (kind, payload). Serve `app()`; POST `/{kind}` lands here."""

    received: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def of(self, kind: str) -> list[Any]:
        """The payloads of the `kind` webhooks received so far, in arrival order."""
        with self.lock:
            return [payload for k, payload in self.received if k == kind]

    def first(self, kind: str, predicate: Predicate | None) -> tuple[bool, Any]:
        """(found, payload): the first `kind` webhook that `predicate` accepts."""
        for payload in self.of(kind):
            if predicate is None or predicate(payload):
                return True, payload
        return False, None

    async def receive(self, request: Request) -> JSONResponse:
        """The endpoint behind `POST /{kind}`: keeps the body and answers `{}`, waking whoever waits on `lock`."""
        received = (request.path_params["kind"], json.loads(await request.body()))  # never await holding the lock
        with self.lock:
            self.received.append(received)
            self.lock.notify_all()
        return JSONResponse({})

    def app(self) -> Starlette:
        """An ASGI app to serve (or route the mock's webhooks to): `POST /{kind}` lands in `received`."""
        return Starlette(routes=[Route("/{kind}", self.receive, methods=["POST"])])
