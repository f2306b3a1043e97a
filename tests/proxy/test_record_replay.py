"""Recording through the proxy and replaying with `airudder-mock serve --replay`: redacted cassettes, 0600, the
recorded answers back byte for byte, and no secret, token or phone number in anything the proxy wrote."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from airudder_mock import MockHandle
from airudder_mock.proxy import RedactionRules, Redactor, read_cassettes, running_proxy

from .traffic import CASE_ID, NAME, PHONE, staging_day

E164 = re.compile(r"\+[0-9]{8,15}")


def record_day(mock: MockHandle, tmp: Path, caplog: pytest.LogCaptureFixture) -> dict[str, httpx.Response]:
    # the mock's logger stops propagating once a command has shown its console (another test may have): listen
    # on it directly
    mock_logger = logging.getLogger("airudder_mock")
    mock_logger.addHandler(caplog.handler)
    try:
        return _record_day(mock, tmp, caplog)
    finally:
        mock_logger.removeHandler(caplog.handler)


def _record_day(mock: MockHandle, tmp: Path, caplog: pytest.LogCaptureFixture) -> dict[str, httpx.Response]:
    with caplog.at_level(logging.DEBUG), running_proxy(mock.base_url, tmp / "report", tmp / "cassettes") as proxy:
        answers = staging_day(proxy.url, mock.app_key, mock.app_secret)
        mock.advance(3600)  # the contact is called: the task details now carry calls and recording links
        token = answers["get_token"].json()["data"]["token"]
        workflow_id = answers["create_workflow_task"].json()["data"]["workflow_id"]
        with httpx.Client(base_url=proxy.url, headers={"Authorization": f"Token {token}"}) as http:
            answers["details_after_calls"] = http.post(
                "/service/cloud/workflow/taskdetail", json={"workflow_id": workflow_id}
            )
            answers["query_by_number"] = http.get(
                "/service/cloud/workflow/instancelist", params={"callee": PHONE, "page": 1}
            )
        proxy.drain()
    return answers


def test_nothing_the_proxy_wrote_holds_a_secret_a_token_or_a_phone_number(
    airudder_mock: MockHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    answers = record_day(airudder_mock, tmp_path, caplog)
    token = answers["get_token"].json()["data"]["token"]
    recordings = re.findall(r"https?://[^\"\s]+", answers["details_after_calls"].text)
    assert recordings, "the mock's task details should carry recording links"
    secrets = [airudder_mock.app_key, airudder_mock.app_secret, token, PHONE, PHONE[1:], NAME, CASE_ID, *recordings]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 8
    captured = capfd.readouterr()
    # the proxy's log, and the server's (the test's own httpx client logs the URLs it calls, with their query)
    log = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "-> 200 in" in log
    texts = {str(p): p.read_text() for p in written} | {"log": log, "out": captured.out + captured.err}
    for name, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} in {name}"
        assert [n for n in E164.findall(text) if not n.startswith("+1555")] == [], name
    for path in written:
        assert oct(path.stat().st_mode & 0o777) == oct(0o600), path
    cassette = json.loads(next((tmp_path / "cassettes" / "get_token").glob("*.json")).read_text())
    assert json.loads(cassette["request"]["body"]) == {"APPKey": "secret-1", "APPSecret": "secret-2"}
    fake_token = json.loads(cassette["response"]["body"])["data"]["token"]
    listed = json.loads(next((tmp_path / "cassettes" / "list_workflow_tasks").glob("*.json")).read_text())
    # the same real token gets the same fake: the links between exchanges still line up
    assert ["Authorization", f"Token {fake_token}"] in [[k.title(), v] for k, v in listed["request"]["headers"]]
    created = json.loads(next((tmp_path / "cassettes" / "create_workflow_task").glob("*.json")).read_text())
    contact = json.loads(created["request"]["body"])["details"][0]
    assert contact == {"callee": "+15550000001", "variables": {"name": "Person 2"}, "case_id": "case-1"}  # 1: the task
    first, after_calls = sorted((tmp_path / "cassettes" / "get_outbound_task_details").glob("*.json"))
    assert json.loads(json.loads(first.read_text())["request"]["body"]) == {
        "case_id": "case-1",
        "callee": "+15550000001",
    }
    calls = json.loads(json.loads(after_calls.read_text())["response"]["body"])["data"]["list"]
    links = [call["recording_url"] for call in calls if call["recording_url"] is not None]
    assert links and all(link.startswith("https://redacted.invalid/") for link in links)
    assert {call["callee"] for call in calls} <= {f"+1555000000{n}" for n in range(1, 10)}


@contextmanager
def mock_process(*args: str) -> Iterator[str]:
    """`airudder-mock serve --port 0 ...` as a process; yields its base URL once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "airudder_mock", "serve", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        url = None
        lines = []
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if not line and process.poll() is not None:
                break
            found = re.search(r"airudder-mock on (http://\S+)", line)
            url = found.group(1) if found else None
        assert url is not None, "".join(lines)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def test_a_recording_replays_byte_for_byte_and_the_rest_goes_to_the_simulation(
    airudder_mock: MockHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    record_day(airudder_mock, tmp_path, caplog)
    cassettes = read_cassettes(tmp_path / "cassettes")
    assert len(cassettes) == 7
    with mock_process("--replay", str(tmp_path / "cassettes")) as url, httpx.Client(base_url=url) as http:
        for path in sorted((tmp_path / "cassettes").glob("*/*.json")):
            cassette = json.loads(path.read_text())
            request = cassette["request"]
            headers = {k: v for k, v in request["headers"] if k.lower() in ("authorization", "content-type")}
            answer = http.request(
                request["method"], request["path"], params=request["query"], content=request["body"], headers=headers
            )
            assert answer.status_code == cassette["response"]["status"], path
            assert answer.content == cassette["response"]["body"].encode(), path
        unrecorded = http.get("/service/cloud/workflow/instancelist", params={"page": 2})
        assert unrecorded.status_code == 401  # the simulation's own answer: no token was given
        assert unrecorded.json()["code"] == 401


def test_redaction_rules_are_configurable(tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps({"fields": {"nik": "id"}, "values": {r"\bNIK[0-9]{6}\b": "id"}, "keep": ["name"]}))
    redactor = Redactor(RedactionRules.load(rules_file))
    value = {"nik": "3201", "name": "july batch", "note": "customer NIK123456 called", "callee": PHONE}
    assert redactor.value(value) == {
        "nik": "case-1",
        "name": "july batch",
        "note": "customer case-2 called",
        "callee": "+15550000001",
    }
    with pytest.raises(ValueError, match="unknown kind"):
        RedactionRules.default().extended({"fields": {"x": "nonsense"}})
