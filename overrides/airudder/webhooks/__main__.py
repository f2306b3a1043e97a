"""`python -m airudder.webhooks`: a standalone receiver that stores every event and prints it as a JSON line, and
workers that handle stored events apart from the receivers.

python -m airudder.webhooks --port 8080 --db hooks.sqlite3 --secret "$SECRET" [--allow 203.0.113.0/24]
python -m airudder.webhooks serve --no-handle --db postgresql://db.internal/app ...     # on each receiver host
python -m airudder.webhooks worker --db postgresql://db.internal/app --handlers app.hooks  # as many as you like

On start the receiver first prints the events stored but not yet printed (the process stopped between the two),
those a crash cut off mid-handler included.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import signal
import sqlite3
from typing import Any, Literal

import click
import uvicorn

from ._kinds import KINDS
from ._receiver import MAX_BODY, WebhookReceiver
from ._store import EventStore, SQLiteEventStore
from ._worker import RECLAIM_AFTER, RETRY_AFTER, Worker, load_handlers

EXIT_CODES = """\b
Exit codes: 0 stopped (Ctrl-C or SIGTERM); 1 an unexpected failure;
2 a bad option, a --handlers that cannot be loaded, or a --db that cannot be opened."""


class _ServeByDefault(click.Group):
    """Arguments that name no command go to `serve`: the single-process receiver stays the default."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--help"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_ServeByDefault, epilog=EXIT_CODES)
def main() -> None:
    """Receive AIRudder's webhooks (`serve`, the default) and handle them apart from the receivers (`worker`).

    One process: `serve` stores, acknowledges and prints each event. Several hosts: `serve --no-handle` on each
    receiver host and any number of `worker` processes, all on one PostgreSQL --db.
    """


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


def _open_store(db: str, schema: str) -> EventStore:
    """SQLite for a path, PostgreSQL for a postgresql:// URL; a clear usage error when it cannot be opened."""
    if db.startswith(("postgresql://", "postgres://")):
        try:
            from ._postgres import PostgresEventStore
        except ImportError as exc:
            raise click.BadParameter(str(exc), param_hint="--db") from None
        import psycopg

        try:
            return PostgresEventStore(db, schema=schema)
        except (psycopg.Error, ValueError, RuntimeError) as exc:
            raise click.BadParameter(f"cannot use the PostgreSQL database: {exc}", param_hint="--db") from None
    try:
        return SQLiteEventStore(db)
    except (sqlite3.Error, OSError) as exc:
        raise click.BadParameter(f"cannot open {db!r} as an SQLite database: {exc}", param_hint="--db") from None


db_option = click.option(
    "--db",
    default="airudder-webhooks.sqlite3",
    show_default=True,
    envvar="AIRUDDER_WEBHOOKS_DB",
    help="SQLite file of events, or a postgresql:// URL (also from $AIRUDDER_WEBHOOKS_DB, kept out of `ps`).",
)
schema_option = click.option(
    "--schema", default="airudder_webhooks", show_default=True, help="PostgreSQL schema of the store's tables."
)


@main.command(epilog=EXIT_CODES)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@db_option
@schema_option
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
@click.option(
    "--no-handle",
    is_flag=True,
    help="Only validate, store and acknowledge: `worker` processes handle the events.",
)
@click.option(
    "--reclaim-after",
    default=0.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="On start, events taken by a handler longer ago than this were cut off by a crash and are printed again "
    "(0: this is the only process handling the events of --db).",
)
def serve(
    host: str,
    port: int,
    db: str,
    schema: str,
    secret: str | None,
    secret_in: Literal["path", "query"],
    allowed: tuple[str, ...],
    max_body: int,
    no_handle: bool,
    reclaim_after: float,
) -> None:
    """Receive AIRudder's webhooks and print each event once, as a JSON line (the default command)."""
    if secret_in == "query" and secret is None:
        raise click.UsageError("--secret-in query needs --secret")
    store = _open_store(db, schema)
    receiver = WebhookReceiver(
        store=store, secret=secret, secret_in=secret_in, allowed_sources=allowed, max_body=max_body
    )
    if not no_handle:
        for kind in KINDS:

            def show(event: Any, kind: str = kind) -> None:
                click.echo(json.dumps({"kind": kind, "event": event.to_dict()}))

            receiver.on(kind)(show)
        # events a stop cut off between storing and printing, and those a crash cut off mid-handler
        asyncio.run(receiver.retry_failed(interrupted_after=reclaim_after))
    uvicorn.run(receiver.app, host=host, port=port, log_level="info", access_log=False)  # stdout: events only


@main.command(epilog=EXIT_CODES)
@db_option
@schema_option
@click.option(
    "--handlers",
    "target",
    required=True,
    metavar="MODULE[:ATTRIBUTE]",
    help="Where the handlers are: a WebhookReceiver (the module's `receiver`, or its only one) or a mapping of "
    "kind to handler. The current directory is on the import path.",
)
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(min=1), help="Events at once.")
@click.option(
    "--reclaim-after",
    default=RECLAIM_AFTER,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="An event a worker took longer ago than this, unfinished, was cut off by a crash: it is taken again. "
    "Make it longer than any handler runs.",
)
@click.option(
    "--retry-after",
    default=RETRY_AFTER,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="An event whose handler raised is tried again this long after.",
)
@click.option("--poll", default=0.5, show_default=True, type=click.FloatRange(min=0.01), help="Seconds between looks.")
def worker(
    db: str, schema: str, target: str, concurrency: int, reclaim_after: float, retry_after: float, poll: float
) -> None:
    """Handle stored events with the handlers of your module, apart from the receivers.

    Start any number, on any hosts, on one PostgreSQL --db: each event is handled by one of them. SIGTERM lets the
    events being handled finish, then exits 0.
    """
    import sys

    sys.path.insert(0, "")  # `--handlers app.hooks` finds the module in the current directory, as `python -m` does
    try:
        handlers = load_handlers(target)
    except LookupError as exc:
        raise click.BadParameter(str(exc), param_hint="--handlers") from None
    store = _open_store(db, schema)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("airudder.webhooks").info("worker: handling %s", ", ".join(sorted(handlers)))
    runner = Worker(
        store, handlers, concurrency=concurrency, reclaim_after=reclaim_after, retry_after=retry_after, poll=poll
    )

    async def run() -> None:
        stop = asyncio.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(number, stop.set)
        await runner.run(stop)

    asyncio.run(run())


main()
