"""docs/testing.md's examples run as written: each Python block after the first (test_first_day.py runs that one)
is a test module of its own, run by pytest in a directory that also holds the page's `scenario.yaml`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
BLOCK = re.compile(r"```(python|yaml)\n(.*?)```", re.S)


def blocks(language: str) -> list[str]:
    return [code for lang, code in BLOCK.findall(PAGE.read_text()) if lang == language]


def test_the_page_has_the_examples_the_issue_asks_for() -> None:
    page = PAGE.read_text()
    assert "| `+15550000005` | busy, busy, then answered on the second redial |" in page
    [scenario] = [b for b in blocks("yaml") if b.startswith("# scenario.yaml")]
    assert "calls: [busy, busy, answered]" in scenario and "waba: failed" in scenario
    assert "twice: true" in scenario and "out_of_order: true" in scenario
    assert "pytest.mark.airudder_mock(" in page and "def airudder_mock_config()" in page


@pytest.mark.timeout(600)
def test_every_example_of_the_page_passes_as_written(tmp_path: Path) -> None:
    [scenario] = [b for b in blocks("yaml") if b.startswith("# scenario.yaml")]
    (tmp_path / "scenario.yaml").write_text(scenario)
    examples = blocks("python")[1:]
    assert len(examples) == 3
    for number, code in enumerate(examples):
        (tmp_path / f"test_example_{number}.py").write_text(code)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout
