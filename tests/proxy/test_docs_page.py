"""docs/learning-from-traffic.md runs as written, `airudder-mock serve` standing in for AIRudder: the proxy, the
app's traffic, the receiver's drift report, the proposal, the replay. Ports are swapped for free ones (the
documented ones may be taken on a shared machine); `--apply` writes to a copy of the spec, not the checkout's."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from airudder_mock.simulation.samples import sample_payloads

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "learning-from-traffic.md"
BIN = Path(sys.executable).parent
DOCUMENTED_PORTS = ("8765", "8766", "8767", "8080")


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def blocks(language: str, ports: dict[str, str]) -> list[str]:
    found = re.findall(rf"```{language}\n(.*?)```", PAGE.read_text(), re.DOTALL)
    for documented, free in ports.items():
        found = [block.replace(documented, free) for block in found]
    return found


def commands(block: str) -> list[list[str]]:
    """Each command of a shell block as argv (comments and trailing `&` dropped; `x=$!`, `kill`, `wait`, the
    bookkeeping of background jobs, left to this test, which stops what it started as the page does)."""
    found = [shlex.split(line.split("#")[0].rstrip().rstrip("&")) for line in block.splitlines() if line.strip()]
    return [argv for argv in found if not argv[0].endswith("=$!") and argv[0] not in ("kill", "wait")]


def wait_until(check: tuple[str, str], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.request(check[0], check[1], timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"{what} did not come up"
            time.sleep(0.1)


@contextmanager
def started(argv: list[str], cwd: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    program = str(BIN / argv[0]) if (BIN / argv[0]).exists() else argv[0]
    if argv[0] == "python":
        program = sys.executable
    process = subprocess.Popen(
        [program, *argv[1:]], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # as Ctrl-C would: the proxy and the receiver write their reports
        process.communicate(timeout=60)


def test_the_page_runs_as_written(tmp_path: Path) -> None:
    ports = {documented: free_port() for documented in DOCUMENTED_PORTS}
    setup, receiver, stop, propose, apply, replay = blocks("sh", ports)
    assert commands(stop) == []  # kill and wait: what leaving the `with` below does
    (example,) = blocks("python", ports)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    mock_url, proxy_url = f"http://127.0.0.1:{ports['8765']}", f"http://127.0.0.1:{ports['8766']}"
    with ExitStack() as stack:
        for argv in commands(setup):
            if argv[0] == "export":
                env.update(dict(word.split("=", 1) for word in argv[1:]))
            else:
                stack.enter_context(started(argv, tmp_path, env))
        assert env["AIRUDDER_BASE_URL"] == proxy_url
        wait_until(("GET", mock_url + "/_mock/clock"), "the mock")
        wait_until(("POST", proxy_url + "/service/cloud/auth"), "the proxy")
        (hooks,) = commands(receiver)
        stack.enter_context(started(hooks, tmp_path, env))
        hooks_url = f"http://127.0.0.1:{ports['8080']}"
        wait_until(("POST", hooks_url + "/workflow_status_changed"), "the receiver")

        ran = subprocess.run(
            [sys.executable, "-c", example], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert ran.returncode == 0, ran.stderr
        assert "running" in ran.stdout  # the task just created, listed through the proxy

        payload = {**sample_payloads(seed=1)["workflow_status_changed"], "escalation_level": 2}
        assert httpx.post(hooks_url + "/workflow_status_changed", json=payload).status_code == 200
    report = (tmp_path / "drift" / "drift.md").read_text()
    assert "## create_workflow_task" in report and "## list_workflow_tasks" in report
    assert "## webhook workflow_status_changed" in report and "payload.escalation_level" in report
    assert list((tmp_path / "cassettes" / "list_workflow_tasks").glob("*.json"))

    (proposal,) = commands(propose)
    proposed = subprocess.run(
        [sys.executable, str(ROOT / proposal[0]), *proposal[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proposed.returncode == 0, proposed.stderr
    assert "re-graded observed" in proposed.stdout and "payload.escalation_level" in proposed.stdout
    assert "+          x-observed: {count: 1" in proposed.stdout  # the created task's answer: an envelope
    applying, regenerate = commands(apply)
    assert regenerate == ["scripts/regenerate"]
    spec = tmp_path / "openapi.yaml"
    shutil.copy(ROOT / "spec" / "openapi.yaml", spec)
    applied = subprocess.run(
        [sys.executable, str(ROOT / applying[0]), *applying[1:], "--spec", str(spec)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert applied.returncode == 0 and spec.read_text() != (ROOT / "spec" / "openapi.yaml").read_text()

    (replaying,) = commands(replay)
    cassette = json.loads(next((tmp_path / "cassettes" / "get_token").glob("*.json")).read_text())
    with started(replaying, tmp_path, env):
        replay_url = f"http://127.0.0.1:{ports['8767']}"
        wait_until(("GET", replay_url + "/_mock/clock"), "the replaying mock")
        answer = httpx.post(
            replay_url + "/service/cloud/auth",
            content=cassette["request"]["body"],
            headers={"content-type": "application/json"},
        )
    assert answer.content == cassette["response"]["body"].encode()
