"""One INFO line per accepted delivery (kind, event id, duplicate or not, never the body), and its request id:
the sender's X-Request-ID, or a new one, echoed in the answer."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from airudder import webhooks
from airudder_contract.webhook_cases import doc_examples

STATUS = doc_examples("workflow_status_changed")[0]


def test_each_accepted_delivery_is_logged_once_with_its_request_id_and_never_its_body(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = webhooks.WebhookReceiver(store=webhooks.SQLiteEventStore(str(tmp_path / "e.sqlite3")), secret="s3")
    with webhooks.running(receiver) as url, caplog.at_level(logging.INFO, logger="airudder.webhooks"):
        first = httpx.post(f"{url}/workflow_status_changed", json=STATUS, headers={"X-Request-ID": "abc-123"})
        again = httpx.post(f"{url}/workflow_status_changed", json=STATUS)
        forged = httpx.post(f"{url}/workflow_status_changed", json=STATUS, headers={"X-Request-ID": "a b\tINFO x"})
    assert first.headers["x-request-id"] == "abc-123"
    made = again.headers["x-request-id"]
    assert len(made) == 32 and made != forged.headers["x-request-id"] != "a b\tINFO x"
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("accepted a webhook")]
    assert lines == [
        "accepted a webhook: kind workflow_status_changed, event 1, request abc-123",
        f"accepted a webhook: kind workflow_status_changed, a duplicate (kept before), request {made}",
        f"accepted a webhook: kind workflow_status_changed, a duplicate (kept before), "
        f"request {forged.headers['x-request-id']}",
    ]
    assert not any(str(STATUS["workflow_id"]) in r.getMessage() for r in caplog.records)
