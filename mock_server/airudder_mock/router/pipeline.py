"""One request pipeline for every route, AIRudder's operations and the admin API alike: validate against the
operation's spec, hand the handler a `ValidRequest`, answer its data in the envelope (or BadInput as a 4xx naming the
field)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from ..config import MAX_BODY
from ..envelope import error, ok
from ..errors import CLIENT_GONE, BadInput
from ..handlers import Handler, Noted, ValidRequest
from ..validator import RequestValidator

Endpoint = Callable[[Request], Awaitable[Response]]
Guard = Callable[[Request, float], None]
"""Runs before validation with the request and its mock time; raises BadInput to refuse it."""
log = logging.getLogger("airudder_mock")


def endpoint(
    validator: RequestValidator,
    handler: Handler,
    now: Callable[[], float],
    *,
    guard: Guard | None = None,
    in_thread: bool = False,
    max_body: int = MAX_BODY,
) -> Endpoint:
    """`in_thread`: run the handler in a worker thread (it may send webhooks; the event loop must go on serving).
    A body over `max_body` bytes is refused with 413 as soon as it is seen to be, never read whole."""

    async def serve(request: Request) -> Response:
        started = time.perf_counter()
        try:
            at = now()
            if guard is not None:
                guard(request, at)
            query, path = validator.parameters_of(request.query_params, request.path_params)
            raw = await read_body(request, max_body)
            body = validator.json_body(raw, request.headers.get("content-type", ""))
            req = ValidRequest(at, query, path, body)
            result = await run_in_threadpool(handler, req) if in_thread else handler(req)
        except BadInput as exc:
            return error(exc.status, exc.problems)
        except ClientDisconnect:
            waited = (time.perf_counter() - started) * 1000
            log.warning("%s %s: the client disconnected after %.0f ms, before the answer", *_line(request), waited)
            return Response(status_code=CLIENT_GONE)
        if isinstance(result, Noted):
            return ok(result.data, result.note)
        return result if isinstance(result, Response) else ok(result)

    return serve


def _line(request: Request) -> tuple[str, str]:
    return request.method, request.url.path


async def read_body(request: Request, limit: int) -> bytes:
    """The body, read as it streams in and refused (413 naming `body`) once it is over `limit` bytes."""
    too_large = BadInput("body", f"is larger than {limit} bytes", status=413)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 answers, in the error envelope."""
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, [{"field": "path", "message": exc.detail}], headers=dict(exc.headers or {}))


@dataclass(frozen=True)
class Operation:
    """One operation of a spec, ready to serve."""

    operation_id: str
    method: str
    path: str
    endpoint: Endpoint


class PathRoute(Route):
    """One path with all its operations, so a method it does not have gets a 405 listing every one it has."""

    def __init__(self, path: str, operations: list[Operation]) -> None:
        by_method = {op.method.upper(): op for op in operations}
        if "GET" in by_method:
            by_method.setdefault("HEAD", by_method["GET"])

        async def dispatch(request: Request) -> Response:
            return await by_method[request.method].endpoint(request)

        super().__init__(path, dispatch, methods=list(by_method), name=path)
        self.operation_ids = {method: op.operation_id for method, op in by_method.items()}


def path_routes(operations: Iterable[Operation]) -> list[Route]:
    by_path: dict[str, list[Operation]] = {}
    for operation in operations:
        by_path.setdefault(operation.path, []).append(operation)
    return [PathRoute(path, found) for path, found in by_path.items()]
