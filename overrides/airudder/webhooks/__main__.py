"""`python -m airudder.webhooks`: a standalone receiver that stores every event and prints it as a JSON line.

python -m airudder.webhooks --port 8080 --db hooks.sqlite3 --secret "$SECRET" [--allow 203.0.113.0/24]
"""

from __future__ import annotations

import json
from typing import Any, Literal

import click
import uvicorn

from ._parse import kinds
from ._receiver import MAX_BODY, WebhookReceiver
from ._store import SQLiteEventStore


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--db", default="airudder-webhooks.sqlite3", show_default=True, help="SQLite file of events.")
@click.option("--secret", help="Shared secret: AIRudder posts to /<secret>/<kind> (or /<kind>?secret=...).")
@click.option("--secret-in", type=click.Choice(["path", "query"]), default="path", show_default=True)
@click.option("--allow", "allowed", multiple=True, metavar="NETWORK", help="Source networks allowed (repeatable).")
@click.option("--max-body", default=MAX_BODY, show_default=True, type=int)
def main(
    host: str,
    port: int,
    db: str,
    secret: str | None,
    secret_in: Literal["path", "query"],
    allowed: tuple[str, ...],
    max_body: int,
) -> None:
    """Receive AIRudder's webhooks and print each event once, as a JSON line."""
    store = SQLiteEventStore(db)
    receiver = WebhookReceiver(
        store=store, secret=secret, secret_in=secret_in, allowed_sources=allowed, max_body=max_body
    )
    for kind in kinds():

        def show(event: Any, kind: str = kind) -> None:
            click.echo(json.dumps({"kind": kind, "event": event.to_dict()}))

        receiver.on(kind)(show)
    uvicorn.run(receiver.app, host=host, port=port, log_level="info", access_log=False)  # stdout: events only


main()
