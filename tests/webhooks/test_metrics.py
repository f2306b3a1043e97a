"""`/metrics`: deliveries by kind and outcome, the store's backlog and latency, in an exposition promtool accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from airudder import webhooks
from airudder_contract.webhook_cases import doc_examples

STATUS = doc_examples("workflow_status_changed")[0]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def promtool_check(text: str) -> None:
    """Debian's promtool (package `prometheus`, installed by .ci/run) lints the exposition."""
    promtool = shutil.which("promtool")
    assert promtool, "promtool is missing: apt-get install prometheus"
    done = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_deliveries_are_counted_by_kind_and_outcome_and_the_backlog_is_read_from_the_store(tmp_path: Path) -> None:
    store = webhooks.SQLiteEventStore(str(tmp_path / "e.sqlite3"))
    receiver = webhooks.WebhookReceiver(store=store, secret="s3")
    with webhooks.running(receiver) as url:
        base = url.rsplit("/", 1)[0]
        for _ in range(2):  # the event and a retry of it
            assert httpx.post(f"{url}/workflow_status_changed", json=STATUS).status_code == 200
        assert httpx.post(f"{base}/wrong/workflow_status_changed", json=STATUS).status_code == 403
        assert httpx.post(f"{url}/workflow_status_changed", json={"status": 1}).status_code == 400
        assert httpx.post(f"{url}/made-up-kind", json={}).status_code == 400
        answer = httpx.get(f"{base}/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = samples(answer.text)
    received = "airudder_webhooks_received_total"
    kind = "workflow_status_changed"
    assert found[(received, (("kind", kind), ("outcome", "stored"), ("status", "200")))] == 1
    assert found[(received, (("kind", kind), ("outcome", "duplicate"), ("status", "200")))] == 1
    assert found[(received, (("kind", kind), ("outcome", "refused"), ("status", "403")))] == 1
    assert found[(received, (("kind", kind), ("outcome", "refused"), ("status", "400")))] == 1
    # a kind a sender made up does not grow a series of its own
    assert found[(received, (("kind", "other"), ("outcome", "refused"), ("status", "400")))] == 1
    assert found[("airudder_webhooks_events", (("state", "pending"),))] == 1
    assert found[("airudder_webhooks_events", (("state", "dead"),))] == 0
    assert found[("airudder_webhooks_dead_letters", ())] == 2
    assert found[("airudder_webhooks_store_up", ())] == 1
    assert found[("airudder_webhooks_oldest_pending_age_seconds", ())] >= 0
    assert found[("airudder_webhooks_store_seconds_count", (("operation", "add"),))] == 2
    promtool_check(answer.text)


def test_the_exposition_passes_promtool_with_workers_and_handlers_counted(postgres_url: str) -> None:
    store = webhooks.PostgresEventStore(postgres_url, schema="scraped", pool_size=2)
    try:
        store.beat("host:1:abc", [1, 2])
        receiver = webhooks.WebhookReceiver(store=store)
        receiver.metrics.handler_seconds.labels("call_completed").observe(0.2)
        receiver.metrics.handler_failures.labels("call_completed").inc()
        receiver.metrics.dead.labels("call_completed").inc()
        text = receiver.metrics.exposition().decode()
    finally:
        store.close()
    found = samples(text)
    assert found[("airudder_webhooks_worker_holding", (("worker", "host:1:abc"),))] == 2
    assert found[("airudder_webhooks_dead_events_total", (("kind", "call_completed"),))] == 1
    promtool_check(text)


def test_a_store_that_does_not_answer_is_store_up_0_and_the_scrape_still_answers(tmp_path: Path) -> None:
    store = webhooks.SQLiteEventStore(str(tmp_path / "e.sqlite3"))
    receiver = webhooks.WebhookReceiver(store=store)
    store.close()
    found = samples(receiver.metrics.exposition().decode())
    assert found[("airudder_webhooks_store_up", ())] == 0
    assert ("airudder_webhooks_events", (("state", "pending"),)) not in found


def test_a_kind_less_delivery_is_counted_under_the_kind_it_was_classified_as(tmp_path: Path) -> None:
    receiver = webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(str(tmp_path / "e.sqlite3")))
    with webhooks.running(receiver) as url:
        assert httpx.post(f"{url}/", json=STATUS).status_code == 200
        text = httpx.get(f"{url}/metrics").text
    key = (
        "airudder_webhooks_received_total",
        (("kind", "workflow_status_changed"), ("outcome", "stored"), ("status", "200")),
    )
    assert samples(text)[key] == 1
