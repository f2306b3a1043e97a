"""Fault injection per operation: latency, error answers (429 with Retry-After, 500, 503), dropped connections.

A rule's `phase` says when it strikes. `before` (the default): ahead of authentication and validation, as an
overloaded AIRudder or a proxy that never forwarded the request would cause it; nothing is done. `after`: the
operation runs and its effect is committed, then the answer is lost: the connection dropped, held back
`latency_ms` (past the client's timeout), or replaced by `status` with the HTML page a proxy answers with. That
is the case a client's no-double-write rule exists for: a create that took effect, whose answer never came.

Each rule fires at its `rate`, drawn from an RNG seeded by the server seed once, at start: `/_mock/reset` does not
reseed it, so a run repeated after a reset meets the next draws, and a restarted mock replays the same ones.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airudder.serving import CONNECTION

from .envelope import error
from .router.pipeline import PathRoute

ERROR_STATUSES = (429, 500, 502, 503, 504)
MAX_LATENCY_MS = 300_000
MAX_RETRY_AFTER = 86_400
PHASES = ("before", "after")


class FaultError(ValueError):
    """A fault option that is not valid; `field` names it (empty: the rule as a whole)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field, self.message = field, message


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Fault:
    """What happens to a share (`rate`, 0-1) of the calls of one operation."""

    rate: float = 1.0
    latency_ms: int = 0
    status: int | None = None
    retry_after: int | None = None
    drop: bool = False
    phase: str = "before"
    """`before`: the request is never processed; `after`: it is, and then its answer is lost."""

    def __post_init__(self) -> None:
        rate = self.rate
        if not (_integer(rate) or isinstance(rate, float)) or not 0 <= rate <= 1:
            raise FaultError("rate", "must be a number from 0 to 1")
        if not _integer(self.latency_ms) or not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise FaultError("latency_ms", f"must be an integer from 0 to {MAX_LATENCY_MS}")
        if self.status is not None and (not _integer(self.status) or self.status not in ERROR_STATUSES):
            raise FaultError("status", f"must be one of {', '.join(map(str, ERROR_STATUSES))}")
        retry_after = self.retry_after
        if retry_after is not None and (not _integer(retry_after) or not 0 <= retry_after <= MAX_RETRY_AFTER):
            raise FaultError("retry_after", f"must be an integer from 0 to {MAX_RETRY_AFTER} (seconds)")
        if not isinstance(self.drop, bool):
            raise FaultError("drop", "must be true or false")
        if self.phase not in PHASES:
            raise FaultError("phase", f"must be one of {', '.join(PHASES)}")
        if not (self.latency_ms or self.status or self.drop):
            raise FaultError("", "a fault needs latency_ms, status or drop")

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Fault:
        """A rule from its options (the admin API's JSON); an unknown option is a FaultError naming it."""
        for key in options:
            if key not in OPTIONS:
                raise FaultError(key, f"is not a fault option ({', '.join(OPTIONS)})")
        return cls(**options)

    @classmethod
    def parse(cls, text: str) -> tuple[str, Fault]:
        """`OPERATION:key=value,...`, as the CLI takes it: `list_workflow_tasks:status=429,retry_after=2,rate=0.3`."""
        operation, _, options = text.partition(":")
        fields: dict[str, Any] = {}
        for item in filter(None, options.split(",")):
            key, _, value = (part.strip() for part in item.partition("="))
            if key not in OPTIONS:
                raise FaultError(key, f"is not a fault option ({', '.join(OPTIONS)})")
            if key == "drop":
                if value.lower() not in BOOLEANS:
                    raise FaultError(key, f"{value!r} is not true or false")
                fields[key] = BOOLEANS[value.lower()]
                continue
            if key == "phase":
                fields[key] = value
                continue
            try:
                fields[key] = OPTIONS[key](value)
            except ValueError:
                raise FaultError(key, f"{value!r} is not a number") from None
        return operation, cls(**fields)


OPTIONS: dict[str, type] = {
    "rate": float,
    "latency_ms": int,
    "status": int,
    "retry_after": int,
    "drop": bool,
    "phase": str,
}
BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class Faults:
    """The fault rules in force, by operationId (thread-safe: the admin API changes them while serving)."""

    def __init__(self, seed: int, operation_ids: Collection[str]) -> None:
        self._rules: dict[str, Fault] = {}
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._known = operation_ids

    def set(self, operation_id: str, fault: Fault) -> None:
        """A rule for one operation (a KeyError if `operation_id` is not one that faults apply to)."""
        if operation_id not in self._known:
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

    def draw(self, operation_id: str) -> Fault | None:
        with self._lock:
            fault = self._rules.get(operation_id)
            return fault if fault is not None and self._rng.random() < fault.rate else None


class FaultMiddleware:
    """Runs before the app: finds the operation among the app's routes (`PathRoute`s) and draws."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute], faults: Faults) -> None:
        self.app, self.routes, self.faults = app, routes, faults

    def operation(self, scope: Scope) -> str | None:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL and isinstance(route, PathRoute):
                return route.operation_ids.get(scope["method"])
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation_id = self.operation(scope) if scope["type"] == "http" else None
        fault = self.faults.draw(operation_id) if operation_id else None
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.phase == "after":
            await self.lose_answer(fault, scope, receive, send)
            return
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.drop:
            await drop(scope)
            return
        if fault.status:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
            await error(fault.status, headers=headers)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def lose_answer(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the operation to its end (its effect committed), then lose its answer as `fault` says."""
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.drop:
            await drop(scope)
        elif fault.status:
            await proxy_error(fault.status, fault.retry_after)(scope, receive, send)
        else:  # only late: the client has given up by now, or takes it late
            for message in held:
                await send(message)


def proxy_error(status: int, retry_after: int | None) -> HTMLResponse:
    """The error page a reverse proxy in front of AIRudder answers when the upstream answer is lost (nginx's)."""
    title = f"{status} {HTTPStatus(status).phrase}"
    page = f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
    page += "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return HTMLResponse(page, status_code=status, headers=headers)


async def drop(scope: Scope) -> None:
    """Close the connection mid-request, with no answer at all (the client sees it reset or closed).

    ASGI has no message for that: the connection comes from `airudder.serving`, which serves the mock and hands
    each request its connection in the scope.
    """
    connection = (scope.get("extensions") or {}).get(CONNECTION)
    if connection is None:
        raise RuntimeError("the drop fault needs a server from airudder.serving (the mock's serve and running_mock)")
    await connection.drop()
