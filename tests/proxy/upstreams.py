"""Upstreams for the proxy's tests: a drifted AIRudder (the mock's answers, altered on purpose), and upstreams
that misbehave (never answer, answer garbage), each a real server on loopback."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PLANTED = {
    # operation -> what is planted there
    "list_workflow_tasks": "count renamed total_count; an extra `priority` per task; `total` a string; a new status",
    "query_workflow_ids": "HTTP 200 carrying an error code",
    "get_outbound_task_details": "a 500 that is an HTML page, not the error envelope",
}
NEW_STATUS = "paused_by_vendor"


def drift(path: str, status: int, body: Any) -> tuple[int, bytes, str]:
    """The planted drift of one answer: (status, body, content type)."""
    if path.endswith("/instancelist") and isinstance(body, dict) and isinstance(body.get("data"), dict):
        data = body["data"]
        data["total_count"] = data.pop("count")
        for task in data["lists"]:
            task["priority"] = 1
            task["total"] = str(task["total"])
            task["status"] = NEW_STATUS
    elif path.endswith("/detailinstances"):
        body = {"data": None, "status": "Workflow Not Found", "code": 40401}
    elif path.endswith("/taskdetail"):
        return 500, b"<html><body>Internal Server Error</body></html>", "text/html"
    return status, json.dumps(body).encode(), "application/json"


def drifted(upstream: str) -> Starlette:
    """AIRudder as the mock at `upstream` answers, each answer then drifted (`drift`)."""

    async def forward(request: Request) -> Response:
        async with httpx.AsyncClient(base_url=upstream, timeout=30) as client:
            answer = await client.request(
                request.method,
                request.url.path,
                params=list(request.query_params.multi_items()),
                content=await request.body(),
                headers={k: v for k, v in request.headers.items() if k.lower() in ("authorization", "content-type")},
            )
        try:
            body = answer.json()
        except ValueError:
            return Response(answer.content, answer.status_code, media_type=answer.headers.get("content-type"))
        status, content, media_type = drift(request.url.path, answer.status_code, body)
        return Response(content, status, media_type=media_type)

    return Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST"])])


@contextmanager
def garbage_server() -> Iterator[str]:
    """A TCP server on loopback that answers every connection with bytes that are not HTTP, then closes it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(b"\x00\x01 this is not HTTP\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(10)


def silent_app(release: threading.Event) -> Starlette:
    """An upstream that takes each request and does not answer until `release` is set (a slow AIRudder)."""

    async def hang(request: Request) -> Response:
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, release.wait, 30)
        return Response(b"{}", media_type="application/json")

    return Starlette(routes=[Route("/{path:path}", hang, methods=["GET", "POST"])])


def echo_app() -> Starlette:
    """An upstream that streams back what it got: its method, the headers it saw and the body, in chunks."""

    async def echo(request: Request) -> Response:
        from starlette.responses import StreamingResponse

        body = await request.body()
        seen = {"method": request.method, "query": request.url.query, "headers": dict(request.headers)}

        async def chunks() -> Any:
            yield json.dumps(seen).encode() + b"\n"
            for start in range(0, len(body), 65536):
                yield body[start : start + 65536]

        return StreamingResponse(chunks(), status_code=207, headers={"x-upstream": "echo"}, media_type="text/plain")

    return Starlette(routes=[Route("/{path:path}", echo, methods=["GET", "POST", "PUT"])])
