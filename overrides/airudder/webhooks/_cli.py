"""`python -m airudder.webhooks`: a standalone receiver that stores every event and prints it as a JSON line, and
workers that handle stored events apart from the receivers.

AIRUDDER_WEBHOOK_SECRET=... python -m airudder.webhooks --port 8080 --db hooks.sqlite3 [--allow 203.0.113.0/24]
python -m airudder.webhooks serve --no-handle --db postgresql://db.internal/app ...     # on each receiver host
python -m airudder.webhooks worker --db postgresql://db.internal/app --handlers app.hooks  # as many as you like

stdout carries events only, one JSON line each (`{"kind": ..., "event": ...}`, `unclassified` ones included);
the log (refusals, unclassified events, failing handlers, closed connections) goes to stderr. On start it first
prints the events stored but not yet printed (the process stopped between the two), those a crash cut off
mid-handler included.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
import signal
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click

from .._version import __version__
from ..serving import CONNECTION_TIMEOUT, FORWARDED_VARIABLE, server
from ._cli_events import add_commands
from ._cli_options import duration, open_store, store_options
from ._kinds import KINDS
from ._logs import configure, log_format_option
from ._metrics import Metrics
from ._parse import UNCLASSIFIED, kinds
from ._receiver import MAX_BODY, WebhookReceiver
from ._spool import ADD_TIMEOUT, SpoolingStore
from ._worker import HEARTBEAT, MAX_ATTEMPTS, MAX_RETRY_DELAY, RECLAIM_AFTER, RETRY_AFTER, Worker, load_handlers

SECRET_VARIABLE = "AIRUDDER_WEBHOOKS_SECRET"
OLD_SECRET_VARIABLE = "AIRUDDER_WEBHOOK_SECRET"
"""The secret's variable before every variable took the AIRUDDER_WEBHOOKS_ prefix: still read, with a warning."""
logger = logging.getLogger("airudder.webhooks")


class _ServeByDefault(click.Group):
    """Arguments that name no command go to `serve`: the single-process receiver stays the default."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=_ServeByDefault,
    # every option also from the environment: AIRUDDER_WEBHOOKS_<COMMAND>_<OPTION> (AIRUDDER_WEBHOOKS_WORKER_
    # MAX_ATTEMPTS=5), and the shared ones by their own name (AIRUDDER_WEBHOOKS_DB, _SCHEMA, _SECRET, _SPOOL, ...)
    context_settings={"auto_envvar_prefix": "AIRUDDER_WEBHOOKS"},
    epilog="Exit codes: 2 a bad option, a --handlers that cannot be loaded or a --db that cannot be opened; 3 the "
    "server cannot start (the port is taken); stopped by SIGTERM or Ctrl-C, `serve` exits by that signal (as "
    "uvicorn does) and `worker` with 0. See each command's --help.",
)
@click.version_option(__version__, "--version", prog_name="python -m airudder.webhooks (airudder-workflow)")
def main() -> None:
    """Receive AIRudder's webhooks (`serve`, the default) and handle them apart from the receivers (`worker`).

    One process: `serve` stores, acknowledges and prints each event. Several hosts: `serve --no-handle` on each
    receiver host and any number of `worker` processes, all on one PostgreSQL --db.

    The secret comes from --secret-file, $AIRUDDER_WEBHOOK_SECRET or --secret: on the command line it is visible to
    every local user (ps, /proc), so prefer the file or the variable.
    """


def _networks(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            ipaddress.ip_network(value)
        except ValueError as exc:
            raise click.BadParameter(f"{exc} (give an address or a network like 203.0.113.0/24)") from None
    return values


def _secret(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    source = ctx.get_parameter_source(param.name or "secret")
    if source == click.core.ParameterSource.ENVIRONMENT and SECRET_VARIABLE not in os.environ:
        click.echo(f"warning: ${OLD_SECRET_VARIABLE} is deprecated: name it ${SECRET_VARIABLE}", err=True)
    if value is not None and not value:
        raise click.BadParameter(f"must not be empty (leave --secret and ${SECRET_VARIABLE} out for no secret)")
    return value


def _secret_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> list[str] | None:
    """The file's secrets, one a line (each line's surrounding whitespace dropped, blank lines skipped): every one
    is accepted, so a secret is rotated with no downtime (add the new line, move AIRudder to it, drop the old)."""
    if value is None:
        return None
    try:
        secrets = [line.strip() for line in value.read_text().splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {str(value)!r}: {exc}") from None
    if not secrets:
        raise click.BadParameter(f"{str(value)!r} is empty")
    if value.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        click.echo(f"warning: {value} can be read by other users (chmod 600 it)", err=True)
    return secrets


@main.command(
    epilog=f"Exit codes: 2 for bad options or a --db that cannot be opened; 3 when the server cannot start (the "
    f"port is taken); on Ctrl-C or SIGTERM it stops after the requests in flight and exits by that signal, as "
    f"uvicorn does. The secret: from --secret-file, ${SECRET_VARIABLE} or --secret, one of them; on the command "
    f"line it is visible to every local user (ps, /proc), so prefer the file or the variable."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@store_options
@click.option(
    "--secret",
    envvar=[SECRET_VARIABLE, OLD_SECRET_VARIABLE],
    callback=_secret,
    help=f"Shared secret: AIRudder posts to /<secret>/<kind> (or /<kind>?secret=...). Also read from "
    f"${SECRET_VARIABLE} (${OLD_SECRET_VARIABLE}, its old name, still works, with a warning). Given here it is "
    "visible to every local user: prefer the variable or --secret-file.",
)
@click.option(
    "--secret-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_secret_file,
    help="Read the secret from this file; several, one a line, are all accepted (rotation with no downtime: add "
    "the new one, move AIRudder to it, then drop the old). Keep it chmod 600.",
)
@click.option("--secret-in", type=click.Choice(["path", "query"]), default="path", show_default=True)
@click.option(
    "--allow",
    "allow",
    multiple=True,
    metavar="NETWORK",
    callback=_networks,
    help="Source networks allowed (repeatable).",
)
@click.option(
    "--forwarded-allow-ips",
    envvar=FORWARDED_VARIABLE,
    default="",
    metavar="ADDRESSES",
    help=f"Proxies (addresses or networks, comma-separated; * for any) whose X-Forwarded-For is trusted: --allow "
    f"and the log then see the sender it names. Also from ${FORWARDED_VARIABLE}. Default: none, so they see the "
    f"socket's peer (a local process cannot pose as an allowed source).",
)
@click.option("--max-body", default=MAX_BODY, show_default=True, type=click.IntRange(min=1), help="Bytes.")
@click.option(
    "--connection-timeout",
    default=CONNECTION_TIMEOUT,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a connection may stay idle, or take to send one whole request, before it is closed.",
)
@click.option(
    "--no-handle",
    is_flag=True,
    help="Only validate, store and acknowledge: `worker` processes handle (and print nothing here).",
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
@click.option(
    "--spool",
    envvar="AIRUDDER_WEBHOOKS_SPOOL",
    type=click.Path(dir_okay=False),
    help="With a postgresql:// --db and --no-handle: a local SQLite file (in the receiver's data folder, one per "
    "receiver) that keeps deliveries while the database is away, drained into it in order and deduped when it is "
    "back; the database is then opened in the background, with backoff, so `serve` starts while it is down "
    "(/readyz failing until it is reached). Without it, deliveries are refused (503) while the database is away.",
)
@log_format_option
@click.option(
    "--drift-report",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also report what each body shows against the spec (fields it does not name, missing or mistyped "
    "fields, unknown kinds) in this directory: drift.md and drift.json, merged with what it holds.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    db: str,
    schema: str,
    no_migrate: bool,
    secret: str | None,
    secret_file: list[str] | None,
    secret_in: Literal["path", "query"],
    allow: tuple[str, ...],
    forwarded_allow_ips: str,
    max_body: int,
    connection_timeout: float,
    no_handle: bool,
    reclaim_after: float,
    spool: str | None,
    log_format: str,
    drift_report: Path | None,
) -> None:
    """Receive AIRudder's webhooks and print each event once, as a JSON line (the default command)."""
    if secret is not None and secret_file is not None:
        given = "--secret" if ctx.get_parameter_source("secret") == click.core.ParameterSource.COMMANDLINE else None
        raise click.UsageError(f"give the secret one way: --secret-file, or {given or '$' + SECRET_VARIABLE}")
    secrets = secret_file or ([secret] if secret is not None else [])
    if secret_in == "query" and not secrets:
        raise click.UsageError(f"--secret-in query needs a secret (--secret-file, ${SECRET_VARIABLE} or --secret)")
    if secret_in == "path" and any("/" in s for s in secrets):
        raise click.UsageError("a secret in the URL path must not contain '/' (or use --secret-in query)")
    secret = secrets[0] if secrets else None
    if spool is not None and not (db.startswith(("postgresql://", "postgres://")) and no_handle):
        raise click.UsageError("--spool is for a receive-only receiver (--no-handle) on a postgresql:// --db")
    configure(log_format)
    if spool is not None:
        # the database is opened in the background, with backoff: started while it is down, this serves at once
        # (/readyz failing until it is reached) and keeps deliveries in the spool
        store: Any = SpoolingStore(lambda: open_store(db, schema, not no_migrate, wait_timeout=ADD_TIMEOUT), spool)
    else:  # with PostgreSQL: a delivery waits at most this long for a connection, then is answered 503
        store = open_store(db, schema, not no_migrate, wait_timeout=2 * ADD_TIMEOUT)
    receiver = WebhookReceiver(
        store=store,
        secret=secret,
        also_accept=secrets[1:],
        secret_in=secret_in,
        allowed_sources=allow,
        max_body=max_body,
        drift_report=drift_report,
    )
    if not no_handle:
        for kind in KINDS:
            receiver.on(kind)(_printer(kind))
        receiver.on_unclassified(_printer(UNCLASSIFIED))
        # events a stop cut off between storing and printing, and those a crash cut off mid-handler
        asyncio.run(receiver.retry_failed(interrupted_after=reclaim_after))
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
        forwarded_allow_ips=forwarded_allow_ips or None,
        host=host,
        port=port,
        log_level="info",
        log_config=None,  # uvicorn's lines go through `configure`'s handler
        access_log=False,  # stdout: events only
    )

    def dying() -> None:  # of SIGTERM: no exit handlers run, so the report is closed and the log written here
        receiver.close_drift_report()
        logging.shutdown()

    _before_dying_of(signal.SIGTERM, dying)
    try:
        serving.run()
    finally:
        receiver.close_drift_report()


@main.command(
    epilog="Exit codes: 0 stopped by SIGTERM or Ctrl-C (the events in hand finished first); 2 a bad option, a "
    "--handlers that cannot be loaded or a --db that cannot be opened."
)
@store_options
@click.option(
    "--handlers",
    "handlers",
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
@click.option(
    "--max-attempts",
    default=MAX_ATTEMPTS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Attempts at a failing event (each wait twice the one before, from --retry-after up to --max-retry-delay) "
    "before it is dead: logged once at ERROR, counted, and left for `events retry`.",
)
@click.option(
    "--max-retry-delay", default=MAX_RETRY_DELAY, show_default=True, type=click.FloatRange(min=0), metavar="SECONDS"
)
@click.option(
    "--retention",
    callback=duration,
    help="Prune events handled longer ago than this (30d, 12h, ...), every 10 minutes, in small batches; never one "
    "inside the dedupe window. Default: keep them (see `prune`).",
)
@click.option(
    "--heartbeat",
    default=HEARTBEAT,
    show_default=True,
    type=click.FloatRange(min=0.01),
    metavar="SECONDS",
    help="Seconds between heartbeats in the store (`stats` shows them) and schema re-checks.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    help="Serve this worker's Prometheus metrics at http://--metrics-host:PORT/metrics. Default: none.",
)
@click.option("--metrics-host", default="127.0.0.1", show_default=True)
@log_format_option
def worker(
    db: str,
    schema: str,
    no_migrate: bool,
    handlers: str,
    concurrency: int,
    reclaim_after: float,
    retry_after: float,
    poll: float,
    max_attempts: int,
    max_retry_delay: float,
    retention: float | None,
    heartbeat: float,
    metrics_port: int | None,
    metrics_host: str,
    log_format: str,
) -> None:
    """Handle stored events with the handlers of your module, apart from the receivers.

    Start any number, on any hosts, on one PostgreSQL --db: each event is handled by one of them.
    """
    sys.path.insert(0, "")  # `--handlers app.hooks` finds the module in the current directory, as `python -m` does
    try:
        loaded = load_handlers(handlers)
    except LookupError as exc:
        raise click.BadParameter(str(exc), param_hint="--handlers") from None
    store = open_store(db, schema, not no_migrate)
    configure(log_format)
    logger.info("worker: handling %s", ", ".join(sorted(loaded)))
    metrics = Metrics(store)
    runner = Worker(
        store,
        loaded,
        concurrency=concurrency,
        reclaim_after=reclaim_after,
        retry_after=retry_after,
        poll=poll,
        max_attempts=max_attempts,
        max_retry_delay=max_retry_delay,
        retention=retention,
        heartbeat=heartbeat,
        metrics=metrics,
    )
    if metrics_port is not None:
        from prometheus_client import start_http_server

        try:
            start_http_server(metrics_port, addr=metrics_host, registry=metrics.registry)
        except OSError as exc:
            raise click.BadParameter(f"cannot listen on {metrics_host}:{metrics_port}: {exc}") from None
        logger.info("worker: metrics at http://%s:%d/metrics", metrics_host, metrics_port)

    async def run() -> None:
        stop = asyncio.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(number, stop.set)
        await runner.run(stop)

    asyncio.run(run())


def _before_dying_of(number: signal.Signals, then: Callable[[], None]) -> None:
    """Run `then` when signal `number` ends the process: uvicorn stops serving on it, then raises it again (to
    exit by it), which this handler takes, runs `then`, and dies of, as before."""

    def handler(signum: int, frame: Any) -> None:
        then()
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(number)

    signal.signal(number, handler)


def _printer(kind: str) -> Callable[[Any], None]:
    def show(event: Any) -> None:
        click.echo(json.dumps({"kind": kind, "event": event.to_dict()}))

    return show


add_commands(main)
