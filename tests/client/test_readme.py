"""The docs' client examples work as written: the quick start against `airudder-mock serve`, the typed
examples under `mypy --strict`."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def page(name: str) -> str:
    return (DOCS / name).read_text()


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_quick_start_runs_as_written_against_the_mock_started_as_the_docs_say() -> None:
    quick = page("quickstart.md")
    shell, python = blocks(quick, "sh")[0], blocks(quick, "python")[0]
    serve = next(line for line in shell.splitlines() if line.startswith("airudder-mock serve"))
    exports = next(line for line in shell.splitlines() if line.startswith("export "))
    environment = dict(word.split("=", 1) for word in shlex.split(exports)[1:])
    assert environment["AIRUDDER_BASE_URL"] == "http://127.0.0.1:8765"  # the mock's default port
    port = free_port()  # the same command on a free port: 8765 may be taken on a shared machine
    command = [*shlex.split(serve.split("&")[0]), "--port", str(port)]
    mock = subprocess.Popen(
        [str(Path(sys.executable).with_name(command[0])), *command[1:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/_mock/clock", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "airudder-mock serve did not come up"
                time.sleep(0.2)
        env = {**os.environ, **environment, "AIRUDDER_BASE_URL": url}
        result = subprocess.run(
            [sys.executable, "-c", python], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
        )
    finally:
        mock.terminate()
        mock.wait(10)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()  # the task it created, as listed
    workflow_id, name, status = line.split()
    assert workflow_id and (name, status) == ("july", "running")


def test_the_typed_examples_of_each_operation_pass_mypy_strict(tmp_path: Path) -> None:
    example = blocks(page("client.md"), "python")[0]
    for operation in ("workflows.create", "workflows.list", "workflows.query_ids", "waba.task_details"):
        assert f"client.{operation}(" in example
    assert "client.outbound_tasks.details(" in example and "client.custom_api_node.verify_data_push(" in example
    probe = tmp_path / "readme_example.py"
    probe.write_text(example)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"), str(probe)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout
