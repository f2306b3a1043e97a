"""Receiving AIRudder's webhooks: typed parsing with validation, an ASGI receiver, dedupe, a dead-letter table."""

from __future__ import annotations

from ._kinds import Handler, WebhookKind, WebhookPayload, parse
from ._parse import (
    AmbiguousWebhook,
    InvalidPayload,
    UnknownWebhook,
    WebhookError,
    detect,
    event_key,
    kinds,
)
from ._receiver import WebhookReceiver
from ._serve import running
from ._store import DeadLetter, EventStore, SQLiteEventStore, StoredEvent

__all__ = [
    "AmbiguousWebhook",
    "DeadLetter",
    "EventStore",
    "Handler",
    "InvalidPayload",
    "SQLiteEventStore",
    "StoredEvent",
    "UnknownWebhook",
    "WebhookError",
    "WebhookKind",
    "WebhookPayload",
    "WebhookReceiver",
    "detect",
    "event_key",
    "kinds",
    "parse",
    "running",
]
