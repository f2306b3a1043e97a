"""Progress of a contract run on the terminal: one line per operation and phase as each finishes, and the
stateful phase's scenarios as they go, so a long run is never silent.

Off unless `enable()` is called (`airudder-contract` does); the report plugin feeds it every checked case.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Block:
    """The cases of one operation in one phase, counted while they run."""

    operation: str
    phase: str
    started: float
    cases: int = 0
    failed: int = 0


@dataclass
class _State:
    console: Any = None
    current: _Block | None = None
    mark: float = field(default_factory=time.monotonic)  # when the last line's work ended
    scenarios: int = 0
    steps: int = 0
    links_2xx: int = 0
    stateful_started: float = 0.0


STATE = _State()
STATEFUL_EVERY = 10  # a line per this many scenarios of the stateful phase


def enable(console: Any) -> None:
    """Print progress on `console` (a rich Console)."""
    STATE.console = console
    STATE.mark = time.monotonic()


def _line(text: str) -> None:
    if STATE.console is not None:
        STATE.console.print(text, highlight=False)


def _close_block() -> None:
    block = STATE.current
    if block is None:
        return
    STATE.current = None
    verdict = f"[red]{block.failed} failed[/red]" if block.failed else "[green]ok[/green]"
    STATE.mark = time.monotonic()
    cases = f"{block.cases} case{'' if block.cases == 1 else 's'}"
    _line(f"  {block.phase:<9} {block.operation:<48} {cases:>9}  {verdict}  ({STATE.mark - block.started:.1f} s)")


def case(operation: str, phase: str, failed: bool) -> None:
    """One checked case of the examples, coverage or fuzzing phase."""
    if phase == "stateful":
        return
    block = STATE.current
    if block is None or (block.operation, block.phase) != (operation, phase):
        _close_block()
        block = STATE.current = _Block(operation, phase, STATE.mark)
    block.cases += 1
    block.failed += failed


def stateful_scenario() -> None:
    """A scenario of the stateful phase starts."""
    _close_block()
    if STATE.scenarios == 0:
        STATE.stateful_started = time.monotonic()
        _line("  stateful  sequences along the spec's links")
    elif STATE.scenarios % STATEFUL_EVERY == 0:
        _stateful_line()
    STATE.scenarios += 1


def stateful_step(link: str | None, answered_2xx: bool) -> None:
    """A step of the stateful phase (`link`: the link it followed, None for a scenario's first call)."""
    STATE.steps += 1
    STATE.links_2xx += link is not None and answered_2xx


def _stateful_line() -> None:
    seconds = time.monotonic() - STATE.stateful_started
    _line(
        f"  stateful  {STATE.scenarios:>4} scenarios, {STATE.steps} steps, {STATE.links_2xx} links answered 2xx"
        f"  ({seconds:.1f} s)"
    )


def finish() -> None:
    """The run is over: close the open line."""
    _close_block()
    if STATE.scenarios:
        _stateful_line()
