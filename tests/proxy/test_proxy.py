"""The validating proxy against real upstreams on loopback: the mock, a drifted mock, and broken ones."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import httpx
import pytest

from airudder.serving import serve
from airudder_mock import MockHandle
from airudder_mock.proxy import UnsafeUpstream, check_upstream, running_proxy
from airudder_spec.drift import DriftReport

from .traffic import staging_day
from .upstreams import NEW_STATUS, drifted, echo_app, garbage_server, silent_app


def findings(report: DriftReport) -> set[str]:
    """Everything the report says the spec does not: contradicted elements and every unnamed thing, as lines."""
    found = set()
    for key, drift in report.operations.items():
        for pointer, element in drift.elements.items():
            for rule in element.rules:
                found.add(f"{key}: {element.at} ({pointer}) {rule}")
        for table in ("unnamed_fields", "unnamed_values", "unnamed_statuses", "refused", "failures"):
            found.update(f"{key}: {table}: {name}" for name in drift.tables[table])
        found.update(f"{key}: codes: {name}" for name in drift.tables["codes"] if name.endswith("(not named)"))
    return found


def run_day(upstream: str, mock: MockHandle, tmp: Path) -> tuple[dict[str, httpx.Response], DriftReport]:
    with running_proxy(upstream, tmp / "report", tmp / "cassettes") as proxy:
        answers = staging_day(proxy.url, mock.app_key, mock.app_secret)
        proxy.drain()
    return answers, DriftReport.read(tmp / "report")


def test_the_mock_as_upstream_confirms_the_spec_and_answers_pass_unchanged(
    airudder_mock: MockHandle, tmp_path: Path
) -> None:
    answers, report = run_day(airudder_mock.base_url, airudder_mock, tmp_path)
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 200)
    with httpx.Client(base_url=airudder_mock.base_url) as direct:  # the same read, not through the proxy
        token = answers["get_token"].json()["data"]["token"]
        listed = direct.get(
            "/service/cloud/workflow/instancelist",
            params={"page": 1, "size": 20},
            headers={"Authorization": f"Token {token}"},
        )
    assert answers["list_workflow_tasks"].content == listed.content
    assert set(report.operations) == set(answers)
    contradicted = [
        (key, e.at, e.rules)
        for key, d in report.operations.items()
        for e in d.elements.values()
        if e.contradicted.count
    ]
    assert contradicted == []
    for drift in report.operations.values():
        assert (
            drift.tables["refused"] == {} and drift.tables["failures"] == {} and drift.tables["unnamed_statuses"] == {}
        )
        assert drift.exchanges.count == 1
    assert report.operations["get_token"].elements  # elements touched, each confirmed
    token_code = report.operations["get_token"].elements["/components/schemas/TokenResponse/properties/code"]
    assert token_code.confirmed.count == 1 and token_code.at == "answer 200.code"
    for written in [*(tmp_path / "report").iterdir(), *(tmp_path / "cassettes").rglob("*")]:
        mode = stat.S_IMODE(written.stat().st_mode)
        assert mode == (0o700 if written.is_dir() else 0o600), written


def test_a_drifted_upstream_is_reported_drift_by_drift_and_nothing_else(
    airudder_mock: MockHandle, tmp_path: Path
) -> None:
    _, baseline = run_day(airudder_mock.base_url, airudder_mock, tmp_path / "direct")
    upstream = airudder_mock.serve_app(drifted(airudder_mock.base_url))
    answers, report = run_day(upstream, airudder_mock, tmp_path / "drifted")
    assert answers["get_outbound_task_details"].status_code == 500  # passed through as it came
    assert answers["get_outbound_task_details"].text.startswith("<html>")
    task = "/components/schemas/WorkflowTask/properties"
    error = "/components/responses/Error"
    planted = {
        # the renamed field: the name the spec knows is missing, the new one is not named
        "list_workflow_tasks: answer 200.data.count (/components/schemas/WorkflowTaskPage/properties/count) "
        "is missing (the spec requires it)",
        "list_workflow_tasks: unnamed_fields: answer 200.data.total_count",
        # the extra field
        "list_workflow_tasks: unnamed_fields: answer 200.data.lists[].priority",
        # the changed type
        f"list_workflow_tasks: answer 200.data.lists[].total ({task}/total) is string, the spec says integer",
        # the new status value
        f'list_workflow_tasks: unnamed_values: answer 200.data.lists[].status = "{NEW_STATUS}" '
        "(not among the values its description names)",
        # the 200 with an error code
        "query_workflow_ids: codes: HTTP 200: code 40401 (not named)",
        # the 500 that is no error envelope
        f"get_outbound_task_details: answer 5XX ({error}) is not JSON",
    }
    new = findings(report) - findings(baseline)
    assert new == planted
    status = report.operations["list_workflow_tasks"].elements[f"{task}/status"]
    assert status.contradicted.count == 0 and status.confirmed.count >= 1  # a string still: the spec allows it
    total = report.operations["list_workflow_tasks"].elements[f"{task}/total"]
    assert total.grade == "assumed" and total.contradicted.example == {
        "at": "answer 200.data.lists[].total",
        "rule": "is string, the spec says integer",
        "value": "9",
    }
    markdown = (tmp_path / "drifted" / "report" / "drift.md").read_text()
    for line in ("answer 200.data.total_count", "HTTP 200: code 40401 (not named)", "is not JSON"):
        assert line in markdown


def test_the_report_is_kept_across_restarts_and_merged(airudder_mock: MockHandle, tmp_path: Path) -> None:
    for _ in range(2):
        with running_proxy(airudder_mock.base_url, tmp_path / "report") as proxy:
            staging_day(proxy.url, airudder_mock.app_key, airudder_mock.app_secret)
    report = DriftReport.read(tmp_path / "report")
    assert report.operations["get_token"].exchanges.count == 2
    merged = DriftReport()
    merged.merge(report)
    merged.merge(report)
    assert merged.operations["get_token"].exchanges.count == 4


def test_a_request_the_spec_would_refuse_is_reported_and_still_forwarded(
    airudder_mock: MockHandle, tmp_path: Path
) -> None:
    with running_proxy(airudder_mock.base_url, tmp_path / "report") as proxy:
        answer = httpx.get(proxy.url + "/service/cloud/workflow/instancelist", params={"size": 1000, "extra": "x"})
        unknown = httpx.get(proxy.url + "/service/cloud/nowhere")
    assert answer.status_code == 401 or answer.status_code == 400  # the upstream's own answer, whatever it is
    assert unknown.status_code == 404
    report = DriftReport.read(tmp_path / "report")
    refused = report.operations["list_workflow_tasks"].tables["refused"]
    assert "query.size: must be at most 200" in " ".join(refused) or any("query.size" in k for k in refused)
    assert "query.extra" in report.operations["list_workflow_tasks"].tables["unnamed_fields"]
    assert report.operations["(no operation of the spec)"].tables["refused"]


def test_requests_and_answers_pass_unchanged_and_streamed(airudder_mock: MockHandle, tmp_path: Path) -> None:
    upstream = airudder_mock.serve_app(echo_app())
    body = bytes(range(256)) * 12_000  # 3 MB, sent in chunks
    chunks = [body[i : i + 100_000] for i in range(0, len(body), 100_000)]
    with running_proxy(upstream, tmp_path / "report") as proxy:
        with httpx.Client() as client:
            answer = client.put(
                proxy.url + "/any/path?b=2&a=1&a=3",
                content=iter(chunks),
                headers={"Authorization": "Token t0k3n", "X-App": "staging", "User-Agent": "app/1"},
            )
    assert answer.status_code == 207 and answer.headers["x-upstream"] == "echo"
    head, _, echoed = answer.content.partition(b"\n")
    seen = json.loads(head)
    assert seen["method"] == "PUT" and seen["query"] == "b=2&a=1&a=3"
    assert seen["headers"]["authorization"] == "Token t0k3n" and seen["headers"]["x-app"] == "staging"
    assert seen["headers"]["user-agent"] == "app/1" and "accept-encoding" in seen["headers"]
    assert echoed == body


def test_an_upstream_that_is_down_slow_or_not_http_gets_a_marked_failure(
    airudder_mock: MockHandle, tmp_path: Path
) -> None:
    release = threading.Event()
    slow = airudder_mock.serve_app(silent_app(release))
    with serve(echo_app()) as gone:
        pass  # served and stopped: nothing listens there any more
    try:
        with garbage_server() as garbage:
            for upstream, status in ((gone, 502), (garbage, 502), (slow, 504)):
                with running_proxy(upstream, tmp_path / "report", timeout=0.5) as proxy:
                    answer = httpx.get(proxy.url + "/service/cloud/workflow/instancelist", timeout=30)
                assert answer.status_code == status, upstream
                assert answer.headers["x-airudder-proxy"] == "upstream-failure"
                assert answer.json()["code"] == status
                assert answer.json()["data"]["errors"][0]["field"] == "upstream"
    finally:
        release.set()
    failures = DriftReport.read(tmp_path / "report").operations["list_workflow_tasks"].tables["failures"]
    assert sum(seen.count for seen in failures.values()) == 3


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.airudder.example", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8765", True),
        ("http://[::1]:8765", True),
        ("http://api.airudder.example", False),
        ("http://10.0.0.5:8765", False),
        ("ftp://127.0.0.1", False),
        ("https://user:pass@api.airudder.example", False),
    ],
)
def test_the_upstream_is_https_or_loopback(url: str, allowed: bool) -> None:
    if allowed:
        check_upstream(url)
    else:
        with pytest.raises(UnsafeUpstream):
            check_upstream(url)


def test_the_command_refuses_a_plain_http_upstream_that_is_not_loopback() -> None:
    from click.testing import CliRunner

    from airudder_mock.cli import main

    result = CliRunner().invoke(main, ["proxy", "--upstream", "http://api.airudder.example"])
    assert result.exit_code == 2
    assert "refusing plain http to api.airudder.example" in result.output
