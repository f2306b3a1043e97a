"""The mock answers like AIRudder at the HTTP level: auth, validation errors, paging, faults, persistence."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from airudder_mock import MockConfig, running_mock
from airudder_mock.pytest_plugin import MockHandle

AUTH = "/service/cloud/auth"
LIST = "/service/cloud/workflow/instancelist"
CREATE = "/service/cloud/workflow/createinstance"
DAY = 24 * 3600


def token(http: httpx.Client, mock: Any) -> dict[str, str]:
    answer = http.post(AUTH, json={"APPKey": mock.app_key, "APPSecret": mock.app_secret})
    return {"Authorization": f"Token {answer.json()['data']['token']}"}


def new_workflow(http: httpx.Client, headers: dict[str, str], name: str = "n") -> str:
    body = {"workflow_template_id": 1, "name": name, "end_time": "2099-01-01 00:00:00"}
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
        ("POST", AUTH, {"json": {"APPKey": "mock-app-key"}}, 400, "body"),
        ("POST", AUTH, {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "body"),
        ("POST", AUTH, {"content": b"APPKey=x", "headers": {"content-type": "text/plain"}}, 415, "header.Content-Type"),
        ("GET", LIST, {"params": {"size": 201}}, 400, "query.size"),
        ("GET", LIST, {"params": {"page": 0}}, 400, "query.page"),
        ("GET", LIST, {"params": {"page": "two"}}, 400, "query.page"),
        ("GET", LIST, {"params": {"start_time": "yesterday"}}, 400, "query.start_time"),
        ("POST", CREATE, {"json": {"workflow_template_id": 1, "name": "n"}}, 400, "body"),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": "1", "name": "n", "end_time": "2099-01-01"}},
            400,
            "body.workflow_template_id",
        ),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": 99, "name": "n", "end_time": "2099-01-01"}},
            404,
            "body.workflow_template_id",
        ),
        (
            "POST",
            CREATE,
            {"json": {"workflow_template_id": 1, "name": "n", "end_time": "2000-01-01"}},
            400,
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


def test_the_list_pages_newest_first_with_the_total_count(http: httpx.Client, airudder_mock: MockHandle) -> None:
    headers = token(http, airudder_mock)
    created = [new_workflow(http, headers, f"task-{i}") for i in range(25)]
    pages = [http.get(LIST, params={"page": p, "size": 10}, headers=headers).json()["data"] for p in (1, 2, 3, 4)]
    assert [page["count"] for page in pages] == [25] * 4
    assert [w["workflow_id"] for page in pages for w in page["lists"]] == created[::-1]
    assert [len(page["lists"]) for page in pages] == [10, 10, 5, 0]
    default = http.get(LIST, headers=headers).json()["data"]["lists"]
    assert len(default) == 20


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
    with running_mock(config) as mock, httpx.Client(base_url=mock.base_url) as http:
        headers = token(http, mock)
        workflow_id = new_workflow(http, headers)
    with running_mock(config) as mock, httpx.Client(base_url=mock.base_url) as http:
        assert http.get(LIST, headers=headers).json()["data"]["lists"][0]["workflow_id"] == workflow_id


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
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.post(f"http://127.0.0.1:{port}{AUTH}", json={"APPKey": "k", "APPSecret": "s"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the CLI did not start"
                time.sleep(0.1)
        assert answer.status_code == 200
        faulty = httpx.get(f"http://127.0.0.1:{port}/service/cloud/workflow/wabataskdetail")
        assert faulty.status_code == 503
    finally:
        server.terminate()
        server.wait(10)
