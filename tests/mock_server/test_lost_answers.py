"""The fault that matters most: AIRudder processed a create, and its answer was lost (a reset connection, a
timeout, a proxy's 502). The mock's `phase: "after"` faults commit the create and then lose the answer; the client
raises what the docs say, and the recovery recipe (list, then retry only if absent) creates the task once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import airudder
from airudder_mock import MockConfig, MockHandle, running_mock
from airudder_mock.faults import Fault, FaultError

END = "2099-12-31 23:59:59+07:00"
NO_RETRY_WAIT = airudder.RetryPolicy(wait_initial=0.01, wait_max=0.02, wait_jitter=0.01)


def create_once(client: airudder.Client, *, name: str, attempts: int = 3, **fields: Any) -> str:
    """The recovery recipe (docs): create the task `name` (unique to it: the name is how it is found again),
    once, even when answers are lost; returns its workflow_id."""
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for attempt in range(1, attempts + 1):
        try:
            return str(client.workflows.create(name=name, **fields).workflow_id)
        except (airudder.APIConnectionError, airudder.ServerError, airudder.UnexpectedResponseError):
            # the outcome is unknown: AIRudder may have created it. Look before sending the create again
            found = [task for task in client.workflows.list(start_time=since) if task.name == name]
            if found:
                return str(found[0].workflow_id)
            if attempt == attempts:
                raise
    raise ValueError("attempts must be at least 1")


@pytest.fixture
def served() -> Iterator[MockHandle]:
    """A mock on a real loopback port: a dropped connection and a read timeout are network events. Seeded: a
    fault with a `rate` draws from the seed, so the same run meets the same draws (unseeded, a fresh seed may
    drop one create more times in a row than the recipe tries)."""
    with running_mock(MockConfig(speed=0, seed=0)) as handle:
        yield handle


def client_of(mock: MockHandle, **options: Any) -> airudder.Client:
    return airudder.Client(app_key=mock.app_key, app_secret=mock.app_secret, base_url=mock.base_url, **options)


def lose_creates(mock: MockHandle, **fault: Any) -> None:
    rule = {"operation_id": "create_workflow_task", "phase": "after", **fault}
    mock.admin.put("/faults", json=rule).raise_for_status()


def names(mock: MockHandle) -> list[str]:
    workflows = mock.admin.get("/state").json()["workflows"]
    return sorted(w["name"] for w in workflows)


def test_a_create_whose_connection_drops_after_the_commit_exists_and_the_client_says_it_may(
    served: MockHandle,
) -> None:
    lose_creates(served, drop=True)
    with client_of(served, retries=NO_RETRY_WAIT) as client:
        with pytest.raises(airudder.APIConnectionError) as caught:
            client.workflows.create(workflow_template_id=1, name="july", end_time=END)
    assert not isinstance(caught.value, airudder.APITimeoutError) and caught.value.request_sent
    assert "the workflow task may exist: check with list_workflow_tasks before retrying" in str(caught.value)
    assert names(served) == ["july"]  # committed once, never sent again


def test_a_create_whose_answer_comes_too_late_times_out_and_exists(served: MockHandle) -> None:
    lose_creates(served, latency_ms=3000)
    with client_of(served, timeout=httpx.Timeout(10, read=0.5), retries=NO_RETRY_WAIT) as client:
        with pytest.raises(airudder.APITimeoutError) as caught:
            client.workflows.create(workflow_template_id=1, name="july", end_time=END)
    assert "the workflow task may exist" in str(caught.value) and caught.value.request_sent
    assert names(served) == ["july"]


def test_a_create_answered_by_a_proxys_502_page_exists(served: MockHandle) -> None:
    lose_creates(served, status=502)
    with client_of(served, retries=NO_RETRY_WAIT) as client:
        with pytest.raises(airudder.APIError) as caught:
            client.workflows.create(workflow_template_id=1, name="july", end_time=END)
    assert caught.value.status_code == 502
    assert caught.value.response.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in caught.value.response.text
    assert names(served) == ["july"]


@pytest.mark.parametrize("fault", [{"drop": True}, {"latency_ms": 3000}, {"status": 502}])
def test_the_recovery_recipe_finds_the_lost_create_and_does_not_create_twice(
    served: MockHandle, fault: dict[str, Any]
) -> None:
    lose_creates(served, **fault)
    timeout = httpx.Timeout(10, read=0.5)
    with client_of(served, timeout=timeout, retries=NO_RETRY_WAIT) as client:
        first = create_once(client, workflow_template_id=1, name="july", end_time=END)
        served.admin.delete("/faults").raise_for_status()
        second = create_once(client, workflow_template_id=1, name="august", end_time=END)
    assert names(served) == ["august", "july"]
    ids = {w["name"]: w["workflow_id"] for w in served.admin.get("/state").json()["workflows"]}
    assert (first, second) == (ids["july"], ids["august"])


def test_the_recipe_creates_the_task_when_the_lost_request_never_reached_the_mock(served: MockHandle) -> None:
    served.admin.put("/faults", json={"operation_id": "create_workflow_task", "drop": True, "rate": 0.5})
    with client_of(served, retries=NO_RETRY_WAIT) as client:
        for month in ("may", "june", "july", "august"):
            create_once(client, workflow_template_id=1, name=month, end_time=END)
    assert names(served) == ["august", "july", "june", "may"]  # each once, whichever draws dropped them


def test_the_phase_is_checked_and_parsed_from_the_command_line() -> None:
    assert Fault.parse("create_workflow_task:phase=after,drop=true") == (
        "create_workflow_task",
        Fault(phase="after", drop=True),
    )
    with pytest.raises(FaultError) as caught:
        Fault(phase="during", drop=True)
    assert caught.value.field == "phase"


def test_an_unknown_phase_is_a_400_naming_it(served: MockHandle) -> None:
    answer = served.admin.put("/faults", json={"operation_id": "create_workflow_task", "phase": "x", "drop": True})
    assert answer.status_code == 400 and answer.json()["data"]["errors"][0]["field"] == "body.phase"
    listed = served.admin.get("/faults").json()["data"]
    assert listed == {}
