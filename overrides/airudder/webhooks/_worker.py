"""Handling stored events apart from the receivers: any number of workers, on any hosts, share one store.

    worker = Worker(store, receiver.handlers)   # or: python -m airudder.webhooks worker --db ... --handlers app.hooks
    asyncio.run(worker.run(stop))

Receivers then only validate, store and acknowledge (a receiver with no handlers does just that). Each worker takes
waiting events from the store (`FOR UPDATE SKIP LOCKED` in PostgreSQL), so every event goes to one worker; an event
a crashed worker had taken is taken again after `reclaim_after` seconds, a failed one after `retry_after`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Mapping
from typing import Any

from ._parse import model as model_of
from ._receiver import Handler, WebhookReceiver, run_handler
from ._store import EventStore, StoredEvent

log = logging.getLogger("airudder.webhooks")

RECLAIM_AFTER = 300.0
"""Seconds after which an event a worker took and never finished counts as cut off by a crash. Longer than any
handler runs: a handler still running past it has its event handled a second time."""

RETRY_AFTER = 60.0
"""Seconds between attempts at an event whose handler raised (AIRudder's own retry interval)."""


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
    ) -> None:
        """`concurrency` events are handled at once; an idle worker asks the store again every `poll` seconds.
        `retry_after=None` leaves failed events alone (for a person to look at)."""
        if not handlers:
            raise ValueError("a worker needs at least one handler")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.store, self.handlers = store, dict(handlers)
        self.concurrency, self.poll = concurrency, poll
        self.reclaim_after, self.retry_after = reclaim_after, retry_after

    async def run(self, stop: asyncio.Event) -> None:
        """Handle events until `stop` is set; the events being handled then are finished first."""
        await asyncio.gather(*(self._loop(stop) for _ in range(self.concurrency)))

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
        events = await asyncio.to_thread(self.store.take, list(self.handlers), 1, self.reclaim_after, self.retry_after)
        return events[0] if events else None

    async def _handle(self, event: StoredEvent) -> None:
        try:
            model = model_of(event.kind).from_dict(event.payload)
        except Exception as exc:  # a payload the model cannot read is recorded, not lost
            error: str | None = f"{type(exc).__name__}: {exc}"
            log.error("worker: event %d cannot be read as a %s: %s", event.id, event.kind, error)
        else:
            error = await run_handler(self.handlers[event.kind], model, event.kind, event.id)
        await asyncio.to_thread(self.store.finish, event.id, error)


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
