"""The servers' console (`airudder.console.BufferedHandler`): lines from many threads written by one writer, in
order, none lost by a flush, a close or uvicorn's logging set-up."""

from __future__ import annotations

import io
import logging
import logging.config
import threading

from airudder.console import BufferedHandler


def test_every_line_from_many_threads_is_written_once_each_thread_in_order() -> None:
    stream = io.StringIO()
    log = logging.getLogger("test_console.many")
    handler = BufferedHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.propagate = False
    try:

        def lines(thread: int) -> None:
            for n in range(500):
                log.warning("thread %d line %d", thread, n)

        threads = [threading.Thread(target=lines, args=(t,)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        handler.flush()
        written = stream.getvalue().splitlines()
        assert len(written) == 8 * 500
        for thread in range(8):
            mine = [line for line in written if line.startswith(f"thread {thread} ")]
            assert mine == [f"thread {thread} line {n}" for n in range(500)]
    finally:
        log.removeHandler(handler)


def test_a_handler_closed_by_dict_config_still_writes_what_its_logger_is_given() -> None:
    stream = io.StringIO()
    log = logging.getLogger("test_console.closed")
    handler = BufferedHandler(stream)
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("before")
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})  # as uvicorn does: closes it
        log.warning("after")
        handler.flush()
        assert stream.getvalue().splitlines() == ["before", "after"]
    finally:
        log.removeHandler(handler)
