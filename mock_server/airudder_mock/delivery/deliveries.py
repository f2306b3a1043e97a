"""Webhook deliveries: queued by the simulation, POSTed to the configured URL, retried like AIRudder does.

AIRudder retries a delivery whose answer is not a success every minute, at most 5 tries in all. Here the
minute is on the mock clock, so advancing the clock by five minutes plays out every retry at once. Every
attempt is kept in the delivery log (`GET /_mock/webhooks/deliveries`).

The URL is looked up when an attempt is made, not when the webhook is queued: a target set or changed before
the attempt applies to it (retries included). A webhook with no target when it is due is `no_target`, for good.
`{kind}` in a target URL is replaced by the webhook's kind, so one URL can route each kind to its own path.

Deliveries due together go out up to `concurrency` at once, as a real sender's would; a workflow's or a task's
status change waits for every delivery before it and holds back those after it, so the end of a run is never
reported before its calls. Each attempt is logged (logger `airudder_mock.deliveries`): kind, URL (its secret
masked: `masking.py`), status, attempt; a refused or failed one as a warning. The sending threads only send: the
delivery log's one writer (`Recorder`) records their attempts in batches, one transaction each, and writes the
batch's lines.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import httpx

import airudder_spec

from ..masking import masked
from ..repository import Repository
from ..repository.records import Delivery, Target
from .recorder import Recorder

RETRY_INTERVAL = 60.0
MAX_TRIES = 5
ANY_KIND = "*"
USER_AGENT = "Airudder"
CLAIM_BATCH = 1000
"""Deliveries claimed at a time: a run with many due at once holds few in memory."""
KIND_PLACEHOLDER = "{kind}"
BARRIERS = frozenset({"workflow_status_changed", "predictive_dialer_task_status_changed"})
"""Kinds sent alone, after everything queued before them: a status change of a whole workflow or task."""

log = logging.getLogger("airudder_mock.deliveries")


@dataclass(frozen=True)
class Attempt:
    """One POST of a delivery: the answer's status code, or the error that stopped it."""

    delivery: Delivery
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def target_for(url: str, kind: str) -> str:
    """The URL a `kind` webhook goes to: `{kind}` in `url` filled in."""
    return url.replace(KIND_PLACEHOLDER, kind)


class Deliveries:
    def __init__(self, repo: Repository, timeout: float, concurrency: int = 8) -> None:
        if concurrency < 1:
            raise ValueError(f"webhook concurrency must be at least 1, not {concurrency}")
        self.repo = repo
        self.timeout = timeout
        self._clients: list[httpx.Client] = []
        self._local = threading.local()
        self._clients_lock = threading.Lock()
        self._failing: dict[int, int] = {}
        """Delivery id -> attempts still to fail (a scenario's `fail_first`; in memory, as the scenario is)."""
        self.concurrency = concurrency
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="airudder-mock-webhooks")
        self._recorder = Recorder(self.record, "airudder-mock-delivery-log")
        repo.requeue_interrupted_deliveries()

    def set_target(self, kind: str, url: str, workflow_id: str | None = None) -> None:
        """Send `kind` (or `*`: every kind) to `url`, for one workflow or (no workflow_id) for all."""
        if kind != ANY_KIND and kind not in airudder_spec.webhook_schemas():
            raise KeyError(kind)
        self.repo.set_target(kind, url, workflow_id)

    def replace_targets(self, url: str) -> None:
        """Send every kind of every workflow to `url`: all other targets, per kind or per workflow, are dropped."""
        with self.repo.transaction():
            self.repo.clear_targets()
            self.repo.set_target(ANY_KIND, url, None)

    def targets(self) -> list[Target]:
        return self.repo.targets()

    def overriding(self, kind: str, workflow_id: str | None) -> list[str]:
        """The kinds a `kind` target of `workflow_id` (None: every workflow) does not apply to, because a more
        specific target wins: a per-kind one over `*`, a per-workflow one over one for every workflow."""
        if kind != ANY_KIND and workflow_id is not None:
            return []
        scope = workflow_id or ""
        found = set()
        for target in self.repo.targets():
            narrower_kind = kind == ANY_KIND and target.kind != ANY_KIND and (target.workflow_id or "") == scope
            narrower_scope = workflow_id is None and target.workflow_id is not None and target.kind in (kind, ANY_KIND)
            if narrower_kind or narrower_scope:
                found.add(f"{target.kind} of workflow {target.workflow_id}" if target.workflow_id else target.kind)
        return sorted(found)

    def enqueue(self, kind: str, payload: dict[str, Any], workflow_id: str, at: float, fail_first: int = 0) -> None:
        """Queue one webhook. The payload must conform to the webhook's schema: the mock never sends junk.
        `fail_first` (a scenario's fault): its first attempts fail without a POST, and are retried as any."""
        errors = [e.message for e in airudder_spec.webhook_validator(kind).iter_errors(payload)]
        if errors:
            raise AssertionError(f"the mock built an invalid {kind} payload: {errors}")
        delivery_id = self.repo.insert_delivery(kind, payload, workflow_id, at)
        if fail_first:
            with self._clients_lock:
                self._failing[delivery_id] = fail_first

    def claim_due(self, now: float, limit: int = CLAIM_BATCH) -> list[Delivery]:
        """Mark the first `limit` deliveries due by `now` as being sent, to the target in force, and return them
        (no other sender will take them); those without a target become `no_target`."""
        claimed = []
        with self.repo.transaction():
            for delivery in self.repo.due_deliveries(now, limit):
                scope = delivery.workflow_id or ""
                # the most specific target: this workflow and kind, this workflow, all workflows and kind, any
                url = self.repo.target_url(
                    [(scope, delivery.kind), (scope, ANY_KIND), ("", delivery.kind), ("", ANY_KIND)]
                )
                url = target_for(url, delivery.kind) if url else None
                self.repo.set_delivery_status(delivery.id, "sending" if url else "no_target", url)
                if url:
                    claimed.append(replace(delivery, url=url))
        return claimed

    def send(self, delivery: Delivery) -> None:
        """POST one delivery and record the attempt; schedule the next try on failure."""
        self.record([self.attempt(delivery)])

    def attempt(self, delivery: Delivery) -> Attempt:
        """POST one delivery: its answer's status code, or the error that stopped it."""
        assert delivery.url is not None
        with self._clients_lock:
            left = self._failing.pop(delivery.id, 0)
            if left > 1:
                self._failing[delivery.id] = left - 1
        if left:
            return Attempt(delivery, None, "refused by the scenario (fail_first): no POST made")
        try:
            body = json.dumps(delivery.payload)  # as stored
            response = self._client().post(delivery.url, content=body, headers=signature(delivery.kind, body))
            return Attempt(delivery, response.status_code, None)
        except httpx.HTTPError as exc:
            return Attempt(delivery, None, f"{type(exc).__name__}: {exc}")

    def record(self, attempts: list[Attempt]) -> None:
        """Record attempts (one transaction) and log each: a delivery is done, failed for good, or tried again a
        minute later."""
        with self.repo.transaction():
            for attempt in attempts:
                delivery, code = attempt.delivery, attempt.status_code
                status = "delivered" if attempt.ok else ("failed" if delivery.attempts + 1 >= MAX_TRIES else "pending")
                entry = {
                    "at": delivery.next_attempt_at,
                    "url": delivery.url,
                    "status_code": code,
                    "error": attempt.error,
                }
                self.repo.record_attempt(delivery, status, entry, delivery.next_attempt_at + RETRY_INTERVAL)
        for attempt in attempts:
            delivery = attempt.delivery
            outcome = attempt.status_code if attempt.status_code is not None else attempt.error
            tried = f"attempt {delivery.attempts + 1}/{MAX_TRIES}"
            level = logging.INFO if attempt.ok else logging.WARNING
            shown = masked(delivery.url or "")
            log.log(level, "webhook %s -> %s %s (%s)", delivery.kind, shown, outcome, tried)

    def send_all(self, due: list[Delivery]) -> None:
        """Send `due` (oldest first), up to `concurrency` at once, a status change of a workflow or task alone.
        Returns once every attempt is recorded (each is in the log a batch after it was made)."""
        try:
            for group in waves(due):
                if len(group) == 1 or self.concurrency == 1:
                    for delivery in group:
                        self._send_to_log(delivery)
                else:
                    list(self._pool.map(self._send_to_log, group))  # waits for the whole group; raises what it raised
        finally:
            self._recorder.flush()

    def _send_to_log(self, delivery: Delivery) -> None:
        """POST one delivery; its attempt goes to the delivery log's writer (this thread does not wait for it)."""
        self._recorder.put(self.attempt(delivery))

    def log(self, kind: str | None = None, workflow_id: str | None = None, status: str | None = None) -> list[Delivery]:
        return self.repo.deliveries(kind, workflow_id, status)

    def _client(self) -> httpx.Client:
        """This thread's keep-alive client: one per sending thread, so no two threads share a connection pool."""
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json"}
            client = self._local.client = httpx.Client(timeout=self.timeout, headers=headers)
            with self._clients_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._recorder.close()
        with self._clients_lock:
            for client in self._clients:
                client.close()


def waves(due: list[Delivery]) -> Iterator[list[Delivery]]:
    """`due` cut into groups that may go out at once: each barrier kind alone, in its place."""
    group: list[Delivery] = []
    for delivery in due:
        if delivery.kind in BARRIERS:
            if group:
                yield group
            yield [delivery]
            group = []
        else:
            group.append(delivery)
    if group:
        yield group


SIGN_KEY = b"airudder-mock"
"""The docs show that the chatbot session-end webhook carries a required `X-AIRudder-Sign` header, not how it is
computed: the mock's is the hex HMAC-SHA256 of the body with this key (the mock's choice)."""


def signature(kind: str, body: str) -> dict[str, str]:
    if kind != "chatbot_session_ended":
        return {}
    return {"X-AIRudder-Sign": hmac.new(SIGN_KEY, body.encode(), hashlib.sha256).hexdigest()}
