"""scripts/propose-spec: from drift reports to a proposed spec change, printed as a diff, written only on --apply."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from airudder_mock import MockHandle
from airudder_mock.proxy import running_proxy

from .traffic import staging_day
from .upstreams import drifted

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "propose-spec"


def propose(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def test_confirmed_assumptions_are_regraded_and_contradictions_listed(
    airudder_mock: MockHandle, tmp_path: Path
) -> None:
    for name, upstream in (
        ("direct", airudder_mock.base_url),
        ("drifted", airudder_mock.serve_app(drifted(airudder_mock.base_url))),
    ):
        with running_proxy(upstream, tmp_path / name) as proxy:
            staging_day(proxy.url, airudder_mock.app_key, airudder_mock.app_secret)
    spec = tmp_path / "openapi.yaml"
    shutil.copy(ROOT / "spec" / "openapi.yaml", spec)
    before = spec.read_text()

    shown = propose(tmp_path / "direct", tmp_path / "drifted", "--spec", spec)
    assert shown.returncode == 0, shown.stderr
    assert spec.read_text() == before  # never silently
    out = shown.stdout
    # the answer's envelope of create_workflow_task: confirmed by both runs
    assert "+          x-observed: {count: 2, first: '" in out
    assert "-          x-assumed: The page shows no response" in out
    # what the app sends, AIRudder took: listed, not re-graded
    assert "- /components/schemas/TokenRequest (get_token): AIRudder took it 2x" in out
    assert "-      x-assumed: The page prints no required flags" not in out
    assert "(nothing written: --apply writes the re-gradings)" in out
    # contradicted in the drifted run: listed for a person, not re-graded
    assert "contradicted (assumed): `/components/schemas/WorkflowTask/properties/total`" in out
    assert "a field the spec does not name: answer 200.data.total_count" in out
    assert "a `code` the spec does not name: HTTP 200: code 40401 (not named)" in out

    applied = propose(tmp_path / "direct", tmp_path / "drifted", "--spec", spec, "--apply")
    assert applied.returncode == 0 and f"written: {spec}" in applied.stdout
    document = yaml.safe_load(spec.read_text())
    created = document["paths"]["/service/cloud/workflow/createinstance"]["post"]["responses"]["200"]
    assert "x-assumed" not in created and created["x-observed"]["count"] == 2
    assert "x-assumed" in document["components"]["schemas"]["TokenRequest"]
    total = document["components"]["schemas"]["WorkflowTask"]["properties"]["total"]
    assert "x-assumed" in total and "x-observed" not in total
    again = propose(tmp_path / "direct", tmp_path / "drifted", "--spec", spec)
    assert "(no change)" in again.stdout  # applied once: nothing left to propose


def test_no_report_is_a_usage_error(tmp_path: Path) -> None:
    found = propose(tmp_path / "nowhere")
    assert found.returncode == 2 and "no drift report there" in found.stderr
