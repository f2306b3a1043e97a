"""The pipx lines of docs/install.md, run as written (with pipx from PyPI) from the folder that holds the wheel:
the mock serves with the `mock` extra, and `airudder-contract` runs with the `contract` extra. Only what a reader
fills in differs: the mock's port (8765 may be taken on a shared machine), and the contract line is asked for its
`--help` (its gateway is the reader's)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WHEEL_NAME = "airudder_workflow-0.2.0-py3-none-any.whl"

pytestmark = pytest.mark.timeout(1500)  # pipx installs each spec from PyPI (pip's cache) on a shared machine


def pipx_lines() -> tuple[str, str]:
    page = (ROOT / "docs" / "install.md").read_text()
    block = next(b for b in re.findall(r"```sh\n(.*?)```", page, re.DOTALL) if "pipx run" in b)
    commands = [c for c in block.replace("\\\n", "").splitlines() if "pipx run" in c]
    mock, contract = commands
    return mock, contract


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_pipx_lines_run_as_written_from_the_wheels_folder(tmp_path: Path) -> None:
    mock_line, contract_line = pipx_lines()
    folder = tmp_path / "release"
    folder.mkdir()
    build = "import sys, hatchling.build; print(hatchling.build.build_wheel(sys.argv[1]))"
    name = subprocess.run(
        [sys.executable, "-c", build, str(folder)], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()[-1]
    assert name == WHEEL_NAME and WHEEL_NAME in mock_line and WHEEL_NAME in contract_line
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRUDDER_", "VIRTUAL_ENV", "PIPX_"))}
    pipx = shutil.which("pipx", path=str(Path(sys.executable).parent))
    assert pipx, "pipx (the dev extra) is not installed"
    env |= {"PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin")}
    env["PATH"] = f"{Path(pipx).parent}:{env['PATH']}"
    port = free_port()
    assert mock_line.endswith("--port 8765")
    mock = subprocess.Popen(
        ["bash", "-c", f"exec {mock_line.removesuffix('8765')}{port}"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900
        while True:
            try:
                httpx.get(f"{url}/_mock/clock", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                assert mock.poll() is None, mock.stderr.read().decode()[-3000:] if mock.stderr else ""
                assert time.monotonic() < deadline, "the pipx line's mock did not come up"
                time.sleep(0.5)
        # the contract line as written, asked for its help: its gateway is the reader's (the suite itself runs
        # against `airudder-mock serve` in tests/packaging/test_wheel.py)
        contract = contract_line.split(" airudder-contract ")[0] + " airudder-contract --help"
        result = subprocess.run(
            ["bash", "-c", contract], cwd=folder, env=env, capture_output=True, text=True, timeout=1200
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
        assert "--base-url" in result.stdout and "--report-dir" in result.stdout
        assert httpx.get(f"{url}/_mock/clock", timeout=10).status_code == 200
    finally:
        os.killpg(mock.pid, signal.SIGTERM)
        mock.wait(30)
