"""`mypy --strict` catches the five mistakes of issue 12 in a user's app (tests/client/probes/mistakes.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import attrs

import airudder
import airudder.webhooks
import airudder_api.models
import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).parent / "probes" / "mistakes.py"
MISTAKES = {
    "misspelt attribute of a listed task": "attr-defined",
    "paginate over a non-paged op": "arg-type",
    "misspelt keyword": "call-arg",
    "receiver.on() with a misspelt kind": "call-overload",
    "a handler typed for the wrong payload model": "arg-type",
}


def test_mypy_reports_each_mistake_and_nothing_else() -> None:
    marked = {
        number: line.split("# mistake: ", 1)[1].strip()
        for number, line in enumerate(PROBE.read_text().splitlines(), start=1)
        if "# mistake: " in line
    }
    assert sorted(marked.values()) == sorted(MISTAKES), "the probe holds each mistake once"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--show-error-codes", str(PROBE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    errors: dict[int, set[str]] = {}
    for match in re.finditer(r"mistakes\.py:(\d+): error: .*\[([a-z-]+)\]$", result.stdout, re.MULTILINE):
        errors.setdefault(int(match.group(1)), set()).add(match.group(2))
    assert result.returncode == 1, result.stdout + result.stderr
    for number, mistake in marked.items():
        reported = errors.get(number, set())
        assert MISTAKES[mistake] in reported, f"line {number} ({mistake}) not reported:\n{result.stdout}"
    assert set(errors) == set(marked), f"mypy reported lines without a mistake:\n{result.stdout}"


APP = Path(__file__).parent / "probes" / "typed_app.py"
NO_ANY = ["--strict", "--disallow-any-expr", "--disallow-any-decorated", "--show-error-codes"]


def mypy(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", *arguments]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_a_realistic_app_type_checks_with_no_any_and_no_unset_narrowing() -> None:
    """Every resource method, the pages and a handler of every webhook kind (tests/client/probes/typed_app.py)."""
    source = APP.read_text()
    kinds = re.findall(r'@receiver\.on\("([a-z_]+)"\)', source)
    assert sorted(kinds) == sorted(airudder.webhooks.kinds())
    for resource in ("workflows", "outbound_tasks", "waba", "custom_api_node"):
        for method in resource_methods(resource):
            assert f"client.{resource}.{method}(" in source or f".{resource}.{method}(" in source, method
    assert "Unset" not in source and "isinstance" not in source
    result = mypy(*NO_ANY, str(APP))
    assert result.returncode == 0, result.stdout + result.stderr


def resource_methods(resource: str) -> list[str]:
    cls = type(getattr(airudder.Client(app_key="k", app_secret="s"), resource))
    return [name for name in vars(cls) if not name.startswith("_") and name != "with_raw_response"]


def test_a_misspelt_field_of_any_answer_or_webhook_model_is_a_mypy_error(tmp_path: Path) -> None:
    schemas = airudder_spec.load()["components"]["schemas"]
    lines = ["from __future__ import annotations", "import airudder_api.models as m", ""]
    misspelt: dict[int, str] = {}
    for name, schema in schemas.items():
        if not schema.get("x-sdk-absent-as-none"):
            continue
        model = getattr(airudder_api.models, name)
        for field in attrs.fields(model):
            if field.name.startswith("_") or field.name == "additional_properties":
                continue
            lines.append(f"def read_{name}_{field.name}(x: m.{name}) -> None:")
            lines.append(f"    print(x.{field.name})")  # the right spelling: no error
            lines.append(f"    print(x.{field.name}{field.name[-1]})")
            misspelt[len(lines)] = f"{name}.{field.name}"
    assert len(misspelt) > 100
    probe = tmp_path / "misspelt.py"
    probe.write_text("\n".join(lines) + "\n")
    result = mypy("--strict", "--show-error-codes", str(probe))
    reported = {int(n) for n in re.findall(r"misspelt\.py:(\d+): error: .*\[attr-defined\]$", result.stdout, re.M)}
    assert reported == set(misspelt), result.stdout
