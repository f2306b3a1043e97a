"""Per-call options: `timeout=`, `max_retries=` and `extra_headers=` of a resource method, and `with_options`.

The generated functions build the request themselves, so a call's options travel beside it, in a context
variable that the call sets around the generated function (threads and asyncio tasks each see their own): the
token flow (`TokenAuth`, on every client) puts the headers and the timeout on the request, and the retrying
transport reads the retries from it. The same context holds the call's final answer, for `with_raw_response`.
A call without options, not in raw mode, sets nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import httpx

MAX_RETRIES = "airudder.max_retries"
"""The request extension that carries a call's `max_retries` to the retrying transport."""

Timeout = float | httpx.Timeout
"""A timeout in seconds (for every phase), or an httpx.Timeout."""


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Options of one call, or a client's defaults for its calls (`with_options`); None: not set here."""

    timeout: httpx.Timeout | None = None
    max_retries: int | None = None
    headers: Mapping[str, str] | None = None

    @classmethod
    def of(
        cls, timeout: Timeout | None, max_retries: int | None, headers: Mapping[str, str] | None
    ) -> CallOptions | None:
        """The options given (None when none is), checked."""
        if timeout is None and max_retries is None and not headers:
            return None
        if max_retries is not None and (isinstance(max_retries, bool) or max_retries < 0):
            raise ValueError(f"max_retries must be a whole number, 0 or more, not {max_retries!r}")
        if timeout is not None and not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout)
        return cls(timeout, max_retries, dict(headers) if headers else None)

    def over(self, defaults: CallOptions | None) -> CallOptions:
        """These options, falling back to `defaults` where they set nothing (headers: both, these winning)."""
        if defaults is None:
            return self
        headers = {**(defaults.headers or {}), **(self.headers or {})} or None
        return CallOptions(
            self.timeout if self.timeout is not None else defaults.timeout,
            self.max_retries if self.max_retries is not None else defaults.max_retries,
            headers,
        )


class Call:
    """One call in flight: its options, and the final answer it got (kept only for `with_raw_response`)."""

    __slots__ = ("options", "response")

    def __init__(self, options: CallOptions | None) -> None:
        self.options = options
        self.response: httpx.Response | None = None

    def prepare(self, request: httpx.Request) -> None:
        """Put the call's headers, timeout and retries on its request (the token flow calls this)."""
        options = self.options
        if options is None:
            return
        if options.headers:
            request.headers.update(options.headers)
        if options.timeout is not None:
            request.extensions["timeout"] = options.timeout.as_dict()
        if options.max_retries is not None:
            request.extensions[MAX_RETRIES] = options.max_retries


CURRENT: ContextVar[Call | None] = ContextVar("airudder.call", default=None)


@contextmanager
def calling(options: CallOptions | None) -> Iterator[Call]:
    """The context of one call: its requests carry `options`, and its final answer is kept."""
    call = Call(options)
    token = CURRENT.set(call)
    try:
        yield call
    finally:
        CURRENT.reset(token)
