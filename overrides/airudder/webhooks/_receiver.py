"""An ASGI webhook receiver (Starlette): store first, answer, then hand each event to its handler once.

    receiver = WebhookReceiver(secret="long-random-string")

    @receiver.on("workflow_status_changed")
    def changed(event: WorkflowStatusChangeNotification) -> None: ...

    app.mount("/airudder", receiver.app)   # AIRudder posts to https://you/airudder/<secret>/<kind>

POST `/{secret}/{kind}` (or `/{secret}` to detect the kind from the payload; without a secret in the path,
`/{kind}` and `/`, with `?secret=` when `secret_in="query"`).
2xx only once the event is durably stored; 400 with the failing field for an invalid body (kept as a dead
letter); 413 for a body over `max_body`; 403 for a wrong secret or a source outside `allowed_sources`. Every
answer is the project's `{data, status, code}` envelope, errors listing `{field, message}` in `data.errors`.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import ipaddress
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._parse import UnknownWebhook, WebhookError, decode, event_key, kinds, parse_payload
from ._parse import model as model_of
from ._store import EventStore, SQLiteEventStore, StoredEvent

Handler = Callable[[Any], Awaitable[None] | None]
MAX_BODY = 1024 * 1024


class BodyTooLarge(Exception):
    pass


class WebhookReceiver:
    def __init__(
        self,
        *,
        store: EventStore | None = None,
        secret: str | None = None,
        secret_in: Literal["path", "query"] = "path",
        allowed_sources: Iterable[str] = (),
        max_body: int = MAX_BODY,
    ) -> None:
        """`secret_in="query"` takes the secret from `?secret=` (for senders whose URL path is fixed)."""
        self.store = store or SQLiteEventStore()
        self.secret = secret
        self.secret_in = secret_in
        self._networks = [ipaddress.ip_network(n) for n in allowed_sources]
        self.max_body = max_body
        self.handlers: dict[str, Handler] = {}
        prefix = "/{secret}" if secret and secret_in == "path" else ""
        self.app = Starlette(
            routes=[
                Route(prefix + "/{kind}", self._receive, methods=["POST"]),
                Route(prefix or "/", self._receive, methods=["POST"]),
            ]
        )

    def on(self, kind: str) -> Callable[[Handler], Handler]:
        """Register the handler of one webhook kind (a function or a coroutine function of the model)."""
        if kind not in kinds():
            raise UnknownWebhook(f"is not a webhook of the spec (known: {', '.join(kinds())})", "kind", kind)

        def register(handler: Handler) -> Handler:
            self.handlers[kind] = handler
            return handler

        return register

    async def _receive(self, request: Request) -> JSONResponse:
        if not self._allowed(request):
            return _envelope(None, "Forbidden", 403)
        source = request.client.host if request.client else None
        kind = request.path_params.get("kind")
        try:
            body = await self._read(request)
        except BodyTooLarge:
            reason = f"larger than {self.max_body} bytes"
            self.store.dead_letter(kind, "body", reason, b"", source)
            return _error("body", reason, "Payload Too Large", 413)
        try:
            kind, model = parse_payload(kind, decode(body))
        except WebhookError as exc:
            self.store.dead_letter(exc.kind or kind, exc.field, exc.message, body, source)
            field = {"kind": "path.kind", "body": "body"}.get(exc.field, f"body.{exc.field}")
            return _error(field, exc.message, "Bad Request", 400)
        payload = model.to_dict()
        event_id = self.store.add(kind, event_key(kind, payload), payload)
        if event_id is None:
            return _envelope({"kind": kind, "event_id": None, "duplicate": True}, "OK", 200)
        answer = _envelope({"kind": kind, "event_id": event_id, "duplicate": False}, "OK", 200)
        answer.background = BackgroundTask(self.dispatch, event_id, kind, model)
        return answer

    async def dispatch(self, event_id: int, kind: str, model: Any, interrupted_after: float | None = None) -> None:
        """Run the kind's handler once; a failure leaves the event `failed` (see `retry_failed`), not lost."""
        handler = self.handlers.get(kind)
        if handler is None or not self.store.claim(event_id, interrupted_after):
            return
        try:
            result = handler(model) if inspect.iscoroutinefunction(handler) else await asyncio.to_thread(handler, model)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # the handler's failure is recorded with the event, never lost
            self.store.finish(event_id, f"{type(exc).__name__}: {exc}")
            return
        self.store.finish(event_id, None)

    async def retry_failed(self, interrupted_after: float | None = None) -> int:
        """Hand the events whose handler failed (or had none yet) to their handlers again; returns how many.

        After a crash, events a handler had taken stay `handling`: `interrupted_after=seconds` (longer than any
        handler runs) takes those claimed longer ago than that as well.
        """
        waiting: list[StoredEvent] = self.store.events("failed") + self.store.events("pending")
        if interrupted_after is not None:
            cutoff = time.time() - interrupted_after
            waiting += [e for e in self.store.events("handling") if (e.claimed_at or 0) < cutoff]
        for event in waiting:
            model = model_of(event.kind).from_dict(event.payload)
            await self.dispatch(event.id, event.kind, model, interrupted_after)
        return len(waiting)

    async def _read(self, request: Request) -> bytes:
        """The body, counted as it streams: Content-Length alone is not trusted."""
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise BodyTooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    def _allowed(self, request: Request) -> bool:
        if self.secret is not None:
            params = request.path_params if self.secret_in == "path" else request.query_params
            given = str(params.get("secret", ""))
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                return False
        if self._networks:
            host = request.client.host if request.client else ""
            try:
                address = ipaddress.ip_address(host)
            except ValueError:
                return False
            return any(address in network for network in self._networks)
        return True


def _envelope(data: Any, status: str, code: int) -> JSONResponse:
    return JSONResponse({"data": data, "status": status, "code": code}, status_code=code)


def _error(field: str, message: str, status: str, code: int) -> JSONResponse:
    return _envelope({"errors": [{"field": field, "message": message}]}, status, code)
