"""The parts and the table: `scripts/bench [--only PART ...]` runs each part and prints its rows as soon as it has
run, each beside the machine (cores, load average) it was measured on. Exits 1 when a target was missed."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import client, contract, delivery, imports, ingest, mock, pager, proxy, retention, scale, webhooks, workers
from .report import HEADER, Row, line, load, machine

PARTS: dict[str, Callable[[], list[Row]]] = {
    "client": client.run,
    "pager": pager.run,
    "webhooks": webhooks.run,
    "mock": mock.run,
    "delivery": delivery.run,
    "contract": contract.run,
    "ingest": ingest.run,
    "proxy": proxy.run,
    "scale": scale.run,
    "workers": workers.run,
    "retention": retention.run,
    "imports": imports.run,
}


def main(argv: list[str] | None = None, description: str | None = None) -> int:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=list(PARTS), action="append", help="run only these parts (repeatable)")
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    met = True
    for part in args.only or list(PARTS):
        before = load()
        rows = PARTS[part]()
        where = machine(before, load())
        for row in rows:  # each part's rows as soon as it has run
            met = met and row.met
            print(line(row, where), flush=True)
    return 0 if met else 1
