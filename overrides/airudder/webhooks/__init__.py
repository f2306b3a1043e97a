"""Receiving AIRudder's webhooks: typed parsing with validation, an ASGI receiver, dedupe, a dead-letter table.

Parsing (`parse`, `detect`, `kinds`) and the stores need only the core install; `WebhookReceiver` and
`running` serve HTTP and need `airudder-workflow[webhooks]` (starlette, uvicorn): they are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ._receiver import WebhookReceiver
    from ._serve import running

_SERVING = {"WebhookReceiver": "._receiver", "running": "._serve"}


def __getattr__(name: str) -> Any:
    """`WebhookReceiver` and `running`, imported when first used: they need the webhooks extra."""
    if name not in _SERVING:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    from airudder.extras import require

    require("webhooks", f"airudder.webhooks.{name}")
    return getattr(import_module(_SERVING[name], __name__), name)
