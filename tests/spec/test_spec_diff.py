"""scripts/spec-diff on a copy of the spec: for each kind of change, a breaking and a compatible one, classified
as such, with the version bump they need and the CHANGELOG line they get; and the `--check` gate."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "spec-diff"
Spec = dict[str, Any]


def original() -> Spec:
    loaded: Spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
    return loaded


def diff(
    change: Callable[[Spec], None], tmp_path: Path, *args: str, version: str = "0.3.1"
) -> subprocess.CompletedProcess[str]:
    base, new = original(), original()
    change(new)
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base, sort_keys=False))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    command = [sys.executable, str(SCRIPT), "--base-spec", str(tmp_path / "base.yaml"), "--base-version", version]
    command += ["--spec", str(tmp_path / "new.yaml"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def schemas(spec: Spec) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"]
    return found


def remove_operation(spec: Spec) -> None:
    del spec["paths"]["/service/cloud/workflow/wabataskdetail"]


def add_operation(spec: Spec) -> None:
    spec["paths"]["/service/cloud/workflow/wabatasklist"] = copy.deepcopy(
        spec["paths"]["/service/cloud/workflow/wabataskdetail"]
    )
    spec["paths"]["/service/cloud/workflow/wabatasklist"]["get"]["operationId"] = "list_waba_tasks"


def require_size(spec: Spec) -> None:
    spec["components"]["parameters"]["Size"]["required"] = True


def add_optional_parameter(spec: Spec) -> None:
    operation = spec["paths"]["/service/cloud/workflow/wabataskdetail"]["get"]
    operation["parameters"].append({"name": "lang", "in": "query", "schema": {"type": "string"}})


def require_case_id(spec: Spec) -> None:
    schemas(spec)["VerifyCustomApiNodeDataPushRequest"]["required"].append("case_id")


def add_optional_field(spec: Spec) -> None:
    schemas(spec)["TokenRequest"]["properties"]["region"] = {"type": "string"}


def remove_answer_field(spec: Spec) -> None:
    del schemas(spec)["TokenData"]["properties"]["token"]


def add_answer_field(spec: Spec) -> None:
    schemas(spec)["TokenData"]["properties"]["expires_in"] = {"type": "integer"}


def add_answer_enum_value(spec: Spec) -> None:
    schemas(spec)["TokenResponse"]["properties"]["code"]["enum"].append(429)


def remove_answer_enum_value(spec: Spec) -> None:
    schemas(spec)["TokenResponse"]["properties"]["code"]["enum"].remove(500)


def remove_webhook(spec: Spec) -> None:
    del spec["webhooks"]["chatbot_session_ended"]


def add_webhook(spec: Spec) -> None:
    spec["webhooks"]["chatbot_session_started"] = copy.deepcopy(spec["webhooks"]["chatbot_session_ended"])


def remove_payload_field(spec: Spec) -> None:
    del schemas(spec)["WorkflowStatusChangeNotification"]["properties"]["workflow_name"]


def add_payload_field(spec: Spec) -> None:
    schemas(spec)["WorkflowStatusChangeNotification"]["properties"]["region"] = {"type": "string"}


def cover_fully(spec: Spec) -> None:
    spec["paths"]["/service/cloud/workflow/taskdetail"]["post"]["x-doc-coverage"] = "full"


# (change, heading it is listed under, its line in the CHANGELOG, the section holding that line, bump from 0.3.1)
CASES: dict[str, tuple[Callable[[Spec], None], str, str, str, str]] = {
    "operation, breaking": (
        remove_operation,
        "Breaking for callers",
        "- **Breaking for callers:** GET /service/cloud/workflow/wabataskdetail: operation removed",
        "Removed",
        "0.4.0",
    ),
    "operation, compatible": (
        add_operation,
        "Compatible",
        "- GET /service/cloud/workflow/wabatasklist: new operation",
        "Added",
        "0.3.2",
    ),
    "parameter, breaking": (
        require_size,
        "Breaking for callers",
        "- **Breaking for callers:** GET /service/cloud/workflow/instancelist query `size`: required now",
        "Changed",
        "0.4.0",
    ),
    "parameter, compatible": (
        add_optional_parameter,
        "Compatible",
        "- GET /service/cloud/workflow/wabataskdetail query `lang`: new optional parameter",
        "Added",
        "0.3.2",
    ),
    "request body, breaking": (
        require_case_id,
        "Breaking for callers",
        "- **Breaking for callers:** POST /service/cloud/workflow/apinoticeinfo body: field `case_id` is required now",
        "Changed",
        "0.4.0",
    ),
    "request body, compatible": (
        add_optional_field,
        "Compatible",
        "- POST /service/cloud/auth body: new optional field `region`",
        "Added",
        "0.3.2",
    ),
    "answer, breaking": (
        remove_answer_field,
        "Breaking for callers",
        "- **Breaking for callers:** POST /service/cloud/auth answer 200.data: field `token` removed",
        "Removed",
        "0.4.0",
    ),
    "answer, compatible": (
        add_answer_field,
        "Compatible",
        "- POST /service/cloud/auth answer 200.data: new optional field `expires_in`",
        "Added",
        "0.3.2",
    ),
    "enum, breaking": (
        add_answer_enum_value,
        "Breaking for callers",
        "- **Breaking for callers:** POST /service/cloud/auth answer 200.code: new enum value `429`",
        "Added",
        "0.4.0",
    ),
    "enum, compatible": (
        remove_answer_enum_value,
        "Compatible",
        "- POST /service/cloud/auth answer 200.code: enum value `500` removed",
        "Removed",
        "0.3.2",
    ),
    "webhook, breaking": (
        remove_webhook,
        "Breaking for webhook handlers",
        "- **Breaking for webhook handlers:** webhook chatbot_session_ended: webhook removed",
        "Removed",
        "0.4.0",
    ),
    "webhook, compatible": (
        add_webhook,
        "Compatible",
        "- webhook chatbot_session_started: new webhook",
        "Added",
        "0.3.2",
    ),
    "webhook payload, breaking": (
        remove_payload_field,
        "Breaking for webhook handlers",
        "- **Breaking for webhook handlers:** webhook workflow_status_changed payload: field `workflow_name` removed",
        "Removed",
        "0.4.0",
    ),
    "webhook payload, compatible": (
        add_payload_field,
        "Compatible",
        "- webhook workflow_status_changed payload: new optional field `region`",
        "Added",
        "0.3.2",
    ),
    "provenance (listed apart)": (
        cover_fully,
        "Provenance",
        "- /paths/~1service~1cloud~1workflow~1taskdetail/post: coverage partial → coverage full",
        "Changed",
        "0.3.2",
    ),
}


def sections(report: str) -> dict[str, list[str]]:
    """The report's groups (`Breaking for callers`, ...) and CHANGELOG sections (`### Added`, ...), by heading."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in report.splitlines():
        if line.endswith("):") and not line.startswith(" "):
            current = line.split(" (")[0]
        elif line.startswith("### "):
            current = line
        elif line.startswith(("  - ", "- ")) and current:
            found.setdefault(current, []).append(line.strip())
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_change_is_classified_with_its_bump_and_changelog_line(case: str, tmp_path: Path) -> None:
    change, heading, line, section, version = CASES[case]
    result = diff(change, tmp_path)
    assert result.returncode == 0, result.stderr
    found = sections(result.stdout)
    # every change the edit makes is in the expected group (one edit may make several, all alike)
    groups = {h for h, lines in found.items() if not h.startswith("###")}
    assert groups == {heading}, result.stdout
    assert line in found[f"### {section}"], result.stdout
    assert f"Proposed version: 0.3.1 -> {version}" in result.stdout


def test_after_1_0_a_breaking_change_bumps_the_major_and_an_addition_the_minor(tmp_path: Path) -> None:
    assert "Proposed version: 1.4.2 -> 2.0.0 (major)" in diff(remove_operation, tmp_path, version="1.4.2").stdout
    assert "Proposed version: 1.4.2 -> 1.5.0 (minor)" in diff(add_operation, tmp_path, version="1.4.2").stdout
    assert "Proposed version: 1.4.2 -> 1.4.3 (patch)" in diff(cover_fully, tmp_path, version="1.4.2").stdout


def test_no_change_is_said_and_passes_the_gate(tmp_path: Path) -> None:
    result = diff(lambda spec: None, tmp_path, "--check")
    assert result.returncode == 0 and "no change since" in result.stdout


def gate(tmp_path: Path, version: str, unreleased: str) -> subprocess.CompletedProcess[str]:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "x"\nversion = "{version}"\n')
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(f"# Changelog\n\n## [Unreleased]\n\n{unreleased}\n## [0.3.1] - 2026-11-25\n\n- first\n")
    return diff(remove_operation, tmp_path, "--check", "--pyproject", str(pyproject), "--changelog", str(changelog))


def test_the_gate_fails_a_breaking_change_without_a_bump_or_a_changelog_entry(tmp_path: Path) -> None:
    unbumped = gate(tmp_path, "0.3.1", "### Removed\n\n- the WABA details call\n")
    assert unbumped.returncode == 1 and "needs 0.4.0" in unbumped.stderr
    patched = gate(tmp_path, "0.3.2", "### Removed\n\n- the WABA details call\n")
    assert patched.returncode == 1 and "needs 0.4.0" in patched.stderr
    undocumented = gate(tmp_path, "0.4.0", "")
    assert undocumented.returncode == 1 and "Unreleased section has no entry" in undocumented.stderr
    assert gate(tmp_path, "0.4.0", "### Removed\n\n- the WABA details call\n").returncode == 0


def test_a_compatible_change_passes_the_gate_unbumped(tmp_path: Path) -> None:
    assert diff(add_operation, tmp_path, "--check").returncode == 0


def test_base_is_a_git_revision_by_default(tmp_path: Path) -> None:
    """With no BASE, the last release tag; with none, the commit that added the newest release to the CHANGELOG
    (this checkout has no tag): the report names what it compared with."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("spec/openapi.yaml since ")
    same = subprocess.run([sys.executable, str(SCRIPT), "HEAD"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert same.returncode == 0, same.stderr
