"""airudder's retries, reported on the `airudder` logger: one line per retry, naming the operation, the attempt
that failed, why, and the wait before the next one.

stamina reports a scheduled retry to its instrumentation hooks (`stamina.instrumentation`); its default hook
logs a bare `stamina.retry_scheduled` on the `stamina` logger, which Python prints on stderr when logging is not
set up. `report_retries()` puts one hook in front of the hooks already set: a retry of an airudder request is
logged here, and any other retry goes on to those hooks as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

import httpx
from stamina.instrumentation import RetryDetails, RetryHook, get_on_retry_hooks, set_on_retry_hooks

from ._exceptions import request_operation

logger = logging.getLogger("airudder")
# a library's logger: nothing is printed unless the application sets logging up (no `lastResort` on stderr)
logger.addHandler(logging.NullHandler())

ATTEMPTS = "airudder.attempts"
"""The request extension holding the number of the attempt in flight (set by the retrying transport)."""


class RetryReporter:
    """stamina's on-retry hook: an airudder request's retry is one line on `airudder`; any other retry goes to
    the hooks that were set before this one."""

    def __init__(self, others: tuple[RetryHook, ...]) -> None:
        self.others = others

    def __call__(self, details: RetryDetails) -> AbstractContextManager[None] | None:
        request = airudder_request(details.caused_by)
        if request is None:
            managers = [m for m in (hook(details) for hook in self.others) if m is not None]
            return entered_together(managers) if managers else None
        log_retry(request, details)
        return None


def airudder_request(exc: BaseException) -> httpx.Request | None:
    """The request of a failure that airudder's retrying transport is retrying, else None."""
    try:
        request = getattr(exc, "request", None)
    except RuntimeError:  # an httpx error raised without a request
        return None
    return request if isinstance(request, httpx.Request) and ATTEMPTS in request.extensions else None


def log_retry(request: httpx.Request, details: RetryDetails) -> None:
    operation = request_operation(request)
    name = operation.operation_id if operation else f"{request.method} {request.url.path}"
    attempt = int(request.extensions[ATTEMPTS])
    exc = details.caused_by
    cause = str(exc) if isinstance(exc, RetryableStatus) else f"{type(exc).__name__}: {exc}".rstrip(": ")
    logger.warning(
        "%s: attempt %d failed (%s); retrying in %.2f s",
        name,
        attempt,
        cause,
        details.wait_for,
        extra={"operation": name, "attempt": attempt, "wait": details.wait_for, "cause": cause},
    )


class RetryableStatus(Exception):
    """An answer worth another try; carried out of the attempt so stamina can decide."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response
        self.request = response.request


@contextmanager
def entered_together(managers: list[AbstractContextManager[None]]) -> Iterator[None]:
    with ExitStack() as stack:
        for manager in managers:
            stack.enter_context(manager)
        yield


def report_retries() -> None:
    """Put the RetryReporter in front of stamina's on-retry hooks, once (again if someone set others since)."""
    hooks = get_on_retry_hooks()
    if not any(isinstance(hook, RetryReporter) for hook in hooks):
        set_on_retry_hooks([RetryReporter(hooks)])
