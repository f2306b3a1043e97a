"""webhooks: `airudder.webhooks.parse` (validate + model) events/s on one core, the kind named and detected
(>= 20k/s each); the fastest of 3 runs."""

from __future__ import annotations

import json

from .report import Row
from .timing import best_of

EVENTS, TARGET = 50_000, 20_000


def run() -> list[Row]:
    from airudder import webhooks
    from airudder_contract.webhook_cases import doc_examples

    body = json.dumps(doc_examples("workflow_status_changed")[0]).encode()
    webhooks.parse("workflow_status_changed", body)

    def named() -> None:
        for _ in range(EVENTS):
            webhooks.parse("workflow_status_changed", body)

    def detected() -> None:
        for _ in range(EVENTS):
            webhooks.parse(None, body)

    rows = []
    for label, work in (("webhook parse + validate", named), ("webhook parse, kind detected", detected)):
        rate = EVENTS / best_of(3, work)
        met = rate >= TARGET
        rows.append(Row(label, f"{rate:,.0f} events/s", f"{TARGET:,} events/s", rate / TARGET, ">= 20k/s", met))
    return rows
