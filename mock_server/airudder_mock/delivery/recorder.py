"""The delivery log's one writer: sending threads hand it their attempts and go on sending; it records whatever
attempts are waiting in one transaction, then writes their console lines, so no sending thread waits on SQLite or
on the console."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class Recorder(Generic[Item]):
    """`put(item)` from any thread; `record(batch)` runs on the recorder's own thread, for each batch of waiting
    items in order. `flush()` returns once every item put before it is recorded, and raises what a `record` raised
    since the last flush (the items of a failed batch are not recorded)."""

    def __init__(self, record: Callable[[list[Item]], None], name: str) -> None:
        self._record = record
        self._waiting: deque[Item] = deque()
        self._unrecorded = 0  # put and not yet through `record`
        self._changed = threading.Condition()
        self._error: BaseException | None = None
        self._closed = False
        self._writer = threading.Thread(target=self._write, name=name, daemon=True)
        self._writer.start()

    def put(self, item: Item) -> None:
        with self._changed:
            if self._closed:
                raise RuntimeError("the delivery recorder is closed")
            self._waiting.append(item)
            self._unrecorded += 1
            self._changed.notify_all()

    def flush(self) -> None:
        with self._changed:
            while self._unrecorded:
                self._changed.wait()
            error, self._error = self._error, None
        if error is not None:
            raise error

    def close(self) -> None:
        """Record what is waiting, then stop the writer."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._writer.join()

    def _write(self) -> None:
        while True:
            with self._changed:
                while not self._waiting and not self._closed:
                    self._changed.wait()
                if not self._waiting:
                    return
                batch = list(self._waiting)
                self._waiting.clear()
            try:
                self._record(batch)
            except BaseException as exc:  # for the flush to raise: the sender sees it, as a send in place would
                error: BaseException | None = exc
            else:
                error = None
            with self._changed:
                self._unrecorded -= len(batch)
                self._error = self._error or error
                self._changed.notify_all()
