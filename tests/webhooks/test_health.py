"""`/healthz` and `/readyz` over real HTTP: outside the secret, in the envelope, silent in the log, and `/readyz`
failing (never hanging) when the store cannot take deliveries."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from airudder import webhooks
from airudder.webhooks import _health


def base_of(url: str) -> str:
    return url.rsplit("/", 1)[0]  # running() gives the URL with the path secret


def test_probes_answer_in_the_envelope_without_the_secret_and_log_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(str(tmp_path / "e.sqlite3")), secret="s3")
    with webhooks.running(receiver) as url, caplog.at_level(logging.DEBUG):
        base = base_of(url)
        health, ready = httpx.get(f"{base}/healthz"), httpx.get(f"{base}/readyz")
        head = httpx.head(f"{base}/healthz")
    assert (health.status_code, health.json()) == (200, {"data": {"status": "up"}, "status": "OK", "code": 200})
    assert (ready.status_code, ready.json()["data"]) == (200, {"status": "ready", "checks": ["store"]})
    assert head.status_code == 200 and head.content == b""
    assert "s3" not in health.text + ready.text
    assert [r for r in caplog.records if r.name.startswith("airudder")] == []


def test_readyz_fails_when_the_database_was_migrated_by_a_newer_release(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite3"
    receiver = webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(str(path)))
    with webhooks.running(receiver) as url:
        assert httpx.get(f"{url}/readyz").status_code == 200
        with sqlite3.connect(path) as newer:
            newer.execute("PRAGMA user_version = 99")
        answer = httpx.get(f"{url}/readyz")
        assert httpx.get(f"{url}/healthz").status_code == 200  # up, but not to take work
    assert answer.status_code == 503
    [problem] = answer.json()["data"]["errors"]
    assert problem["field"] == "store" and "newer than this airudder-workflow knows" in problem["message"]


def test_readyz_fails_within_its_bound_when_the_store_hangs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_health, "READY_TIMEOUT", 0.2)
    release = threading.Event()

    class Hanging(webhooks.SQLiteEventStore):  # a database that takes connections and never answers
        def check(self) -> None:
            release.wait(30)

    receiver = webhooks.WebhookReceiver(store=Hanging(str(tmp_path / "e.sqlite3")))
    try:
        with webhooks.running(receiver) as url:
            answer = httpx.get(f"{url}/readyz", timeout=10)
    finally:
        release.set()
    assert answer.status_code == 503
    assert answer.json()["data"]["errors"] == [{"field": "store", "message": "no answer within 0.2 s"}]


def test_readyz_fails_when_postgres_is_down_and_passes_when_it_is_back(postgres: Any, postgres_url: str) -> None:
    store = webhooks.PostgresEventStore(postgres_url, schema="probed", pool_size=2)
    receiver = webhooks.WebhookReceiver(store=store)
    try:
        with webhooks.running(receiver) as url:
            assert httpx.get(f"{url}/readyz").status_code == 200
            postgres.restart()  # every pooled connection breaks; the store takes new ones
            assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200
    finally:
        store.close()
