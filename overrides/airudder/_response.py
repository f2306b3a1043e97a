"""`RawResponse`: what `client.<resource>.with_raw_response.<method>(...)` returns.

The answer as it came (status, headers, body, the request that got it, how long it took) with the parsed model on
request: `parse()` gives what the plain method would have returned, or raises the typed error of an error answer
(with `raise_for_errors=False` the error answer itself is returned here, so it can be looked at).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

R = TypeVar("R")


class RawResponse(Generic[R]):
    """An answer as it came (`status_code`, `headers`, `content`, `text`, `json()`, `http_request`, `elapsed`,
    `operation`); `parse()` gives the model."""

    __slots__ = ("_parse", "http_response", "operation")

    def __init__(self, *, http_response: httpx.Response, operation: str, parse: Callable[[], Any]) -> None:
        self.http_response, self.operation = http_response, operation
        self._parse = parse

    @property
    def status_code(self) -> int:
        """The HTTP status, as it came (AIRudder's own `code` in the body may differ)."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The answer's headers (case-insensitive, as httpx gives them)."""
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        """The body's bytes, as they came."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The body decoded as text (the charset the answer names, else UTF-8)."""
        return self.http_response.text

    def json(self) -> object:
        """The body's JSON value, decoded as it came (no model); ValueError when the body is not JSON."""
        return json.loads(self.http_response.content)

    @property
    def http_request(self) -> httpx.Request:
        """The request that got this answer: method, URL and headers as they were sent (the token included)."""
        return self.http_response.request

    @property
    def elapsed(self) -> datetime.timedelta:
        """From sending the request to the end of the answer's body (the last attempt, when it was retried)."""
        return self.http_response.elapsed

    def parse(self) -> R:
        """The typed result the plain method returns (the envelope's `data`; a page iterator for a list)."""
        result: R = self._parse()
        return result

    def __repr__(self) -> str:
        return f"<RawResponse {self.operation}: HTTP {self.status_code}, {len(self.content)} bytes>"
