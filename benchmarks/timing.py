"""How timings are taken on a shared, noisy machine: the fastest of several runs, or two workloads in turns with
the round of median ratio taken."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(runs: int, work: Callable[[], None]) -> float:
    """The fastest of `runs` timings: the least disturbed by the other load of a shared machine."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def in_turns(runs: int, ours: Callable[[], None], baseline: Callable[[], None]) -> tuple[list[float], list[float]]:
    """Timings of two workloads run in turns, round by round, so a disturbance of the machine hits both alike."""
    timings: dict[str, list[float]] = {"ours": [], "baseline": []}
    for _ in range(runs):
        for name, work in (("baseline", baseline), ("ours", ours)):
            started = time.perf_counter()
            work()
            timings[name].append(time.perf_counter() - started)
    return timings["ours"], timings["baseline"]


def median_round(ours: list[float], baseline: list[float]) -> tuple[float, float]:
    """The round (ours, baseline) whose ratio is the median: a round one side was disturbed in moves it little."""
    rounds = sorted(zip(ours, baseline, strict=True), key=lambda pair: pair[0] / pair[1])
    return rounds[len(rounds) // 2]
