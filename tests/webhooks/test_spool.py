"""Nothing lost while PostgreSQL is down: a receiver with a spool acknowledges into a local SQLite file and drains
it into the database, in order and deduped, once it is back; with neither, a 503 in the envelope, never a hang.
Each test runs its own PostgreSQL server, stopped and started for real."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from airudder import webhooks
from airudder.webhooks._spool import SpoolingStore
from airudder_contract.webhook_cases import doc_examples
from support.postgres_cluster import Cluster, Unavailable, throwaway_cluster
from tests.waiting import wait_until
from tests.webhooks.conftest import postgres_required

pytestmark = pytest.mark.timeout(300)
LISTED = {"workflow_id": "w", "workflow_name": "n", "case_id": "c", "callee_number": "+62", "rows": []}
STATUS = doc_examples("workflow_status_changed")[0]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    try:
        with throwaway_cluster() as made:
            yield made
    except Unavailable as exc:
        pytest.fail(str(exc)) if postgres_required() else pytest.skip(str(exc))


def spooling(cluster: Cluster, tmp_path: Path) -> SpoolingStore:
    url = cluster.url()
    return SpoolingStore(
        lambda: webhooks.PostgresEventStore(url, pool_size=2, wait_timeout=1, connect_timeout=1),
        str(tmp_path / "spool.sqlite3"),
        retry_max=1,
    )


def post(url: str, n: int) -> httpx.Response:
    return httpx.post(f"{url}/workflow_list_completed", json={**LISTED, "workflow_id": f"w{n}"}, timeout=30)


def stored(cluster: Cluster) -> list[str]:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        rows = conn.execute("SELECT payload->>'workflow_id' FROM airudder_webhooks.events ORDER BY id").fetchall()
    return [r[0] for r in rows]


def test_deliveries_during_an_outage_are_spooled_then_drained_in_order_and_deduped(
    cluster: Cluster, tmp_path: Path
) -> None:
    store = spooling(cluster, tmp_path)
    receiver = webhooks.WebhookReceiver(store=store)
    try:
        with webhooks.running(receiver) as url:
            wait_until(lambda: httpx.get(f"{url}/readyz").status_code == 200, seconds=60)
            assert post(url, 0).json()["data"]["event_id"] is not None  # into the database
            assert post(url, 0).json()["data"]["duplicate"] is True
            cluster.stop()
            answers = [post(url, n) for n in (1, 2, 3, 2, 0)]  # 2 again: AIRudder's retry; 0: kept before
            assert [a.status_code for a in answers] == [200] * 5
            assert [a.json()["data"]["duplicate"] for a in answers] == [False, False, False, True, False]
            assert answers[0].json()["data"]["event_id"] is None  # its id is the database's to give
            ready = httpx.get(f"{url}/readyz", timeout=30)
            assert ready.status_code == 200, ready.text  # still taking deliveries: into the spool
            assert ready.json()["data"]["spool"]["spool_events"] == 4
            scraped = httpx.get(f"{url}/metrics", timeout=30).text
            assert "airudder_webhooks_spool_events 4.0" in scraped
            assert "airudder_webhooks_store_up 0.0" in scraped
            cluster.start()
            wait_until(lambda: store.spool.size()[0] == 0, seconds=60)
            assert post(url, 4).status_code == 200
            assert "airudder_webhooks_spool_events 0.0" in httpx.get(f"{url}/metrics").text
    finally:
        store.close()
    assert stored(cluster) == ["w0", "w1", "w2", "w3", "w4"]  # once each (w0's late retry deduped), in order


def test_with_the_database_and_the_spool_both_failing_the_answer_is_503_in_the_envelope_soon(
    cluster: Cluster, tmp_path: Path
) -> None:
    store = spooling(cluster, tmp_path)
    receiver = webhooks.WebhookReceiver(store=store)
    try:
        with webhooks.running(receiver) as url:
            wait_until(lambda: httpx.get(f"{url}/readyz").status_code == 200, seconds=60)
            cluster.stop()
            locker = sqlite3.connect(tmp_path / "spool.sqlite3", isolation_level=None)
            locker.execute("BEGIN EXCLUSIVE")  # another process holds the spool: it cannot be written
            try:
                started = time.monotonic()
                answer = post(url, 1)
                took = time.monotonic() - started
                ready = httpx.get(f"{url}/readyz", timeout=30)
            finally:
                locker.execute("ROLLBACK")
                locker.close()
                cluster.start()
    finally:
        store.close()
    assert answer.status_code == 503 and answer.headers["retry-after"] == "30"
    assert answer.json()["data"]["errors"][0]["field"] == "store"
    assert took < 30  # bounded by the database's wait and the spool's busy timeout, never a 30 s hang
    assert ready.status_code == 503


def test_a_receiver_started_while_the_database_is_down_serves_waits_and_drains(
    cluster: Cluster, tmp_path: Path
) -> None:
    cluster.stop()
    store = spooling(cluster, tmp_path)
    receiver = webhooks.WebhookReceiver(store=store)
    try:
        with webhooks.running(receiver) as url:
            assert httpx.get(f"{url}/healthz").status_code == 200
            not_ready = httpx.get(f"{url}/readyz", timeout=30)
            assert not_ready.status_code == 503
            assert "not been reached" in not_ready.json()["data"]["errors"][0]["message"]
            assert post(url, 1).status_code == 200  # kept in the spool meanwhile
            cluster.start()
            wait_until(lambda: httpx.get(f"{url}/readyz").status_code == 200 and store.spool.size()[0] == 0, seconds=60)
    finally:
        store.close()
    assert stored(cluster) == ["w1"]
