"""The pager walks every paged operation lazily, each item once, even while new items arrive."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import airudder
from airudder_api.api.waba import get_waba_task_details
from airudder_api.api.workflows import list_workflow_tasks

from .conftest import TOKEN_BODY, InProcessMock, serve_routes

CREATE = "/service/cloud/workflow/createinstance"
LIST = "/service/cloud/workflow/instancelist"


def create(mock: InProcessMock, client: airudder.Client, count: int, prefix: str) -> list[str]:
    http = client.get_httpx_client()
    body = {"workflow_template_id": 1, "end_time": "2099-01-01T00:00:00Z"}
    return [
        http.post(CREATE, json={**body, "name": f"{prefix}-{i}"}).json()["data"]["workflow_id"] for i in range(count)
    ]


@pytest.fixture
def client(mock: InProcessMock) -> Any:
    with airudder.Client(**mock.credentials(), raise_for_errors=True) as c:
        yield c


def test_every_item_once_across_pages_with_inserts_midway(mock: InProcessMock, client: airudder.Client) -> None:
    existing = create(mock, client, 25, "old")
    seen = []
    for task in airudder.paginate(list_workflow_tasks, client=client, page_size=10):
        seen.append(task.workflow_id)
        if len(seen) in (5, 15):
            create(mock, client, 3, f"new-{len(seen)}")  # shifts every older task 3 places later
    assert len(seen) == len(set(seen))
    assert set(existing) <= set(seen) and seen[:25] == [w for w in seen if w in existing]


def test_pages_report_the_total_and_stop_at_the_end(mock: InProcessMock, client: airudder.Client) -> None:
    create(mock, client, 7, "t")
    pages = list(airudder.pages(list_workflow_tasks, client=client, page_size=3))
    assert [(p.number, len(p.items), p.total) for p in pages] == [(1, 3, 7), (2, 3, 7), (3, 1, 7)]


def test_the_default_page_is_the_largest_and_max_items_stops_early(
    mock: InProcessMock, client: airudder.Client
) -> None:
    create(mock, client, 5, "t")
    requests: list[httpx.Request] = []
    client.get_httpx_client().event_hooks["request"].append(requests.append)
    assert len(list(airudder.paginate(list_workflow_tasks, client=client, max_items=2))) == 2
    assert [r.url.params["size"] for r in requests] == ["200"]


def test_async_pager(mock: InProcessMock, client: airudder.Client) -> None:
    expected = create(mock, client, 12, "a")[::-1]

    async def walk() -> list[str]:
        async with airudder.AsyncClient(
            app_key=mock.app_key,
            app_secret=mock.app_secret,
            base_url=mock.base_url,
            transport=mock.async_transport(),
        ) as aclient:
            return [t.workflow_id async for t in airudder.apaginate(list_workflow_tasks, client=aclient, page_size=5)]

    assert asyncio.run(walk()) == expected


def test_an_operation_the_spec_does_not_page_is_refused(client: airudder.Client) -> None:
    with pytest.raises(ValueError, match="not a paged operation"):
        next(airudder.paginate(get_waba_task_details, client=client, workflow_id="w", task_id="t"))


def test_a_burst_of_inserts_longer_than_two_pages_yields_nothing_twice(
    mock: InProcessMock, client: airudder.Client
) -> None:
    existing = create(mock, client, 12, "old")[::-1]  # newest first, as the list gives them
    seen = []
    for task in airudder.paginate(list_workflow_tasks, client=client, page_size=5):
        seen.append(task.workflow_id)
        if len(seen) == 1:
            create(mock, client, 15, "burst")  # three pages' worth arrive in front of the walk
    assert seen == existing


def test_a_failed_page_is_the_typed_error_of_its_operation() -> None:
    async def token(request: Request) -> JSONResponse:
        return JSONResponse(TOKEN_BODY)

    async def refused(request: Request) -> JSONResponse:
        return JSONResponse({"data": None, "status": "no access", "code": 403}, status_code=403)

    routes = [Route("/service/cloud/auth", token, methods=["POST"]), Route(LIST, refused)]
    with serve_routes(routes) as site, airudder.Client(app_key="k", app_secret="s", **site.client_options()) as raw:
        with pytest.raises(airudder.PermissionDeniedError) as caught:
            next(airudder.paginate(list_workflow_tasks, client=raw))
    error = caught.value
    assert (error.operation, error.code, error.message) == ("list_workflow_tasks", 403, "no access")
    assert str(error).startswith("list_workflow_tasks: HTTP 403")
