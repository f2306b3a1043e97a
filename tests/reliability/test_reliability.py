"""Reliability: the client through injected faults, the mock under fuzzing and load, the receiver under junk.

Loopback only, bounded in time and count. RELIABILITY_LOAD_SECONDS (default 60) sets the mock's load time.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode

import airudder
from airudder import webhooks
from airudder.serving import serve
from airudder_api.api.workflows import create_workflow_task, list_workflow_tasks
from airudder_api.models import CreateWorkflowTaskRequest
from airudder_contract.webhook_cases import doc_examples, generated
from airudder_mock import MockConfig, MockHandle, running_mock

from ..client.conftest import at_once

ROOT = Path(__file__).resolve().parents[2]
PATIENT = airudder.RetryPolicy(attempts=8, wait_initial=0.005, wait_max=0.02, wait_jitter=0.005)
FAULTS = [{"status": 429, "retry_after": 0}, {"status": 503}, {"status": 502}, {"status": 500}, {"drop": True}]


def client(mock: MockHandle) -> airudder.Client:
    return airudder.Client(
        app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url, retries=PATIENT, raise_for_errors=True
    )


def test_every_read_completes_through_30_percent_faults(airudder_mock: MockHandle) -> None:
    with client(airudder_mock) as c:
        for fault in FAULTS:
            rule = {"operation_id": "list_workflow_tasks", "rate": 0.3, **fault}
            airudder_mock.admin.put("/faults", json=rule).raise_for_status()
            for _ in range(40):
                assert list_workflow_tasks.sync(client=c) is not None


def test_no_write_is_sent_twice_through_30_percent_faults(airudder_mock: MockHandle) -> None:
    succeeded, failed = 0, 0
    with client(airudder_mock) as c:
        for fault in FAULTS:
            rule = {"operation_id": "create_workflow_task", "rate": 0.3, **fault}
            airudder_mock.admin.put("/faults", json=rule).raise_for_status()
            for n in range(40):
                body = CreateWorkflowTaskRequest(workflow_template_id=1, name=f"w{n}", end_time="2099-01-01T00:00:00Z")
                try:
                    create_workflow_task.sync(client=c, body=body)
                    succeeded += 1
                except (airudder.APIError, airudder.APIConnectionError):
                    failed += 1  # a write that failed is the caller's to retry: never sent a second time by us
    airudder_mock.admin.delete("/faults").raise_for_status()
    created = len(airudder_mock.admin.get("/state").json()["workflows"])
    assert failed and created == succeeded


def test_a_token_expired_under_50_threads_is_renewed_by_one_call(airudder_mock: MockHandle) -> None:
    with client(airudder_mock) as c:
        list_workflow_tasks.sync(client=c)
        airudder_mock.advance(25 * 3600)  # the server forgets the token
        assert at_once(50, lambda: list_workflow_tasks.sync(client=c)) == []
        assert c.auth.exchanges == 2


@pytest.mark.timeout(300)
def test_the_mock_under_fuzzing_and_load_never_5xx_and_loses_no_write(tmp_path: Path) -> None:
    seconds = float(os.environ.get("RELIABILITY_LOAD_SECONDS", "60"))
    with running_mock(MockConfig(speed=0, db=str(tmp_path / "mock.sqlite3"))) as mock:
        load = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.load", mock.base_url, str(seconds)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        token = httpx.post(
            f"{mock.base_url}/service/cloud/auth", json={"APPKey": mock.app_key, "APPSecret": mock.app_secret}
        )
        fuzz = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                str(ROOT / "spec" / "openapi.yaml"),
                "--url",
                mock.base_url,
                "-H",
                f"Authorization: Token {token.json()['data']['token']}",
                "--phases",
                "fuzzing",
                "--mode",
                "negative",
                "--checks",
                "not_a_server_error,negative_data_rejection",
                "--max-examples",
                "60",
                "--seed",
                "7",
                "--max-time",
                str(int(seconds)),
                # --max-time stops generation mid-operation, which Hypothesis reports as a filter health check (the
                # spec's bounded open values are slower to negate); the two checks above still fail the run
                "--suppress-health-check=filter_too_much",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        out, _ = load.communicate(timeout=seconds + 60)
        result = json.loads(out)
        listed = {w["workflow_id"] for w in mock.server.repo.dump()["workflows"]}
    assert fuzz.returncode == 0, fuzz.stdout[-3000:]
    assert result["server_errors"] == [] and result["requests"] > 100
    assert set(result["accepted"]) <= listed and result["accepted"]


@pytest.mark.timeout(300)
def test_the_receiver_takes_10k_bad_payloads_and_hands_each_valid_event_over_once() -> None:
    receiver = webhooks.WebhookReceiver(max_body=64 * 1024)
    handled: list[Any] = []
    lock = threading.Lock()
    for kind in webhooks.kinds():
        receiver.on(kind)(lambda event: (lock.acquire(), handled.append(event), lock.release()))
    rng = random.Random(11)
    schema_bad = [p for k in webhooks.kinds() for p in generated(k, GenerationMode.NEGATIVE, 10)]
    valid = [(k, p) for k in webhooks.kinds() for p in doc_examples(k) + generated(k, GenerationMode.POSITIVE, 20)]
    distinct = {webhooks.event_key(k, p) for k, p in valid}

    def junk() -> tuple[str, bytes]:
        kind = rng.choice(webhooks.kinds())
        shape = rng.randrange(4)
        if shape == 0:
            return kind, bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        if shape == 1:
            payload = rng.choice(schema_bad)
            return kind, payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        if shape == 2:
            return kind, json.dumps(rng.choice(valid)[1])[: rng.randint(1, 20)].encode()
        return kind, b"{" * rng.randint(1, 50_000)

    bad = [junk() for _ in range(10_000)]
    bad = [(k, b) for k, b in bad if not is_valid(k, b)]
    deliveries = [(k, json.dumps(p).encode(), True) for k, p in valid * 2] + [(k, b, False) for k, b in bad]
    rng.shuffle(deliveries)

    with serve(receiver.app) as url:
        statuses = asyncio.run(post_all(url, deliveries))
        asyncio.run(receiver.retry_failed())
        alive = httpx.post(f"{url}/workflow_status_changed", json=doc_examples("workflow_status_changed")[0])
    assert alive.status_code == 200
    assert all(200 <= s < 300 for s, ok in statuses if ok)
    assert all(400 <= s < 500 for s, ok in statuses if not ok)
    assert len(receiver.store.dead_letters()) == len(bad) >= 9_000
    assert len(handled) == len(distinct) == len(receiver.store.events("handled"))


def is_valid(kind: str, body: bytes) -> bool:
    try:
        webhooks.parse(kind, body)
    except webhooks.WebhookError:
        return False
    return True


async def post_all(url: str, deliveries: list[tuple[str, bytes, bool]]) -> list[tuple[int, bool]]:
    limit = asyncio.Semaphore(20)
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:

        async def post(kind: str, body: bytes, ok: bool) -> tuple[int, bool]:
            async with limit:
                answer = await http.post(f"/{kind}", content=body, headers={"content-type": "application/json"})
                return answer.status_code, ok

        return await asyncio.gather(*(post(*d) for d in deliveries))
