"""Webhook drift (opt-in): what AIRudder posts, held against the spec in the proxy's drift report, while the
receiver stores and answers exactly as it does without it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from airudder import webhooks
from airudder_mock.simulation.samples import sample_payloads
from airudder_spec.drift import DriftReport

BAD = {
    # kind -> a payload the receiver refuses (400), and what the report says of it
    "workflow_list_completed": "missing",
    "chatbot_session_ended": "mistyped",
}


def deliveries() -> list[tuple[str | None, Any]]:
    """Each kind's payload as the mock's simulation sends it, then each with one drift, then a body of no kind."""
    samples = sample_payloads(seed=5)
    sent: list[tuple[str | None, Any]] = list(samples.items())
    extra = copy.deepcopy(samples["workflow_status_changed"])
    extra["escalation_level"] = 2
    missing = copy.deepcopy(samples["workflow_list_completed"])
    del missing["rows"]
    chatbot = dict.fromkeys(["workflow_id", "workflow_name", "nodetask_id", "nodetask_name", "waba_task_id"], "x")
    chatbot |= {"wfdetail_uuid": "u", "timestamp": "1700000000", "channel": "waba", "channel_id": "c"}
    chatbot["callee"] = "+6281234567890"
    sent += [
        ("workflow_status_changed", extra),
        ("workflow_list_completed", missing),
        ("chatbot_session_ended", chatbot),
    ]
    sent.append((None, {"event": "new_kind_of_event", "case_id": "c-1"}))
    return sent


def post_all(receiver: webhooks.WebhookReceiver, sent: list[tuple[str | None, Any]]) -> list[int]:
    with webhooks.running(receiver) as url, httpx.Client(timeout=30) as http:
        return [http.post(url + (f"/{kind}" if kind else ""), json=body).status_code for kind, body in sent]


def test_the_report_names_each_drift_and_the_receiver_answers_as_without_it(tmp_path: Path) -> None:
    plain = webhooks.WebhookReceiver(secret="s3cret", store=webhooks.SQLiteEventStore(str(tmp_path / "plain.db")))
    drifting = webhooks.WebhookReceiver(
        secret="s3cret", store=webhooks.SQLiteEventStore(str(tmp_path / "drift.db")), drift_report=tmp_path / "drift"
    )
    sent = deliveries()
    statuses = post_all(plain, sent)
    assert post_all(drifting, sent) == statuses
    assert statuses.count(400) == 2
    drifting.close_drift_report()
    assert [(e.kind, e.payload) for e in drifting.store.events()] == [(e.kind, e.payload) for e in plain.store.events()]

    report = DriftReport.read(tmp_path / "drift")
    changed = report.operations["webhook workflow_status_changed"]
    assert changed.tables["unnamed_fields"].keys() == {"payload.escalation_level"}
    assert changed.exchanges.count == 2
    assert all(e.contradicted.count == 0 for e in changed.elements.values())
    rows = report.operations["webhook workflow_list_completed"].elements[
        "/components/schemas/WorkflowListCompletionNotification/properties/rows"
    ]
    assert rows.contradicted.count == 1 and rows.rules == {"is missing (the spec requires it)": 1}
    assert rows.confirmed.count == 1  # the sample had its rows
    timestamp = report.operations["webhook chatbot_session_ended"].elements[
        "/components/schemas/ChatbotSessionEndNotification/properties/timestamp"
    ]
    assert timestamp.rules == {"is string, the spec says integer": 1}
    unknown = report.operations["webhook (kind not in the spec)"].tables["unnamed_fields"]
    assert set(unknown) == {"kind (none named, none detected)", "payload.event", "payload.case_id"}
    text = (tmp_path / "drift" / "drift.md").read_text()
    assert "payload.escalation_level" in text and "+6281234567890" not in text


def test_off_by_default(tmp_path: Path) -> None:
    assert webhooks.WebhookReceiver().drift is None


@pytest.mark.parametrize("kind", ["workflow_status_changed", "custom_api_node_data_push"])
def test_a_sample_of_the_simulation_confirms_its_kind(kind: str, tmp_path: Path) -> None:
    report = DriftReport(tmp_path)
    report.webhook(kind, sample_payloads(seed=5)[kind])
    drift = report.operations[f"webhook {kind}"]
    assert drift.elements and all(e.contradicted.count == 0 for e in drift.elements.values())
