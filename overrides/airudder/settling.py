"""Work a server has acknowledged and not finished yet, counted per process, so that a test can wait for it.

A webhook receiver answers 2xx once an event is stored and runs the handler after: the sender's "delivered" is
not the app's "handled". Each receiver counts what it has acknowledged and not yet handled in an `InFlight`;
`wait_settled()` waits until nothing is in flight in this process. The mock's `advance()` calls it, so a test's
assertions right after `advance()` see every handler's work; anything may call it (no import of the receiver).

    in_flight = InFlight("my worker")
    with in_flight.holding("job 7"):
        ...                              # wait_settled() waits for the block to end

Only the standard library: it works under every extra.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["InFlight", "in_flight", "wait_settled"]

_changed = threading.Condition()
"""Every InFlight's changes go through this one condition, so a wait sees all of them at once."""
_all: weakref.WeakSet[InFlight] = weakref.WeakSet()
_keys = itertools.count()
RECHECK = 0.1


class InFlight:
    """What one owner (a receiver, say) has acknowledged and still has to finish: `add` when it acknowledges,
    `done` when it has finished (successfully or not). Thread-safe; `owner` names it in `in_flight()`."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._items: dict[int, tuple[str, asyncio.AbstractEventLoop | None]] = {}
        with _changed:
            _all.add(self)

    def add(self, what: str) -> int:
        """Count `what` (described for a failing wait) as in flight; returns the key `done` takes. Added from a
        running event loop, it stops counting if that loop stops first (its server shut down: it never will be)."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with _changed:
            key = next(_keys)
            self._items[key] = (what, loop)
            return key

    def done(self, key: int) -> None:
        """`key`'s work has finished (or failed): it is no longer waited for. Twice is harmless."""
        with _changed:
            self._items.pop(key, None)
            _changed.notify_all()

    @contextmanager
    def holding(self, what: str) -> Iterator[None]:
        """`what` is in flight while the block runs, whatever way it ends."""
        key = self.add(what)
        try:
            yield
        finally:
            self.done(key)

    def outstanding(self) -> list[str]:
        """What is in flight, oldest first, each as `owner: what`."""
        with _changed:
            return [f"{self.owner}: {what}" for _, (what, _) in sorted(self._live().items())]

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds until nothing of this owner is in flight; True if so."""
        return not _waited(lambda: bool(self._live()), timeout)

    def _live(self) -> dict[int, tuple[str, asyncio.AbstractEventLoop | None]]:
        """The items that can still finish (call holding `_changed`): those of a stopped loop are dropped."""
        for key in [k for k, (_, loop) in self._items.items() if loop is not None and not loop.is_running()]:
            del self._items[key]
        return self._items


def in_flight() -> list[str]:
    """Everything in flight in this process, each as `owner: what`."""
    with _changed:
        owners = list(_all)
    return [item for owner in owners for item in owner.outstanding()]


def wait_settled(timeout: float) -> list[str]:
    """Wait up to `timeout` seconds until nothing is in flight in this process. Returns what still is at the
    deadline: an empty list once settled."""
    _waited(lambda: any(owner._live() for owner in _all), timeout)
    return in_flight()


def _waited(busy: Callable[[], bool], timeout: float) -> bool:
    """Wait until `busy()` (called holding `_changed`) is false, or `timeout` seconds; returns the last `busy()`.
    Woken by every `done`, and every `RECHECK` seconds for a loop that stopped (it notifies no one)."""
    deadline = time.monotonic() + timeout
    with _changed:
        while (still := busy()) and (left := deadline - time.monotonic()) > 0:
            _changed.wait(min(left, RECHECK))
    return still
