"""End to end: the mock server sends every webhook kind to a real receiver, through an outage and through answers
lost after the event was stored; each event is handed over exactly once."""

from __future__ import annotations

import collections
import json
import time
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airudder import webhooks
from airudder.serving import bound_socket, serve
from airudder_mock import MockConfig, running_mock

HOUR = 3600


def losing_first_answers(app: ASGIApp) -> ASGIApp:
    """The receiver behind a proxy that loses its first answer to each body: stored, but AIRudder sees a 502."""
    seen: set[bytes] = set()

    async def proxied(scope: Scope, receive: Receive, send: Send) -> None:
        body = b""

        async def receiving() -> Message:
            nonlocal body
            message = await receive()
            body += message.get("body", b"")
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and body not in seen:
                seen.add(body)
                message = {**message, "status": 502}
            await send(message)

        await app(scope, receiving, sending)

    return proxied


def test_every_kind_arrives_once_through_an_outage_and_retries() -> None:
    receiver = webhooks.WebhookReceiver(secret="s3cret")
    handled: collections.Counter[str] = collections.Counter()  # event key -> times handed over
    for kind in webhooks.kinds():

        def count(event: Any, kind: str = kind) -> None:
            handled.update([webhooks.event_key(kind, event.to_dict())])

        receiver.on(kind)(count)
    with (
        bound_socket("127.0.0.1") as sock,
        running_mock(MockConfig(speed=0, seed=3)) as mock,
        httpx.Client(base_url=mock.base_url, timeout=60, headers=mock.admin_headers) as http,
    ):
        base = f"http://127.0.0.1:{sock.getsockname()[1]}/s3cret"
        for kind in webhooks.kinds():
            http.put("/_mock/webhooks/targets", json={"kind": kind, "url": f"{base}/{kind}"}).raise_for_status()
        token = http.post("/service/cloud/auth", json={"APPKey": mock.app_key, "APPSecret": mock.app_secret})
        headers = {"Authorization": f"Token {token.json()['data']['token']}"}
        for template_id in (2, 2, 2, 4, 4):
            body = {
                "workflow_template_id": template_id,
                "name": "e2e",
                "end_time": "2099-01-01T00:00:00Z",
                "auto_finish": 1,
            }
            http.post("/service/cloud/workflow/createinstance", json=body, headers=headers).raise_for_status()

        http.post("/_mock/clock", json={"advance": 60}).raise_for_status()  # the receiver is down: bound, not serving
        down = [d for d in http.get("/_mock/webhooks/deliveries").json()["data"] if d["history"]]
        assert down and all(attempt["status_code"] is None for d in down for attempt in d["history"])

        with serve(losing_first_answers(receiver.app), sock=sock):
            http.post("/_mock/clock", json={"advance": 2 * HOUR}).raise_for_status()
            deliveries = http.get("/_mock/webhooks/deliveries").json()["data"]
            wait_until_handled(receiver, len(receiver.store.events()))

    assert {d["status"] for d in deliveries} == {"delivered"}
    assert {d["kind"] for d in deliveries} == set(webhooks.kinds())
    assert len({d["kind"] for d in down}) > 1, "the outage should have hit several kinds"
    # every delivery reached the receiver at least twice (its first answer lost), so every kind was retried
    assert all(d["attempts"] >= 2 and d["history"][-1]["status_code"] == 200 for d in deliveries)
    distinct = {webhooks.event_key(d["kind"], d["payload"]) for d in deliveries}
    assert len(distinct) == len(deliveries)  # the mock's events are told apart by their keys: none merged
    assert handled == dict.fromkeys(distinct, 1)
    assert len(receiver.store.events()) == len(distinct) and receiver.store.dead_letters() == []


def wait_until_handled(receiver: webhooks.WebhookReceiver, count: int, seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while len(receiver.store.events("handled")) < count:
        assert time.monotonic() < deadline, "the handlers did not run"
        time.sleep(0.05)


def test_one_url_for_every_kind_loses_nothing() -> None:
    """The issue's first-day pairing: every kind to the kind-less URL. Kinds the docs show a shape of are
    classified; the others arrive as `unclassified` events instead of 400s that AIRudder retries and drops."""
    receiver = webhooks.WebhookReceiver(secret="s3cret")
    arrived: list[tuple[str, Any]] = []
    for kind in webhooks.kinds():
        receiver.on(kind)(lambda event, kind=kind: arrived.append((kind, event.to_dict())))
    receiver.on_unclassified(lambda event: arrived.append((webhooks.UNCLASSIFIED, event.payload)))
    with (
        webhooks.running(receiver) as base,
        running_mock(MockConfig(speed=0, seed=5)) as mock,
        httpx.Client(base_url=mock.base_url, timeout=60, headers=mock.admin_headers) as http,
    ):
        http.put("/_mock/webhooks/targets", json={"kind": "*", "url": base}).raise_for_status()
        token = http.post("/service/cloud/auth", json={"APPKey": mock.app_key, "APPSecret": mock.app_secret})
        headers = {"Authorization": f"Token {token.json()['data']['token']}"}
        for template_id in (2, 4):
            body = {
                "workflow_template_id": template_id,
                "name": "one-url",
                "end_time": "2099-01-01T00:00:00Z",
                "auto_finish": 1,
            }
            http.post("/service/cloud/workflow/createinstance", json=body, headers=headers).raise_for_status()
        http.post("/_mock/clock", json={"advance": 2 * HOUR}).raise_for_status()
        deliveries = http.get("/_mock/webhooks/deliveries").json()["data"]
        wait_until_handled(receiver, len(deliveries))
    assert {d["kind"] for d in deliveries} == set(webhooks.kinds())
    assert all(d["status"] == "delivered" and d["attempts"] == 1 for d in deliveries)  # none refused, none retried
    assert receiver.store.dead_letters() == []
    shaped = {
        "workflow_status_changed",
        "workflow_list_completed",
        "custom_api_node_data_push",
        "chatbot_session_ended",
    }
    expected = sorted(
        (d["kind"] if d["kind"] in shaped else webhooks.UNCLASSIFIED, json.dumps(d["payload"], sort_keys=True))
        for d in deliveries
    )
    assert sorted((kind, json.dumps(payload, sort_keys=True)) for kind, payload in arrived) == expected
