"""One test handle, sync and async, the fixture's and `running_mock()`'s alike: defaults that finish, the user's
app served, every webhook routed to it, waits that say what arrived, and a wildcard target that explains itself."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import airudder_mock as package
import airudder_spec
from airudder_mock import AsyncMockHandle, MockConfig, MockHandle, async_running_mock, running_mock

HOUR = 3600


def create_workflow(handle: MockHandle | AsyncMockHandle, template_id: int = 1, **extra: Any) -> str:
    with httpx.Client(base_url=handle.base_url) as http:
        token = http.post("/service/cloud/auth", json={"APPKey": handle.app_key, "APPSecret": handle.app_secret})
        body = {"workflow_template_id": template_id, "name": "t", "end_time": "2099-01-01T00:00:00Z", **extra}
        headers = {"Authorization": f"Token {token.json()['data']['token']}"}
        created = http.post("/service/cloud/workflow/createinstance", json=body, headers=headers)
        created.raise_for_status()
        workflow_id: str = created.json()["data"]["workflow_id"]
    return workflow_id


def test_the_handle_is_exported_and_the_fixture_yields_it(airudder_mock: MockHandle) -> None:
    assert type(airudder_mock) is MockHandle
    assert {"MockHandle", "AsyncMockHandle", "running_mock", "async_running_mock"} <= set(package.__all__)


def test_running_mock_has_the_fixtures_defaults() -> None:
    with running_mock() as handle:
        assert isinstance(handle, MockHandle)
        assert handle.admin.get("/clock").json()["data"]["speed"] == 0  # time stopped
        workflow_id = create_workflow(handle)  # no auto_finish given
        handle.advance(2 * HOUR)
        finished = handle.wait_for("workflow_status_changed", lambda p: p["workflow_id"] == workflow_id)
    assert finished["status"] == "finished"  # it finished once every contact was done


def test_a_workflow_told_to_run_to_its_end_time_does_not_finish_early(airudder_mock: MockHandle) -> None:
    workflow_id = create_workflow(airudder_mock, auto_finish=2)
    airudder_mock.advance(2 * HOUR)
    assert airudder_mock.webhooks.of("workflow_list_completed")  # every contact done...
    assert [p for p in airudder_mock.webhooks.of("workflow_status_changed") if p["workflow_id"] == workflow_id] == []


def test_wait_for_fails_naming_what_arrived_and_what_the_mock_tried(airudder_mock: MockHandle) -> None:
    create_workflow(airudder_mock)
    airudder_mock.advance(2 * HOUR)
    with pytest.raises(AssertionError) as failed:
        airudder_mock.wait_for("workflow_status_changed", lambda p: p["status"] == "cancelled", timeout=0.2)
    message = str(failed.value)
    assert "no workflow_status_changed webhook that matches" in message
    assert "workflow_status_changed x1" in message and "call_completed x" in message
    assert f"workflow_status_changed -> {airudder_mock.webhooks_url}/workflow_status_changed: delivered x1" in message


@pytest.mark.airudder_mock(seed=0)  # a history with every kind (a chatbot session among them)
def test_route_webhooks_replaces_every_target_and_serve_app_serves_the_users_app(airudder_mock: MockHandle) -> None:
    received: list[tuple[str, Any]] = []

    async def hook(request: Request) -> JSONResponse:
        received.append((request.path_params["kind"], await request.json()))
        return JSONResponse({"ok": True})

    url = airudder_mock.serve_app(Starlette(routes=[Route("/hooks/{kind}", hook, methods=["POST"])]))
    for kind in airudder_spec.webhook_kinds():  # per-kind targets, as a test might have set: replaced too
        airudder_mock.admin.put("/webhooks/targets", json={"kind": kind, "url": "http://127.0.0.1:9/nowhere"})
    airudder_mock.route_webhooks(f"{url}/hooks/{{kind}}")
    assert airudder_mock.admin.get("/webhooks/targets").json()["data"] == [
        {"workflow_id": None, "kind": "*", "url": f"{url}/hooks/{{kind}}"}
    ]
    for template_id in (1, 2, 3, 4):
        create_workflow(airudder_mock, template_id)
    airudder_mock.advance(2 * HOUR)
    assert {kind for kind, _ in received} == set(airudder_spec.webhook_kinds())
    assert {d["status"] for d in airudder_mock.deliveries()} == {"delivered"}
    assert airudder_mock.webhooks.received == []


def test_a_wildcard_target_that_per_kind_targets_override_is_answered_with_a_note(airudder_mock: MockHandle) -> None:
    admin = airudder_mock.admin
    plain = admin.put("/webhooks/targets", json={"kind": "*", "url": "http://127.0.0.1:9/a"}).json()
    assert "note" not in plain  # nothing overrides it: it replaces the handle's own `*`
    for kind in airudder_spec.webhook_kinds():
        admin.put("/webhooks/targets", json={"kind": kind, "url": f"http://127.0.0.1:9/{kind}"}).raise_for_status()
    answer = admin.put("/webhooks/targets", json={"kind": "*", "url": "http://127.0.0.1:9/b"})
    assert answer.status_code == 200
    note = answer.json()["note"]
    assert (
        note.startswith("This target is used by no webhook") and "call_completed" in note and '"replace": true' in note
    )
    partly = admin.put("/webhooks/targets", json={"kind": "*", "url": "http://127.0.0.1:9/c"})
    assert partly.json()["note"]  # every time it changes nothing
    refused = admin.put("/webhooks/targets", json={"kind": "call_completed", "url": "http://x/", "replace": True})
    assert refused.status_code == 400 and refused.json()["data"]["errors"][0]["field"] == "body.kind"


def test_the_async_handle_awaits_the_same_steps() -> None:
    async def scenario() -> dict[str, Any]:
        async with async_running_mock() as handle:
            assert isinstance(handle, AsyncMockHandle)
            workflow_id = await asyncio.to_thread(create_workflow, handle)
            await handle.advance(2 * HOUR)
            assert {d["status"] for d in await handle.deliveries()} == {"delivered"}
            payload: dict[str, Any] = await handle.wait_for(
                "workflow_status_changed", lambda p: p["workflow_id"] == workflow_id
            )
            with pytest.raises(AssertionError, match="Arrived: "):
                await handle.wait_for("workflow_status_changed", lambda p: False, timeout=0.1)
            return payload

    assert asyncio.run(scenario())["status"] == "finished"


def test_a_sync_handle_gives_an_async_one_of_the_same_mock(airudder_mock: MockHandle) -> None:
    async def scenario() -> None:
        async with airudder_mock.asynchronous() as handle:
            await handle.advance(60)
            assert (await handle.admin.get("/clock")).json()["data"]["speed"] == 0

    before = airudder_mock.admin.get("/clock").json()["data"]["now"]
    asyncio.run(scenario())
    assert airudder_mock.admin.get("/clock").json()["data"]["now"] >= before + 60


def test_a_config_with_its_own_targets_is_kept() -> None:
    with running_mock(MockConfig(webhook_urls={"*": "http://127.0.0.1:9/{kind}"})) as handle:
        targets = handle.admin.get("/webhooks/targets").json()["data"]
    assert targets == [{"workflow_id": None, "kind": "*", "url": "http://127.0.0.1:9/{kind}"}]
