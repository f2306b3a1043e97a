"""`RawResponse`: what `client.<resource>.with_raw_response.<method>(...)` returns.

The answer as it came (status, headers, body bytes) with the parsed model on request: `parse()` gives what the
plain method would have returned, or raises the typed error of an error answer (with `raise_for_errors=False`
the error answer itself is returned here, so it can be looked at).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

R = TypeVar("R")


class RawResponse(Generic[R]):
    """An answer as it came (`status_code`, `headers`, `content`, `operation`); `parse()` gives the model."""

    __slots__ = ("_parse", "content", "headers", "operation", "status_code")

    def __init__(
        self, *, status_code: int, headers: httpx.Headers, content: bytes, operation: str, parse: Callable[[], Any]
    ) -> None:
        self.status_code, self.headers, self.content, self.operation = status_code, headers, content, operation
        self._parse = parse

    def parse(self) -> R:
        """The typed result the plain method returns (the envelope's `data`; a page iterator for a list)."""
        result: R = self._parse()
        return result

    def __repr__(self) -> str:
        return f"<RawResponse {self.operation}: HTTP {self.status_code}, {len(self.content)} bytes>"
