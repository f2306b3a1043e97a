"""A server's log lines on a stream, written by one buffered writer: the threads that log (the event loop, the
sending threads) only format their line and queue it; one writer thread writes every line waiting with one write,
so no request waits on the console. The webhook receiver's commands and the mock's console use it.

    logging.getLogger("app").addHandler(airudder.console.BufferedHandler(sys.stderr))

Lines keep their order. `flush()` (and `close()`, which `logging.shutdown` calls at exit) returns once every line
logged before it is written. A closed handler still writes what it is given: `logging.config.dictConfig` (uvicorn
calls it) closes the handlers it finds, yet the loggers keep them.
"""

from __future__ import annotations

import logging
import threading
from typing import TextIO


class BufferedHandler(logging.Handler):
    def __init__(self, stream: TextIO, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.stream = stream
        self._lines: list[str] = []
        self._queued = self._written = 0
        self._changed = threading.Condition()
        self._writer = threading.Thread(target=self._write, name="airudder-console", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
        except Exception:  # as logging.StreamHandler: a record that cannot be formatted is reported, not raised
            self.handleError(record)
            return
        with self._changed:
            self._lines.append(line)
            self._queued += 1
            self._changed.notify_all()

    def flush(self) -> None:
        """Return once every line emitted before is written (at once when called from the writer itself)."""
        if threading.current_thread() is self._writer:
            return
        with self._changed:
            target = self._queued
            while self._written < target and self._writer.is_alive():
                self._changed.wait(1)

    def close(self) -> None:
        self.flush()
        super().close()

    def _write(self) -> None:
        while True:
            with self._changed:
                while not self._lines:
                    self._changed.wait()
                lines, self._lines = self._lines, []
            try:
                self.stream.write("".join(lines))
                self.stream.flush()
            except Exception:  # a closed or broken stream: the lines are lost, the server is not stopped
                pass
            with self._changed:
                self._written += len(lines)
                self._changed.notify_all()
