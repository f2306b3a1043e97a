"""The proxy under load: 2,000 requests from 16 concurrent clients, each on its own keep-alive connection. Every
answer is the one to its own request, in order; the report counts every exchange; memory stays flat."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from airudder.serving import serve
from airudder_mock.proxy import running_proxy
from airudder_spec.drift import DriftReport

CLIENTS, PER_CLIENT, WARM_UP = 16, 125, 20
LIST = "/service/cloud/workflow/instancelist"


def numbered_app() -> Starlette:
    """AIRudder's task list, as small as it gets, naming the request it answers (`n`) as its one task's id."""

    async def tasks(request: Request) -> Response:
        task = {"workflow_id": request.query_params["n"], "name": "t", "total": 1, "status": "finished"}
        body = {"data": {"lists": [task], "count": 1}, "status": "OK", "code": 200}
        return Response(json.dumps(body), media_type="application/json")

    return Starlette(routes=[Route(LIST, tasks)])


def resident_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


def test_two_thousand_requests_from_sixteen_clients(tmp_path: Path) -> None:
    with (
        serve(numbered_app()) as upstream,
        running_proxy(upstream, tmp_path / "report", tmp_path / "cassettes") as proxy,
    ):
        failures: list[str] = []

        def client(number: int, count: int) -> None:
            with httpx.Client(base_url=proxy.url, timeout=60) as http:  # one connection, kept alive
                for index in range(count):
                    n = f"{number}-{index}"
                    answer = http.get(LIST, params={"page": 1, "size": 20, "n": n})
                    got = answer.json()["data"]["lists"][0]["workflow_id"] if answer.status_code == 200 else None
                    if got != n:
                        failures.append(f"client {number} request {index}: {answer.status_code} {got}")

        def load(count: int) -> None:
            threads = [threading.Thread(target=client, args=(c, count)) for c in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(600)
            assert not any(thread.is_alive() for thread in threads)

        load(WARM_UP)
        proxy.drain(120)
        before = resident_kb()
        load(PER_CLIENT)
        proxy.drain(120)
        grown = resident_kb() - before
    assert failures == []
    report = DriftReport.read(tmp_path / "report")
    assert report.operations["list_workflow_tasks"].exchanges.count == CLIENTS * (WARM_UP + PER_CLIENT)
    assert len(list((tmp_path / "cassettes" / "list_workflow_tasks").iterdir())) == CLIENTS * (WARM_UP + PER_CLIENT)
    assert proxy.observer.left_out == 0
    assert grown < 30_000, f"the proxy's process grew by {grown} kB over 2,000 requests"
