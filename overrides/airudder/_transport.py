"""The transport every airudder client sends through: retries with stamina, and one log line per attempt.

Only what is safe to send twice is retried: GETs and the POSTs the spec marks `x-idempotent` (read-only
queries), on connection errors, 429 and 5xx (500, 502, 503, 504), honouring Retry-After. A write (create_workflow_task,
...) is retried only when the connection could not be opened at all, so it is never sent twice. The log line
(logger `airudder`) has method, path, status, duration and attempt; never headers, bodies or query values. Each
retry is one more line there (`_retry_log`): operation, attempt, cause and wait. A call's `max_retries`
(`airudder.max_retries` on the request) replaces the policy's attempts.
A request that gets no answer in the end raises APIConnectionError/APITimeoutError (AIRudderError), naming the
operation and whether the request may have reached AIRudder.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import stamina

from ._call_options import MAX_RETRIES
from ._exceptions import DecodedJSONResponse, connection_error, request_operation, retry_after
from ._retry_log import ATTEMPTS, RetryableStatus, report_retries

logger = logging.getLogger("airudder")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout)
MAY_HAVE_BEEN_SENT = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds of the retries: attempts in all, backoff (exponential, with jitter) and the longest Retry-After."""

    attempts: int = 4
    wait_initial: float = 0.2
    wait_max: float = 8.0
    wait_jitter: float = 0.5
    max_retry_after: float = 60.0
    timeout: float | None = 120.0

    def retrying(self, idempotent: bool, request: httpx.Request) -> Any:
        """stamina's retry context for one request under this policy (its call's `max_retries` wins)."""
        retries = request.extensions.get(MAX_RETRIES)
        return stamina.retry_context(
            on=retry_decision(self, idempotent),
            attempts=self.attempts if retries is None else retries + 1,
            timeout=self.timeout,
            wait_initial=self.wait_initial,
            wait_max=self.wait_max,
            wait_jitter=self.wait_jitter,
        )


def retry_decision(policy: RetryPolicy, idempotent: bool) -> Callable[[Exception], bool | float]:
    """stamina's backoff hook: False (give up), True (default backoff) or the server's Retry-After."""

    def decide(exc: Exception) -> bool | float:
        if isinstance(exc, RetryableStatus):
            wait = retry_after(exc.response)
            return True if wait is None else min(wait, policy.max_retry_after)
        if isinstance(exc, NEVER_SENT):
            return True
        return idempotent and isinstance(exc, MAY_HAVE_BEEN_SENT)

    return decide


def is_idempotent(request: httpx.Request) -> bool:
    operation = request_operation(request)
    return operation.idempotent if operation else request.method in ("GET", "HEAD", "OPTIONS")


class RetryTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, policy: RetryPolicy | None = None) -> None:
        self.inner, self.policy = inner, policy or RetryPolicy()
        report_retries()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._send(request)
        except httpx.TransportError as exc:
            raise connection_error(request, exc, request.extensions.get(ATTEMPTS, 1)) from exc

    def _send(self, request: httpx.Request) -> httpx.Response:
        # The first try goes out directly: stamina is set up only once a try has failed in a retryable way.
        idempotent = is_idempotent(request)
        try:
            return self._attempt(request, idempotent, 1)
        except Exception as exc:
            if retry_decision(self.policy, idempotent)(exc) is False:
                raise
            failure: Exception | None = exc
        attempt = 1
        try:
            for retrying in self.policy.retrying(idempotent, request):
                with retrying:
                    if failure is not None:
                        first, failure = failure, None
                        raise first  # stamina backs off from the first try's failure, Retry-After included
                    attempt += 1
                    return self._attempt(request, idempotent, attempt)
        except RetryableStatus as exc:
            return exc.response  # out of attempts: the last answer is the caller's to see
        raise AssertionError("unreachable: stamina either returns or raises")

    def _attempt(self, request: httpx.Request, idempotent: bool, attempt: int) -> httpx.Response:
        request.extensions[ATTEMPTS] = attempt
        started = time.monotonic()
        try:
            response = DecodedJSONResponse.of(self.inner.handle_request(request), request)
        except httpx.TransportError as exc:
            log(request, None, started, attempt, exc)
            raise
        log(request, response.status_code, started, attempt)
        if idempotent and response.status_code in RETRY_STATUSES:
            response.read()
            raise RetryableStatus(response)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy | None = None) -> None:
        self.inner, self.policy = inner, policy or RetryPolicy()
        report_retries()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._send(request)
        except httpx.TransportError as exc:
            raise connection_error(request, exc, request.extensions.get(ATTEMPTS, 1)) from exc

    async def _send(self, request: httpx.Request) -> httpx.Response:
        idempotent = is_idempotent(request)
        try:
            return await self._attempt(request, idempotent, 1)
        except Exception as exc:
            if retry_decision(self.policy, idempotent)(exc) is False:
                raise
            failure: Exception | None = exc
        attempt = 1
        try:
            async for retrying in self.policy.retrying(idempotent, request):
                with retrying:
                    if failure is not None:
                        first, failure = failure, None
                        raise first
                    attempt += 1
                    return await self._attempt(request, idempotent, attempt)
        except RetryableStatus as exc:
            return exc.response
        raise AssertionError("unreachable: stamina either returns or raises")

    async def _attempt(self, request: httpx.Request, idempotent: bool, attempt: int) -> httpx.Response:
        request.extensions[ATTEMPTS] = attempt
        started = time.monotonic()
        try:
            response = DecodedJSONResponse.of(await self.inner.handle_async_request(request), request)
        except httpx.TransportError as exc:
            log(request, None, started, attempt, exc)
            raise
        log(request, response.status_code, started, attempt)
        if idempotent and response.status_code in RETRY_STATUSES:
            await response.aread()
            raise RetryableStatus(response)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def log(request: httpx.Request, status: int | None, started: float, attempt: int, exc: Exception | None = None) -> None:
    if not logger.isEnabledFor(logging.INFO):
        return
    duration_ms = (time.monotonic() - started) * 1000
    logger.info(
        "%s %s -> %s in %.1f ms (attempt %d)",
        request.method,
        request.url.path,
        status if exc is None else type(exc).__name__,
        duration_ms,
        attempt,
        extra={
            "method": request.method,
            "path": request.url.path,
            "status": status,
            "duration_ms": duration_ms,
            "attempt": attempt,
        },
    )
