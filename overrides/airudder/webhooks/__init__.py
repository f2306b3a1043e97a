"""Receiving AIRudder's webhooks: typed parsing with validation, an ASGI receiver, dedupe, a dead-letter table,
unclassified events kept rather than refused, and serving with connections bounded in time.

Parsing (`parse`, `detect`, `kinds`) and the stores need only the core install; `WebhookReceiver`, `running`,
`server` and `CONNECTION_TIMEOUT` serve HTTP and need `airudder-workflow[webhooks]` (starlette, uvicorn): they
are imported on first use. `Worker` needs the webhooks extra too, and `PostgresEventStore` (several receiver
hosts, separate workers) the postgres one: `pip install airudder-workflow[postgres]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._kinds import Handler, WebhookKind, WebhookPayload, parse
from ._parse import (
    UNCLASSIFIED,
    AmbiguousWebhook,
    InvalidPayload,
    UnclassifiedEvent,
    UnknownWebhook,
    WebhookError,
    detect,
    event_key,
    kinds,
)
from ._store import DeadLetter, EventStore, GroupCommitStore, SQLiteEventStore, StoredEvent

__all__ = [
    "CONNECTION_TIMEOUT",
    "UNCLASSIFIED",
    "AmbiguousWebhook",
    "DeadLetter",
    "EventStore",
    "GroupCommitStore",
    "Handler",
    "InvalidPayload",
    "PostgresEventStore",
    "SQLiteEventStore",
    "StoredEvent",
    "UnclassifiedEvent",
    "UnknownWebhook",
    "WebhookError",
    "WebhookKind",
    "WebhookPayload",
    "WebhookReceiver",
    "Worker",
    "detect",
    "event_key",
    "kinds",
    "parse",
    "running",
    "server",
]

if TYPE_CHECKING:
    from ..serving import CONNECTION_TIMEOUT, server
    from ._postgres import PostgresEventStore
    from ._receiver import WebhookReceiver
    from ._serve import running
    from ._worker import Worker

_SERVING = {
    "CONNECTION_TIMEOUT": "..serving",
    "WebhookReceiver": "._receiver",
    "running": "._serve",
    "server": "..serving",
    "Worker": "._worker",
}


def __getattr__(name: str) -> Any:
    """The serving names, imported when first used: they need the webhooks extra (PostgresEventStore, the
    postgres one; its module names the extra when psycopg is missing)."""
    if name == "PostgresEventStore":
        from ._postgres import PostgresEventStore

        return PostgresEventStore
    if name not in _SERVING:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    from airudder.extras import require

    require("webhooks", f"airudder.webhooks.{name}")
    return getattr(import_module(_SERVING[name], __name__), name)
