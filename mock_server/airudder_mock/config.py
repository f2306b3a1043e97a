"""What a mock server starts with: credentials, templates, simulation settings, webhook targets, faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_BODY = 16 * 1024 * 1024
"""Bytes of a request body the mock reads, by default; a larger one is refused with 413 as it streams in."""

DEFAULT_TEMPLATES: tuple[dict[str, Any], ...] = (
    {"id": 1, "name": "collection-voicebot", "nodes": [{"type": "call", "name": "Voicebot Call1"}]},
    {
        "id": 2,
        "name": "collection-call-then-waba",
        "nodes": [{"type": "call", "name": "Voicebot Call1"}, {"type": "waba", "name": "WABA Template1"}],
    },
    {"id": 3, "name": "waba-reminder", "nodes": [{"type": "waba", "name": "WABA Template1"}]},
    {
        "id": 4,
        "name": "info-check-with-api",
        "category": "info_check",
        "nodes": [{"type": "api", "name": "Custom API1"}, {"type": "call", "name": "Voicebot Call1"}],
    },
)


@dataclass
class MockConfig:
    """Settings of one mock server. Everything here can also be changed at run time through `/_mock/`.

    The defaults are a test's (the fixture's and `running_mock()`'s): time stopped (`speed` 0: it moves only
    through `advance()` / `POST /_mock/clock`) and workflows that finish once every contact is done
    (`auto_finish` 1). `airudder-mock serve` runs time at 1 and keeps AIRudder's `auto_finish` default, 2.
    """

    credentials: dict[str, str] = field(default_factory=lambda: {"mock-app-key": "mock-app-secret"})
    templates: list[dict[str, Any]] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TEMPLATES])
    seed: int | None = None
    """Seed of ids, call outcomes and fault draws: the same seed and the same calls replay the same ids and
    history. None: a fresh seed per server (`MockServer.seed` says which), so ids differ from run to run."""
    speed: float = 0.0
    db: str | None = None
    contacts_per_workflow: int = 3
    auto_finish: int = 1
    """A new workflow's `auto_finish` when the create request leaves it out. 1 (here): the workflow finishes once
    every contact is done; 2, AIRudder's documented default, which `airudder-mock serve` keeps: it runs to
    end_time."""
    max_redials: int = 2
    redial_interval: float = 300.0
    webhook_urls: dict[str, str] = field(default_factory=dict)
    """Webhook kind (or `*` for every kind) -> URL; `{kind}` in a URL is replaced by each webhook's kind."""
    webhook_timeout: float = 5.0
    webhook_concurrency: int = 8
    max_body: int = MAX_BODY
    """Bytes of a request body read; a larger one is refused with 413 while it streams in."""
    scenario: dict[str, Any] | str | None = None
    """A scenario (spec/mock-admin.yaml's `Scenario`: scripted call and WABA outcomes, webhook and API faults), as
    its document or the path of a YAML/JSON file; in force from the start and again after a reset."""
    admin_token: str | None = None
    """The token the admin API (`/_mock/`) requires, sent as `Authorization: Bearer <token>`; None: no token.
    The handle (`running_mock()`, the fixture) makes one up when none is given, and its `admin` client sends it."""
    connection_timeout: float = 30.0
    """Seconds a connection may stay idle or take to send one whole request before it is closed."""
    """Webhooks sent at once (1: one at a time, in order)."""
