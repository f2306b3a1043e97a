"""`airudder-contract --recordings DIR`: recorded answers held against the spec as examples, a row per operation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from airudder_contract import recorded
from airudder_mock import MockHandle
from airudder_mock.proxy import running_proxy

from .traffic import staging_day
from .upstreams import drifted


def record(upstream: str, mock: MockHandle, folder: Path) -> Path:
    with running_proxy(upstream, folder / "report", folder / "cassettes") as proxy:
        staging_day(proxy.url, mock.app_key, mock.app_secret)
        proxy.drain()
    return folder / "cassettes"


def contract(recordings: Path, report_dir: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "airudder_contract", "--recordings", str(recordings)]
    command += ["--report-dir", str(report_dir), "--", "-k", "recorded"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_recorded_answers_are_checked_as_examples(airudder_mock: MockHandle, tmp_path: Path) -> None:
    fitting = record(airudder_mock.base_url, airudder_mock, tmp_path / "direct")
    misfitting = record(airudder_mock.serve_app(drifted(airudder_mock.base_url)), airudder_mock, tmp_path / "drifted")
    found = {
        operation: [recorded.misfits(c) for c in cassettes]
        for operation, cassettes in recorded.by_operation(misfitting).items()
    }
    total = "/components/schemas/WorkflowTask/properties/total"
    assert (
        f"answer 200.data.lists[].total ({total}): is string, the spec says integer" in found["list_workflow_tasks"][0]
    )
    assert found["get_token"] == [[]]

    passed = contract(fitting, tmp_path / "reports-direct")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    table = (tmp_path / "reports-direct" / "contract.md").read_text()
    assert table.count("| pass (1) |") == 5 and "FAIL" not in table
    failed = contract(misfitting, tmp_path / "reports-drifted")
    assert failed.returncode != 0
    rows = (tmp_path / "reports-drifted" / "contract.md").read_text()
    for row in ("instancelist", "taskdetail", "detailinstances"):
        assert (
            f"POST /service/cloud/workflow/{row} | FAIL (1/1)" in rows
            or f"GET /service/cloud/workflow/{row} | FAIL (1/1)" in rows
        )
    assert "POST /service/cloud/auth | pass (1)" in rows
