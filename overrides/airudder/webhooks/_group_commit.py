"""Group commit: one writer thread per store commits whatever events are waiting in one transaction (one fsync),
the model of PostgreSQL's and SQLite's own write-ahead logs. Each caller's future resolves only once the batch
holding its event is committed: nothing is acknowledged before it is durable.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 1000
"""Events committed in one transaction at most: a flood is committed in bounded steps, each acknowledged in turn."""


class StoreClosed(RuntimeError):
    """The store was closed before the event could be committed: it is not kept, and not acknowledged."""


class GroupCommit(Generic[Item, Result]):
    """`submit(item)` queues an item for the writer thread; `commit(batch)` stores a batch in one transaction and
    returns each item's result in order. When a batch fails, each of its items is committed alone, so one bad event
    fails only its own delivery, unless the error is one of `unavailable` (the database is away or its disk full:
    every item would fail alike, so the whole batch gets the error at once)."""

    def __init__(
        self,
        commit: Callable[[Sequence[Item]], Sequence[Result]],
        name: str,
        unavailable: tuple[type[BaseException], ...] = (),
    ) -> None:
        self._commit, self._unavailable = commit, unavailable
        self._waiting: deque[tuple[Item, Future[Result]]] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._writer = threading.Thread(target=self._write, name=name, daemon=True)
        self._writer.start()

    def submit(self, item: Item) -> Future[Result]:
        """Queue `item`; the future resolves (to its result, or the commit's error) once its batch is committed."""
        future: Future[Result] = Future()
        with self._ready:
            if self._closed:
                raise StoreClosed("the event store is closed")
            self._waiting.append((item, future))
            self._ready.notify()
        return future

    def close(self) -> None:
        """Commit what is waiting, then stop the writer."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._writer.join()

    def _write(self) -> None:
        while True:
            with self._ready:
                while not self._waiting and not self._closed:
                    self._ready.wait()
                if not self._waiting:
                    return  # closed, and everything committed
                batch = [self._waiting.popleft() for _ in range(min(len(self._waiting), MAX_BATCH))]
            self._commit_batch(batch)

    def _commit_batch(self, batch: list[tuple[Item, Future[Result]]]) -> None:
        try:
            results = self._commit([item for item, _ in batch])
        except BaseException as exc:
            if len(batch) == 1 or not isinstance(exc, Exception) or isinstance(exc, self._unavailable):
                for _, future in batch:
                    future.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                return
            for one in batch:  # nothing of the batch was kept: each alone, so one bad event fails only itself
                self._commit_batch([one])
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
