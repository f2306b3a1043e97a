"""`python -m airudder.webhooks`: a standalone receiver that stores every event and prints it as a JSON line.

AIRUDDER_WEBHOOK_SECRET=... python -m airudder.webhooks --port 8080 --db hooks.sqlite3 [--allow 203.0.113.0/24]

stdout carries events only, one JSON line each (`{"kind": ..., "event": ...}`, `unclassified` ones included);
the log (refusals, unclassified events, failing handlers, closed connections) goes to stderr. On start it first
prints the events stored but not yet printed (the process stopped between the two).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click

from .._version import __version__
from ..serving import CONNECTION_TIMEOUT, server
from ._kinds import KINDS
from ._parse import UNCLASSIFIED, kinds
from ._receiver import MAX_BODY, WebhookReceiver
from ._store import SQLiteEventStore

SECRET_VARIABLE = "AIRUDDER_WEBHOOK_SECRET"
logger = logging.getLogger("airudder.webhooks")


def _networks(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            ipaddress.ip_network(value)
        except ValueError as exc:
            raise click.BadParameter(f"{exc} (give an address or a network like 203.0.113.0/24)") from None
    return values


def _secret(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value:
        raise click.BadParameter(f"must not be empty (leave --secret and ${SECRET_VARIABLE} out for no secret)")
    return value


def _secret_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> str | None:
    if value is None:
        return None
    try:
        secret = value.read_text().strip()  # a file written by `echo` ends with a newline: not part of it
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {str(value)!r}: {exc}") from None
    if not secret:
        raise click.BadParameter(f"{str(value)!r} is empty")
    if value.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        click.echo(f"warning: {value} can be read by other users (chmod 600 it)", err=True)
    return secret


@click.command(
    epilog=f"Exit codes: 2 for bad options; 3 when the server cannot start (the port is taken); on Ctrl-C or "
    f"SIGTERM it stops after the requests in flight and exits by that signal, as uvicorn does. The secret: from "
    f"--secret-file, ${SECRET_VARIABLE} or --secret, one of them; on the command line it is visible "
    f"to every local user (ps, /proc), so prefer the file or the variable."
)
@click.version_option(__version__, "--version", prog_name="python -m airudder.webhooks (airudder-workflow)")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--db", default="airudder-webhooks.sqlite3", show_default=True, help="SQLite file of events.")
@click.option(
    "--secret",
    envvar=SECRET_VARIABLE,
    callback=_secret,
    help=f"Shared secret: AIRudder posts to /<secret>/<kind> (or /<kind>?secret=...). Also read from "
    f"${SECRET_VARIABLE}. Given here it is visible to every local user: prefer the variable or --secret-file.",
)
@click.option(
    "--secret-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_secret_file,
    help="Read the secret from this file (its first and last whitespace dropped); keep it chmod 600.",
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
    "--connection-timeout",
    default=CONNECTION_TIMEOUT,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a connection may stay idle, or take to send one whole request, before it is closed.",
)
@click.pass_context
def main(
    ctx: click.Context,
    host: str,
    port: int,
    db: str,
    secret: str | None,
    secret_file: str | None,
    secret_in: Literal["path", "query"],
    allowed: tuple[str, ...],
    max_body: int,
    connection_timeout: float,
) -> None:
    """Receive AIRudder's webhooks and print each event once, as a JSON line."""
    if secret is not None and secret_file is not None:
        given = "--secret" if ctx.get_parameter_source("secret") == click.core.ParameterSource.COMMANDLINE else None
        raise click.UsageError(f"give the secret one way: --secret-file, or {given or '$' + SECRET_VARIABLE}")
    secret = secret if secret is not None else secret_file
    if secret_in == "query" and secret is None:
        raise click.UsageError(f"--secret-in query needs a secret (--secret-file, ${SECRET_VARIABLE} or --secret)")
    if secret is not None and secret_in == "path" and "/" in secret:
        raise click.UsageError("a secret in the URL path must not contain '/' (or use --secret-in query)")
    try:
        store = SQLiteEventStore(db)
    except sqlite3.Error as exc:
        raise click.BadParameter(f"cannot open {db!r} as an SQLite database: {exc}", param_hint="--db") from None
    receiver = WebhookReceiver(
        store=store, secret=secret, secret_in=secret_in, allowed_sources=allowed, max_body=max_body
    )
    for kind in KINDS:
        receiver.on(kind)(_printer(kind))
    receiver.on_unclassified(_printer(UNCLASSIFIED))
    logging.basicConfig(format="%(levelname)s:     %(message)s", level=logging.INFO)  # uvicorn's look, on stderr
    asyncio.run(receiver.retry_failed())  # events a stop cut off between storing and printing
    base = f"http://{host}:{port}"
    path = "/<secret>" if secret is not None and secret_in == "path" else ""
    query = "?secret=<secret>" if secret is not None and secret_in == "query" else ""
    logger.info(
        "give AIRudder one URL per webhook kind: %s, {kind} one of: %s (a body posted to %s is classified by "
        "its shape where the docs show one, and kept as %r otherwise)",
        f"{base}{path}/{{kind}}{query}",
        ", ".join(kinds()),
        f"{base}{path}{query}",
        UNCLASSIFIED,
    )
    serving = server(
        receiver.app,
        connection_timeout=connection_timeout,
        host=host,
        port=port,
        log_level="info",
        access_log=False,  # stdout: events only
    )
    serving.run()


def _printer(kind: str) -> Callable[[Any], None]:
    def show(event: Any) -> None:
        click.echo(json.dumps({"kind": kind, "event": event.to_dict()}))

    return show
