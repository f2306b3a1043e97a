"""The live target: read-only unless writes are opted into, 2 requests/s, and nothing sent without credentials.

The "live API" here is a recording server on 127.0.0.1: these tests check what the suite would send, and never
reach AIRudder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import airudder_spec
from airudder.serving import serve
from airudder_contract import links
from airudder_contract.target import (
    LIVE_VARIABLES,
    Target,
    build_schema,
    read_only_document,
    read_only_operation_ids,
    token_auth,
)

ROOT = Path(__file__).resolve().parents[2]
WRITES = {"create_workflow_task", "verify_custom_api_node_data_push"}


@pytest.fixture
def fake_live() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A stand-in for AIRudder that issues a token, answers every call with an empty page, and records them."""
    seen: list[tuple[str, str]] = []

    async def answer(request: Request) -> JSONResponse:
        await request.body()
        seen.append((request.method, request.url.path))
        if request.url.path == "/service/cloud/auth":
            return JSONResponse({"data": {"token": "t0k3n"}, "status": "OK", "code": 200})
        return JSONResponse({"data": {"lists": [], "count": 0}, "status": "OK", "code": 200})

    app = Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST"])])
    with serve(app) as base_url:
        yield base_url, seen


def operation_ids(schema: Any) -> set[str]:
    return {result.ok().definition.raw["operationId"] for result in schema.get_all_operations()}


def live_schema(base_url: str, *, writes: bool) -> Any:
    target = Target("live", base_url, "key", "secret")
    with token_auth(target) as auth:
        return build_schema(target, auth, writes=writes)


def test_the_read_only_set_is_the_gets_and_the_idempotent_queries() -> None:
    expected = {op.operation_id for op in airudder_spec.operations().values() if op.method == "get"}
    expected |= {op.operation_id for op in airudder_spec.operations().values() if op.definition.get("x-idempotent")}
    assert set(read_only_operation_ids()) == expected - {"get_token"}
    assert not WRITES & set(read_only_operation_ids())


def test_live_without_the_opt_in_tests_no_write_and_no_link_leads_to_one() -> None:
    schema = live_schema("http://127.0.0.1:9", writes=False)
    assert operation_ids(schema) == set(read_only_operation_ids())
    document = read_only_document()
    by_id = {item[m]["operationId"]: item[m] for item in document["paths"].values() for m in item if m != "parameters"}
    targets = [
        link["operationId"]
        for operation in by_id.values()
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    ]
    assert links.names(document), "the read-only operations keep their links between them"
    assert set(targets) <= set(read_only_operation_ids())
    assert set(links.names(document)) < set(links.names(airudder_spec.load()))


def test_live_writes_are_tested_only_when_opted_into() -> None:
    assert operation_ids(live_schema("http://127.0.0.1:9", writes=True)) >= WRITES


def test_the_mock_target_tests_every_operation() -> None:
    target = Target("mock", "http://127.0.0.1:9", "key", "secret")
    with token_auth(target) as auth:
        schema = build_schema(target, auth, writes=False)
    assert operation_ids(schema) == set(airudder_spec.operations())
    assert schema.config.rate_limit_for(operation=None) is None


def test_live_requests_go_out_at_two_per_second(fake_live: tuple[str, list[tuple[str, str]]]) -> None:
    base_url, seen = fake_live
    schema = live_schema(base_url, writes=False)
    operation = schema.find_operation_by_id("list_workflow_tasks")
    started = time.monotonic()
    for _ in range(5):
        operation.Case(query={"page": 1}).call()
    elapsed = time.monotonic() - started
    # 2/s: the 3rd and 4th requests wait for the 2nd second, the 5th for the 3rd, so 5 take at least 2 s.
    assert elapsed >= 1.9, elapsed
    assert seen == [("GET", "/service/cloud/workflow/instancelist")] * 5


def test_the_stateful_settings_are_seeded_and_bounded() -> None:
    settings = live_schema("http://127.0.0.1:9", writes=False).config.get_hypothesis_settings(phase="stateful")
    assert settings.derandomize and settings.database is None
    assert settings.max_examples <= 50 and settings.stateful_step_count <= 10


def test_without_credentials_the_suite_sends_nothing_and_says_why(
    fake_live: tuple[str, list[tuple[str, str]]], tmp_path: Path
) -> None:
    base_url, seen = fake_live
    env = {k: v for k, v in os.environ.items() if k not in LIVE_VARIABLES}
    env |= {"AIRUDDER_BASE_URL": base_url, "AIRUDDER_APP_KEY": "key", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(ROOT / "contract_tests" / "airudder_contract" / "test_live_target.py"),
            "-p",
            "airudder_contract.report",
            "-rs",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "live API not tested: AIRUDDER_APP_SECRET not set" in result.stdout
    assert "1 skipped" in result.stdout
    assert seen == []
    assert "| live API | skipped |" in (tmp_path / "reports" / "contract.md").read_text()


RUN_FAST = """
import sys, pytest, airudder_contract.target as target
target.LIVE_RATE_LIMIT = "1000/s"  # the real 2/s is checked above; here it would only make the run slow
sys.exit(pytest.main(sys.argv[1:]))
"""


def test_a_live_run_sends_only_reads_and_writes_the_drift_report(
    fake_live: tuple[str, list[tuple[str, str]]], tmp_path: Path
) -> None:
    """The whole suite in live mode, through the pytest integration, against the recording stand-in."""
    base_url, seen = fake_live
    env = {k: v for k, v in os.environ.items() if k != "AIRUDDER_LIVE_WRITES"}
    env |= {"AIRUDDER_BASE_URL": base_url, "AIRUDDER_APP_KEY": "key", "AIRUDDER_APP_SECRET": "secret"}
    env["PYTHONPATH"] = str(ROOT)
    args = [
        str(ROOT / "contract_tests" / "airudder_contract" / "test_api_contract.py"),
        "-p",
        "airudder_contract.report",
        "-p",
        "no:cacheprovider",
    ]
    result = subprocess.run(
        [sys.executable, "-c", RUN_FAST, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    # The stand-in answers 200 to anything, so schemathesis' checks fail (exit 1); what matters is what was sent.
    assert result.returncode in (0, 1), result.stdout[-4000:] + result.stderr[-2000:]
    assert "test_stateful_sequences_follow_the_links" in result.stdout
    read_only = {
        (op.method.upper(), op.path)
        for op in airudder_spec.operations().values()
        if op.operation_id in read_only_operation_ids()
    }
    sent = set(seen)
    assert ("POST", "/service/cloud/auth") in sent  # our token flow, once per token
    assert sent - {("POST", "/service/cloud/auth")} <= read_only, sent
    assert {path for _, path in sent} >= {path for _, path in read_only}, "every read-only operation was tested"
    drift = (tmp_path / "reports" / "live-drift.md").read_text()
    assert "| GET /service/cloud/workflow/instancelist | 200 x" in drift
    # the stand-in's page fields are not what the spec says the WABA details or the task details hold
    assert "| GET /service/cloud/workflow/wabataskdetail | 200 x" in drift and "data.lists" in drift
    assert "| POST /service/cloud/workflow/taskdetail | 200 x1 | - | data.count, data.lists |" in drift
    # the operation only public code shows is a write: a read-only run says it was not tested, never "confirmed"
    upload = "| POST /service/cloud/workflow/uploaddetails | - | not tested (a write, sent only with --live-writes) |"
    assert upload in drift
