"""One request pipeline for every route, AIRudder's operations and the admin API alike: validate against the
operation's spec, hand the handler a `Call`, answer its data in the envelope (or BadInput as a 4xx naming the
field)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..envelope import error, ok
from ..errors import BadInput
from ..handlers import Call, Handler
from ..validator import RequestValidator

Endpoint = Callable[[Request], Awaitable[Response]]
Guard = Callable[[Request, float], None]
"""Runs before validation with the request and its mock time; raises BadInput to refuse it."""


def endpoint(
    validator: RequestValidator,
    handler: Handler,
    now: Callable[[], float],
    *,
    guard: Guard | None = None,
    in_thread: bool = False,
) -> Endpoint:
    """`in_thread`: run the handler in a worker thread (it may send webhooks; the event loop must go on serving)."""

    async def serve(request: Request) -> Response:
        try:
            at = now()
            if guard is not None:
                guard(request, at)
            query, path = validator.parameters_of(request.query_params, request.path_params)
            body = validator.json_body(await request.body(), request.headers.get("content-type", ""))
            call = Call(at, query, path, body)
            result = await run_in_threadpool(handler, call) if in_thread else handler(call)
        except BadInput as exc:
            return error(exc.status, exc.problems)
        return result if isinstance(result, Response) else ok(result)

    return serve


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 answers, in the error envelope."""
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, [{"field": "path", "message": exc.detail}], headers=dict(exc.headers or {}))
