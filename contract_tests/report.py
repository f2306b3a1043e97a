"""pytest plugin of the contract suite: an operation x check table on the terminal and in reports/contract.md.

Schemathesis reports each check's outcome through its `after_validate` hook; tests that do not go through
schemathesis (the webhook ones) name their row and column with `request.node.user_properties`
(`("contract", (row, check))`). A failed cell keeps a command that reproduces it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from schemathesis import CheckResult, HookContext

REPORT = Path("reports") / "contract.md"


@dataclass
class Cell:
    passed: int = 0
    failed: int = 0
    skipped: str | None = None
    reproduce: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.failed:
            return f"FAIL ({self.failed}/{self.passed + self.failed})"
        if self.passed:
            return f"pass ({self.passed})"
        return "skipped"


CELLS: dict[tuple[str, str], Cell] = defaultdict(Cell)


@schemathesis.hook
def after_validate(context: HookContext, case: Any, response: Any, results: list[CheckResult]) -> None:
    row = f"{case.operation.method.upper()} {case.operation.path}"
    for result in results:
        cell = CELLS[(row, result.name)]
        if result.failure is None:
            cell.passed += 1
        else:
            cell.failed += 1
            if len(cell.reproduce) < 1:
                cell.reproduce.append(case.as_curl_command())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for name, value in report.user_properties:
        if name != "contract" or (report.when != "call" and not report.skipped):
            continue
        row, check = cast("tuple[str, str]", value)
        cell = CELLS[(row, check)]
        if report.skipped:
            cell.skipped = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else "skipped"
        elif report.passed:
            cell.passed += 1
        else:
            cell.failed += 1
            cell.reproduce.append(f"scripts/contract-test -- '{report.nodeid}'")


def table() -> str:
    rows = list(dict.fromkeys(row for row, _ in CELLS))
    checks = list(dict.fromkeys(check for _, check in CELLS))
    lines = ["| operation | " + " | ".join(checks) + " |", "|---" * (len(checks) + 1) + "|"]
    for row in rows:
        cells = [str(CELLS[(row, c)]) if (row, c) in CELLS else "-" for c in checks]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures() -> list[str]:
    found = []
    for (row, check), cell in CELLS.items():
        for command in cell.reproduce:
            found.append(f"- {row} / {check}:\n\n  ```\n  {command}\n  ```")
    return found


def skips() -> list[str]:
    return [f"- {row} / {check}: {cell.skipped}" for (row, check), cell in CELLS.items() if cell.skipped]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not CELLS:
        return
    text = "# Contract suite\n\n" + table() + "\n"
    if failures():
        text += "\n## Failures, with a command that reproduces each\n\n" + "\n".join(failures()) + "\n"
    if skips():
        text += "\n## Skipped\n\n" + "\n".join(sorted(set(skips()))) + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    terminalreporter.write_sep("=", "contract: operation x check")
    terminalreporter.write_line(table())
    terminalreporter.write_line(f"(report: {REPORT}; failures and skips listed there)")
