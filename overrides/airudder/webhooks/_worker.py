"""Handling stored events apart from the receivers: any number of workers, on any hosts, share one store.

    worker = Worker(store, receiver.handlers)   # or: python -m airudder.webhooks worker --db ... --handlers app.hooks
    asyncio.run(worker.run(stop))

Receivers then only validate, store and acknowledge (a receiver with no handlers does just that). Each worker takes
waiting events from the store (`FOR UPDATE SKIP LOCKED` in PostgreSQL), so every event goes to one worker; an event
a crashed worker had taken is taken again after `reclaim_after` seconds. A failed one is tried again with
exponential backoff (`retry_after`, doubled each attempt, at most `max_retry_delay`) until its `max_attempts`-th
attempt fails: then it is `dead`, logged once at ERROR and counted, until a person retries it
(`python -m airudder.webhooks events retry ID`).

Each worker records a heartbeat in the store every `heartbeat` seconds, with the events it holds (`stats` shows
them); re-checks the store's schema as often, and stops taking events while the database is ahead of it (migrated
by a newer release); and with `retention` prunes handled events older than that, in small batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Mapping
from typing import Any

from . import _store
from ._metrics import Metrics
from ._parse import model as model_of
from ._receiver import Handler, WebhookReceiver, run_handler
from ._schema import SchemaTooNew
from ._store import EventStore, StoredEvent

log = logging.getLogger("airudder.webhooks")

RECLAIM_AFTER = 300.0
"""Seconds after which an event a worker took and never finished counts as cut off by a crash. Longer than any
handler runs: a handler still running past it has its event handled a second time."""

RETRY_AFTER = 60.0
"""Seconds before the second attempt at an event whose handler raised (AIRudder's own retry interval); each later
attempt waits twice as long as the one before."""
MAX_RETRY_DELAY = 3600.0
"""The longest wait between two attempts."""
MAX_ATTEMPTS = 10
"""Attempts at an event before it is `dead`: with the defaults, about 4 hours of retries."""
HEARTBEAT = 10.0
"""Seconds between a worker's heartbeats (and its schema re-checks)."""
PRUNE_EVERY = 600.0
"""Seconds between a worker's prunes, when it has a `retention`."""


def backoff(attempts: int, retry_after: float, max_retry_delay: float = MAX_RETRY_DELAY) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: retry_after, doubled each time, capped."""
    return float(min(retry_after * 2 ** min(max(attempts - 1, 0), 62), max_retry_delay))


class Worker:
    """Takes waiting events from a store and runs their handlers, `concurrency` at a time, until stopped."""

    def __init__(
        self,
        store: EventStore,
        handlers: Mapping[str, Handler],
        *,
        concurrency: int = 4,
        reclaim_after: float = RECLAIM_AFTER,
        retry_after: float | None = RETRY_AFTER,
        poll: float = 0.5,
        max_attempts: int = MAX_ATTEMPTS,
        max_retry_delay: float = MAX_RETRY_DELAY,
        heartbeat: float = HEARTBEAT,
        retention: float | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        """`concurrency` events are handled at once; an idle worker asks the store again every `poll` seconds.
        `retry_after=None` leaves failed events alone (for a person to look at). `retention` (seconds): prune
        events handled longer ago than that. `metrics`: where handler runs are counted (a new registry if None)."""
        if not handlers:
            raise ValueError("a worker needs at least one handler")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.store, self.handlers = store, dict(handlers)
        self.concurrency, self.poll = concurrency, poll
        self.reclaim_after, self.retry_after = reclaim_after, retry_after
        self.max_attempts, self.max_retry_delay = max_attempts, max_retry_delay
        self.heartbeat, self.retention = heartbeat, retention
        self.metrics = metrics or Metrics()
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        """How this worker's heartbeats are named: host, process id, and a tag of its own."""
        self.holding: set[int] = set()
        """The events in this worker's hands now."""
        self.taking = True
        """False while the database's schema is ahead of this code's: the worker takes nothing."""

    async def run(self, stop: asyncio.Event) -> None:
        """Handle events until `stop` is set; the events being handled then are finished first."""
        await asyncio.gather(self._housekeeping(stop), *(self._loop(stop) for _ in range(self.concurrency)))
        if hasattr(self.store, "beat"):
            with contextlib.suppress(Exception):  # a store that is away forgets the beat when it goes stale
                await asyncio.to_thread(self.store.beat, self.name, None)

    async def housekeeping(self) -> None:
        """One heartbeat (with the events held), one schema re-check; a prune when there is a retention."""
        if hasattr(self.store, "beat"):
            await asyncio.to_thread(self.store.beat, self.name, set(self.holding))
        if hasattr(self.store, "check"):
            try:
                await asyncio.to_thread(self.store.check)
            except SchemaTooNew as exc:
                if self.taking:
                    log.error("worker: taking no more events: %s", exc)
                self.taking = False
            else:
                if not self.taking:
                    log.info("worker: the store's schema is current again; taking events")
                self.taking = True

    async def prune(self) -> int:
        """Delete the events handled longer ago than the retention (none without one); how many went."""
        if self.retention is None or not hasattr(self.store, "prune"):
            return 0
        pruned = int(await asyncio.to_thread(self.store.prune, self.retention))
        if pruned:
            log.info("worker: pruned %d events handled over %g s ago", pruned, self.retention)
        return pruned

    async def _housekeeping(self, stop: asyncio.Event) -> None:
        pruned_at = float("-inf")
        while not stop.is_set():
            try:
                await self.housekeeping()
                if time.monotonic() - pruned_at >= PRUNE_EVERY:
                    pruned_at = time.monotonic()
                    await self.prune()
            except Exception as exc:  # the store is away: the take loops say so too; beat again later
                log.warning("worker: heartbeat failed: %s: %s", type(exc).__name__, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.heartbeat)

    async def run_once(self) -> int:
        """Handle every event waiting now (none of them twice); returns how many handlers ran."""
        ran = 0
        while taken := await self._take():
            ran += 1
            await self._handle(taken)
        return ran

    async def _loop(self, stop: asyncio.Event) -> None:
        idle = self.poll
        while not stop.is_set():
            try:
                taken = await self._take()
            except Exception as exc:  # the store is away (a restart, a network cut): keep asking, slower
                log.warning("worker: cannot take events from the store: %s: %s", type(exc).__name__, exc)
                taken, idle = None, min(idle * 2, 30)
            else:
                idle = self.poll
            if taken is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle)
                continue
            await self._handle(taken)

    async def _take(self) -> StoredEvent | None:
        if not self.taking:
            return None
        events = await asyncio.to_thread(
            self.metrics.timed, "take", self.store.take, list(self.handlers), 1, self.reclaim_after, self.retry_after
        )
        if events:
            self.holding.add(events[0].id)
        return events[0] if events else None

    async def _handle(self, event: StoredEvent) -> None:
        started = time.perf_counter()
        try:
            model = model_of(event.kind).from_dict(event.payload)
        except Exception as exc:  # a payload the model cannot read is recorded, not lost
            error: str | None = f"{type(exc).__name__}: {exc}"
            log.error("worker: event %d cannot be read as a %s: %s", event.id, event.kind, error)
        else:
            error = await run_handler(self.handlers[event.kind], model, event.kind, event.id)
        self.metrics.handler_seconds.labels(event.kind).observe(time.perf_counter() - started)
        if error is not None:
            self.metrics.handler_failures.labels(event.kind).inc()
        delay = self.poll
        try:
            while True:  # the handler ran: record it, however long the store is away (else it would run again)
                try:
                    await self._finish(event, error)
                    return
                except Exception as exc:
                    log.warning(
                        "worker: cannot record event %d as finished (%s: %s); trying again in %.1f s",
                        event.id,
                        type(exc).__name__,
                        exc,
                        delay,
                    )
                    await asyncio.sleep(delay)  # a backoff between attempts, not a wait for a condition
                    delay = min(delay * 2, 30)
        finally:
            self.holding.discard(event.id)

    async def _finish(self, event: StoredEvent, error: str | None) -> None:
        if error is None:
            await asyncio.to_thread(self.metrics.timed, "finish", self.store.finish, event.id, None)
            return
        if event.attempts >= self.max_attempts:
            await asyncio.to_thread(self.store.finish, event.id, error, dead=True)
            self.metrics.dead.labels(event.kind).inc()
            log.error(
                "worker: event %d (%s) failed its last allowed attempt (%d of %d) and is dead: %s. After fixing the "
                "cause: python -m airudder.webhooks events retry %d",
                event.id,
                event.kind,
                event.attempts,
                self.max_attempts,
                error,
                event.id,
            )
            return
        retry_at = None
        if self.retry_after is not None:
            retry_at = _store._now() + backoff(event.attempts, self.retry_after, self.max_retry_delay)
        await asyncio.to_thread(self.store.finish, event.id, error, retry_at=retry_at)


def load_handlers(target: str) -> dict[str, Handler]:
    """The handlers named by `module` or `module:attribute`: a WebhookReceiver (its handlers) or a mapping of
    kind to handler. A bare module is searched for an attribute `receiver`, then for its one WebhookReceiver."""
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LookupError(f"cannot import {module_name!r}: {exc}") from None
    if attribute:
        if not hasattr(module, attribute):
            raise LookupError(f"module {module_name!r} has no attribute {attribute!r}")
        found: Any = getattr(module, attribute)
    elif isinstance(getattr(module, "receiver", None), WebhookReceiver):
        found = module.receiver
    else:
        receivers = [v for v in vars(module).values() if isinstance(v, WebhookReceiver)]
        if len(receivers) != 1:
            raise LookupError(
                f"module {module_name!r} has {len(receivers)} WebhookReceivers; name one as {module_name}:ATTRIBUTE"
            )
        found = receivers[0]
    handlers = found.handlers if isinstance(found, WebhookReceiver) else found
    if not isinstance(handlers, Mapping) or not all(callable(h) for h in handlers.values()):
        raise LookupError(f"{target!r} is neither a WebhookReceiver nor a mapping of webhook kind to handler")
    if not handlers:
        raise LookupError(f"{target!r} has no handler registered")
    return dict(handlers)
