"""One webhook of each kind, as the simulation builds it: what `airudder-mock trigger` sends.

A throwaway in-memory mock runs one workflow of each default template to its end and keeps the first payload
of each kind it queues: the same builders, ids and outcomes as a served mock with the same seed.
"""

from __future__ import annotations

import time
from typing import Any

from ..config import MockConfig
from ..repository import Repository
from .engine import Simulation

DAY = 86_400.0
PUBLIC_URL = "http://127.0.0.1:8765"
"""Where recording links point: `airudder-mock serve`'s default address."""


def sample_payloads(seed: int = 0) -> dict[str, dict[str, Any]]:
    """Webhook kind -> the first payload of that kind a run of every default template queues."""
    config = MockConfig(seed=seed)
    found: dict[str, dict[str, Any]] = {}

    def keep(kind: str, payload: dict[str, Any], workflow_id: str, at: float, fail_first: int = 0) -> None:
        found.setdefault(kind, payload)

    repo = Repository(None)
    try:
        repo.save_templates(config.templates, replace=False)
        simulation, now = Simulation(repo, config, keep), time.time()
        simulation.world.public_url = PUBLIC_URL
        for template in repo.templates():
            body = {"name": f"trigger-{template.name}", "workflow_template_id": template.id}
            simulation.create_workflow(body, template, now + DAY, now)
        simulation.run_until(now + 2 * DAY)
    finally:
        repo.close()
    return found


def sample_payload(kind: str, workflow_id: str | None = None, seed: int = 0) -> dict[str, Any]:
    """One `kind` payload (a KeyError for a kind the simulation does not send), its `workflow_id` replaced by
    `workflow_id` if given."""
    payload = sample_payloads(seed)[kind]
    if workflow_id is not None and "workflow_id" in payload:
        payload = {**payload, "workflow_id": workflow_id}
    return payload
