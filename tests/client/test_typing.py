"""`mypy --strict` catches the five mistakes of issue 12 in a user's app (tests/client/probes/mistakes.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
