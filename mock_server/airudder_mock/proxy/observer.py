"""What the proxy does with each exchange once it has been answered: validate, report, record. Off the traffic.

Exchanges wait in a bounded queue for one worker thread, so a slow disk or a large body never holds up an answer.
When the queue is full (the upstream is fast and the disk is not) an exchange is counted and left out, never
waited for: the proxy's first duty is the traffic.
"""

from __future__ import annotations

import functools
import json
import logging
import queue
import re
import threading
import time
from typing import Any

from starlette.datastructures import QueryParams

from airudder_spec import Problem
from airudder_spec.drift import DriftReport

from ..errors import BadInput
from ..validator import RequestValidator
from .cassettes import Exchange, Recorder

log = logging.getLogger("airudder_mock.proxy")
QUEUE_SIZE = 10_000
FLUSH_EVERY = 2.0
"""Seconds between writes of the report (and at stop)."""
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


@functools.cache
def _validator(operation_id: str) -> RequestValidator:
    import airudder_spec

    return RequestValidator.of(airudder_spec.operations()[operation_id])


def quoted_values_hidden(problems: list[Problem]) -> list[Problem]:
    """The validator's messages quote the value at fault (`'+62...' does not match ...`): the report keeps the
    rule, not the value."""
    return [{"field": p["field"], "message": _QUOTED.sub("<value>", p["message"])} for p in problems]


class Observer:
    """Validates, reports and records exchanges in a worker thread of its own; `close()` finishes the queue."""

    def __init__(self, report: DriftReport, recorder: Recorder | None = None, flush_every: float = FLUSH_EVERY) -> None:
        self.report = report
        self.recorder = recorder
        self.flush_every = flush_every
        self.left_out = 0
        self.observed = 0
        self._queue: queue.Queue[Exchange | None] = queue.Queue(QUEUE_SIZE)
        self._thread = threading.Thread(target=self._run, name="proxy-observer", daemon=True)
        self._thread.start()

    def submit(self, exchange: Exchange) -> None:
        try:
            self._queue.put_nowait(exchange)
        except queue.Full:
            self.left_out += 1
            if self.left_out == 1 or self.left_out % 1000 == 0:
                log.warning("validation is behind the traffic: %d exchange(s) left out of the report", self.left_out)

    def failure(self, operation_id: str | None, what: str) -> None:
        """An exchange the upstream failed (answered by the proxy itself): reported, nothing to validate."""
        self.report.failure(operation_id, what)

    def drain(self, timeout: float = 30.0) -> None:
        """Wait (up to `timeout` s) until every exchange submitted so far is observed, then write the report."""
        _join(self._queue, timeout)
        self.report.flush()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(60)
        self.report.flush()

    def _run(self) -> None:
        flushed = time.monotonic()
        while True:
            try:
                exchange = self._queue.get(timeout=self.flush_every)
            except queue.Empty:
                exchange, got = None, False
            else:
                got = True
            if got and exchange is None:  # close()
                self._queue.task_done()
                return
            try:
                if exchange is not None:
                    self.observe(exchange)
                if time.monotonic() - flushed >= self.flush_every:
                    self.report.flush()
                    flushed = time.monotonic()
            except Exception:  # one exchange's trouble never stops the observer
                log.exception("could not observe an exchange")
            finally:
                if got:
                    self._queue.task_done()

    def observe(self, exchange: Exchange) -> None:
        operation_id = exchange.operation_id
        report = self.report
        if operation_id is None:
            report.refused(None, [{"field": "path", "message": f"{exchange.method} is not an operation of the spec"}])
            return
        report.exchange(operation_id, exchange.started)
        request_type = _header(exchange.request_headers, "content-type")
        validator = _validator(operation_id)
        try:
            validator.parameters_of(QueryParams(exchange.query), exchange.path_params)
            validator.json_body(exchange.request_body, request_type)
        except BadInput as refused:
            report.refused(operation_id, quoted_values_hidden(refused.problems), exchange.started)
        query: dict[str, list[str]] = {}
        for name, value in exchange.query:
            query.setdefault(name, []).append(value)
        accepted = 200 <= exchange.status < 300 and _success_code(exchange.response_body)
        report.request(
            operation_id, query, exchange.path_params, exchange.request_body, request_type, exchange.started, accepted
        )
        response_type = _header(exchange.response_headers, "content-type")
        report.answer(operation_id, exchange.status, exchange.response_body, response_type, exchange.started)
        if self.recorder is not None:
            self.recorder.record(exchange)
        self.observed += 1


def _success_code(body: bytes) -> bool:
    """No `code` in the answer, or 200: AIRudder may answer an error with HTTP 200 and its code in the body."""
    try:
        value = json.loads(body)
    except ValueError:
        return True
    return not isinstance(value, dict) or value.get("code", 200) == 200


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _join(waiting: queue.Queue[Any], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with waiting.all_tasks_done:
        while waiting.unfinished_tasks:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{waiting.unfinished_tasks} exchange(s) still being observed after {timeout} s")
            waiting.all_tasks_done.wait(left)
