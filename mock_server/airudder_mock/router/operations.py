"""Routes of AIRudder's operations: every operation of spec/openapi.yaml that has a path."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.routing import Route

from airudder import _spec

from ..handlers import Handler
from ..validator import RequestValidator
from .pipeline import Operation, endpoint, path_routes


def operation_routes(
    handlers: dict[str, Handler],
    authenticate: Callable[[str, float], None],
    run_until: Callable[[float], None],
    now: Callable[[], float],
) -> list[Route]:
    """One route per operation; a secured one checks the token first. The simulation is brought up to the
    request's time before it is handled."""
    operations = []
    default_security = _spec.load().get("security")
    for operation in _spec.operations().values():
        secured = operation.definition.get("security", default_security) != []

        def guard(request: Request, at: float, secured: bool = secured) -> None:
            if secured:
                authenticate(request.headers.get("Authorization", ""), at)
            run_until(at)

        validator = RequestValidator.build(_spec.load(), operation.definition)
        serve = endpoint(validator, handlers[operation.operation_id], now, guard=guard)
        operations.append(Operation(operation.operation_id, operation.method, operation.path, serve))
    return path_routes(operations)
