"""`python -m airudder.webhooks`: a standalone receiver that stores every event and prints it as a JSON line.

python -m airudder.webhooks --port 8080 --db hooks.sqlite3 --secret "$SECRET" [--allow 203.0.113.0/24]

On start it first prints the events stored but not yet printed (the process stopped between the two).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sqlite3
from typing import Any, Literal

import click
import uvicorn

from .._version import __version__
from ._kinds import KINDS
from ._receiver import MAX_BODY, WebhookReceiver
from ._store import SQLiteEventStore


def _networks(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            ipaddress.ip_network(value)
        except ValueError as exc:
            raise click.BadParameter(f"{exc} (give an address or a network like 203.0.113.0/24)") from None
    return values


def _secret(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value:
        raise click.BadParameter("must not be empty (leave --secret out for no secret)")
    return value


@click.command()
@click.version_option(__version__, "--version", prog_name="python -m airudder.webhooks (airudder-workflow)")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--db", default="airudder-webhooks.sqlite3", show_default=True, help="SQLite file of events.")
@click.option(
    "--secret", callback=_secret, help="Shared secret: AIRudder posts to /<secret>/<kind> (or /<kind>?secret=...)."
)
@click.option("--secret-in", type=click.Choice(["path", "query"]), default="path", show_default=True)
@click.option(
    "--allow",
    "allowed",
    multiple=True,
    metavar="NETWORK",
    callback=_networks,
    help="Source networks allowed (repeatable).",
)
@click.option("--max-body", default=MAX_BODY, show_default=True, type=click.IntRange(min=1), help="Bytes.")
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
    if secret_in == "query" and secret is None:
        raise click.UsageError("--secret-in query needs --secret")
    try:
        store = SQLiteEventStore(db)
    except sqlite3.Error as exc:
        raise click.BadParameter(f"cannot open {db!r} as an SQLite database: {exc}", param_hint="--db") from None
    receiver = WebhookReceiver(
        store=store, secret=secret, secret_in=secret_in, allowed_sources=allowed, max_body=max_body
    )
    for kind in KINDS:

        def show(event: Any, kind: str = kind) -> None:
            click.echo(json.dumps({"kind": kind, "event": event.to_dict()}))

        receiver.on(kind)(show)
    asyncio.run(receiver.retry_failed())  # events a stop cut off between storing and printing
    uvicorn.run(receiver.app, host=host, port=port, log_level="info", access_log=False)  # stdout: events only
