"""`airudder-mock serve --replay DIR`: recorded requests answered with their recorded answers, byte for byte.

A request is matched to a cassette (`cassettes.match_key`) by its operation, path parameters, query and JSON body,
as the cassette holds them: redacted, so a replayed incident is sent with the fakes the recording shows. Several
cassettes of one key are answered in the order they were recorded, the last one again after that. A request
with no recording goes on to the simulation, as if there were no replay.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from .cassettes import Cassette, match_key, read_cassettes
from .forward import Receive, Scope, Send
from .routes import match

log = logging.getLogger("airudder_mock.requests")


class Replaying:
    """ASGI middleware: a recorded answer where there is one, else the app it wraps (the mock)."""

    def __init__(self, app: Any, directory: str | Path) -> None:
        self.app = app
        self.recorded: dict[str, deque[Cassette]] = {}
        for cassette in read_cassettes(directory):
            self.recorded.setdefault(cassette.key, deque()).append(cassette)

    def __len__(self) -> int:
        return sum(len(found) for found in self.recorded.values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        matched = match(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if matched is None:
            await self.app(scope, receive, send)
            return
        messages: list[MutableMapping[str, Any]] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        from urllib.parse import parse_qsl

        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        key = match_key(matched.operation.operation_id, matched.path_params, query, body.decode(errors="replace"))
        found = self.recorded.get(key)
        if not found:
            await self.app(scope, _replayed(messages, receive), send)
            return
        cassette = found.popleft() if len(found) > 1 else found[0]
        log.info("%s %s -> %d replayed from %s", scope["method"], scope["path"], cassette.status, cassette.path.name)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in cassette.headers if k.lower() != "date"]
        headers.append((b"content-length", str(len(cassette.body)).encode()))
        await send({"type": "http.response.start", "status": cassette.status, "headers": headers})
        await send({"type": "http.response.body", "body": cassette.body})


def _replayed(messages: list[MutableMapping[str, Any]], receive: Receive) -> Receive:
    """`receive` that first gives back the messages already read."""
    waiting = deque(messages)

    async def again() -> MutableMapping[str, Any]:
        return waiting.popleft() if waiting else await receive()

    return again
