"""The mock answers like AIRudder at the HTTP level: auth, validation errors, paging, faults, persistence."""

from __future__ import annotations

import logging
import random
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.routing import Route

from airudder.serving import bound_socket, serve
from airudder_mock import MockConfig, MockHandle, cli, running_mock
from airudder_mock.handle import WebhookSink

from ..waiting import wait_listening

AUTH = "/service/cloud/auth"
LIST = "/service/cloud/workflow/instancelist"
CREATE = "/service/cloud/workflow/createinstance"
DAY = 24 * 3600
JSON = {"content-type": "application/json"}


def token(http: httpx.Client, mock: Any) -> dict[str, str]:
    answer = http.post(AUTH, json={"APPKey": mock.app_key, "APPSecret": mock.app_secret})
    return {"Authorization": f"Token {answer.json()['data']['token']}"}


def new_workflow(http: httpx.Client, headers: dict[str, str], name: str = "n") -> str:
    body = {"workflow_template_id": 1, "name": name, "end_time": "2099-01-01T00:00:00Z"}
    answer = http.post(CREATE, json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    workflow_id: str = answer.json()["data"]["workflow_id"]
    return workflow_id


@pytest.fixture
def http(airudder_mock: MockHandle) -> Any:
    with httpx.Client(base_url=airudder_mock.base_url, timeout=10) as client:
        yield client


def test_a_token_lives_24_hours_of_mock_time_and_asking_again_extends_it(
    http: httpx.Client, airudder_mock: MockHandle
) -> None:
    headers = token(http, airudder_mock)
    airudder_mock.advance(DAY - 60)
    assert http.get(LIST, headers=headers).status_code == 200
    assert token(http, airudder_mock) == headers  # the same token, now valid for another 24 h
    airudder_mock.advance(DAY - 60)
    assert http.get(LIST, headers=headers).status_code == 200
    airudder_mock.advance(120)
    expired = http.get(LIST, headers=headers)
    assert expired.status_code == 401
    assert expired.json()["data"]["errors"][0]["field"] == "header.Authorization"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "field"),
    [
        ("POST", AUTH, {"json": {"APPKey": "mock-app-key", "APPSecret": "wrong"}}, 401, "body.APPSecret"),
        ("POST", AUTH, {"json": {"APPKey": "mock-app-key"}}, 400, "body.APPSecret"),
        ("POST", AUTH, {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "body"),
        ("POST", AUTH, {"content": b"APPKey=x", "headers": {"content-type": "text/plain"}}, 415, "header.Content-Type"),
        ("GET", LIST, {"params": {"size": 201}}, 400, "query.size"),
        ("GET", LIST, {"params": {"page": 0}}, 400, "query.page"),
        ("GET", LIST, {"params": {"page": "two"}}, 400, "query.page"),
        ("GET", LIST, {"params": {"start_time": "yesterday"}}, 400, "query.start_time"),
        ("POST", CREATE, {"json": {"workflow_template_id": 1, "name": "n"}}, 400, "body.end_time"),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": "1", "name": "n", "end_time": "2099-01-01T00:00:00Z"}},
            400,
            "body.workflow_template_id",
        ),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": 99, "name": "n", "end_time": "2099-01-01T00:00:00Z"}},
            404,
            "body.workflow_template_id",
        ),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": 1, "name": "n", "end_time": "2000-01-01T00:00:00Z"}},
            409,  # a valid time, but past: a conflict with the clock, not malformed data
            "body.end_time",
        ),
        ("GET", "/service/cloud/workflow/wabataskdetail", {"params": {"workflow_id": "w"}}, 400, "query.task_id"),
        (
            "GET",
            "/service/cloud/workflow/wabataskdetail",
            {"params": {"workflow_id": "w", "task_id": "t"}},
            404,
            "query.workflow_id",
        ),
        # what JSON allows but SQLite, UTF-8 or datetime do not: still the client's fault, never a 500
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": 2**70, "name": "n", "end_time": "2099-01-01T00:00:00Z"}},
            400,
            "body.workflow_template_id",
        ),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": 1, "name": "n", "end_time": "9999-12-31 23:59:59-12:00"}},
            400,
            "body.end_time",
        ),
        (
            "POST",
            CREATE,
            {
                "content": b'{"workflow_template_id": 1, "name": "n", "end_time": "2099-01-01T00:00:00Z", "x": NaN}',
                "headers": JSON,
            },
            400,
            "body",
        ),
        ("POST", CREATE, {"content": b'{"workflow_template_id": 1, "x": 1e400}', "headers": JSON}, 400, "body.x"),
        ("POST", CREATE, {"content": b"[" * 100_000 + b"]" * 100_000, "headers": JSON}, 400, "body"),
        (
            "POST",
            AUTH,
            {"content": b'{"APPKey": "mock-app-key", "APPSecret": "\\ud800"}', "headers": JSON},
            400,
            "body.APPSecret",
        ),
        ("GET", LIST, {"params": {"start_time": "0001-01-01 00:00:00+05:00"}}, 400, "query.start_time"),
    ],
)
def test_bad_input_gets_a_4xx_envelope_naming_the_field(
    http: httpx.Client,
    airudder_mock: MockHandle,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    field: str,
) -> None:
    if path != AUTH:
        kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), **token(http, airudder_mock)}}
    answer = http.request(method, path, **kwargs)
    assert answer.status_code == status
    body = answer.json()
    assert body["code"] == status and isinstance(body["status"], str)
    assert any(e["field"] == field for e in body["data"]["errors"]), body


def test_hundreds_of_random_bad_requests_never_get_a_5xx(http: httpx.Client, airudder_mock: MockHandle) -> None:
    rng = random.Random(1)
    headers = token(http, airudder_mock)
    paths = [
        AUTH,
        LIST,
        CREATE,
        "/service/cloud/workflow/taskdetail",
        "/service/cloud/workflow/detailinstances",
        "/service/cloud/workflow/apinoticeinfo",
        "/service/cloud/workflow/wabataskdetail",
        "/service/x",
    ]
    junk: list[Any] = [None, 0, -1, 2**70, "", "x" * 5000, [], {}, True, 1.5, "\x00", {"a": [1, {"b": None}]}]
    for _ in range(300):
        path = rng.choice(paths)
        body = {
            rng.choice(["APPKey", "name", "end_time", "workflow_id", "page", "size", "x"]): rng.choice(junk)
            for _ in range(rng.randint(0, 4))
        }
        params = {rng.choice(["page", "size", "workflow_id", "task_id", "start_time"]): str(rng.choice(junk))}
        content = rng.choice([None, bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))])
        answer = http.request(
            rng.choice(["GET", "POST", "PUT", "DELETE"]),
            path,
            params=params,
            headers=headers,
            **({"content": content} if content is not None else {"json": body}),
        )
        assert answer.status_code < 500, (path, params, body, answer.text)
        assert answer.json()["code"] == answer.status_code or answer.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("POST", "/clock", b'{"advance": NaN}', 400, "body"),
        ("POST", "/clock", b'{"advance": 1e300}', 400, "body.advance"),
        ("POST", "/clock", b'{"advance": -5}', 400, "body.advance"),
        ("POST", "/clock", b'{"speed": -1}', 400, "body.speed"),
        ("POST", "/clock", b'{"speed": 1e12}', 400, "body.speed"),
        ("POST", "/clock", b'{"advanse": 60}', 400, "body.advanse"),
        ("POST", "/clock", b"[60]", 400, "body"),
        (
            "POST",
            "/templates",
            b'{"id": 18446744073709551616, "name": "t", "nodes": [{"type": "call", "name": "c"}]}',
            400,
            "body.id",
        ),
        (
            "POST",
            "/templates",
            b'{"id": 9, "name": "t", "nodes": [{"type": "fax", "name": "c"}]}',
            400,
            "body.nodes.0.type",
        ),
        ("POST", "/templates", b'{"id": 9, "nodes": [{"type": "call", "name": "c"}]}', 400, "body.name"),
        ("POST", "/credentials", b'{"app_key": "k"}', 400, "body.app_secret"),
        (
            "POST",
            "/workflows/nope/contacts",
            b'{"contacts": [{"case_id": "c", "callee": "1"}]}',
            404,
            "path.workflow_id",
        ),
        ("POST", "/workflows/nope/contacts", b'{"contacts": [], "list_name": "l"}', 400, "body.contacts"),
        ("POST", "/workflows/nope/contacts", b'{"contacts": [{"callee": "1"}]}', 400, "body.contacts.0.case_id"),
        (
            "POST",
            "/workflows/nope/contacts",
            b'{"contacts": [{"case_id": "c", "callee": "1"}], "list_name": 5}',
            400,
            "body.list_name",
        ),
        ("POST", "/workflows/nope/stop", b"", 404, "path.workflow_id"),
        ("PUT", "/webhooks/targets", b'{"url": "ftp://x"}', 400, "body.url"),
        ("PUT", "/webhooks/targets", b'{"kind": ["call_completed"], "url": "http://x"}', 400, "body.kind"),
        ("PUT", "/webhooks/targets", b'{"kind": "fax_sent", "url": "http://x"}', 400, "body.kind"),
        ("PUT", "/webhooks/targets", b'{"url": "http://x", "workflow_id": {"a": 1}}', 400, "body.workflow_id"),
        ("PUT", "/webhooks/targets", b'{"url": "http://x", "workflow_id": "nope"}', 404, "body.workflow_id"),
        (
            "PUT",
            "/faults",
            b'{"operation_id": "list_workflow_tasks", "rate": "often", "status": 500}',
            400,
            "body.rate",
        ),
        ("PUT", "/faults", b'{"operation_id": "list_workflow_tasks", "status": 418}', 400, "body.status"),
        (
            "PUT",
            "/faults",
            b'{"operation_id": "list_workflow_tasks", "status": 429, "retry_after": 2.5}',
            400,
            "body.retry_after",
        ),
        ("PUT", "/faults", b'{"operation_id": "list_workflow_tasks", "drop": "yes"}', 400, "body.drop"),
        ("PUT", "/faults", b'{"operation_id": "list_workflow_tasks", "latency": 100}', 400, "body.latency"),
        ("PUT", "/faults", b'{"operation_id": ["list_workflow_tasks"], "drop": true}', 400, "body.operation_id"),
        ("GET", "/recordings/nope.wav", b"", 404, "path.call_id"),
        ("POST", "/nope", b"", 404, "path"),
    ],
)
def test_bad_admin_input_gets_a_4xx_envelope_naming_the_field(
    airudder_mock: MockHandle, method: str, path: str, body: bytes, status: int, field: str
) -> None:
    answer = airudder_mock.admin.request(method, path, content=body)
    assert answer.status_code == status, answer.text
    envelope = answer.json()
    assert envelope["code"] == status and any(e["field"] == field for e in envelope["data"]["errors"]), envelope
    clock = airudder_mock.admin.get("/clock")  # and nothing was left broken
    assert clock.status_code == 200 and clock.json()["data"]["speed"] == 0


def test_the_list_pages_newest_first_with_the_total_count(http: httpx.Client, airudder_mock: MockHandle) -> None:
    headers = token(http, airudder_mock)
    created = [new_workflow(http, headers, f"task-{i}") for i in range(25)]
    pages = [http.get(LIST, params={"page": p, "size": 10}, headers=headers).json()["data"] for p in (1, 2, 3, 4)]
    assert [page["count"] for page in pages] == [25] * 4
    assert [w["workflow_id"] for page in pages for w in page["lists"]] == created[::-1]
    assert [len(page["lists"]) for page in pages] == [10, 10, 5, 0]
    default = http.get(LIST, headers=headers).json()["data"]["lists"]
    assert len(default) == 20


def test_a_dropped_request_gets_no_answer_and_is_never_processed(http: httpx.Client, airudder_mock: MockHandle) -> None:
    headers = token(http, airudder_mock)
    errors = ErrorRecords()
    logging.getLogger("uvicorn.error").addHandler(errors)
    try:
        airudder_mock.admin.put("/faults", json={"operation_id": "create_workflow_task", "drop": True})
        for _ in range(3):
            with pytest.raises(httpx.TransportError):
                new_workflow(http, headers)
    finally:
        logging.getLogger("uvicorn.error").removeHandler(errors)
    assert airudder_mock.admin.get("/state").json()["workflows"] == []
    assert errors.records == []  # a clean drop: uvicorn did not try to answer 500 on the closed connection


class ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def test_faults_429_with_retry_after_and_dropped_connections(http: httpx.Client, airudder_mock: MockHandle) -> None:
    headers = token(http, airudder_mock)
    rule = {"operation_id": "list_workflow_tasks", "status": 429, "retry_after": 3}
    airudder_mock.admin.put("/faults", json=rule).raise_for_status()
    limited = http.get(LIST, headers=headers)
    assert (limited.status_code, limited.headers["Retry-After"], limited.json()["code"]) == (429, "3", 429)
    airudder_mock.admin.put("/faults", json={"operation_id": "list_workflow_tasks", "drop": True}).raise_for_status()
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(LIST, headers=headers)
    airudder_mock.admin.delete("/faults").raise_for_status()
    assert http.get(LIST, headers=headers).status_code == 200
    bad = airudder_mock.admin.put("/faults", json={"operation_id": "nope", "status": 500})
    assert bad.status_code == 400 and bad.json()["data"]["errors"][0]["field"] == "body.operation_id"


def test_state_survives_a_restart_with_a_db_file(tmp_path: Path) -> None:
    config = MockConfig(db=str(tmp_path / "mock.sqlite3"), speed=0)
    with running_mock(config) as mock, httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http:
        headers = token(http, mock)
        workflow_id = new_workflow(http, headers)
    with running_mock(config) as mock, httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http:
        assert http.get(LIST, headers=headers).json()["data"]["lists"][0]["workflow_id"] == workflow_id


def test_admin_templates_and_credentials_survive_a_restart_and_a_reset_brings_back_the_config(tmp_path: Path) -> None:
    config = MockConfig(db=str(tmp_path / "mock.sqlite3"), speed=0)
    renamed = {"id": 1, "name": "edited", "nodes": [{"type": "call", "name": "only call"}]}
    extra = {"APPKey": "second-key", "APPSecret": "second-secret"}
    with running_mock(config) as mock, httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http:
        http.post("/_mock/templates", json=renamed).raise_for_status()
        http.post(
            "/_mock/credentials", json={"app_key": "second-key", "app_secret": "second-secret"}
        ).raise_for_status()
    with running_mock(config) as mock, httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http:
        templates = {t["id"]: t["name"] for t in http.get("/_mock/templates").json()["data"]}
        assert templates[1] == "edited"
        assert http.post(AUTH, json=extra).json()["code"] == 200
        http.post("/_mock/reset").raise_for_status()
        assert {t["id"]: t["name"] for t in http.get("/_mock/templates").json()["data"]}[1] != "edited"
        assert http.post(AUTH, json=extra).status_code == 401
        assert http.post(AUTH, json={"APPKey": mock.app_key, "APPSecret": mock.app_secret}).status_code == 200


def test_a_restart_with_a_db_file_goes_on_with_the_clock_the_queue_and_the_webhooks(tmp_path: Path) -> None:
    config = MockConfig(db=str(tmp_path / "mock.sqlite3"), speed=0)
    received = WebhookSink()
    with bound_socket("127.0.0.1") as sock:  # bound, not yet serving: refuses connections
        target = {
            "kind": "workflow_status_changed",
            "url": f"http://127.0.0.1:{sock.getsockname()[1]}/workflow_status_changed",
        }
        with running_mock(config) as mock, httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http:
            http.post("/_mock/clock", json={"advance": 2 * DAY}).raise_for_status()  # far from the wall clock
            headers = token(http, mock)
            body = {"workflow_template_id": 1, "name": "n", "end_time": "2099-01-01T00:00:00Z", "auto_finish": 1}
            workflow_id = http.post(CREATE, json=body, headers=headers).json()["data"]["workflow_id"]
            http.put("/_mock/webhooks/targets", json=target).raise_for_status()
            before = http.post("/_mock/clock", json={"advance": 60}).json()["data"]["now"]
            state = http.get("/_mock/state").json()
            assert state["events"] and state["workflows"][0]["status"] == "running"  # redials still queued
            # a webhook being sent when the process is killed: claimed, never answered
            payload = {"workflow_id": workflow_id, "workflow_name": "n", "status": "running", "actions": []}
            mock.server.deliveries.enqueue("workflow_status_changed", payload, workflow_id, before)
            assert len(mock.server.deliveries.claim_due(before)) == 1
        app = Starlette(routes=[Route("/{kind}", received.receive, methods=["POST"])])
        with (
            serve(app, sock=sock),
            running_mock(config) as mock,
            httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http,
        ):
            assert http.get("/_mock/clock").json()["data"]["now"] >= before  # not back to the wall clock
            assert http.get("/_mock/state").json()["events"] == state["events"]
            http.post("/_mock/clock", json={"advance": 2 * 3600}).raise_for_status()
            [task] = http.get(LIST, headers=token(http, mock)).json()["data"]["lists"]
            assert (task["workflow_id"], task["status"]) == (workflow_id, "finished")
            assert len(http.get("/_mock/state").json()["calls"]) > len(state["calls"])
    statuses = [w["status"] for w in received.of("workflow_status_changed")]
    assert statuses == ["running", "finished"]  # the interrupted delivery made again, then the queue's own


def test_the_cli_serves_the_mock(tmp_path: Path) -> None:
    with running_mock() as probe:  # a free port: bind, learn it, release it
        port = int(probe.base_url.rsplit(":", 1)[1])
    command = [
        sys.executable,
        "-m",
        "airudder_mock",
        "serve",
        "--port",
        str(port),
        "--credentials",
        "k:s",
        "--fault",
        "get_waba_task_details:status=503,rate=1",
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, server)
        answer = httpx.post(f"http://127.0.0.1:{port}{AUTH}", json={"APPKey": "k", "APPSecret": "s"})
        assert answer.status_code == 200
        faulty = httpx.get(f"http://127.0.0.1:{port}/service/cloud/workflow/wabataskdetail")
        assert faulty.status_code == 503
    finally:
        server.terminate()
        server.wait(10)


def test_serve_help_explains_every_option_and_points_at_the_admin_api() -> None:
    result = CliRunner().invoke(cli.main, ["serve", "--help"])
    assert result.exit_code == 0 and "/_mock/" in result.output
    undocumented = [p.name for p in cli.serve.params if isinstance(p, click.Option) and not p.help]
    assert undocumented == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--webhook-url", "call_complete=http://127.0.0.1:9/"], "--webhook-url"),
        (["--webhook-url", "ftp://127.0.0.1/"], "--webhook-url"),
        (["--fault", "no_such_operation:status=500"], "--fault"),
        (["--fault", "list_workflow_tasks:status=abc"], "--fault"),
        (["--fault", "list_workflow_tasks:drop=maybe"], "--fault"),
        (["--fault", "list_workflow_tasks:rate=2,status=500"], "--fault"),
        (["--speed", "-1"], "--speed"),
        (["--speed", "nan"], "--speed"),
        (["--credentials", "key-without-secret"], "--credentials"),
        (["--db", "/nonexistent-dir/mock.sqlite3"], "--db"),
    ],
)
def test_bad_cli_options_are_usage_errors_naming_the_option(args: list[str], named: str) -> None:
    result = CliRunner().invoke(cli.main, ["serve", "--port", "0", *args])
    assert result.exit_code == 2, result.output
    assert named in result.output and "Traceback" not in result.output


def test_a_webhook_url_may_carry_a_query_with_equals_signs() -> None:
    assert cli.parse_webhook_url("call_completed=http://h/hook?a=b") == ("call_completed", "http://h/hook?a=b")
    assert cli.parse_webhook_url("http://h/hook?kind=x") == ("*", "http://h/hook?kind=x")


def test_running_mock_closes_its_server_threads_and_database_even_when_the_block_fails() -> None:
    before = set(threading.enumerate())
    with pytest.raises(RuntimeError, match="the test failed"), running_mock(MockConfig(speed=1)) as mock:
        base_url, store = mock.base_url, mock.server.repo.store
        raise RuntimeError("the test failed")
    assert [t for t in threading.enumerate() if t not in before] == []
    with pytest.raises(sqlite3.ProgrammingError):
        store.db.execute("SELECT 1")
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}{LIST}")
