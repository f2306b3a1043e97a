"""The resources generated from the spec: `client.workflows.create(...)`, typed pages, raw answers, typed errors."""

from __future__ import annotations

import asyncio
import importlib.metadata
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import airudder
import airudder_spec
from airudder_api.models import WabaTaskDetails, WorkflowTask

from .conftest import TOKEN_BODY, InProcessMock, on_loopback, serve_routes

ROOT = Path(__file__).resolve().parents[2]
FAST = airudder.RetryPolicy(attempts=3, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)
END = "2099-12-31 23:59:59+07:00"
LIST = "/service/cloud/workflow/instancelist"


@pytest.fixture
def client(mock: InProcessMock) -> Iterator[airudder.Client]:
    with airudder.Client(**mock.credentials()) as c:
        yield c


def async_client(mock: InProcessMock, **kwargs: Any) -> airudder.AsyncClient:
    return airudder.AsyncClient(
        app_key=mock.app_key,
        app_secret=mock.app_secret,
        base_url=mock.base_url,
        transport=mock.async_transport(),
        **kwargs,
    )


def test_each_operation_of_the_spec_is_a_method_of_its_tags_resource_on_both_clients(client: airudder.Client) -> None:
    aclient = airudder.AsyncClient(token="t", base_url="http://127.0.0.1:9")
    expected = {
        "create_workflow_task": "workflows.create",
        "list_workflow_tasks": "workflows.list",
        "query_workflow_ids": "workflows.query_ids",
        "get_outbound_task_details": "outbound_tasks.details",
        "verify_custom_api_node_data_push": "custom_api_node.verify_data_push",
        "get_waba_task_details": "waba.task_details",
    }
    for operation in airudder_spec.operations().values():
        if operation.definition.get("security") == []:
            continue  # the token exchange: the client's own (client.auth)
        tag = operation.definition["tags"][0]
        resource = getattr(client, tag)
        methods = [name for name in vars(type(resource)) if not name.startswith("_") and name != "with_raw_response"]
        assert any(getattr(resource, m).__doc__.startswith(operation.definition["summary"]) for m in methods), (
            f"{operation.operation_id} has no method on client.{tag}"
        )
        if operation.operation_id in expected:
            name = expected[operation.operation_id].split(".")[1]
            assert callable(getattr(getattr(client, tag), name)) and callable(getattr(getattr(aclient, tag), name))
            assert callable(getattr(getattr(client, tag).with_raw_response, name))


def test_create_returns_the_data_and_list_yields_typed_items_across_pages(client: airudder.Client) -> None:
    created = [client.workflows.create(workflow_template_id=1, name=f"t{n}", end_time=END) for n in range(5)]
    assert all(isinstance(c.workflow_id, str) for c in created)
    requests: list[httpx.Request] = []
    client.get_httpx_client().event_hooks["request"].append(requests.append)
    listed = client.workflows.list(page_size=2)
    assert requests == []  # lazy: nothing is fetched before iterating
    tasks = list(listed)
    assert all(isinstance(t, WorkflowTask) for t in tasks)
    assert [t.workflow_id for t in tasks] == [c.workflow_id for c in reversed(created)]  # newest first
    assert [r.url.params["page"] for r in requests] == ["1", "2", "3"]
    assert [len(p.items) for p in listed.pages()] == [2, 2, 1]
    assert [t.name for t in client.workflows.list(max_items=2)] == ["t4", "t3"]


def test_list_keeps_the_pagers_guarantee_while_tasks_arrive(client: airudder.Client) -> None:
    older = [client.workflows.create(workflow_template_id=1, name=f"o{n}", end_time=END) for n in range(9)]
    seen = []
    for task in client.workflows.list(page_size=3):
        seen.append(task.workflow_id)
        if len(seen) in (2, 5):
            for n in range(4):  # more than a page arrives: every older task moves 4 places later
                client.workflows.create(workflow_template_id=1, name=f"new{len(seen)}-{n}", end_time=END)
    assert seen == [o.workflow_id for o in reversed(older)]


def test_body_fields_are_keywords_extra_fields_pass_through_and_fields_left_out_are_not_sent() -> None:
    bodies: list[bytes] = []

    async def create(request: Request) -> JSONResponse:
        bodies.append(await request.body())
        return JSONResponse({"data": {"workflow_id": "w1"}, "status": "OK", "code": 200})

    async def detail(request: Request) -> JSONResponse:
        bodies.append(await request.body())
        return JSONResponse({"data": {"anything": 1}, "status": "OK", "code": 200})

    routes = [
        Route("/service/cloud/auth", token, methods=["POST"]),
        Route("/service/cloud/workflow/createinstance", create, methods=["POST"]),
        Route("/service/cloud/workflow/taskdetail", detail, methods=["POST"]),
    ]
    with serve_routes(routes) as site, airudder.Client(app_key="k", app_secret="s", **site.client_options()) as c:
        c.workflows.create(workflow_template_id=7, name="n", end_time="e", extra_body={"contacts": [{"callee": "+1"}]})
        found = c.outbound_tasks.details(task_id="x", page=2)
        assert found.list_ is None and found.total is None and found.additional_properties == {"anything": 1}
    assert [yaml.safe_load(b) for b in bodies] == [
        # no auto_finish: the spec's `default: 2` is the server's to apply, not ours to send (the mock's fixture
        # applies its own default, 1, so a test's workflow ends by itself)
        {"workflow_template_id": 7, "name": "n", "end_time": "e", "contacts": [{"callee": "+1"}]},
        {"task_id": "x", "page": 2},
    ]


async def token(request: Request) -> JSONResponse:
    return JSONResponse(TOKEN_BODY)


def test_with_raw_response_gives_status_headers_body_and_the_parsed_model(client: airudder.Client) -> None:
    raw = client.workflows.with_raw_response.create(workflow_template_id=1, name="raw", end_time=END)
    assert raw.status_code == 200 and raw.headers["content-type"] == "application/json"
    assert yaml.safe_load(raw.content)["data"] == raw.parse().to_dict() and raw.operation == "create_workflow_task"
    page = client.workflows.with_raw_response.list(page_size=1)
    assert yaml.safe_load(page.content)["data"]["count"] == 1
    assert [t.name for t in page.parse()] == ["raw"]


def test_errors_raise_by_default_naming_the_operation_and_field(client: airudder.Client) -> None:
    with pytest.raises(airudder.NotFoundError) as caught:
        client.waba.task_details(workflow_id="nope", task_id="nope")
    assert caught.value.operation == "get_waba_task_details"
    assert caught.value.errors[0]["field"] == "query.workflow_id"
    with pytest.raises(airudder.BadRequestError) as bad:
        client.workflows.query_ids(start_time="yesterday", end_time="2099-01-01T00:00:00Z")
    assert bad.value.operation == "query_workflow_ids" and "start_time" in bad.value.errors[0]["field"]


def test_raise_for_errors_false_keeps_error_answers_for_raw_use_only(mock: InProcessMock) -> None:
    with airudder.Client(**mock.credentials(), raise_for_errors=False) as c:
        raw = c.waba.with_raw_response.task_details(workflow_id="nope", task_id="nope")
        assert raw.status_code == 404 and yaml.safe_load(raw.content)["code"] == 404
        with pytest.raises(airudder.NotFoundError):
            raw.parse()
        with pytest.raises(airudder.NotFoundError):  # a method that returns the model has nothing else to return
            c.waba.task_details(workflow_id="nope", task_id="nope")


def test_the_asyncio_client_has_the_same_resources(mock: InProcessMock) -> None:
    async def run() -> tuple[list[str], list[str], WabaTaskDetails | None]:
        async with async_client(mock) as c:
            for n in range(3):
                await c.workflows.create(workflow_template_id=1, name=f"a{n}", end_time=END)
            names = [t.name async for t in c.workflows.list(page_size=2) if isinstance(t.name, str)]
            raw = await c.workflows.with_raw_response.list(page_size=2)
            again = [t.name async for t in raw.parse() if isinstance(t.name, str)]
            with pytest.raises(airudder.NotFoundError):
                await c.waba.task_details(workflow_id="nope", task_id="nope")
            return names, again, None

    names, again, _ = asyncio.run(run())
    assert names == again == ["a2", "a1", "a0"]


def slow(seconds: float) -> Any:
    async def endpoint(request: Request) -> Response:
        await asyncio.sleep(seconds)
        return JSONResponse({"data": {}, "status": "OK", "code": 200})

    return endpoint


def test_a_timed_out_write_says_it_may_have_reached_airudder_and_a_read_that_retrying_is_safe() -> None:
    routes = [
        Route("/service/cloud/auth", token, methods=["POST"]),
        Route("/service/cloud/workflow/createinstance", slow(1.0), methods=["POST"]),
        Route("/service/cloud/workflow/wabataskdetail", slow(1.0)),
    ]
    with (
        on_loopback(routes) as site,  # a real read timeout
        airudder.Client(app_key="k", app_secret="s", base_url=site.base_url, retries=FAST, timeout=0.3) as c,
    ):
        with pytest.raises(airudder.APITimeoutError) as write:
            c.workflows.create(workflow_template_id=1, name="n", end_time="e")
        with pytest.raises(airudder.APITimeoutError) as read:
            c.waba.task_details(workflow_id="w", task_id="t")
    assert write.value.request_sent and write.value.operation == "create_workflow_task"
    assert "the request was sent; the workflow task may exist: check with list_workflow_tasks before retrying" in str(
        write.value
    )
    assert read.value.request_sent and "it only reads: it is safe to retry" in str(read.value)
    assert f"after {FAST.attempts} attempts" in str(read.value)  # reads are retried; the write was sent once


def test_a_refused_connection_is_an_airudder_error_saying_nothing_was_sent() -> None:
    with on_loopback([]) as site:
        url = site.base_url  # once the block ends the port is free again: nothing listens there
    with airudder.Client(token="t", base_url=url, retries=FAST) as c:
        with pytest.raises(airudder.APIConnectionError) as caught:
            c.workflows.create(workflow_template_id=1, name="n", end_time="e")
    assert isinstance(caught.value, airudder.AIRudderError) and not caught.value.request_sent
    assert "create_workflow_task" in str(caught.value) and "nothing reached AIRudder" in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_a_retry_after_that_is_not_a_finite_number_is_ignored(value: str) -> None:
    answers = iter([JSONResponse({"data": None, "status": "slow down", "code": 429}, 429, {"Retry-After": value})])

    async def listing(request: Request) -> Response:
        return next(answers, JSONResponse({"data": {"lists": [], "count": 0}, "status": "OK", "code": 200}))

    routes = [Route("/service/cloud/auth", token, methods=["POST"]), Route(LIST, listing)]
    options = {"app_key": "k", "app_secret": "s", "retries": FAST}
    with serve_routes(routes) as site, airudder.Client(**options, **site.client_options()) as c:
        assert list(c.workflows.list()) == []
    response = httpx.Response(429, headers={"Retry-After": value}, request=httpx.Request("GET", "http://127.0.0.1/"))
    assert airudder.RateLimitError("x", response=response, code=429, operation=None, body=None).retry_after is None


def test_the_version_comes_from_pyproject_and_goes_in_x_client_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert airudder.__version__ == version == importlib.metadata.version("airudder-workflow")
    headers: list[httpx.Headers] = []

    async def listing(request: Request) -> Response:
        headers.append(request.headers)  # type: ignore[arg-type]
        return JSONResponse({"data": {"lists": [], "count": 0}, "status": "OK", "code": 200})

    routes = [Route("/service/cloud/auth", token, methods=["POST"]), Route(LIST, listing)]
    with serve_routes(routes) as site, airudder.Client(app_key="k", app_secret="s", **site.client_options()) as c:
        list(c.workflows.list())
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert headers[0]["user-agent"] == "Airudder"
    assert headers[0]["x-client-version"] == f"airudder-workflow/{version} python/{python}"


def test_an_operation_added_to_the_spec_appears_on_the_client_after_regenerating(tmp_path: Path) -> None:
    """Generate from a copy of the spec with one more operation: its method exists, with no hand edit anywhere."""
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
    spec["paths"]["/service/cloud/workflow/pausedemo"] = {
        "post": {
            "operationId": "pause_workflow_task",
            "tags": ["workflows"],
            "summary": "Pause a workflow task (a test operation)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryWorkflowIdsRequest"}}},
            },
            "responses": {"200": {"$ref": "#/components/responses/QueryWorkflowIdsResponse"}},
        }
    }
    changed = tmp_path / "openapi.yaml"
    changed.write_text(yaml.safe_dump(spec, sort_keys=False))
    generator = Path(sys.executable).with_name("openapi-python-client")
    config = ROOT / "config" / "openapi-python-client.yaml"
    package = tmp_path / "airudder_api"
    generate = ["generate", "--path", str(changed), "--config", str(config), "--meta", "none"]
    subprocess.run(
        [str(generator), *generate, "--output-path", str(package)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=300,
    )
    resources = [str(ROOT / "scripts" / "generate-resources"), "--generated", str(package), "--spec", str(changed)]
    subprocess.run(
        [sys.executable, *resources, "--out", str(tmp_path / "out")], check=True, capture_output=True, timeout=300
    )
    source = (tmp_path / "out" / "resources" / "workflows.py").read_text()
    assert "    def pause_task(" in source and "    async def pause_task(" in source
    assert "self._call(pause_workflow_task, self._options(timeout, max_retries, extra_headers), body=body)" in source
    assert "self.pause_task = to_raw(resource.pause_task)" in source
