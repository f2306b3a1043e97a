"""The servers and load generators the parts share, each server in its own process (so it does not share the
measuring process's core):

- the fixed server: a fast loopback AIRudder (auth, a 100k-item task list, a WABA task's details), so the
  client's own cost shows;
- the bare endpoint: reads a POST's body and answers 200 with a small JSON envelope, storing nothing: the
  baseline of webhook ingest and of the mock's delivery;
- wrk, for requests per second from another process.

    python -m benchmarks.servers fixed PORT     # or: bare PORT
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
LIST = "/service/cloud/workflow/instancelist"
WABA = "/service/cloud/workflow/wabataskdetail"
WABA_QUERY = {"workflow_id": "w00000001", "task_id": "t1"}
TOKEN = {"data": {"token": "bench-token"}, "status": "OK", "code": 200}
ITEMS = 100_000
# what AIRudder's pages ask of every request, so the raw baseline sends what our client sends
RAW_HEADERS = {
    "Authorization": "Token bench-token",
    "User-Agent": "Airudder",
    "Content-Type": "application/json",
    "X-Client-Version": "airudder-workflow/0.1.0 python/3.11",  # the same length as ours
}


def fixed_server_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    token = json.dumps(TOKEN).encode()

    def item(n: int) -> dict[str, Any]:
        stamp = "2024-01-01T00:00:00Z"
        return {
            "workflow_id": f"w{n:08d}",
            "name": f"task {n}",
            "template_name": "t",
            "start_time": stamp,
            "end_time": stamp,
            "total": 1,
            "status": "finished",
            "create_time": stamp,
        }

    async def auth(request: Request) -> Response:
        return Response(token, media_type="application/json")

    recipient = {"caseid": "c1", "send_time": "2024-10-22 10:11:12", "callee": "+6212312313", "status": "wait"}
    waba = json.dumps({"data": {"list": [recipient], "total": 1}, "status": "OK", "code": 200}).encode()

    async def waba_details(request: Request) -> Response:
        return Response(waba, media_type="application/json")

    async def listing(request: Request) -> Response:
        page, size = int(request.query_params.get("page", 1)), int(request.query_params.get("size", 20))
        start = (page - 1) * size
        lists = [item(n) for n in range(start, min(start + size, ITEMS))]
        body = {"data": {"lists": lists, "count": ITEMS}, "status": "OK", "code": 200}
        return Response(json.dumps(body).encode(), media_type="application/json")

    return Starlette(
        routes=[Route("/service/cloud/auth", auth, methods=["POST"]), Route(LIST, listing), Route(WABA, waba_details)]
    )


def bare_endpoint_app() -> Any:
    """The baseline: reads the body and answers 200 with a small JSON envelope, storing nothing."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def take(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"data": {"duplicate": False}, "status": "OK", "code": 200})

    return Starlette(routes=[Route("/{path:path}", take, methods=["POST"])])


APPS = {"fixed": fixed_server_app, "bare": bare_endpoint_app}


@contextmanager
def server(name: str) -> Iterator[str]:
    """One of APPS served by uvicorn in its own process while the block runs; yields its base URL."""
    port = free_port()
    with process([sys.executable, "-m", "benchmarks.servers", name, str(port)], cwd=ROOT):
        url = f"http://127.0.0.1:{port}"
        if name == "fixed":
            wait_until_up(url + "/service/cloud/auth", method="POST")
        else:
            wait_until_up(url + "/up", method="POST")
        yield url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, method: str = "GET", seconds: float = 60, **kwargs: Any) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.request(method, url, timeout=2, **kwargs)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.2)


@contextmanager
def process(command: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    """A process for the block (its output dropped), terminated at its end."""
    started = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    try:
        yield started
    finally:
        started.terminate()
        started.wait(10)


def need_wrk(part: str) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit(f"the {part} benchmark needs wrk (apt-get install wrk)")


def requests_per_second(wrk_output: str, socket_errors: bool = False) -> float:
    """wrk's Requests/sec; an error when any answer was not 2xx (or a socket failed, unless `socket_errors`)."""
    match = re.search(r"Requests/sec:\s+([\d.]+)", wrk_output)
    if not match or "Non-2xx" in wrk_output or (not socket_errors and "Socket errors" in wrk_output):
        raise RuntimeError(f"wrk did not get clean answers:\n{wrk_output}")
    return float(match.group(1))


def main() -> None:
    import uvicorn

    name, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(APPS[name](), host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
