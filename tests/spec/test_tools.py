"""Every common OpenAPI tool reads the spec as it is: openapi-generator validates it and generates clients from
it (no --skip-validate-spec), Spectral and redocly lint it with no error and no warning, Prism's static mock
serves every operation an example our own client accepts, and plain schemathesis finds no failure against our
mock server.

A tool that is missing is a skip on a developer's machine, and a failure in CI (`CI=true`), where .ci/run and
scripts/setup-env install them all.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

import airudder
import airudder_spec
from airudder_api.api.auth import get_token
from airudder_api.api.custom_api_node import verify_custom_api_node_data_push
from airudder_api.api.outbound_tasks import get_outbound_task_details
from airudder_api.api.waba import get_waba_task_details
from airudder_api.api.workflows import add_workflow_lists, create_workflow_task, list_workflow_tasks, query_workflow_ids
from airudder_api.models import (
    AddWorkflowListsRequest,
    CreateWorkflowTaskRequest,
    OutboundTaskDetailsRequest,
    QueryWorkflowIdsRequest,
    TokenRequest,
    VerifyCustomApiNodeDataPushRequest,
    WorkflowDetail,
)

from .conftest import ROOT

# Java starts, npm tools load and a whole schemathesis run happen here: longer than the suite's default 120 s
pytestmark = pytest.mark.timeout(900)

SPEC = ROOT / "spec" / "openapi.yaml"
BIN = Path(sys.executable).parent
NODE_BIN = ROOT / "node_modules" / ".bin"


def tool(path: Path | str | None, what: str) -> str:
    """The tool's path; a skip when it is missing, or a failure in CI."""
    if path and Path(path).exists():
        return str(path)
    message = f"{what} is not installed (scripts/setup-env installs it; openapi-generator also needs Java)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must install it")
    pytest.skip(message)


def openapi_generator() -> str:
    tool(shutil.which("java"), "Java")
    return tool(BIN / "openapi-generator-cli", "openapi-generator-cli (PyPI)")


def run(command: list[str], timeout: float = 300, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, **kwargs)


def test_openapi_generator_validates_the_spec_with_no_error() -> None:
    result = run([openapi_generator(), "validate", "-i", str(SPEC)])
    assert result.returncode == 0 and "Errors:" not in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("generator", ["typescript-fetch", "python"])
def test_openapi_generator_generates_a_client_without_skipping_validation(generator: str, tmp_path: Path) -> None:
    result = run([openapi_generator(), "generate", "-i", str(SPEC), "-g", generator, "-o", str(tmp_path / generator)])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "skip-validate-spec" not in result.stdout
    produced = {p.suffix for p in (tmp_path / generator).rglob("*") if p.is_file()}
    assert (".ts" if generator == "typescript-fetch" else ".py") in produced


def test_spectral_finds_no_error_and_no_warning() -> None:
    spectral = tool(NODE_BIN / "spectral", "@stoplight/spectral-cli (npm)")
    result = run([spectral, "lint", "--ruleset", ".spectral.yaml", "--fail-severity=hint", str(SPEC)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No results with a severity of 'hint' or higher found" in result.stdout


def test_redocly_recommended_finds_no_error_and_no_warning() -> None:
    redocly = tool(NODE_BIN / "redocly", "@redocly/cli (npm)")
    result = run([redocly, "lint", "--format=json", str(SPEC)])
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, report["problems"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(command: list[str], url: str, ready: int) -> Iterator[str]:
    """Run a server process until the block ends; yield once `url` answers `ready` (or any status, if 0)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"{command[0]} exited: {process.stdout.read() if process.stdout else ''}")
            try:
                httpx.post(url, json={}, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{command[0]} did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def every_operation(client: airudder.Client) -> dict[str, Any]:
    """One call of each operation through our client, with the request each page's example suggests."""
    time_window = {"start_time": "2022-09-27T07:58:31Z", "end_time": "2022-10-27T07:58:31Z"}
    details = [WorkflowDetail(callee="+6212312313")]
    return {
        "get_token": get_token.sync(client=client, body=TokenRequest(app_key="k", app_secret="s")),
        "create_workflow_task": create_workflow_task.sync(
            client=client,
            body=CreateWorkflowTaskRequest(workflow_template_id=1, name="n", end_time="2099-12-31 23:59:59+07:00"),
        ),
        "add_workflow_lists": add_workflow_lists.sync(
            client=client, body=AddWorkflowListsRequest(workflow_id="w", details=details)
        ),
        "verify_custom_api_node_data_push": verify_custom_api_node_data_push.sync(
            client=client, body=VerifyCustomApiNodeDataPushRequest(workflow_id="w", node_id="n", callee="+62")
        ),
        "list_workflow_tasks": list_workflow_tasks.sync(client=client, page=1, size=10, **time_window),
        "get_outbound_task_details": get_outbound_task_details.sync(
            client=client, body=OutboundTaskDetailsRequest(workflow_id="w")
        ),
        "query_workflow_ids": query_workflow_ids.sync(
            client=client,
            body=QueryWorkflowIdsRequest(callee="+8613711112222", **time_window),
        ),
        "get_waba_task_details": get_waba_task_details.sync(client=client, workflow_id="w", task_id="t"),
    }


def test_prism_static_mock_serves_every_operation_an_answer_our_client_accepts() -> None:
    prism = tool(NODE_BIN / "prism", "@stoplight/prism-cli (npm)")
    port = free_port()
    command = [prism, "mock", str(SPEC), "--host", "127.0.0.1", "--port", str(port), "--errors"]
    with serving(command, f"http://127.0.0.1:{port}/service/cloud/auth", 0) as _:
        base_url = f"http://127.0.0.1:{port}"
        with airudder.Client(app_key="k", app_secret="s", base_url=base_url, raise_for_errors=True) as client:
            answers = every_operation(client)  # raise_for_errors: any answer our client refuses raises here
    assert set(answers) == {op for op in answers if answers[op] is not None}
    assert set(answers) == set(airudder_spec.operations()), "every operation of the spec is called"


def test_plain_schemathesis_finds_no_failure_against_the_mock(tmp_path: Path) -> None:
    """`st run spec/openapi.yaml --url <mock> -H "Authorization: Token <t>"`: every phase, the default checks,
    no configuration of ours (schemathesis.toml is not read: the run happens in an empty folder)."""
    st = tool(BIN / "st", "schemathesis")
    port = free_port()
    mock = [str(BIN / "airudder-mock"), "serve", "--port", str(port), "--speed", "0", "--quiet"]  # its log is piped
    with serving(mock, f"http://127.0.0.1:{port}/service/cloud/auth", 0):
        base_url = f"http://127.0.0.1:{port}"
        issued = httpx.post(
            f"{base_url}/service/cloud/auth", json={"APPKey": "mock-app-key", "APPSecret": "mock-app-secret"}
        )
        token = issued.json()["data"]["token"]
        result = subprocess.run(
            [st, "run", str(SPEC), "--url", base_url, "-H", f"Authorization: Token {token}", "--seed", "20261125"],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,
        )
    summary = result.stdout[result.stdout.rfind("SUMMARY") :]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in summary, summary
    assert "Failures:" not in summary, summary
