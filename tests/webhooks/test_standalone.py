"""`python -m airudder.webhooks` runs the receiver alone and prints each event once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from airudder_mock.server import bound_socket
from contract_tests.webhook_cases import doc_examples


def test_the_standalone_receiver_stores_and_prints_each_event_once(tmp_path: Path) -> None:
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "airudder.webhooks",
        "--port",
        str(port),
        "--db",
        str(tmp_path / "h.sqlite3"),
        "--secret",
        "s3cret",
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}/s3cret/workflow_status_changed"
    payload = doc_examples("workflow_status_changed")[0]
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                first = httpx.post(url, json=payload)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the receiver did not start"
                time.sleep(0.1)
        again = httpx.post(url, json=payload)
        assert (first.status_code, again.status_code) == (200, 200)
        assert (first.json()["data"]["duplicate"], again.json()["data"]["duplicate"]) == (False, True)
        line = json.loads(server.stdout.readline() if server.stdout else "{}")
        assert line == {"kind": "workflow_status_changed", "event": payload}
    finally:
        server.terminate()
        server.wait(10)
