"""Fault injection per operation: latency, error answers (429 with Retry-After, 500, 503), dropped connections.

Applied as the outermost ASGI layer, so a fault happens before authentication and validation, as a proxy or an
overloaded AIRudder would cause it. Each rule fires at its `rate`, drawn from an RNG seeded by the server seed.
"""

from __future__ import annotations

import asyncio
import random
import threading
from dataclasses import asdict, dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from airudder import _spec

from .envelope import error

ERROR_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Fault:
    """What happens to a share (`rate`, 0-1) of the calls of one operation."""

    rate: float = 1.0
    latency_ms: int = 0
    status: int | None = None
    retry_after: int | None = None
    drop: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be from 0 to 1")
        if self.latency_ms < 0 or (self.retry_after is not None and self.retry_after < 0):
            raise ValueError("latency_ms and retry_after must be >= 0")
        if self.status is not None and self.status not in ERROR_STATUSES:
            raise ValueError(f"status must be one of {ERROR_STATUSES}")
        if not (self.latency_ms or self.status or self.drop):
            raise ValueError("a fault needs latency_ms, status or drop")

    @classmethod
    def parse(cls, text: str) -> tuple[str, Fault]:
        """`OPERATION:key=value,...`, as the CLI takes it: `list_workflow_tasks:status=429,retry_after=2,rate=0.3`."""
        operation, _, options = text.partition(":")
        fields: dict[str, Any] = {}
        for item in filter(None, options.split(",")):
            key, _, value = item.partition("=")
            fields[key.strip()] = (
                value.strip().lower() in ("1", "true", "yes")
                if key.strip() == "drop"
                else (float(value) if key.strip() == "rate" else int(value))
            )
        return operation, cls(**fields)


class Faults:
    """The fault rules in force, by operationId (thread-safe: the admin API changes them while serving)."""

    def __init__(self, seed: int) -> None:
        self._rules: dict[str, Fault] = {}
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._routes = {(op.method.upper(), op.path): op.operation_id for op in _spec.operations().values()}

    def set(self, operation_id: str, fault: Fault) -> None:
        if operation_id not in _spec.operations():
            raise KeyError(operation_id)
        with self._lock:
            self._rules[operation_id] = fault

    def clear(self, operation_id: str | None = None) -> None:
        with self._lock:
            if operation_id is None:
                self._rules.clear()
            else:
                self._rules.pop(operation_id, None)

    def rules(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {op: asdict(f) for op, f in self._rules.items()}

    def draw(self, method: str, path: str) -> Fault | None:
        operation_id = self._routes.get((method, path))
        with self._lock:
            fault = self._rules.get(operation_id or "")
            return fault if fault is not None and self._rng.random() < fault.rate else None


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app, self.faults = app, faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = self.faults.draw(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.drop:
            # uvicorn's `send` belongs to the request cycle that owns the connection: close it, mid-request
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            if transport is not None:
                transport.close()
                return
        if fault.status:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
            await error(fault.status, headers=headers)(scope, receive, send)
            return
        await self.app(scope, receive, send)
