"""A benchmark's rows, and the machine they were measured on (cores, load average), printed as a Markdown table."""

from __future__ import annotations

import os
from dataclasses import dataclass

HEADER = "| measure | ours | baseline | ratio | target | met | machine |\n|---|---|---|---|---|---|---|"


@dataclass
class Row:
    measure: str
    ours: str
    baseline: str
    ratio: float
    target: str
    met: bool


def load() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def machine(load_before: float, load_after: float) -> str:
    """The machine beside a part's rows: its cores, and the load average when the part began and ended."""
    return f"{os.cpu_count()} cores, load {load_before:.1f} → {load_after:.1f}"


def line(row: Row, where: str) -> str:
    met = "yes" if row.met else "NO"
    return f"| {row.measure} | {row.ours} | {row.baseline} | {row.ratio:.2f} | {row.target} | {met} | {where} |"
