"""`airudder-mock serve`: run the mock server in the foreground."""

from __future__ import annotations

import sqlite3

import click

import airudder_spec
from airudder import __version__
from airudder.serving import bound_socket, server

from .clock import check_speed
from .config import MockConfig
from .delivery import ANY_KIND
from .faults import Fault, FaultError
from .server import MockServer, pumping


@click.group()
@click.version_option(__version__, "--version", prog_name="airudder-mock (airudder-workflow)")
def main() -> None:
    """A stateful local AIRudder Workflow API, for development and tests."""


def valid_speed(ctx: click.Context, param: click.Parameter, value: float) -> float:
    try:
        check_speed(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@main.command(
    epilog="The admin API is under /_mock/: POST /_mock/reset, GET|POST /_mock/clock, GET|POST /_mock/templates, "
    "POST /_mock/credentials, POST /_mock/workflows/{id}/contacts|stop|cancel, GET|PUT /_mock/webhooks/targets, "
    "GET /_mock/webhooks/deliveries, GET|PUT|DELETE /_mock/faults, GET /_mock/recordings/{call_id}.wav, "
    "GET /_mock/state. Errors name the field at fault."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free)."
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    help="SQLite file holding the state (workflows, calls, queued events and webhooks, the clock), so it survives "
    "restarts. Default: in memory, gone when the server stops.",
)
@click.option(
    "--speed",
    default=1.0,
    show_default=True,
    type=float,
    callback=valid_speed,
    help="Mock seconds per real second. 0 stops time: it then moves only through POST /_mock/clock "
    '{"advance": seconds}, and webhooks go out only during admin calls (clock, stop, cancel, contacts).',
)
@click.option(
    "--seed", default=0, show_default=True, type=int, help="Seed of ids, call outcomes and fault draws (replayable)."
)
@click.option(
    "--credentials",
    "credentials",
    multiple=True,
    metavar="KEY:SECRET",
    help="An APPKey/APPSecret pair that POST /service/cloud/auth accepts (repeatable). "
    "Default: mock-app-key:mock-app-secret.",
)
@click.option(
    "--contacts-per-workflow",
    default=3,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Synthetic contacts each new workflow gets (add your own with POST /_mock/workflows/{id}/contacts).",
)
@click.option(
    "--webhook-url",
    "webhook_urls",
    multiple=True,
    metavar="[KIND=]URL",
    help="Where to POST webhooks: KIND=URL for one webhook kind of the spec (e.g. call_completed=http://...), "
    "a bare URL for every kind (repeatable). Per workflow: PUT /_mock/webhooks/targets.",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="OPERATION:key=value,...",
    help="Inject faults into one operation (by operationId), e.g. "
    "list_workflow_tasks:status=429,retry_after=2,rate=0.3. Keys: rate (0-1, default 1), latency_ms, "
    "status (429, 500, 502, 503, 504), retry_after (seconds), drop (true: close the connection unanswered). "
    "Repeatable.",
)
def serve(
    host: str,
    port: int,
    db: str | None,
    speed: float,
    seed: int,
    credentials: tuple[str, ...],
    contacts_per_workflow: int,
    webhook_urls: tuple[str, ...],
    faults: tuple[str, ...],
) -> None:
    """Serve a mock AIRudder until interrupted: every operation of the AIRudder Workflow spec this package
    ships, requests and answers validated against it."""
    config = MockConfig(seed=seed, speed=speed, db=db, contacts_per_workflow=contacts_per_workflow)
    if credentials:
        pairs = [c.partition(":") for c in credentials]
        if any(not key or not secret for key, _, secret in pairs):
            raise click.BadParameter("use KEY:SECRET", param_hint="--credentials")
        config.credentials = {key: secret for key, _, secret in pairs}
    for item in webhook_urls:
        kind, url = parse_webhook_url(item)
        config.webhook_urls[kind] = url
    parsed = []
    for text in faults:
        try:
            parsed.append(Fault.parse(text))
        except FaultError as exc:
            raise click.BadParameter(f"{text}: {exc}", param_hint="--fault") from None
        if parsed[-1][0] not in airudder_spec.operations():
            known = ", ".join(sorted(airudder_spec.operations()))
            raise click.BadParameter(f"{text}: {parsed[-1][0]!r} is not an operationId ({known})", param_hint="--fault")
    try:
        mock = MockServer(config)
    except sqlite3.Error as exc:
        raise click.BadParameter(f"{db}: {exc}", param_hint="--db") from None
    try:
        for operation_id, fault in parsed:
            mock.faults.set(operation_id, fault)
        with bound_socket(host, port) as sock:
            mock.public_url = f"http://{host}:{sock.getsockname()[1]}"
            click.echo(f"airudder-mock on {mock.public_url} (admin API under /_mock/)")
            with pumping(mock):
                server(mock.app, log_level="info").run(sockets=[sock])
    finally:
        mock.close()


def parse_webhook_url(item: str) -> tuple[str, str]:
    """`KIND=URL` or `URL` (every kind); a `=` inside the URL's query does not count as `KIND=`."""
    kind, url = ANY_KIND, item
    if not item.startswith(("http://", "https://")):
        kind, _, url = item.partition("=")
        if kind not in airudder_spec.webhook_schemas():
            known = ", ".join(sorted(airudder_spec.webhook_schemas()))
            raise click.BadParameter(f"{item}: {kind!r} is not a webhook kind ({known})", param_hint="--webhook-url")
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{item}: the URL must start with http:// or https://", param_hint="--webhook-url")
    return kind, url
