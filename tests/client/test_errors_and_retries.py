"""Typed errors from the HTTP status and the body code; retries only where a request is safe to repeat."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

import airudder
from airudder_api.api.auth import get_token
from airudder_api.api.outbound_tasks import get_outbound_task_details
from airudder_api.api.waba import get_waba_task_details
from airudder_api.api.workflows import create_workflow_task, list_workflow_tasks
from airudder_api.models import CreateWorkflowTaskRequest, ErrorEnvelope, OutboundTaskDetailsRequest, TokenRequest
from airudder_mock import MockConfig, running_mock

from .conftest import TOKEN_BODY, InProcessMock, Site, on_loopback, serve_routes

FAST = airudder.RetryPolicy(attempts=4, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)
LIST = "/service/cloud/workflow/instancelist"
CREATE = "/service/cloud/workflow/createinstance"


async def token(request: Request) -> JSONResponse:
    return JSONResponse(TOKEN_BODY)


def scripted_client(site: Site, **kwargs: Any) -> airudder.Client:
    options = site.client_options()
    return airudder.Client(app_key="k", app_secret="s", **options, retries=FAST, raise_for_errors=True, **kwargs)


def answering(*answers: Response) -> tuple[Route, list[int]]:
    """A list operation that gives `answers` in turn (then the last one again), counting the calls."""
    calls: list[int] = []

    async def endpoint(request: Request) -> Response:
        calls.append(1)
        return answers[min(len(calls), len(answers)) - 1]

    return Route(LIST, endpoint), calls


def envelope(
    code: int, status: str = "error", http: int | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"data": None, "status": status, "code": code}, status_code=http or code, headers=headers)


@pytest.mark.parametrize(
    ("answer", "error", "code"),
    [
        (envelope(400), airudder.BadRequestError, 400),
        (envelope(403), airudder.PermissionDeniedError, 403),
        (envelope(404), airudder.NotFoundError, 404),
        (envelope(500), airudder.ServerError, 500),
        (envelope(403, http=200), airudder.PermissionDeniedError, 403),
        (envelope(500, http=200), airudder.ServerError, 500),
        (PlainTextResponse("<html>bad gateway</html>", status_code=502), airudder.ServerError, None),
        (PlainTextResponse("ok?", status_code=200), airudder.UnexpectedResponseError, None),
    ],
)
def test_each_documented_code_is_its_own_error(answer: Response, error: type[airudder.APIError], code: int) -> None:
    route, _ = answering(answer)
    with (
        serve_routes([Route("/service/cloud/auth", token, methods=["POST"]), route]) as site,
        scripted_client(site) as c,
    ):
        with pytest.raises(error) as caught:
            list_workflow_tasks.sync(client=c)
    assert (caught.value.code, caught.value.operation) == (code, "list_workflow_tasks")


def test_validation_errors_name_the_field_and_raw_mode_keeps_the_generated_response(mock: InProcessMock) -> None:
    base = mock.credentials()
    with airudder.Client(**base, raise_for_errors=True) as typed, pytest.raises(airudder.BadRequestError) as caught:
        list_workflow_tasks.sync(client=typed, size=500)
    assert caught.value.errors == [{"field": "query.size", "message": "500 is greater than the maximum of 200"}]
    with airudder.Client(**base, raise_for_errors=False) as raw:
        response = list_workflow_tasks.sync_detailed(client=raw, size=500)
    assert response.status_code == 400 and isinstance(response.parsed, ErrorEnvelope)
    with airudder.Client(**base, raise_for_errors=True) as typed, pytest.raises(airudder.NotFoundError):
        get_waba_task_details.sync(client=typed, workflow_id="nope", task_id="nope")


def test_429_is_retried_after_retry_after_then_succeeds(caplog: pytest.LogCaptureFixture) -> None:
    ok = JSONResponse({"data": {"lists": [], "count": 0}, "status": "OK", "code": 200})
    route, calls = answering(envelope(429, headers={"Retry-After": "0.2"}), envelope(503), ok)
    caplog.set_level(logging.INFO, logger="airudder")
    with (
        serve_routes([Route("/service/cloud/auth", token, methods=["POST"]), route]) as site,
        scripted_client(site) as c,
    ):
        assert list_workflow_tasks.sync(client=c) is not None
    assert len(calls) == 3
    waits = [r.wait for r in caplog.records if hasattr(r, "wait")]  # the retry lines (see test_conveniences)
    assert waits[0] == 0.2 and waits[1] <= FAST.wait_max + FAST.wait_jitter  # the server's wait, then our backoff
    attempts = [r for r in caplog.records if r.name == "airudder" and getattr(r, "path", "") == LIST]
    assert [(r.status, r.attempt) for r in attempts] == [(429, 1), (503, 2), (200, 3)]  # type: ignore[attr-defined]
    assert all(r.method == "GET" and r.duration_ms >= 0 for r in attempts)  # type: ignore[attr-defined]


def test_retries_are_bounded_and_the_last_answer_is_a_typed_error() -> None:
    route, calls = answering(envelope(429, headers={"Retry-After": "0"}))
    with (
        serve_routes([Route("/service/cloud/auth", token, methods=["POST"]), route]) as site,
        scripted_client(site) as c,
    ):
        with pytest.raises(airudder.RateLimitError) as caught:
            list_workflow_tasks.sync(client=c)
    assert len(calls) == FAST.attempts and caught.value.retry_after == 0


def test_a_timed_out_create_is_not_sent_again() -> None:
    calls: list[int] = []

    async def slow_create(request: Request) -> JSONResponse:
        calls.append(1)
        await asyncio.sleep(1.0)
        return JSONResponse({"data": {}, "status": "OK", "code": 200})

    routes = [Route("/service/cloud/auth", token, methods=["POST"]), Route(CREATE, slow_create, methods=["POST"])]
    body = CreateWorkflowTaskRequest(workflow_template_id=1, name="n", end_time="2099-01-01T00:00:00Z")
    with on_loopback(routes) as site, scripted_client(site, timeout=httpx.Timeout(0.3)) as c:  # a real read timeout
        with pytest.raises(airudder.APITimeoutError) as caught:
            create_workflow_task.sync(client=c, body=body)
    assert calls == [1]
    assert caught.value.operation == "create_workflow_task" and caught.value.request_sent
    assert "the request was sent; the workflow task may exist: check with list_workflow_tasks before retrying" in str(
        caught.value
    )
    assert isinstance(caught.value, airudder.AIRudderError) and isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_a_dropped_connection_is_retried_for_a_read() -> None:
    rule = {"operation_id": "list_workflow_tasks", "drop": True, "rate": 0.5}
    policy = airudder.RetryPolicy(attempts=10, wait_initial=0.01, wait_max=0.02, wait_jitter=0.01)
    # a real server on loopback: a dropped connection is a network event, which no in-process transport has
    with running_mock(MockConfig(speed=0)) as served:
        served.admin.put("/faults", json=rule).raise_for_status()
        base = {"app_key": served.app_key, "app_secret": served.app_secret, "base_url": served.base_url}
        with airudder.Client(**base, retries=policy, raise_for_errors=True) as client:
            for _ in range(10):
                assert list_workflow_tasks.sync(client=client) is not None


def test_secrets_stay_out_of_logs_reprs_and_errors(mock: InProcessMock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = mock.app_secret
    with airudder.Client(**mock.credentials(), raise_for_errors=True) as client:
        list_workflow_tasks.sync(client=client)
        token = client.auth.token()
        with pytest.raises(airudder.BadRequestError) as caught:
            list_workflow_tasks.sync(client=client, size=999)
        texts = [caplog.text, repr(client), repr(client.auth), str(caught.value), repr(caught.value)]
        texts += [repr(caught.value.response.request), repr(caught.value.response.request.headers)]
    with airudder.Client(app_key="k", app_secret=secret, **mock.site.client_options()) as wrong:
        with pytest.raises(airudder.AuthenticationError) as refused:
            list_workflow_tasks.sync(client=wrong)
    texts += [str(refused.value), repr(refused.value)]
    assert token and not [t for t in texts if secret in t or token in t]


def test_behind_a_gateway_path_prefix_queries_retry_and_errors_name_the_operation() -> None:
    """A base URL with a path (a gateway in front of AIRudder) keeps retries, the token call and error names."""
    detail_calls: list[str | None] = []
    token_headers: list[str | None] = []

    async def gateway_token(request: Request) -> JSONResponse:
        token_headers.append(request.headers.get("Authorization"))
        return JSONResponse(TOKEN_BODY)

    async def task_detail(request: Request) -> Response:
        detail_calls.append(request.headers.get("Authorization"))
        return envelope(503) if len(detail_calls) < 3 else envelope(404, status="no such workflow")

    routes = [
        Route("/gw/service/cloud/auth", gateway_token, methods=["POST"]),
        Route("/gw/service/cloud/workflow/taskdetail", task_detail, methods=["POST"]),
    ]
    with serve_routes(routes) as site, scripted_client(Site(f"{site.base_url}/gw", site.transport)) as c:
        with pytest.raises(airudder.NotFoundError) as caught:
            get_outbound_task_details.sync(client=c, body=OutboundTaskDetailsRequest(workflow_id="w"))
        assert get_token.sync(client=c, body=TokenRequest(app_key="k", app_secret="s")) is not None
    assert caught.value.operation == "get_outbound_task_details"
    assert detail_calls == ["Token t0k3n-abc"] * 3  # two 503s retried: the POST query is x-idempotent
    assert token_headers == [None, None]  # the token call, ours and the user's, carries no token


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "OK", "code": 200}, "body"),  # no data: the generated parser would raise KeyError
        (
            {"data": {"lists": [{"workflow_id": 5}], "count": 1}, "status": "OK", "code": 200},
            "data.lists.0.workflow_id",
        ),
        ({"data": {"lists": None, "count": 1}, "status": "OK", "code": 200}, "data.lists"),
    ],
)
def test_a_success_that_breaks_the_spec_is_a_typed_error_naming_the_field(body: dict[str, Any], field: str) -> None:
    route, _ = answering(JSONResponse(body))
    with (
        serve_routes([Route("/service/cloud/auth", token, methods=["POST"]), route]) as site,
        scripted_client(site) as c,
    ):
        with pytest.raises(airudder.UnexpectedResponseError) as caught:
            list_workflow_tasks.sync(client=c)
    assert caught.value.operation == "list_workflow_tasks" and caught.value.errors[0]["field"] == field
    assert field in str(caught.value)


def test_a_body_is_decoded_once_for_our_checks_and_the_generated_parser() -> None:
    ok = JSONResponse({"data": {"lists": [], "count": 0.5e1}, "status": "OK", "code": 200})
    route, _ = answering(ok)
    with (
        serve_routes([Route("/service/cloud/auth", token, methods=["POST"]), route]) as site,
        scripted_client(site) as c,
    ):
        answer = c.get_httpx_client().get(LIST)
    assert answer.json() is answer.json() and answer.json()["data"]["count"] == 5.0
    assert answer.json(parse_float=str)["data"]["count"] == "5.0"  # arguments for json.loads: decoded again
