"""Scripted outcomes: every magic callee number gives its one outcome; a scenario (a file, the admin API, the
handle, the fixture's marker) scripts calls, WABA messages, webhook faults and API faults; contacts nobody
scripts keep the seeded odds, and a seed still replays the same history."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

import airudder
from airudder_api.models import WorkflowDetail
from airudder_mock import MockConfig, MockHandle, running_mock
from airudder_mock.cli import main
from airudder_mock.simulation.scenario import MAGIC_NUMBERS

HOURS = 3 * 3600
END = "2099-12-31 23:59:59+07:00"


def run(mock: MockHandle, callees: list[str], template: int = 2, name: str = "t") -> str:
    """A workflow of `template` with exactly these contacts, run to its end; returns its id."""
    with airudder.Client(app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url) as client:
        details = [WorkflowDetail(callee=c) for c in callees]
        workflow_id = client.workflows.create(
            workflow_template_id=template, name=name, end_time=END, details=details
        ).workflow_id
    mock.advance(HOURS)
    assert isinstance(workflow_id, str)
    return workflow_id


def heard(mock: MockHandle) -> dict[str, dict[str, list[Any]]]:
    """callee -> kind -> payloads, in delivery order, from the handle's receiver."""
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for kind, payload in mock.webhooks.received:
        callee = payload.get("callee") or payload.get("callee_number")
        if isinstance(callee, str):
            found[callee][kind].append(payload)
    for kinds in found.values():  # deliveries go out several at once: arrival order is not theirs
        for payloads in kinds.values():
            payloads.sort(key=lambda p: (p.get("attempt", 0), p.get("time", ""), WABA_ORDER.get(p.get("status"), 0)))
    return found


WABA_ORDER = {"sent": 1, "delivered": 2, "read": 3}


EXPECTED_CALLS = {
    "+15550000001": ["answered"],
    "+15550000002": ["no_answer", "no_answer", "no_answer"],
    "+15550000003": ["busy", "busy", "busy"],
    "+15550000004": ["failed", "failed", "failed"],
    "+15550000005": ["busy", "busy", "answered"],
    "+15550000006": ["no_answer", "answered"],
    "+15550000007": ["answered"],
}
EXPECTED_WABA = {
    "+15550000011": ["sent", "delivered"],
    "+15550000012": ["sent", "delivered", "read"],
    "+15550000013": ["failed"],
    "+15550000014": ["sent", "delivered", "read"],
}


@pytest.mark.airudder_mock(contacts_per_workflow=0)
def test_every_magic_number_gives_its_one_outcome(airudder_mock: MockHandle) -> None:
    assert set(MAGIC_NUMBERS) == set(EXPECTED_CALLS) | set(EXPECTED_WABA)  # the table and this test agree
    run(airudder_mock, list(MAGIC_NUMBERS))
    got = heard(airudder_mock)
    for callee, statuses in EXPECTED_CALLS.items():
        attempts = [p["status"] for p in got[callee]["predictive_dialer_contact_status_changed"]]
        assert attempts == statuses, callee
        [completed] = got[callee]["call_completed"]
        assert completed["status"] == statuses[-1] and completed["attempt"] == len(statuses)
        if statuses[-1] == "answered":
            assert completed["duration"] == 60
            assert (completed["recording_url"] is None) == (callee == "+15550000007"), callee
        assert [p["status"] for p in got[callee]["waba_message_status_changed"]] == ["sent", "delivered", "read"]
    for callee, statuses in EXPECTED_WABA.items():
        assert [p["status"] for p in got[callee]["waba_message_status_changed"]] == statuses, callee
        assert [p["status"] for p in got[callee]["call_completed"]] == ["answered"]
        assert len(got[callee]["chatbot_session_ended"]) == (callee == "+15550000014"), callee
    assert set(got) == set(MAGIC_NUMBERS)  # every contact was heard of (workflow_list_completed included)


def test_magic_numbers_are_the_same_whatever_the_seed() -> None:
    histories = []
    for seed in (1, 2):
        with running_mock(MockConfig(seed=seed, contacts_per_workflow=0)) as mock:
            run(mock, ["+15550000005", "+15550000013"])
            histories.append(
                {
                    c: {k: [p["status"] for p in v if "status" in p] for k, v in kinds.items()}
                    for c, kinds in heard(mock).items()
                }
            )
    assert histories[0] == histories[1]


SCENARIO = {
    "contacts": [
        {"callee": "+6281200000001", "calls": ["busy", "busy", "answered"], "duration": 42, "redial_after": 120},
        {"callee": "+6281200000002", "waba": "failed"},
        {"callee": "+6281200000003", "calls": ["no_answer"] * 5},
        {
            "workflow_name": "faulty",
            "webhooks": [
                {"kind": "call_completed", "twice": True, "out_of_order": True},
                {"kind": "predictive_dialer_task_status_changed", "never": True},
            ],
        },
    ]
}


@pytest.mark.airudder_mock(contacts_per_workflow=0, scenario=SCENARIO)
def test_a_scenario_scripts_calls_waba_and_their_times(airudder_mock: MockHandle) -> None:
    run(airudder_mock, ["+6281200000001", "+6281200000002", "+6281200000003"])
    got = heard(airudder_mock)
    dials = got["+6281200000001"]["predictive_dialer_contact_status_changed"]
    assert [p["status"] for p in dials] == ["busy", "busy", "answered"]
    assert [p["attempt"] for p in dials] == [1, 2, 3]
    [completed] = got["+6281200000001"]["call_completed"]
    assert completed["duration"] == 42
    assert [p["status"] for p in got["+6281200000002"]["waba_message_status_changed"]] == ["failed"]
    # a script longer than max_redials (2) is redialled to its end
    assert [p["status"] for p in got["+6281200000003"]["predictive_dialer_contact_status_changed"]] == ["no_answer"] * 5
    assert airudder_mock.admin.get("/scenario").json()["data"] == SCENARIO


@pytest.mark.airudder_mock(contacts_per_workflow=0, scenario=SCENARIO, webhook_concurrency=1)  # sent in order
def test_scripted_webhook_faults_twice_out_of_order_and_never(airudder_mock: MockHandle) -> None:
    workflow_id = run(airudder_mock, ["+6281200000004"], template=1, name="faulty")
    order = [kind for kind, p in airudder_mock.webhooks.received if p.get("workflow_id") == workflow_id]
    assert order == [
        "predictive_dialer_contact_status_changed",
        "workflow_list_completed",
        "call_completed",  # after the one that follows it...
        "call_completed",  # ...and twice
        "workflow_status_changed",
    ]
    assert "predictive_dialer_task_status_changed" not in order  # never...
    assert airudder_mock.deliveries(kind="predictive_dialer_task_status_changed") == []  # ...nor listed


@pytest.mark.airudder_mock(
    contacts_per_workflow=0,
    scenario={
        "contacts": [{"workflow_name": "flaky", "webhooks": [{"kind": "workflow_list_completed", "fail_first": 2}]}]
    },
)
def test_a_webhook_failing_first_is_retried_as_airudder_retries(airudder_mock: MockHandle) -> None:
    run(airudder_mock, ["+6281200000005"], template=1, name="flaky")
    [listed] = airudder_mock.deliveries(kind="workflow_list_completed")
    assert (listed["status"], listed["attempts"]) == ("delivered", 3)  # a mock minute apart, inside advance()
    assert [a["error"] is not None for a in listed["history"]] == [True, True, False]
    assert len(airudder_mock.webhooks.of("workflow_list_completed")) == 1


def test_unnamed_contacts_keep_the_seeded_odds_and_a_seed_replays_with_a_scenario() -> None:
    histories = []
    for _ in range(2):
        config = MockConfig(seed=11, contacts_per_workflow=6, scenario={"contacts": [{"callee": "+6281299999999"}]})
        with running_mock(config) as mock:
            run(mock, [])
            histories.append(sorted(json.dumps(untimed(p), sort_keys=True) for _, p in mock.webhooks.received))
    assert histories[0] == histories[1]
    statuses = {json.loads(p).get("status") for p in histories[0]}
    assert len(statuses & {"answered", "no_answer", "busy", "failed"}) >= 2  # dice, not a script


def untimed(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload without its clock times and URLs (each run starts its clock at the real time, on a new port)."""
    return {k: v for k, v in payload.items() if "time" not in k and "url" not in k}


def test_api_faults_at_given_mock_times(airudder_mock: MockHandle) -> None:
    fault = {"operation_id": "list_workflow_tasks", "status": 503, "at": 600, "until": 900}
    airudder_mock.set_scenario({"api_faults": [fault]})
    mock = airudder_mock
    with airudder.Client(app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url) as client:
        [*client.workflows.list()]  # before 600 s: fine
        airudder_mock.advance(600)
        with pytest.raises(airudder.ServerError) as failed:
            [*client.workflows.list(max_retries=0)]
        assert failed.value.response.status_code == 503
        airudder_mock.advance(300)
        [*client.workflows.list()]  # after 900 s: fine again


def test_a_bad_scenario_is_refused_naming_the_field(airudder_mock: MockHandle, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match=r'body\.contacts\.0\.calls\.0: "answred" is not one of'):
        airudder_mock.set_scenario({"contacts": [{"calls": ["answred"]}]})
    with pytest.raises(AssertionError, match=r"body\.contacts\.0\.webhooks\.0\.kind: is not a webhook kind"):
        airudder_mock.set_scenario({"contacts": [{"webhooks": [{"kind": "call_done"}]}]})
    with pytest.raises(AssertionError, match=r"body\.api_faults\.0\.operation_id: is not an operation"):
        airudder_mock.set_scenario({"api_faults": [{"operation_id": "nope", "status": 503}]})
    bad = tmp_path / "bad.yaml"
    bad.write_text("contacts:\n  - callee: '+1'\n    waba: lost\n")
    result = CliRunner().invoke(main, ["serve", "--scenario", str(bad), "--port", "0"])
    assert result.exit_code == 2 and "body.contacts.0.waba" in result.output


def test_serve_takes_a_scenario_file(tmp_path: Path) -> None:
    from .test_first_day import mock_process

    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("contacts:\n  - callee: '+6281200000001'\n    calls: [busy, answered]\n")
    with mock_process("--scenario", str(scenario)) as (base_url, _):
        document = httpx.get(f"{base_url}/_mock/scenario").json()["data"]
    assert document == {"contacts": [{"callee": "+6281200000001", "calls": ["busy", "answered"]}]}
