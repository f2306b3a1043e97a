"""pytest plugin of the contract suite: what ran and what failed, on the terminal and in reports/contract.md.

Three tables: operation x check (every schemathesis check, through its `after_validate` hook, and the webhook
and live rows), operation x phase (how many cases each schemathesis phase sent: examples, coverage, fuzzing,
stateful), and the stateful phase's scenarios, steps and links followed. Tests that do not go through
schemathesis name their row and column with `cell(request.node, row, check)`. A failed cell keeps a command
that reproduces it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from schemathesis import CheckResult, HookContext

from . import progress
from .target import report_dir

PHASE_NAMES = ("examples", "coverage", "fuzzing", "stateful")
CELL_KEY = pytest.StashKey[tuple[str, str]]()


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


@dataclass
class Stateful:
    """What the stateful phase walked: scenarios, steps, and per link how often it was followed."""

    scenarios: int = 0
    steps: int = 0
    links: dict[str, Counter[str]] = field(default_factory=dict)  # link -> {"followed", "applied", "2xx"}


CELLS: dict[tuple[str, str], Cell] = defaultdict(Cell)
PHASES: dict[tuple[str, str], Cell] = defaultdict(Cell)
STATEFUL = Stateful()
CURRENT_TEST: list[str] = []  # the node id of the test running now (one at most)


def cell(node: pytest.Item, row: str, check: str) -> None:
    """Report the test `node` as the cell (`row`, `check`) of the operation x check table."""
    node.stash[CELL_KEY] = (row, check)


def row_of(case: Any) -> str:
    return f"{case.operation.method.upper()} {case.operation.path}"


def phase_of(case: Any) -> str:
    """The schemathesis phase that made `case` (`Case.meta`, public since schemathesis 4.0)."""
    meta = case.meta
    return str(meta.phase.name.value) if meta is not None else "unknown"


def test_name(nodeid: str) -> str:
    """The part of a node id that `-k` selects by, the same from a checkout and from an installed package."""
    return nodeid.rsplit("::", 1)[-1]


def reproduction(case: Any) -> str:
    command = f"airudder-contract -- -k '{test_name(CURRENT_TEST[-1])}'" if CURRENT_TEST else "airudder-contract"
    return f"{command}\n  # the request that failed (against the target of that run):\n  {case.as_curl_command()}"


@schemathesis.hook
def after_validate(context: HookContext, case: Any, response: Any, results: list[CheckResult]) -> None:
    row = row_of(case)
    failed = False
    for result in results:
        check = CELLS[(row, result.name)]
        if result.failure is None:
            check.passed += 1
        else:
            failed = True
            check.failed += 1
            if not check.reproduce:
                check.reproduce.append(reproduction(case))
    progress.case(row, phase_of(case), failed)
    phase = PHASES[(row, phase_of(case))]
    if failed:
        phase.failed += 1
    else:
        phase.passed += 1


def record_stateful_step(link: str | None, applied: bool, status: int, completed: bool = False) -> None:
    """One step of the stateful phase: `link` is the link it followed (None for a scenario's first step);
    `completed`: the set-up filled in what the link could not carry (`mock_setup.complete`)."""
    STATEFUL.steps += 1
    if link is not None:
        counts = STATEFUL.links.setdefault(link, Counter())
        counts["followed"] += 1
        counts["applied"] += applied
        counts["completed"] += completed
        counts["2xx"] += 200 <= status < 300
    progress.stateful_step(link, 200 <= status < 300)


def uncovered_links() -> list[str]:
    """The spec's links that no step answered 2xx: a failure of coverage, not a pass."""
    return sorted(name for name, counts in STATEFUL.links.items() if not counts["2xx"])


def record_stateful_scenario() -> None:
    STATEFUL.scenarios += 1
    progress.stateful_scenario()


def declare_links(names: list[str]) -> None:
    """The spec's links, so that one never followed is listed (with 0) rather than left out."""
    for name in names:
        STATEFUL.links.setdefault(name, Counter())


def pytest_runtest_setup(item: pytest.Item) -> None:
    CURRENT_TEST[:] = [item.nodeid]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: pytest.TestReport = yield
    where = item.stash.get(CELL_KEY, None)
    if where is not None and (report.when == "call" or report.skipped):
        target = CELLS[where]
        if report.skipped:
            target.skipped = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else "skipped"
        elif report.passed:
            target.passed += 1
        else:
            target.failed += 1
            target.reproduce.append(f"airudder-contract -- -k '{test_name(report.nodeid)}'")
    return report


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def table() -> str:
    rows = list(dict.fromkeys(row for row, _ in CELLS))
    checks = list(dict.fromkeys(check for _, check in CELLS))
    body = [[row] + [str(CELLS[(row, c)]) if (row, c) in CELLS else "-" for c in checks] for row in rows]
    return markdown_table(["operation", *checks], body)


def phase_table() -> str:
    rows = list(dict.fromkeys(row for row, _ in PHASES))
    phases = [*PHASE_NAMES, *sorted({p for _, p in PHASES} - set(PHASE_NAMES))]
    body = []
    for row in rows:
        body.append([row, *(phase_cell(PHASES.get((row, phase))) for phase in phases)])
    return markdown_table(["operation", *phases], body)


def phase_cell(found: Cell | None) -> str:
    if found is None:
        return "-"
    total = found.passed + found.failed
    cases = f"{total} case{'' if total == 1 else 's'}"
    return f"FAIL ({found.failed}/{cases})" if found.failed else cases


def stateful_summary() -> str:
    text = f"{STATEFUL.scenarios} scenarios, {STATEFUL.steps} steps"
    followed = sum(c["followed"] for c in STATEFUL.links.values())
    text += f", {followed} of them following a link.\n\n"
    body = [
        [name, str(c["followed"]), str(c["applied"]), str(c["completed"]), str(c["2xx"]) if c["2xx"] else "0 (FAIL)"]
        for name, c in sorted(STATEFUL.links.items())
    ]
    header = ["link", "followed", "with the linked value used", "other inputs from the set-up", "answered 2xx"]
    text += markdown_table(header, body)
    uncovered = uncovered_links()
    if uncovered:
        text += "\n\nCoverage failure: never answered 2xx, so never tested as a sequence: " + "; ".join(uncovered)
        text += (
            "\n\n(Against an airudder-mock given as --base-url, --mock-setup creates what the links lead to; the"
            " live API needs an account with workflow tasks, WABA tasks and a Custom API node.)"
        )
    return text


def failures() -> list[str]:
    found = []
    for (row, check), failed in CELLS.items():
        for command in failed.reproduce:
            found.append(f"- {row} / {check}:\n\n  ```\n  {command}\n  ```")
    return found


def skips() -> list[str]:
    return sorted({f"- {row} / {check}: {c.skipped}" for (row, check), c in CELLS.items() if c.skipped})


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not CELLS and not PHASES:
        return
    sections = [("operation x check", table())]
    if PHASES:
        sections.append(("operation x phase (cases sent; - : the phase made no case for it)", phase_table()))
    if STATEFUL.links:
        sections.append(("stateful phase: sequences that follow the spec's links", stateful_summary()))
    if failures():
        sections.append(("failures, with a command that reproduces each", "\n".join(failures())))
    if skips():
        sections.append(("skipped", "\n".join(skips())))
    progress.finish()
    path = report_dir() / "contract.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Contract suite\n" + "".join(f"\n## {title}\n\n{text}\n" for title, text in sections))
    for title, text in sections:
        terminalreporter.write_sep("=", f"contract: {title}")
        terminalreporter.write_line(text)
    terminalreporter.write_line(f"(report: {path})")
