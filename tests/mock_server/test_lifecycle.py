"""A workflow on the mock runs like one on AIRudder: calls, recordings, WABA messages, webhooks, stop/cancel."""

from __future__ import annotations

import collections
import io
import itertools
import json
import threading
import time
import wave
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import airudder_spec
from airudder.serving import serve
from airudder_api import AuthenticatedClient
from airudder_api.api.outbound_tasks import get_outbound_task_details
from airudder_api.api.waba import get_waba_task_details
from airudder_api.api.workflows import create_workflow_task, list_workflow_tasks
from airudder_api.models import (
    CreatedWorkflowTask,
    CreateWorkflowTaskRequest,
    CreateWorkflowTaskResponse,
    OutboundTaskDetailsRequest,
    OutboundTaskDetailsResponse,
    WabaTaskDetailsResponse,
    WorkflowTaskListResponse,
)
from airudder_mock import MockConfig, MockHandle, running_mock
from airudder_mock.clock import iso
from airudder_mock.server import PUMP_INTERVAL

AUTH, CREATE = "/service/cloud/auth", "/service/cloud/workflow/createinstance"

HOUR = 3600.0


def create(api: AuthenticatedClient, template_id: int, auto_finish: int = 1, **extra: Any) -> str:
    body = CreateWorkflowTaskRequest(
        workflow_template_id=template_id,
        name="july-collection",
        end_time="2099-12-31 23:59:59+07:00",
        auto_finish=auto_finish,
    )
    body.additional_properties.update(extra)
    created = create_workflow_task.sync(client=api, body=body)
    assert isinstance(created, CreateWorkflowTaskResponse), created
    assert isinstance(created.data, CreatedWorkflowTask) and isinstance(created.data.workflow_id, str)
    workflow_id: str = created.data.workflow_id
    return workflow_id


def workflows(api: AuthenticatedClient, **params: Any) -> WorkflowTaskListResponse:
    listed = list_workflow_tasks.sync(client=api, **params)
    assert isinstance(listed, WorkflowTaskListResponse), listed
    return listed


def calls(api: AuthenticatedClient, workflow_id: str) -> list[dict[str, Any]]:
    body = OutboundTaskDetailsRequest(workflow_id=workflow_id, size=200)
    detail = get_outbound_task_details.sync(client=api, body=body)
    assert isinstance(detail, OutboundTaskDetailsResponse) and detail.data is not None, detail
    found: list[dict[str, Any]] = detail.data.to_dict()["list"]
    return found


def test_a_workflow_calls_its_contacts_sends_waba_and_finishes(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    workflow_id = create(api, template_id=2)
    airudder_mock.admin.post(
        f"/workflows/{workflow_id}/contacts",
        json={"list_name": "batch-2", "contacts": [{"case_id": "loan-77", "callee": "+6281100000077"}]},
    ).raise_for_status()
    assert workflows(api).data.lists[0].status == "running"

    airudder_mock.advance(2 * HOUR)

    task = workflows(api).data.lists[0]
    assert (task.workflow_id, task.status, task.total) == (workflow_id, "finished", 4)
    made = calls(api, workflow_id)
    assert {c["case_id"] for c in made} == {"case-1-1", "case-1-2", "case-1-3", "loan-77"}
    answered = [c for c in made if c["status"] == "answered"]
    assert answered and all(c["recording_url"] for c in answered)
    recording = httpx.get(answered[0]["recording_url"])
    assert recording.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(recording.content)) as audio:
        assert audio.getnframes() > 0

    state = airudder_mock.admin.get("/state").json()
    waba_task = next(n["task_id"] for n in state["nodes"] if n["node_type"] == "waba")
    waba = get_waba_task_details.sync(client=api, workflow_id=workflow_id, task_id=waba_task)
    assert isinstance(waba, WabaTaskDetailsResponse) and waba.data.total == 4
    assert {r.status for r in waba.data.list_} <= {"read", "failed"}

    finished = airudder_mock.webhooks.of("workflow_status_changed")
    assert [(w["workflow_id"], w["status"]) for w in finished] == [(workflow_id, "finished")]
    assert len(airudder_mock.webhooks.of("workflow_list_completed")) == 4
    assert len(airudder_mock.webhooks.of("call_completed")) == 4


def test_every_webhook_sent_conforms_to_its_schema(api: AuthenticatedClient, airudder_mock: MockHandle) -> None:
    create(api, template_id=2)
    create(api, template_id=4)
    airudder_mock.advance(2 * HOUR)
    received = airudder_mock.webhooks.received
    assert {kind for kind, _ in received} >= {
        "call_completed",
        "info_check_call_completed",
        "custom_api_node_data_push",
        "workflow_list_completed",
        "workflow_status_changed",
        "waba_message_status_changed",
        "predictive_dialer_task_status_changed",
        "predictive_dialer_contact_status_changed",
    }
    for kind, payload in received:
        assert airudder_spec.webhook_validator(kind).is_valid(payload), (kind, payload)


def test_stop_and_cancel_end_a_workflow_and_nothing_happens_after(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    stopped, cancelled = create(api, template_id=1), create(api, template_id=1)
    assert airudder_mock.admin.post(f"/workflows/{stopped}/stop").json()["data"] == {"status": "stopped"}
    airudder_mock.admin.post(f"/workflows/{cancelled}/cancel").raise_for_status()
    before = calls(api, stopped) + calls(api, cancelled)  # the first dial starts at once, before the stop
    airudder_mock.advance(2 * HOUR)
    assert {t.workflow_id: t.status for t in workflows(api).data.lists} == {
        stopped: "stopped",
        cancelled: "cancelled",
    }
    assert calls(api, stopped) + calls(api, cancelled) == before
    again = airudder_mock.admin.post(f"/workflows/{stopped}/stop")
    assert again.status_code == 409 and again.json()["code"] == 409


def test_end_time_finishes_a_workflow_that_does_not_auto_finish(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    body = CreateWorkflowTaskRequest(workflow_template_id=1, name="short", end_time=_in(airudder_mock, 600))
    created = create_workflow_task.sync(client=api, body=body)
    assert isinstance(created, CreateWorkflowTaskResponse)
    airudder_mock.advance(300)
    assert workflows(api).data.lists[0].status == "running"
    airudder_mock.advance(600)
    assert workflows(api).data.lists[0].status == "finished"


def test_a_failing_receiver_gets_retried_every_minute_at_most_five_times(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    # every kind goes to a closed port before the workflow exists: its first webhooks are due at creation
    for kind in airudder_spec.webhook_schemas():
        airudder_mock.admin.put(
            "/webhooks/targets", json={"kind": kind, "url": "http://127.0.0.1:9/down"}
        ).raise_for_status()
    workflow_id = create(api, template_id=1)
    airudder_mock.advance(2 * HOUR)
    failed = airudder_mock.deliveries(workflow_id=workflow_id)
    assert failed and {d["status"] for d in failed} == {"failed"}
    for delivery in failed:
        times = [attempt["at"] for attempt in delivery["history"]]
        assert len(times) == 5 and all(b - a == 60 for a, b in itertools.pairwise(times))
    assert not [w for _, w in airudder_mock.webhooks.received if w.get("workflow_id") == workflow_id]


def test_a_receiver_that_recovers_gets_the_webhook_on_a_later_try(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    answers = iter([503, 500])
    received: list[dict[str, Any]] = []

    async def flaky(request: Request) -> Response:
        status = next(answers, 200)
        if status == 200:
            received.append(json.loads(await request.body()))
        return JSONResponse({}, status_code=status)

    app = Starlette(routes=[Route("/hook", flaky, methods=["POST"])])
    with serve(app) as base_url:
        workflow_id = create(api, template_id=1)
        url = f"{base_url}/hook"
        target = {"kind": "workflow_status_changed", "url": url, "workflow_id": workflow_id}
        airudder_mock.admin.put("/webhooks/targets", json=target).raise_for_status()
        airudder_mock.admin.post(f"/workflows/{workflow_id}/stop").raise_for_status()
        airudder_mock.advance(10 * 60)
    [delivery] = airudder_mock.deliveries(kind="workflow_status_changed", workflow_id=workflow_id)
    assert (delivery["status"], [a["status_code"] for a in delivery["history"]]) == (
        "delivered",
        [503, 500, 200],
    )
    assert [(w["workflow_id"], w["status"]) for w in received] == [(workflow_id, "stopped")]


def _in(mock: MockHandle, seconds: float) -> str:
    now = mock.admin.get("/clock").json()["data"]["now"]
    return iso(now + seconds)


def history(seed: int) -> list[tuple[str, str, int]]:
    with (
        running_mock(MockConfig(seed=seed, speed=0)) as mock,
        httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http,
    ):
        return run_one_workflow(http, mock.app_key, mock.app_secret)


def test_the_same_seed_gives_the_same_calls_and_another_seed_others() -> None:
    assert history(7) == history(7)
    assert history(7) != history(8)


def test_with_time_stopped_nothing_is_sent_between_the_tests_own_calls(
    api: AuthenticatedClient, airudder_mock: MockHandle
) -> None:
    workflow_id = create(api, template_id=1)  # its first dial and webhooks are due at once
    time.sleep(5 * PUMP_INTERVAL)  # what a background loop would have had time to send
    assert airudder_mock.webhooks.received == []
    assert all(d["attempts"] == 0 for d in airudder_mock.deliveries())

    received: list[tuple[str, Any]] = []

    async def other(request: Request) -> Response:
        received.append((request.path_params["kind"], json.loads(await request.body())))
        return JSONResponse({})

    app = Starlette(routes=[Route("/{kind}", other, methods=["POST"])])
    with serve(app) as base_url:
        url = f"{base_url}/status"
        target = {"kind": "*", "url": url, "workflow_id": workflow_id}
        airudder_mock.admin.put("/webhooks/targets", json=target).raise_for_status()
        airudder_mock.advance(0)  # sends what is due, to the target in force now
    assert received and {payload["workflow_id"] for _, payload in received} == {workflow_id}
    assert airudder_mock.webhooks.received == []


def test_a_target_changed_between_tries_gets_the_next_try(api: AuthenticatedClient, airudder_mock: MockHandle) -> None:
    workflow_id = create(api, template_id=1)
    down = {"kind": "workflow_status_changed", "url": "http://127.0.0.1:9/down", "workflow_id": workflow_id}
    airudder_mock.admin.put("/webhooks/targets", json=down).raise_for_status()
    airudder_mock.admin.post(f"/workflows/{workflow_id}/stop").raise_for_status()  # first try: refused
    fixture_sink = f"{airudder_mock.webhooks_url}/workflow_status_changed"
    airudder_mock.admin.put("/webhooks/targets", json={**down, "url": fixture_sink}).raise_for_status()
    airudder_mock.advance(60)
    [delivery] = airudder_mock.deliveries(kind="workflow_status_changed", workflow_id=workflow_id)
    assert delivery["status"] == "delivered"
    assert [(a["url"], a["status_code"]) for a in delivery["history"]] == [
        ("http://127.0.0.1:9/down", None),
        (fixture_sink, 200),
    ]
    assert [w["status"] for w in airudder_mock.webhooks.of("workflow_status_changed")] == ["stopped"]


def test_a_reset_mock_replays_the_same_history_as_a_fresh_one() -> None:
    with (
        running_mock(MockConfig(seed=5, speed=0)) as mock,
        httpx.Client(base_url=mock.base_url, headers=mock.admin_headers) as http,
    ):
        first = run_one_workflow(http, mock.app_key, mock.app_secret)
        http.post("/_mock/reset").raise_for_status()
        assert run_one_workflow(http, mock.app_key, mock.app_secret) == first


def test_concurrent_requests_and_clock_moves_lose_nothing_and_duplicate_nothing(
    airudder_mock: MockHandle,
) -> None:
    threads, per_thread = 6, 8
    created: list[str] = []
    failures: list[str] = []

    def creator() -> None:
        with httpx.Client(base_url=airudder_mock.base_url, timeout=30) as http:
            headers = bearer(http, airudder_mock.app_key, airudder_mock.app_secret)
            for i in range(per_thread):
                body = {
                    "workflow_template_id": 2,
                    "name": f"c{i}",
                    "end_time": "2099-01-01T00:00:00Z",
                    "auto_finish": 1,
                }
                answer = http.post(CREATE, json=body, headers=headers)
                if answer.status_code != 200:
                    failures.append(answer.text)
                else:
                    created.append(answer.json()["data"]["workflow_id"])

    def mover() -> None:
        with httpx.Client(
            base_url=f"{airudder_mock.base_url}/_mock", timeout=30, headers=airudder_mock.admin_headers
        ) as admin:
            for _ in range(20):
                answer = admin.post("/clock", json={"advance": 30})
                if answer.status_code != 200:
                    failures.append(answer.text)

    workers = [threading.Thread(target=creator) for _ in range(threads)] + [threading.Thread(target=mover)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert failures == [] and len(created) == len(set(created)) == threads * per_thread

    airudder_mock.advance(3 * HOUR)
    state = airudder_mock.admin.get("/state").json()
    assert sorted(w["workflow_id"] for w in state["workflows"]) == sorted(created)
    assert {w["status"] for w in state["workflows"]} == {"finished"}
    per_workflow = collections.Counter(c["workflow_id"] for c in state["contacts"])
    assert set(per_workflow.values()) == {3}  # every creation whole, none twice
    finished = [w["workflow_id"] for w in airudder_mock.webhooks.of("workflow_status_changed")]
    assert sorted(finished) == sorted(created)  # one status webhook each: no event ran twice
    assert {d["status"] for d in airudder_mock.deliveries()} == {"delivered"}


def bearer(http: httpx.Client, key: str, secret: str) -> dict[str, str]:
    answer = http.post(AUTH, json={"APPKey": key, "APPSecret": secret})
    return {"Authorization": f"Token {answer.json()['data']['token']}"}


def run_one_workflow(http: httpx.Client, key: str, secret: str) -> list[tuple[str, str, int]]:
    body = {"workflow_template_id": 1, "name": "n", "end_time": "2099-01-01T00:00:00Z"}
    http.post(CREATE, json=body, headers=bearer(http, key, secret)).raise_for_status()
    http.post("/_mock/clock", json={"advance": 2 * HOUR}).raise_for_status()
    return [(c["call_id"], c["status"], c["duration"]) for c in http.get("/_mock/state").json()["calls"]]
