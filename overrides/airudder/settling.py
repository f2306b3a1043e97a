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

import itertools
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["InFlight", "in_flight", "wait_settled"]

_changed = threading.Condition()
"""Every InFlight's changes go through this one condition, so a wait sees all of them at once."""
_all: weakref.WeakSet[InFlight] = weakref.WeakSet()
_keys = itertools.count()


class InFlight:
    """What one owner (a receiver, say) has acknowledged and still has to finish: `add` when it acknowledges,
    `done` when it has finished (successfully or not). Thread-safe; `owner` names it in `in_flight()`."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._items: dict[int, str] = {}
        with _changed:
            _all.add(self)

    def add(self, what: str) -> int:
        """Count `what` (described for a failing wait) as in flight; returns the key `done` takes."""
        with _changed:
            key = next(_keys)
            self._items[key] = what
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
            return [f"{self.owner}: {what}" for _, what in sorted(self._items.items())]

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds until nothing of this owner is in flight; True if so."""
        with _changed:
            return _changed.wait_for(lambda: not self._items, timeout)


def in_flight() -> list[str]:
    """Everything in flight in this process, each as `owner: what`."""
    with _changed:
        owners = list(_all)
    return [item for owner in owners for item in owner.outstanding()]


def wait_settled(timeout: float) -> list[str]:
    """Wait up to `timeout` seconds until nothing is in flight in this process. Returns what still is at the
    deadline: an empty list once settled."""
    deadline = time.monotonic() + timeout
    with _changed:
        while True:
            busy = [owner for owner in _all if owner._items]
            left = deadline - time.monotonic()
            if not busy or left <= 0:
                break
            _changed.wait(left)
    return in_flight()
