"""What a handler gets: a request that passed validation, and the mock time it is handled at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ValidRequest:
    now: float
    query: dict[str, Any] = field(default_factory=dict)
    path: dict[str, Any] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class Noted:
    """An answer's `data` with a `note` for the envelope: why a request that was valid changed less than asked."""

    data: Any
    note: str


Handler = Callable[[ValidRequest], Any]
"""A validated request -> the answer's `data` (or `Noted` data, or a starlette Response, sent as it is). Bad input:
`BadInput`."""
