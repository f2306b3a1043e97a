"""What users expect from the clients they like: ConflictError, a full raw answer, retries on the `airudder` logger,
per-call options and `with_options`, and webhook parsing from bytes, text or a decoded dict."""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import airudder
from airudder import webhooks

from .conftest import TOKEN_BODY, InProcessMock, serve_routes

FAST = airudder.RetryPolicy(attempts=4, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)
LIST = "/service/cloud/workflow/instancelist"
CREATE = "/service/cloud/workflow/createinstance"
END = "2030-01-01 00:00:00+07:00"
OK_PAGE = {"data": {"lists": [], "count": 0}, "status": "OK", "code": 200}


async def token(request: Request) -> JSONResponse:
    return JSONResponse(TOKEN_BODY)


def recording(path: str, *answers: Response, methods: list[str] | None = None) -> tuple[Route, list[Request]]:
    """A route that gives `answers` in turn (then the last one again), keeping each request."""
    seen: list[Request] = []

    async def endpoint(request: Request) -> Response:
        seen.append(request)
        return answers[min(len(seen), len(answers)) - 1]

    return Route(path, endpoint, methods=methods or ["GET"]), seen


def routes(*more: Route) -> list[Route]:
    return [Route("/service/cloud/auth", token, methods=["POST"]), *more]


def envelope(code: int, http: int | None = None) -> JSONResponse:
    return JSONResponse({"data": None, "status": "conflict", "code": code}, status_code=http or code)


# ConflictError ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [envelope(409), envelope(409, http=200)], ids=["http-409", "body-code-409"])
def test_a_409_is_a_conflict_error_that_old_except_clauses_still_catch(answer: Response) -> None:
    route, _ = recording(CREATE, answer, methods=["POST"])
    with (
        serve_routes(routes(route)) as site,
        airudder.Client(app_key="k", app_secret="s", **site.client_options()) as c,
    ):
        with pytest.raises(airudder.BadRequestError) as caught:
            c.workflows.create(workflow_template_id=1, name="n", end_time=END)
    assert type(caught.value) is airudder.ConflictError
    assert (caught.value.code, caught.value.operation) == (409, "create_workflow_task")


def test_the_mock_answers_a_past_end_time_with_a_conflict_error(mock: InProcessMock) -> None:
    with airudder.Client(**mock.credentials()) as c, pytest.raises(airudder.ConflictError) as caught:
        c.workflows.create(workflow_template_id=1, name="late", end_time="2001-01-01 00:00:00+00:00")
    assert caught.value.status_code == 409


# the raw answer ---------------------------------------------------------------------------------------------


def test_a_raw_answer_has_its_json_text_request_and_elapsed_time(mock: InProcessMock) -> None:
    with airudder.Client(**mock.credentials()) as c:
        raw = c.workflows.with_raw_response.create(workflow_template_id=1, name="raw", end_time=END)
    body = raw.json()
    assert isinstance(body, dict) and body["code"] == 200 and json.loads(raw.text) == body
    assert raw.http_request.method == "POST" and raw.http_request.url.path == CREATE
    assert raw.http_request.headers["Authorization"].startswith("Token ")
    assert isinstance(raw.elapsed, datetime.timedelta) and raw.elapsed >= datetime.timedelta(0)
    assert raw.parse().workflow_id == body["data"]["workflow_id"]


def test_an_async_raw_page_answer_has_the_same_fields(mock: InProcessMock) -> None:
    async def main() -> airudder.RawResponse[Any]:
        options = {**mock.credentials(), "transport": mock.async_transport()}
        async with airudder.AsyncClient(**options) as c:
            return await c.workflows.with_raw_response.list(extra_headers={"X-Trace": "t-1"})

    raw = asyncio.run(main())
    assert raw.http_request.url.path == LIST and raw.http_request.headers["X-Trace"] == "t-1"
    assert raw.elapsed >= datetime.timedelta(0) and "lists" in raw.text
    assert raw.json() == json.loads(raw.content)


# retries on the `airudder` logger ----------------------------------------------------------------------------


def test_each_retry_is_one_line_on_the_airudder_logger(caplog: pytest.LogCaptureFixture) -> None:
    route, seen = recording(LIST, envelope(503), envelope(502), JSONResponse(OK_PAGE))
    caplog.set_level(logging.INFO)
    with (
        serve_routes(routes(route)) as site,
        airudder.Client(app_key="k", app_secret="s", retries=FAST, **site.client_options()) as c,
    ):
        assert list(c.workflows.list()) == []
    lines = [r for r in caplog.records if hasattr(r, "wait")]
    assert [(r.name, r.operation, r.attempt, r.cause) for r in lines] == [  # type: ignore[attr-defined]
        ("airudder", "list_workflow_tasks", 1, "HTTP 503"),
        ("airudder", "list_workflow_tasks", 2, "HTTP 502"),
    ]
    assert all(0 < r.wait <= FAST.wait_max + FAST.wait_jitter for r in lines)  # type: ignore[attr-defined]
    assert lines[0].getMessage().startswith("list_workflow_tasks: attempt 1 failed (HTTP 503); retrying in 0.")
    assert not [r for r in caplog.records if r.name.startswith("stamina")]
    assert len(seen) == 3


def test_nothing_is_printed_on_stderr_when_logging_is_not_set_up() -> None:
    program = textwrap.dedent(
        """
        import stamina
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse
        from starlette.routing import Route
        import airudder
        from airudder.serving import ASGIAppTransport

        calls = []
        async def token(request):
            return JSONResponse({"data": {"token": "t"}, "status": "OK", "code": 200})
        async def page(request):
            calls.append(1)
            if len(calls) <= 2:
                return JSONResponse({"data": None, "status": "busy", "code": 503}, 503)
            return JSONResponse({"data": {"lists": [], "count": 0}, "status": "OK", "code": 200})
        app = Starlette(routes=[
            Route("/service/cloud/auth", token, methods=["POST"]),
            Route("/service/cloud/workflow/instancelist", page),
        ])
        policy = airudder.RetryPolicy(attempts=4, wait_initial=0.01, wait_max=0.02, wait_jitter=0.0)
        site = {"base_url": "http://t.test", "transport": ASGIAppTransport(app)}
        with airudder.Client(app_key="k", app_secret="s", retries=policy, **site) as c:
            assert list(c.workflows.list()) == []
        # another library's stamina retries still reach stamina's own hooks
        others = []
        stamina.instrumentation.set_on_retry_hooks([lambda details: others.append(details.retry_num)])
        airudder.Client(app_key="k", app_secret="s")
        @stamina.retry(on=ValueError, attempts=2, wait_initial=0.0, wait_jitter=0.0)
        def flaky():
            if not others:
                raise ValueError("once")
        flaky()
        print(len(calls), others)
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (done.stdout.strip(), done.stderr) == ("3 [1]", "")


# per-call options and with_options -------------------------------------------------------------------------


def test_per_call_headers_timeout_and_retries_reach_the_request() -> None:
    route, seen = recording(LIST, envelope(503))
    created, _ = recording(
        CREATE, JSONResponse({"data": {"workflow_id": "w"}, "status": "OK", "code": 200}), methods=["POST"]
    )
    with (
        serve_routes(routes(route, created)) as site,
        airudder.Client(app_key="k", app_secret="s", retries=FAST, **site.client_options()) as c,
    ):
        with pytest.raises(airudder.ServerError):
            list(c.workflows.list(max_retries=0, extra_headers={"X-Trace": "abc"}))
        assert len(seen) == 1 and seen[0].headers["x-trace"] == "abc"
        with pytest.raises(airudder.ServerError):
            list(c.workflows.list(max_retries=1))
        assert len(seen) == 3 and "x-trace" not in seen[2].headers
        raw = c.workflows.with_raw_response.create(
            workflow_template_id=1, name="n", end_time=END, timeout=2.5, extra_headers={"X-A": "1"}
        )
    assert raw.http_request.extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    assert raw.http_request.headers["X-A"] == "1"


def test_every_page_of_a_list_carries_the_calls_options(mock: InProcessMock) -> None:
    with airudder.Client(**mock.credentials()) as c:
        for n in range(3):
            c.workflows.create(workflow_template_id=1, name=f"w{n}", end_time=END)
        seen: list[httpx.Request] = []
        c.get_httpx_client().event_hooks["request"].append(seen.append)
        tasks = list(c.workflows.list(page_size=1, extra_headers={"X-Trace": "pages"}))
    assert len(tasks) == 3 and len(seen) == 3
    assert all(r.headers["X-Trace"] == "pages" for r in seen)


def test_with_options_is_a_copy_sharing_the_pool_and_the_token() -> None:
    route, seen = recording(LIST, envelope(503))
    created, _ = recording(
        CREATE, JSONResponse({"data": {"workflow_id": "w"}, "status": "OK", "code": 200}), methods=["POST"]
    )
    with (
        serve_routes(routes(route, created)) as site,
        airudder.Client(app_key="k", app_secret="s", retries=FAST, **site.client_options()) as c,
    ):
        patient = c.with_options(timeout=7, max_retries=1)
        assert patient is not c and patient.get_httpx_client() is c.get_httpx_client() and patient.auth is c.auth
        with pytest.raises(airudder.ServerError):
            list(patient.workflows.list())
        assert len(seen) == 2 and seen[0].headers["authorization"] == "Token t0k3n-abc"
        with pytest.raises(airudder.ServerError):
            list(c.workflows.list())  # the original keeps its own policy: 4 attempts
        assert len(seen) == 6 and c.auth.exchanges == 1
        raw = patient.workflows.with_raw_response.create(workflow_template_id=1, name="n", end_time=END)
        assert raw.http_request.extensions["timeout"] == httpx.Timeout(7).as_dict()
        c.with_headers({"X-Team": "ops"})  # in place, as documented: the copy shares it
        with pytest.raises(airudder.ServerError):
            list(patient.workflows.list(max_retries=0))
        assert seen[-1].headers["x-team"] == "ops"


def test_with_options_refuses_a_negative_retry_count() -> None:
    with airudder.Client(app_key="k", app_secret="s") as c, pytest.raises(ValueError, match="max_retries"):
        c.with_options(max_retries=-1)


# webhooks.parse ----------------------------------------------------------------------------------------------

STATUS = {"workflow_id": "w1", "workflow_name": "n", "status": "finished", "actions": []}


@pytest.mark.parametrize(
    "body", [json.dumps(STATUS).encode(), json.dumps(STATUS), STATUS], ids=["bytes", "str", "dict"]
)
def test_parse_takes_bytes_text_or_a_decoded_dict(body: bytes | str | dict[str, object]) -> None:
    event = webhooks.parse("workflow_status_changed", body)
    assert (event.workflow_id, event.status) == ("w1", "finished")


@pytest.mark.parametrize("body", [[STATUS], 12, None], ids=["list", "int", "None"])
def test_parse_refuses_anything_else_with_a_type_error_naming_the_type(body: Any) -> None:
    with pytest.raises(TypeError, match=f"not {type(body).__name__}$"):
        webhooks.parse("workflow_status_changed", body)


def test_a_decoded_dict_is_validated_like_bytes() -> None:
    with pytest.raises(webhooks.InvalidPayload) as caught:
        webhooks.parse("workflow_status_changed", {**STATUS, "status": 3})
    assert caught.value.field == "status"


# times ---------------------------------------------------------------------------------------------------------

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def test_an_aware_datetime_is_sent_in_the_docs_format_and_a_string_unchanged() -> None:
    listed, pages = recording(LIST, JSONResponse(OK_PAGE))
    created, bodies = recording(
        CREATE, JSONResponse({"data": {"workflow_id": "w"}, "status": "OK", "code": 200}), methods=["POST"]
    )
    with (
        serve_routes(routes(listed, created)) as site,
        airudder.Client(app_key="k", app_secret="s", **site.client_options()) as c,
    ):
        c.workflows.create(
            workflow_template_id=1, name="n", end_time=datetime.datetime(2022, 12, 12, 12, 34, 56, 789, JAKARTA)
        )
        c.workflows.create(workflow_template_id=1, name="n", end_time="2022-12-12T05:34:56Z")
        start = datetime.datetime(2022, 9, 27, 7, 58, 31, tzinfo=datetime.UTC)
        assert list(c.workflows.list(start_time=start, end_time="2022-10-27T07:58:31Z")) == []
    sent = [asyncio.run(r.json())["end_time"] for r in bodies]
    assert sent == ["2022-12-12 12:34:56+07:00", "2022-12-12T05:34:56Z"]
    assert pages[0].query_params["start_time"] == "2022-09-27 07:58:31+00:00"
    assert pages[0].query_params["end_time"] == "2022-10-27T07:58:31Z"


def test_an_aware_datetime_reaches_the_mock_as_a_time_it_accepts(mock: InProcessMock) -> None:
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)
    with airudder.Client(**mock.credentials()) as c:
        created = c.workflows.create(workflow_template_id=1, name="dt", end_time=soon.astimezone(JAKARTA))
        ids = c.workflows.query_ids(start_time=soon - datetime.timedelta(days=9), end_time=soon)
    assert created.workflow_id and ids is not None


@pytest.mark.parametrize("field", ["start_time", "end_time"])
def test_a_naive_datetime_is_refused_naming_the_operation_and_the_field(field: str) -> None:
    times: dict[str, str | datetime.datetime] = {
        "start_time": "2022-09-27T07:58:31Z",
        "end_time": "2022-10-27 00:00:00Z",
    }
    times[field] = datetime.datetime(2022, 10, 1, 12, 0)
    with airudder.Client(app_key="k", app_secret="s", base_url="http://never.test") as c:
        with pytest.raises(
            airudder.NaiveDatetimeError, match=f"^query_workflow_ids: {field}: 2022-10-01 12:00:00 has no"
        ):
            c.workflows.query_ids(**times)  # type: ignore[arg-type]
