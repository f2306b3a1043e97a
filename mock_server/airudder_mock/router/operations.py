"""Routes of AIRudder's operations: every operation of spec/openapi.yaml that has a path (from airudder_spec)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.routing import Route

import airudder_spec

from ..config import MAX_BODY
from ..handlers import Handler
from ..validator import RequestValidator
from .pipeline import Operation, endpoint, path_routes


def operation_routes(
    handlers: dict[str, Handler],
    authenticate: Callable[[str, float], None],
    run_until: Callable[[float], None],
    now: Callable[[], float],
    max_body: int = MAX_BODY,
) -> list[Route]:
    """One pipeline per operation; a secured one checks the token first. The simulation is brought up to the
    request's time before it is handled."""
    operations = []
    for operation in airudder_spec.operations().values():

        def guard(request: Request, at: float, secured: bool = operation.secured) -> None:
            if secured:
                authenticate(request.headers.get("Authorization", ""), at)
            run_until(at)

        serve = endpoint(
            RequestValidator.of(operation), handlers[operation.operation_id], now, guard=guard, max_body=max_body
        )
        operations.append(Operation(operation.operation_id, operation.method, operation.path, serve))
    return path_routes(operations)
