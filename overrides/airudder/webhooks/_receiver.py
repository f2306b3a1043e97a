"""An ASGI webhook receiver (Starlette): store first, answer, then hand each event to its handler once.

    receiver = WebhookReceiver(secret="long-random-string")

    @receiver.on("workflow_status_changed")
    def changed(event: WorkflowStatusChangeNotification) -> None: ...

    app.mount("/airudder", receiver.app)   # AIRudder posts to https://you/airudder/<secret>/<kind>

POST `/{secret}/{kind}` (or `/{secret}` to detect the kind from the payload; without a secret in the path,
`/{kind}` and `/`, with `?secret=` when `secret_in="query"`).
2xx only once the event is durably stored; 400 with the failing field for an invalid body (kept as a dead
letter): not strict JSON, a key given twice, or not the kind's shape; 415 for a Content-Type other than JSON
(`application/json`, `*/*+json`; none at all is taken as JSON), kept as a dead letter too; 413 for a body over
`max_body` (its first `max_body` bytes kept as a dead letter), at once, with no body kept, when its Content-Length
says so; 403 for a wrong secret or a source outside `allowed_sources` (the socket's peer, unless the server trusts
a proxy's X-Forwarded-For: see `airudder.serving`); 404 for any other path (an encoded slash, `%2F`, splits no path: it
stays part of its segment) and 405 for any other method, with no redirect (a trailing slash is another path).
A 2xx answer has the shape the spec gives for the kind's answer: `{}` for `workflow_status_changed` (as
AIRudder's docs show), the project's `{data, status, code}` envelope with the event id and whether it was a
duplicate for the others; refusals are that envelope, listing `{field, message}` in `data.errors`. The store is
called in worker threads and sync handlers run in them, so neither blocks the event loop. An event of a kind
with no handler is stored and answered 2xx; it stays `pending` until `retry_failed()` runs with a handler registered.
From its 2xx until its handler has finished, an event is counted in `in_flight` (`airudder.settling`): the mock's
`advance()` waits for that, so a test sees the handler's work right after it (`wait_handled(timeout)` waits for one
receiver).

Nothing authentic is refused for want of a kind: a JSON body posted to the kind-less URL that fits no kind's
shape (most kinds' payloads are undocumented, so only three kinds can be detected) is stored as an event of
kind `unclassified` and handed to the `on_unclassified` handler, with a warning naming the URL to give each
kind. A body posted to a kind's own URL is that kind's or it is refused (400 and a dead letter): the URL names
the kind, so a body that breaks the kind's documented fields is a fault to see, not an event to guess at.

Logged on the `airudder.webhooks` logger: every refusal (status, kind, field, source), every unclassified
event, every failing handler; never the secret, never a body.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, TypeVar

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import airudder_spec
from airudder_spec.drift import DriftReport

from ..serving import EncodedSlashes
from ..settling import InFlight
from . import _health
from ._answers import success, tells
from ._drift import DriftHook
from ._kinds import Registrar
from ._metrics import Metrics
from ._observe import observed
from ._parse import (
    UNCLASSIFIED,
    AmbiguousWebhook,
    UnclassifiedEvent,
    UnknownWebhook,
    WebhookError,
    classify,
    decode,
    event_key,
    event_of,
    kinds,
)
from ._spool import Spooled, SpoolingStore
from ._store import EventStore, GroupCommitStore, SQLiteEventStore, StoredEvent

Handler = Callable[[Any], Awaitable[None] | None]
MAX_BODY = 1024 * 1024
STORE_THREADS = 32
T = TypeVar("T")
UnclassifiedHandler = TypeVar("UnclassifiedHandler", bound=Callable[[UnclassifiedEvent], Awaitable[None] | None])
logger = logging.getLogger("airudder.webhooks")


class BodyTooLarge(Exception):
    def __init__(self, head: bytes, declared: bool = False) -> None:
        super().__init__()
        self.head = head
        """The body's first `max_body` bytes: what a dead letter keeps of it."""
        self.declared = declared
        """Refused for its Content-Length, before any of it was read (`head` is then empty)."""


class WebhookReceiver(Registrar):
    """`on(kind)` (typed per kind: `Registrar`, generated from the spec) registers handlers; `app` receives."""

    def __init__(
        self,
        *,
        store: EventStore | None = None,
        secret: str | None = None,
        also_accept: Iterable[str] = (),
        secret_in: Literal["path", "query"] = "path",
        allowed_sources: Iterable[str] = (),
        max_body: int = MAX_BODY,
        drift_report: DriftReport | str | Path | None = None,
    ) -> None:
        """`secret_in="query"` takes the secret from `?secret=` (for senders whose URL path is fixed).
        `also_accept`: more secrets taken as well as `secret`, while one is rotated (no downtime).
        `drift_report` (a directory or an `airudder_spec.drift.DriftReport`): also report what each body shows
        against the spec (see `_drift`); `close_drift_report()` writes what is left when you stop."""
        if secret is not None and not secret:
            raise ValueError("secret must not be empty (None for no secret)")
        accepted = [] if secret is None else [secret, *also_accept]
        if any(not s for s in accepted) or (also_accept and secret is None):
            raise ValueError("a secret must not be empty (and also_accept needs a secret)")
        if secret_in == "path" and any("/" in s for s in accepted):
            raise ValueError("a secret in the URL path must not contain '/' (it would split the path)")
        self._accepted = [s.encode() for s in accepted]
        self.store = store or SQLiteEventStore()
        self.secret = secret
        self.secret_in = secret_in
        self._networks = [ipaddress.ip_network(n) for n in allowed_sources]
        self.max_body = max_body
        self.handlers: dict[str, Handler] = {}
        self.in_flight = InFlight(f"WebhookReceiver@{id(self):x}")
        """The events acknowledged whose handler has not finished: `airudder.settling.wait_settled()` (which the
        mock's `advance()` calls) waits for them."""
        self.drift = DriftHook(drift_report) if drift_report is not None else None
        for kind in [*kinds(), UNCLASSIFIED]:
            tells(kind)  # a spec whose answer this receiver cannot give fails here, not at the first delivery
        # the store's own threads: deliveries are answered even while slow sync handlers fill the default pool.
        # Mostly waiting for the disk. A group-commit store (`submit`) takes events with no thread waiting on each
        self._submit = self.store.submit if isinstance(self.store, GroupCommitStore) else None
        self._store_threads = ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="webhook-store")
        self.metrics = Metrics(self.store)
        """This receiver's metrics (served at /metrics): add `metrics.registry` to your own exposition if you like."""
        self.readiness: dict[str, _health.Check] = {"store": _health.store_check(self.store, self._stored)}
        """What `/readyz` asks, by name: None when that part is ready, else why not."""
        self.details: dict[str, Callable[[], Any]] = {}
        """What `/readyz` tells besides, by name (a spool's size and age)."""
        if isinstance(self.store, SpoolingStore):
            self.metrics.extra.append(self.store.metric_families)
            self.details["spool"] = self.store.detail
        prefix = "/{secret}" if secret and secret_in == "path" else ""
        receive = observed(self.metrics, self._receive)
        self.app = Starlette(
            routes=[
                # first: outside the secret, and never taken for a kind
                *_health.routes(self.readiness, self.metrics, self.details),
                Route(prefix + "/{kind}", receive, methods=["POST"]),
                Route(prefix or "/", receive, methods=["POST"]),
            ],
            middleware=[Middleware(EncodedSlashes)],
            exception_handlers={HTTPException: _refused_route},
        )
        self.app.router.redirect_slashes = False  # its redirect is built from the Host header, the secret in it

    def _register(self, kind: str) -> Callable[[Handler], Handler]:
        """`on(kind)`'s work: the kind is checked at run time too (a string from outside is not type-checked)."""
        if kind not in kinds():
            raise UnknownWebhook(f"is not a webhook of the spec (known: {', '.join(kinds())})", "kind", kind)

        def register(handler: Handler) -> Handler:
            self.handlers[kind] = handler
            return handler

        return register

    def on_unclassified(self, handler: UnclassifiedHandler) -> UnclassifiedHandler:
        """Register the handler of events that fit no kind (an `UnclassifiedEvent`); usable as a decorator."""
        self.handlers[UNCLASSIFIED] = handler
        return handler

    async def _receive(self, request: Request) -> Response:
        source = request.client.host if request.client else None
        kind = request.path_params.get("kind")
        refusal = self._refusal(request)
        if refusal is not None:
            _log_refusal(403, kind, None, source, refusal)
            return _answer(airudder_spec.error(403))
        try:
            body = await self._read(request)
        except BodyTooLarge as too_large:
            reason = f"{'declares a length' if too_large.declared else 'is'} larger than {self.max_body} bytes"
            await self._stored(self.store.dead_letter, kind, "body", reason, too_large.head, source)
            kept = "kept as a dead letter" if too_large.declared else "its head kept as a dead letter"
            _log_refusal(413, kind, "body", source, f"{reason}; {kept}")
            return _answer(airudder_spec.error(413, [{"field": "body", "message": reason}], "Payload Too Large"))
        except ClientDisconnect:  # the sender gave up mid-body: nothing was delivered, it will try again
            logger.info("a webhook from %s was cut off mid-body (the sender went away); nothing kept", source)
            return Response(status_code=400)
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type and media_type != "application/json" and not media_type.endswith("+json"):
            reason = "must be application/json"
            await self._stored(self.store.dead_letter, kind, "header.Content-Type", reason, body, source)
            _log_refusal(
                415, kind, "header.Content-Type", source, f"not JSON ({media_type[:60]!r}); kept as a dead letter"
            )
            return _answer(airudder_spec.error(415, [{"field": "header.Content-Type", "message": reason}]))
        unmatched: WebhookError | None = None
        try:
            payload = decode(body)
            try:
                kind = classify(kind, payload)
            except (UnknownWebhook, AmbiguousWebhook) as exc:
                if kind is not None:  # the URL named a kind: its body must be that kind's
                    raise
                kind, unmatched = UNCLASSIFIED, exc
        except WebhookError as exc:
            if self.drift is not None and exc.kind is not None:  # decoded, then refused by the kind's schema
                self.drift.seen(exc.kind, payload)
            await self._stored(self.store.dead_letter, exc.kind or kind, exc.field, exc.message, body, source)
            field = {"kind": "path.kind", "body": "body"}.get(exc.field, f"body.{exc.field}")
            _log_refusal(400, exc.kind or kind, field, source, f"{_what(exc)}; kept as a dead letter")
            return _answer(airudder_spec.error(400, [{"field": field, "message": exc.message}]))
        if self.drift is not None:
            self.drift.seen(kind, payload)
        # the handler's model, built (before storing, as a bad one must not be acknowledged) only for a handler
        model = event_of(kind, payload) if kind in self.handlers else None
        event_id = await self._add(kind, event_key(kind, payload), payload)
        request.state.accepted = (kind, event_id)
        if event_id is None:
            return _success(kind, None, duplicate=True)
        if isinstance(event_id, Spooled):  # kept in the local spool: the database gives its id when it is drained
            return _success(kind, None, duplicate=False)
        if unmatched is not None:
            logger.warning(
                "webhook event %d from %s has no kind (%s): kept as kind %r for the on_unclassified handler. "
                "To have each kind told apart, give AIRudder one URL per kind: %s, {kind} one of: %s",
                event_id,
                source,
                "it fits several kinds"
                if isinstance(unmatched, AmbiguousWebhook)
                else "its shape is none of the documented ones",
                UNCLASSIFIED,
                self._url_per_kind(request),
                ", ".join(kinds()),
            )
        answer = _success(kind, event_id, duplicate=False)
        if model is not None:  # a receive-only receiver (workers handle) has no handler
            # in flight from before the answer leaves: whoever sees the 2xx can wait for the handler
            key = self.in_flight.add(f"{kind} event {event_id}, its handler not finished")
            answer.background = BackgroundTask(self._handle_acknowledged, key, event_id, kind, model)
        return answer

    async def _handle_acknowledged(self, key: int, event_id: int, kind: str, model: Any) -> None:
        try:
            await self.dispatch(event_id, kind, model)
        finally:
            self.in_flight.done(key)

    def wait_handled(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds until every event this receiver has acknowledged is handled (its handler
        returned, or it raised and the event is `failed`); True if so. Events of a kind with no handler are not
        waited for (they stay `pending`). For tests; blocking, so call it from a thread, not the event loop."""
        return self.in_flight.wait(timeout)

    def close_drift_report(self) -> None:
        """Write what the drift report has not written yet (nothing without `drift_report`)."""
        if self.drift is not None:
            self.drift.close()

    def _url_per_kind(self, request: Request) -> str:
        """The URL to give AIRudder for each kind, `<secret>` standing for the secret (never written out)."""
        url = request.url.replace(query="")
        path = url.path.rstrip("/")
        if self.secret is not None and self.secret_in == "path":
            path = path.rsplit("/", 1)[0] + "/<secret>"  # the kind-less URL ends with the secret
        query = "?secret=<secret>" if self.secret is not None and self.secret_in == "query" else ""
        return str(url.replace(path=path + "/{kind}")) + query

    async def dispatch(self, event_id: int, kind: str, model: Any, interrupted_after: float | None = None) -> bool:
        """Run the kind's handler once; a failure leaves the event `failed` (see `retry_failed`), not lost.

        True when the handler ran (whether or not it raised); False when the kind has no handler, or the event is
        handled or being handled already.
        """
        handler = self.handlers.get(kind)
        if handler is None or not await self._stored(self.store.claim, event_id, interrupted_after):
            return False
        await self._stored(self.store.finish, event_id, await run_handler(handler, model, kind, event_id))
        return True

    async def retry_failed(self, interrupted_after: float | None = None) -> int:
        """Hand the events whose handler failed (or had none yet) to their handlers again; returns how many ran.

        After a crash, events a handler had taken stay `handling`: `interrupted_after=seconds` (longer than any
        handler runs) takes those claimed longer ago than that as well.
        """
        waiting: list[StoredEvent] = await self._stored(self.store.events, "failed")
        waiting += await self._stored(self.store.events, "pending")
        if interrupted_after is not None:
            cutoff = time.time() - interrupted_after
            handling = await self._stored(self.store.events, "handling")
            waiting += [e for e in handling if (e.claimed_at or 0) < cutoff]
        ran = 0
        for event in sorted(waiting, key=lambda e: e.id):
            if event.kind in self.handlers:
                model = event_of(event.kind, event.payload)
                ran += await self.dispatch(event.id, event.kind, model, interrupted_after)
        return ran

    async def _add(self, kind: str, key: str, payload: Any) -> int | None:
        """Store an event; returns once it is committed. A group-commit store is awaited without a thread per event."""
        if self._submit is None:
            return await self._stored(self.store.add, kind, key, payload)
        started = time.perf_counter()
        try:
            return await asyncio.wrap_future(self._submit(kind, key, payload))
        finally:  # counted as the store's `add`, as a call in a thread is
            self.metrics.store_seconds.labels("add").observe(time.perf_counter() - started)

    async def _stored(self, call: Callable[..., T], *args: Any) -> T:
        """A store call, off the event loop (SQLite commits wait for the disk), its duration in the metrics."""
        operation = getattr(call, "__name__", "call")
        return await asyncio.get_running_loop().run_in_executor(
            self._store_threads, self.metrics.timed, operation, call, *args
        )

    async def _read(self, request: Request) -> bytes:
        """The body, counted as it streams: Content-Length alone is not trusted, but one over the limit is refused
        at once (the sender may never send the body it declares)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise BodyTooLarge(b"", declared=True)
        chunks, size = [], 0
        async for chunk in request.stream():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_body:
                raise BodyTooLarge(b"".join(chunks)[: self.max_body])
        return b"".join(chunks)

    def _refusal(self, request: Request) -> str | None:
        """Why a request is forbidden (for the log, so never the secret given), or None when it is not."""
        if self.secret is not None:
            params = request.path_params if self.secret_in == "path" else request.query_params
            given = str(params.get("secret", "")).encode()
            matches = [hmac.compare_digest(given, s) for s in self._accepted]  # each compared: no early exit
            if not any(matches):
                return "wrong or missing secret"
        if self._networks:
            host = request.client.host if request.client else ""
            try:
                address = ipaddress.ip_address(host)
            except ValueError:
                return "source address unknown, and an allowlist is set"
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # a dual-stack socket's IPv4
                address = address.ipv4_mapped
            if not any(address in network for network in self._networks):
                return "source outside the allowed networks"
        return None


async def run_handler(handler: Handler, model: Any, kind: str, event_id: int) -> str | None:
    """Run a handler (sync ones in a thread, off the event loop); the failure to record, or None when it ran."""
    try:
        result = handler(model) if inspect.iscoroutinefunction(handler) else await asyncio.to_thread(handler, model)
        if inspect.isawaitable(result):
            await result
    except Exception as exc:  # the handler's failure is recorded with the event, never lost
        logger.error(
            "the %s handler failed on event %d; the event is kept as failed, to be tried again",
            kind,
            event_id,
            exc_info=exc,
        )
        return f"{type(exc).__name__}: {exc}"
    return None


def _success(kind: str, event_id: int | None, duplicate: bool) -> Response:
    """The 200 answer to a stored (or duplicate) event, in the shape the spec gives for the kind's answer."""
    return Response(success(kind, event_id, duplicate), media_type="application/json")


def _answer(envelope: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    """An envelope as the HTTP answer, its status the envelope's code."""
    return JSONResponse(envelope, status_code=envelope["code"], headers=headers)


async def _refused_route(request: Request, exc: Exception) -> Response:
    """Starlette's 404 (no such URL) and 405 (not POST) in the envelope; the path is not quoted (a secret may be
    in it)."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        problem = {"field": "method", "message": f"{request.method[:20]} is not allowed: webhooks are POSTed"}
    else:
        problem = {"field": "path", "message": "is not a webhook URL of this receiver"}
    return _answer(airudder_spec.error(exc.status_code, [problem]), headers=dict(exc.headers or {}))


def _log_refusal(status: int, kind: str | None, field: str | None, source: str | None, why: str) -> None:
    """One line per refused delivery. `why` never quotes the body (validation messages do: they go in the answer)."""
    logger.warning(
        "refused a webhook: %d, kind %s, field %s, from %s: %s", status, _shown(kind), field or "-", source, why
    )


def _shown(kind: str | None) -> str:
    """A kind for the log: known kinds as they are; anything else a sender put in the URL quoted and cut short."""
    if kind is None:
        return "- (kind-less URL)"
    return kind if kind in kinds() else repr(kind[:60])


def _what(error: WebhookError) -> str:
    """What was wrong, in words that quote nothing of the body."""
    if error.field == "kind":
        return "not a webhook kind of the spec"
    if error.kind is None:
        return "not JSON this receiver takes (not JSON, empty, nested too deep, or a number or string it cannot store)"
    return "the body does not fit the kind's schema"
