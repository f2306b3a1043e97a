"""Webhook deliveries: queued by the simulation, POSTed to the configured URL, retried like AIRudder does.

AIRudder retries a delivery whose answer is not a success every minute, at most 5 tries in all. Here the
minute is on the mock clock, so advancing the clock by five minutes plays out every retry at once. Every
attempt is kept in the delivery log (`GET /_mock/webhooks/deliveries`).

The URL is looked up when an attempt is made, not when the webhook is queued: a target set or changed before
the attempt applies to it (retries included). A webhook with no target when it is due is `no_target`, for good.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import httpx

import airudder_spec

from ..repository import Repository
from ..repository.records import Delivery, Target

RETRY_INTERVAL = 60.0
MAX_TRIES = 5
ANY_KIND = "*"


class Deliveries:
    def __init__(self, repo: Repository, timeout: float) -> None:
        self.repo = repo
        self.http = httpx.Client(
            timeout=timeout, headers={"User-Agent": "Airudder", "Content-Type": "application/json"}
        )
        repo.requeue_interrupted_deliveries()

    def set_target(self, kind: str, url: str, workflow_id: str | None = None) -> None:
        """Send `kind` (or `*`: every kind) to `url`, for one workflow or (no workflow_id) for all."""
        if kind != ANY_KIND and kind not in airudder_spec.webhook_schemas():
            raise KeyError(kind)
        self.repo.set_target(kind, url, workflow_id)

    def targets(self) -> list[Target]:
        return self.repo.targets()

    def enqueue(self, kind: str, payload: dict[str, Any], workflow_id: str, at: float) -> None:
        """Queue one webhook. The payload must conform to the webhook's schema: the mock never sends junk."""
        errors = [e.message for e in airudder_spec.webhook_validator(kind).iter_errors(payload)]
        if errors:
            raise AssertionError(f"the mock built an invalid {kind} payload: {errors}")
        self.repo.insert_delivery(kind, payload, workflow_id, at)

    def claim_due(self, now: float) -> list[Delivery]:
        """Mark the deliveries due by `now` as being sent, to the target in force, and return them (no other
        sender will take them); those without a target become `no_target`."""
        claimed = []
        with self.repo.transaction():
            for delivery in self.repo.due_deliveries(now):
                scope = delivery.workflow_id or ""
                # the most specific target: this workflow and kind, this workflow, all workflows and kind, any
                url = self.repo.target_url(
                    [(scope, delivery.kind), (scope, ANY_KIND), ("", delivery.kind), ("", ANY_KIND)]
                )
                self.repo.set_delivery_status(delivery.id, "sending" if url else "no_target", url)
                if url:
                    claimed.append(replace(delivery, url=url))
        return claimed

    def send(self, delivery: Delivery) -> None:
        """POST one delivery and record the attempt; schedule the next try on failure."""
        assert delivery.url is not None
        try:
            response = self.http.post(delivery.url, content=json.dumps(delivery.payload))  # as stored
            code, error = response.status_code, None
        except httpx.HTTPError as exc:
            code, error = None, f"{type(exc).__name__}: {exc}"
        ok = code is not None and 200 <= code < 300
        status = "delivered" if ok else ("failed" if delivery.attempts + 1 >= MAX_TRIES else "pending")
        attempt = {"at": delivery.next_attempt_at, "url": delivery.url, "status_code": code, "error": error}
        self.repo.record_attempt(delivery, status, attempt, delivery.next_attempt_at + RETRY_INTERVAL)

    def log(self, kind: str | None = None, workflow_id: str | None = None, status: str | None = None) -> list[Delivery]:
        return self.repo.deliveries(kind, workflow_id, status)

    def close(self) -> None:
        self.http.close()
