"""The ASGI receiver over real HTTP: stores before answering, dead-letters bad bodies, hands each event over once."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from airudder import webhooks
from contract_tests.webhook_cases import doc_examples

STATUS = doc_examples("workflow_status_changed")[0]


@pytest.fixture
def receiver() -> webhooks.WebhookReceiver:
    return webhooks.WebhookReceiver(secret="s3cret", max_body=64 * 1024)


@pytest.fixture
def url(receiver: webhooks.WebhookReceiver) -> Iterator[str]:
    with webhooks.running(receiver) as base:
        yield base


def wait_for(condition: Any, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_an_event_is_stored_answered_and_handled_once(receiver: webhooks.WebhookReceiver, url: str) -> None:
    handled: list[Any] = []
    receiver.on("workflow_status_changed")(handled.append)
    answers = [httpx.post(f"{url}/workflow_status_changed", json=STATUS) for _ in range(3)]  # AIRudder's retries
    assert [a.status_code for a in answers] == [200] * 3
    assert [a.json()["data"]["duplicate"] for a in answers] == [False, True, True]
    assert answers[0].json() == {
        "data": {"kind": "workflow_status_changed", "event_id": 1, "duplicate": False},
        "status": "OK",
        "code": 200,
    }
    wait_for(lambda: receiver.store.events("handled"))
    assert [e.workflow_id for e in handled] == [STATUS["workflow_id"]]
    assert len(receiver.store.events()) == 1


def test_duplicates_under_concurrent_delivery_are_handled_once(receiver: webhooks.WebhookReceiver, url: str) -> None:
    handled: list[Any] = []
    lock = threading.Lock()

    async def handle(event: Any) -> None:
        with lock:
            handled.append(event)

    receiver.on("workflow_status_changed")(handle)

    async def deliver() -> list[int]:
        async with httpx.AsyncClient() as http:
            answers = await asyncio.gather(*(http.post(f"{url}", json=STATUS) for _ in range(40)))
        return [a.status_code for a in answers]

    assert set(asyncio.run(deliver())) == {200}
    wait_for(lambda: receiver.store.events("handled"))
    time.sleep(0.2)
    assert len(handled) == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"", 400, "body"),
        (b"{not json", 400, "body"),
        (json.dumps({**STATUS, "workflow_id": 1}).encode(), 400, "body.workflow_id"),
        (json.dumps({**STATUS, "actions": [{"nodetask_id": 1}]}).encode(), 400, "body.actions.0"),
        (json.dumps({k: v for k, v in STATUS.items() if k != "actions"}).encode(), 400, "body"),
        (b'{"x": "' + b"a" * 70_000 + b'"}', 413, "body"),
    ],
)
def test_bad_bodies_get_4xx_naming_the_field_and_a_dead_letter_row(
    receiver: webhooks.WebhookReceiver, url: str, body: bytes, status: int, field: str
) -> None:
    answer = httpx.post(f"{url}/workflow_status_changed", content=body, headers={"content-type": "application/json"})
    assert (answer.status_code, answer.json()["code"]) == (status, status)
    [error] = answer.json()["data"]["errors"]
    assert error["field"].startswith(field) and error["message"]
    [letter] = receiver.store.dead_letters()
    assert letter.body == (body if status == 400 else b"") and letter.reason
    assert receiver.store.events() == []


def test_a_failing_handler_loses_nothing_and_can_be_retried(receiver: webhooks.WebhookReceiver, url: str) -> None:
    attempts: list[Any] = []

    def flaky(event: Any) -> None:
        attempts.append(event)
        if len(attempts) == 1:
            raise RuntimeError("database down")

    receiver.on("workflow_status_changed")(flaky)
    assert httpx.post(f"{url}/workflow_status_changed", json=STATUS).status_code == 200
    wait_for(lambda: receiver.store.events("failed"))
    assert receiver.store.events("failed")[0].last_error == "RuntimeError: database down"
    assert asyncio.run(receiver.retry_failed()) == 1
    assert [e.state for e in receiver.store.events()] == ["handled"] and len(attempts) == 2


def test_an_unknown_kind_is_a_400_and_a_dead_letter(receiver: webhooks.WebhookReceiver, url: str) -> None:
    answer = httpx.post(f"{url}/no_such_kind", json=STATUS)
    assert answer.status_code == 400 and answer.json()["data"]["errors"][0]["field"] == "path.kind"
    assert [letter.kind for letter in receiver.store.dead_letters()] == ["no_such_kind"]


def test_a_wrong_secret_or_source_is_refused(receiver: webhooks.WebhookReceiver, url: str) -> None:
    answer = httpx.post(url.replace("s3cret", "guess") + "/workflow_status_changed", json=STATUS)
    assert answer.json() == {"data": None, "status": "Forbidden", "code": 403}
    assert receiver.store.events() == []
    allowlisted = webhooks.WebhookReceiver(allowed_sources=["10.0.0.0/8"])
    with webhooks.running(allowlisted) as base:
        answer = httpx.post(f"{base}/workflow_status_changed", json=STATUS)
    assert answer.status_code == 403 and allowlisted.store.events() == []
    by_query = webhooks.WebhookReceiver(secret="s3cret", secret_in="query")
    with webhooks.running(by_query) as base:
        refused = httpx.post(f"{base}/workflow_status_changed?secret=guess", json=STATUS)
        taken = httpx.post(f"{base}/workflow_status_changed?secret=s3cret", json=STATUS)
    assert (refused.status_code, taken.status_code, len(by_query.store.events())) == (403, 200, 1)
    loopback = webhooks.WebhookReceiver(allowed_sources=["127.0.0.0/8"])
    with webhooks.running(loopback) as base:
        assert httpx.post(f"{base}/workflow_status_changed", json=STATUS).status_code == 200


def test_an_event_cut_off_mid_handler_by_a_crash_is_handled_after_restart(tmp_path: Any) -> None:
    db = str(tmp_path / "hooks.sqlite3")
    before = webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(db))
    with webhooks.running(before) as base:
        assert httpx.post(f"{base}/workflow_status_changed", json=STATUS).status_code == 200
    [event] = before.store.events("pending")  # no handler registered: stored, not handled
    assert before.store.claim(event.id)  # a handler takes it, then the process dies

    after = webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(db))
    handled: list[Any] = []
    after.on("workflow_status_changed")(handled.append)
    assert asyncio.run(after.retry_failed()) == 0 and handled == []  # a running handler is not doubled
    time.sleep(0.01)
    assert asyncio.run(after.retry_failed(interrupted_after=0.005)) == 1
    assert [e.workflow_id for e in handled] == [STATUS["workflow_id"]]
    assert [(e.state, e.attempts) for e in after.store.events()] == [("handled", 2)]
