"""`python -m airudder.webhooks` runs the receiver alone and prints each event once."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import httpx

from airudder import webhooks
from airudder_mock.serving import bound_socket
from contract_tests.webhook_cases import doc_examples

COMMAND = [sys.executable, "-m", "airudder.webhooks"]


def read_line(stream: IO[str] | None, seconds: float = 20) -> Any:
    assert stream is not None
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "the receiver printed nothing"
    return json.loads(stream.readline())


def test_the_standalone_receiver_stores_and_prints_each_event_once(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    earlier = {"call_id": "stored before a crash, not printed yet"}
    webhooks.SQLiteEventStore(db).add("call_completed", webhooks.event_key("call_completed", earlier), earlier)
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    command = [*COMMAND, "--port", str(port), "--db", db, "--secret", "s3cret"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}/s3cret/workflow_status_changed"
    payload = doc_examples("workflow_status_changed")[0]
    try:
        assert read_line(server.stdout) == {"kind": "call_completed", "event": earlier}
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
        assert read_line(server.stdout) == {"kind": "workflow_status_changed", "event": payload}
    finally:
        server.terminate()
        server.wait(10)
    assert [e.state for e in webhooks.SQLiteEventStore(db).events()] == ["handled", "handled"]


def test_on_start_the_receiver_prints_an_event_a_crash_cut_off_mid_handler(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    store = webhooks.SQLiteEventStore(db)
    cut_off = {"call_id": "taken by a handler, then the process was killed"}
    event_id = store.add("call_completed", webhooks.event_key("call_completed", cut_off), cut_off)
    assert event_id is not None and store.claim(event_id)  # left `handling` for good by the crash
    with bound_socket("127.0.0.1") as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*COMMAND, "--port", str(port), "--db", db], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert read_line(server.stdout) == {"kind": "call_completed", "event": cut_off}
        deadline = time.monotonic() + 20
        while store.events()[0].state != "handled":  # printed, then marked
            assert time.monotonic() < deadline, store.events()
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(10)
    assert [(e.state, e.attempts) for e in store.events()] == [("handled", 2)]


def test_bad_options_are_usage_errors_not_tracebacks(tmp_path: Path) -> None:
    for options, message in [
        (["--allow", "nonsense"], "Invalid value for '--allow'"),
        (["--db", str(tmp_path / "no" / "such" / "dir.db")], "Invalid value for --db"),
        (["--secret="], "Invalid value for '--secret'"),
        (["--secret-in", "query"], "--secret-in query needs --secret"),
        (["--max-body", "0"], "Invalid value for '--max-body'"),
        (["worker"], "Missing option '--handlers'"),
        (["worker", "--handlers", "no_such_module_here"], "cannot import 'no_such_module_here'"),
        (["worker", "--handlers", "json:dumps"], "neither a WebhookReceiver nor a mapping"),
        (["worker", "--handlers", "json"], "has 0 WebhookReceivers"),
        (["worker", "--handlers", "airudder.webhooks.__init__:nothing"], "has no attribute 'nothing'"),
        (["--db", "postgresql://nobody@127.0.0.1:1/none"], "cannot use the PostgreSQL database"),
    ]:
        done = subprocess.run([*COMMAND, *options], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, options


def test_the_help_names_both_commands_and_the_exit_codes() -> None:
    done = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "serve" in done.stdout and "worker" in done.stdout
    assert "Exit codes: 0 stopped" in done.stdout
    for command in ("serve", "worker"):
        done = subprocess.run([*COMMAND, command, "--help"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "Exit codes" in done.stdout, command
    assert "--no-handle" in subprocess.run([*COMMAND, "serve", "--help"], capture_output=True, text=True).stdout
