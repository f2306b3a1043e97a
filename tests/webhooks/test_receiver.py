"""The ASGI receiver over real HTTP: stores before answering, dead-letters bad bodies, hands each event over once."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Mount

import airudder_spec
from airudder import webhooks
from airudder.serving import serve
from airudder_contract.webhook_cases import doc_examples, generated
from tests.waiting import wait_until

STATUS = doc_examples("workflow_status_changed")[0]


@pytest.fixture
def receiver() -> webhooks.WebhookReceiver:
    return webhooks.WebhookReceiver(secret="s3cret", max_body=64 * 1024)


@pytest.fixture
def url(receiver: webhooks.WebhookReceiver) -> Iterator[str]:
    with webhooks.running(receiver) as base:
        yield base


def test_a_status_change_is_answered_exactly_the_empty_object_the_docs_show(url: str) -> None:
    for _ in range(2):  # the event, then AIRudder's retry of it (a duplicate): both answered `{}`
        answer = httpx.post(f"{url}/workflow_status_changed", json=STATUS)
        assert (answer.status_code, answer.content, answer.headers["content-type"]) == (200, b"{}", "application/json")


@pytest.mark.parametrize("kind", webhooks.kinds())
def test_each_kinds_success_answer_has_the_shape_the_spec_gives_for_its_200(
    receiver: webhooks.WebhookReceiver, url: str, kind: str
) -> None:
    [payload] = (doc_examples(kind) or generated(kind, GenerationMode.POSITIVE, 1))[:1]
    schema = airudder_spec.webhook_answer_validator(kind)
    assert schema is not None, kind
    for duplicate in (False, True):
        answer = httpx.post(f"{url}/{kind}", json=payload)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert schema.is_valid(body), (kind, body)
        if schema.is_valid(airudder_spec.answer({})):  # where the schema allows it, the answer tells what was kept
            event_id = receiver.store.events()[0].id
            assert body["data"] == {"kind": kind, "event_id": None if duplicate else event_id, "duplicate": duplicate}
        else:
            assert body == {}


def test_an_event_is_stored_answered_and_handled_once(receiver: webhooks.WebhookReceiver, url: str) -> None:
    handled: list[Any] = []
    receiver.on("workflow_status_changed")(handled.append)
    answers = [httpx.post(f"{url}/workflow_status_changed", json=STATUS) for _ in range(3)]  # AIRudder's retries
    assert [a.status_code for a in answers] == [200] * 3
    assert [a.json() for a in answers] == [{}] * 3  # the answer AIRudder's docs ask of a status change
    wait_until(lambda: receiver.store.events("handled"), seconds=5)
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
    wait_until(lambda: receiver.store.events("handled"), seconds=5)
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
        (b"[" * 60_000, 400, "body"),
        (json.dumps(STATUS).encode()[:-1] + b', "score": 1e999}', 400, "body.score"),  # Python reads inf: not JSON
        (json.dumps(STATUS).encode()[:-1] + b', "score": -Infinity}', 400, "body"),
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
    # a Content-Length over the limit is refused before any of the body is read (it may never come)
    assert letter.body == (b"" if status == 413 else body[: receiver.max_body]) and letter.reason
    assert receiver.store.events() == []


def test_a_failing_handler_loses_nothing_and_can_be_retried(receiver: webhooks.WebhookReceiver, url: str) -> None:
    attempts: list[Any] = []

    def flaky(event: Any) -> None:
        attempts.append(event)
        if len(attempts) == 1:
            raise RuntimeError("database down")

    receiver.on("workflow_status_changed")(flaky)
    assert httpx.post(f"{url}/workflow_status_changed", json=STATUS).status_code == 200
    wait_until(lambda: receiver.store.events("failed"), seconds=5)
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


def test_an_oversized_body_is_cut_off_at_max_body_whatever_its_framing(
    receiver: webhooks.WebhookReceiver, url: str
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the size shows only as it streams
        yield b'{"x": "'
        for _ in range(100):
            yield b"a" * 4096

    chunked = httpx.post(f"{url}/call_completed", content=chunks())
    assert chunked.status_code == 413 and chunked.json()["data"]["errors"][0]["field"] == "body"

    host, port = url.removeprefix("http://").split("/")[0].split(":")
    head = f"POST /s3cret/call_completed HTTP/1.1\r\nHost: x\r\nContent-Length: {10**12}\r\n\r\n".encode()
    with socket.create_connection((host, int(port)), timeout=10) as raw:  # a Content-Length nobody will send
        raw.sendall(head + b"[" + b" " * (receiver.max_body + 10))
        answer = raw.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413")

    letters = receiver.store.dead_letters()
    assert [(letter.kind, letter.field) for letter in letters] == [("call_completed", "body")] * 2
    # the streamed one keeps its head; the declared one was refused before any of it was read
    assert sorted(len(letter.body) for letter in letters) == [0, receiver.max_body]
    assert receiver.store.events() == []


def test_slow_sync_handlers_block_neither_other_deliveries_nor_dedupe(
    receiver: webhooks.WebhookReceiver, url: str
) -> None:
    release, started = threading.Event(), threading.Semaphore(0)
    handled: list[Any] = []

    def slow(event: Any) -> None:
        started.release()
        assert release.wait(60)
        handled.append(event)

    receiver.on("workflow_status_changed")(slow)
    other: list[Any] = []

    async def on_the_loop(event: Any) -> None:  # sync handlers share a bounded pool; async ones run on the loop
        other.append(event)

    receiver.on("workflow_list_completed")(on_the_loop)
    events = [{**STATUS, "workflow_id": f"w{i}"} for i in range(40)]  # more than the default thread pool holds
    try:
        with httpx.Client(timeout=10) as http:  # one kept-alive connection, as a sender would use
            assert {http.post(f"{url}/workflow_status_changed", json=e).status_code for e in events} == {200}
            assert started.acquire(timeout=10)
            # while the handlers run: AIRudder's retry of an event, and another event, are both answered
            retry = http.post(f"{url}/workflow_status_changed", json=events[0])
            assert (retry.status_code, retry.json()) == (200, {})
            listed = {"workflow_id": "w", "workflow_name": "n", "case_id": "c", "callee_number": "+62", "rows": []}
            assert http.post(f"{url}/workflow_list_completed", json=listed).status_code == 200
        wait_until(
            lambda: len(receiver.store.events("handled")) == 1, seconds=5
        )  # the async handler's event, marked after it ran
        assert handled == [] and len(other) == 1
        assert asyncio.run(receiver.retry_failed()) == 0  # none taken twice while it runs
    finally:
        release.set()
    wait_until(lambda: len(receiver.store.events("handled")) == len(events) + 1, seconds=5)
    assert sorted(e.workflow_id for e in handled) == sorted(e["workflow_id"] for e in events)


def test_two_workers_sharing_one_sqlite_file_hand_each_event_over_once(tmp_path: Any) -> None:
    db = str(tmp_path / "hooks.sqlite3")
    workers = [webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(db)) for _ in range(2)]
    handled: list[str] = []
    lock = threading.Lock()

    def handle(event: Any) -> None:
        with lock:
            handled.append(event.workflow_id)

    for worker in workers:
        worker.on("workflow_status_changed")(handle)
    events = [{**STATUS, "workflow_id": f"w{i}"} for i in range(5)]

    async def deliver(bases: list[str]) -> set[int]:
        async with httpx.AsyncClient(timeout=30) as http:
            posts = [http.post(f"{base}/workflow_status_changed", json=e) for e in events * 4 for base in bases]
            return {a.status_code for a in await asyncio.gather(*posts)}

    with webhooks.running(workers[0]) as first, webhooks.running(workers[1]) as second:
        assert asyncio.run(deliver([first, second])) == {200}
        wait_until(lambda: len(workers[0].store.events("handled")) == len(events), seconds=5)
    assert sorted(handled) == sorted(e["workflow_id"] for e in events)


def test_an_event_of_a_kind_without_a_handler_is_kept_until_one_is_registered(
    receiver: webhooks.WebhookReceiver, url: str
) -> None:
    answer = httpx.post(f"{url}/call_completed", json={"call_id": "c1"})
    assert (answer.status_code, answer.json()["data"]) == (
        200,
        {"kind": "call_completed", "event_id": 1, "duplicate": False},
    )
    assert [e.state for e in receiver.store.events()] == ["pending"]
    assert asyncio.run(receiver.retry_failed()) == 0
    handled: list[Any] = []
    receiver.on("call_completed")(handled.append)
    assert asyncio.run(receiver.retry_failed()) == 1
    assert [e.to_dict() for e in handled] == [{"call_id": "c1"}]
    assert [e.state for e in receiver.store.events()] == ["handled"]


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        webhooks.WebhookReceiver(secret="")


def test_mounted_in_an_app_of_ones_own_it_answers_under_the_mount_path() -> None:
    receiver = webhooks.WebhookReceiver(secret="s3cret")
    handled: list[Any] = []
    receiver.on("workflow_status_changed")(handled.append)
    app = Starlette(routes=[Mount("/airudder", receiver.app)])
    with serve(app) as base:
        assert httpx.post(f"{base}/airudder/s3cret/workflow_status_changed", json=STATUS).status_code == 200
        assert httpx.post(f"{base}/airudder/s3cret", json=STATUS).status_code == 200  # detected: a duplicate
        assert httpx.post(f"{base}/airudder/guess/workflow_status_changed", json=STATUS).status_code == 403
        wait_until(lambda: handled, seconds=5)
    assert [e.workflow_id for e in handled] == [STATUS["workflow_id"]]
    assert [e.kind for e in receiver.store.events()] == ["workflow_status_changed"]


def test_the_allowlist_reads_an_ipv4_sender_on_a_dual_stack_socket() -> None:
    receiver = webhooks.WebhookReceiver(allowed_sources=["203.0.113.0/24"])

    def from_host(host: str) -> Request:
        return Request({"type": "http", "method": "POST", "path": "/", "headers": [], "client": (host, 40000)})

    assert (
        receiver._refusal(from_host("::ffff:203.0.113.9")) is None
        and receiver._refusal(from_host("203.0.113.9")) is None
    )
    assert receiver._refusal(from_host("::ffff:198.51.100.1")) and receiver._refusal(from_host("not-an-ip"))


UNKNOWN = {"task_id": "t-1", "phone": "+6281234", "note": "a kind whose payload the docs do not show"}


def test_a_body_no_kind_fits_is_kept_as_unclassified_and_handed_over(
    receiver: webhooks.WebhookReceiver, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    unclassified: list[Any] = []
    receiver.on_unclassified(unclassified.append)
    caplog.set_level(logging.INFO, logger="airudder.webhooks")
    answers = [httpx.post(url, json=UNKNOWN) for _ in range(2)]  # the kind-less URL, and AIRudder's retry
    assert [a.status_code for a in answers] == [200, 200]
    # it may be any kind's event (a status change's too), so it gets the answer every kind's schema takes: `{}`
    assert [a.json() for a in answers] == [{}, {}]
    assert len(receiver.store.events()) == 1  # the identity of an unclassified event is its whole payload
    assert httpx.post(url, json={**UNKNOWN, "task_id": "t-2"}).status_code == 200
    both = {**STATUS, "case_id": "c", "callee_number": "+62", "rows": []}  # fits two kinds: not guessed at
    assert httpx.post(url, json=both).status_code == 200
    assert httpx.post(url, json=STATUS).status_code == 200  # still detected
    assert [e.kind for e in receiver.store.events()] == ["unclassified"] * 3 + ["workflow_status_changed"]
    wait_until(lambda: len(receiver.store.events("handled")) == 3, seconds=5)
    assert [e.payload for e in unclassified] == [UNKNOWN, {**UNKNOWN, "task_id": "t-2"}, both]
    assert all(isinstance(e, webhooks.UnclassifiedEvent) and e.to_dict() == e.payload for e in unclassified)
    assert receiver.store.dead_letters() == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3 and all("has no kind" in w for w in warnings)
    host = url.removeprefix("http://").split("/")[0]
    assert f"http://{host}/<secret>/{{kind}}" in warnings[0] and "workflow_status_changed" in warnings[0]
    assert "it fits several kinds" in warnings[2] and "none of the documented" in warnings[0]
    assert not any("s3cret" in r.getMessage() or "t-1" in r.getMessage() for r in caplog.records)


def test_a_body_posted_to_a_kinds_own_url_is_that_kind_or_refused(receiver: webhooks.WebhookReceiver, url: str) -> None:
    answer = httpx.post(f"{url}/workflow_status_changed", json=UNKNOWN)  # the URL says which kind: not guessed
    assert answer.status_code == 400 and answer.json()["data"]["errors"][0]["field"] == "body.workflow_id"
    for not_json in (b"{not json", b'{"a": 1e999}', b""):  # and what is not JSON is refused at any URL
        assert httpx.post(url, content=not_json).status_code == 400
    assert [letter.kind for letter in receiver.store.dead_letters()] == ["workflow_status_changed"] + [None] * 3
    assert receiver.store.events() == []


def test_unclassified_events_wait_for_a_handler_like_any_other(receiver: webhooks.WebhookReceiver, url: str) -> None:
    assert httpx.post(url, json=UNKNOWN).status_code == 200
    assert [(e.kind, e.state) for e in receiver.store.events()] == [("unclassified", "pending")]
    handled: list[Any] = []

    @receiver.on_unclassified
    async def later(event: webhooks.UnclassifiedEvent) -> None:
        handled.append(event.payload)

    assert asyncio.run(receiver.retry_failed()) == 1 and handled == [UNKNOWN]


def test_refusals_and_failing_handlers_are_logged_without_the_secret_or_the_body(
    receiver: webhooks.WebhookReceiver, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(event: Any) -> None:
        raise RuntimeError("database down")

    receiver.on("workflow_status_changed")(failing)
    caplog.set_level(logging.INFO, logger="airudder.webhooks")
    marked = {**STATUS, "workflow_name": "BODY-MARK-1"}
    assert (
        httpx.post(url.replace("s3cret", "guess-s3cret") + "/workflow_status_changed", json=marked).status_code == 403
    )
    assert httpx.post(f"{url}/workflow_status_changed", json={**marked, "workflow_id": 7}).status_code == 400
    assert httpx.post(f"{url}/no_such_kind", json=marked).status_code == 400
    assert httpx.post(f"{url}/call_completed", content=b'{"x": "BODY-MARK-2' + b"a" * 70_000).status_code == 413
    assert httpx.post(url, content=b"BODY-MARK-3 {").status_code == 400
    assert httpx.post(f"{url}/workflow_status_changed", json=marked).status_code == 200
    wait_until(lambda: receiver.store.events("failed"), seconds=5)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    refusals = [message for level, message in lines if message.startswith("refused a webhook")]
    assert [m.split(",")[0] for m in refusals] == [f"refused a webhook: {s}" for s in (403, 400, 400, 413, 400)]
    assert "kind workflow_status_changed, field body.workflow_id" in refusals[1]
    assert "kind 'no_such_kind', field path.kind" in refusals[2]
    assert "kind call_completed, field body" in refusals[3] and "kind-less URL" in refusals[4]
    assert all("from 127.0.0.1" in m for m in refusals)
    [failure] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "workflow_status_changed handler failed on event 1" in failure.getMessage() and failure.exc_info
    logged = "\n".join(caplog.text.splitlines() + [m for _, m in lines])
    assert "s3cret" not in logged and "BODY-MARK" not in logged and "aaaa" not in logged


def test_the_url_per_kind_in_the_warning_keeps_the_mount_path_and_the_secrets_place(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="airudder.webhooks")
    by_query = webhooks.WebhookReceiver(secret="s3cret", secret_in="query")
    app = Starlette(routes=[Mount("/airudder", by_query.app)])
    with serve(app) as base:
        assert httpx.post(f"{base}/airudder/?secret=s3cret", json=UNKNOWN).status_code == 200
    [warning] = [r.getMessage() for r in caplog.records]
    assert f"{base}/airudder/{{kind}}?secret=<secret>" in warning and "s3cret" not in warning
