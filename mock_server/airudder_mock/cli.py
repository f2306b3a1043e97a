"""`airudder-mock`: `serve` runs the mock server in the foreground (with a request and delivery log on the
console); `trigger` sends one webhook of a kind to a URL (trigger.py)."""

from __future__ import annotations

import ipaddress
import sqlite3
from contextlib import ExitStack
from pathlib import Path

import click

import airudder_spec
from airudder.serving import bound_socket, server

from . import console
from .clock import check_speed
from .config import MAX_BODY, MockConfig
from .delivery import ANY_KIND
from .errors import BadInput
from .faults import Fault, FaultError
from .masking import masked
from .proxy.command import proxy
from .proxy.replay import Replaying
from .server import MockServer, pumping
from .trigger import trigger
from .version import __version__

ADMIN_TOKEN_VARIABLE = "AIRUDDER_MOCK_ADMIN_TOKEN"


@click.group(
    epilog="Exit codes: 0 success; 1 the command failed (see its --help); 2 bad usage (an unknown option, kind "
    "or value)."
)
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
    "GET /_mock/webhooks/deliveries, GET|PUT|DELETE /_mock/faults, GET|PUT /_mock/scenario, "
    "GET /_mock/recordings/{call_id}.wav, "
    "GET /_mock/state. Errors name the field at fault. The console shows a line per request (method, path, "
    "status, ms, the first field at fault when refused; --quiet: none) and a line per webhook delivery attempt "
    "(kind, URL, status, attempt; refused ones as warnings). Exit codes: 0 stopped by Ctrl-C or SIGTERM; 1 the "
    "server could not start (the port is taken); 2 bad usage (an unknown option, kind or operation, a --db file "
    "that cannot be opened, a --host beyond loopback with neither --admin-token nor --insecure-admin)."
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
@click.option("--seed", type=int, help="Seed of ids, outcomes and fault draws (the same seed replays). Default: fresh.")
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
    "a bare URL for every kind that has no URL of its own (repeatable). {kind} in a URL is replaced by each "
    "webhook's kind: http://127.0.0.1:8080/SECRET/{kind} pairs with `python -m airudder.webhooks`. Per "
    "workflow: PUT /_mock/webhooks/targets.",
)
@click.option(
    "--forward-to",
    metavar="URL",
    help="Send every webhook of the mock to your app at URL ({kind} in it is replaced by the kind), as `stripe "
    "listen --forward-to` does. Not with --webhook-url.",
)
@click.option(
    "--auto-finish",
    default=2,
    show_default=True,
    type=int,
    help="A new workflow's auto_finish when its create request leaves it out: 1 finishes it once every contact "
    "is done, any other value runs it to its end_time (2 is AIRudder's documented default).",
)
@click.option(
    "--scenario",
    type=click.Path(exists=True, dir_okay=False),
    help="A scenario file (YAML/JSON, spec/mock-admin.yaml's Scenario): scripted outcomes, webhook and API faults.",
)
@click.option("--quiet", is_flag=True, help="No request log (webhook deliveries are still shown).")
@click.option(
    "--connection-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a connection may sit idle, or take to send one whole request, before it is closed.",
)
@click.option(
    "--max-body",
    default=MAX_BODY,
    show_default=True,
    type=click.IntRange(min=1),
    help="Bytes of a request body; a larger one is refused with 413 as it streams in, not read whole.",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="OPERATION:key=value,...",
    help="Inject faults into one operation (by operationId), e.g. "
    "list_workflow_tasks:status=429,retry_after=2,rate=0.3. Keys: rate (0-1, default 1), latency_ms, "
    "status (429, 500, 502, 503, 504), retry_after (seconds), drop (true: close the connection unanswered), "
    "phase (before: the call is never processed, the default; after: it runs and commits, then its answer is "
    "lost: create_workflow_task:phase=after,drop=true). Repeatable. Draws are seeded by --seed once: "
    "POST /_mock/reset does not reseed them.",
)
@click.option(
    "--admin-token",
    envvar=ADMIN_TOKEN_VARIABLE,
    metavar="TOKEN",
    help=f"Require this token on the admin API (/_mock/, but for the recordings), as `Authorization: Bearer "
    f"TOKEN`. Also from ${ADMIN_TOKEN_VARIABLE} (kept out of `ps`: prefer it). Needed with a --host other than "
    f"loopback.",
)
@click.option(
    "--insecure-admin",
    is_flag=True,
    help="Serve a --host other than loopback with no --admin-token: anyone who reaches the port can add "
    "credentials, inject faults and read the state.",
)
@click.option(
    "--replay",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Answer the requests recorded here (`airudder-mock proxy --record DIR`) with their recorded answers, "
    "matched by operation, query and body; anything else goes to the simulation.",
)
def serve(
    host: str,
    port: int,
    db: str | None,
    speed: float,
    seed: int | None,
    credentials: tuple[str, ...],
    contacts_per_workflow: int,
    webhook_urls: tuple[str, ...],
    faults: tuple[str, ...],
    forward_to: str | None,
    auto_finish: int,
    scenario: str | None,
    quiet: bool,
    connection_timeout: float,
    max_body: int,
    admin_token: str | None,
    insecure_admin: bool,
    replay: Path | None,
) -> None:
    """Serve a mock AIRudder until interrupted: every operation of the AIRudder Workflow spec this package
    ships, requests and answers validated against it."""
    if admin_token is not None and not admin_token.strip():
        raise click.BadParameter("must not be empty", param_hint="--admin-token")
    if admin_token is None and not insecure_admin and not loopback(host):
        raise click.UsageError(
            f"--host {host} serves the admin API (/_mock/) beyond this machine: give --admin-token (or "
            f"${ADMIN_TOKEN_VARIABLE}), or --insecure-admin to serve it open to anyone who reaches the port"
        )
    console.show(quiet=quiet)
    config = MockConfig(
        seed=seed, speed=speed, db=db, contacts_per_workflow=contacts_per_workflow, auto_finish=auto_finish
    )
    config.connection_timeout, config.max_body = connection_timeout, max_body
    config.scenario = scenario
    config.admin_token = admin_token.strip() if admin_token else None
    if credentials:
        pairs = [c.partition(":") for c in credentials]
        if any(not key or not secret for key, _, secret in pairs):
            raise click.BadParameter("use KEY:SECRET", param_hint="--credentials")
        config.credentials = {key: secret for key, _, secret in pairs}
    if forward_to and webhook_urls:
        raise click.UsageError("give --forward-to or --webhook-url, not both")
    for item in webhook_urls if not forward_to else (forward_to,):
        kind, url = parse_webhook_url(item)
        config.webhook_urls[kind] = url
    parsed = [parse_fault(text) for text in faults]
    mock = mock_server(config)
    try:
        for operation_id, fault in parsed:
            mock.faults.set(operation_id, fault)
        run(mock, host, port, replay)
    finally:
        mock.close()


def mock_server(config: MockConfig) -> MockServer:
    """The server of `config`; a usage error naming the option when its --db or --scenario file will not do."""
    try:
        return MockServer(config)
    except sqlite3.Error as exc:
        raise click.BadParameter(f"{config.db}: {exc}", param_hint="--db") from None
    except BadInput as exc:  # the scenario file
        problem = exc.problems[0]
        message = f"{config.scenario}: {problem['field']}: {problem['message']}"
        raise click.BadParameter(message, param_hint="--scenario") from None


def run(mock: MockServer, host: str, port: int, replay: Path | None = None) -> None:
    """Serve `mock` in the foreground until Ctrl-C or SIGTERM; exit 1 when the port cannot be had. `replay`: a
    directory of cassettes answered first (see `proxy.replay`)."""
    app = mock.app if replay is None else Replaying(mock.app, replay)
    with ExitStack() as stack:
        try:
            sock = stack.enter_context(bound_socket(host, port))
        except OSError as exc:
            click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
            raise SystemExit(1) from None
        mock.public_url = f"http://{host}:{sock.getsockname()[1]}"
        access = "its token required" if mock.config.admin_token else "open: no --admin-token"
        click.echo(f"airudder-mock on {mock.public_url} (admin API under /_mock/, {access})")
        if not mock.config.admin_token and not loopback(host):
            click.echo(f"warning: the admin API is open to anyone who reaches {host}:{port}", err=True)
        click.echo(f"seed {mock.seed} (--seed {mock.seed} replays this run's ids and history)")
        for kind, url in sorted(mock.config.webhook_urls.items()):
            click.echo(f"webhooks ({'every kind' if kind == ANY_KIND else kind}) -> {masked(url)}")
        if isinstance(app, Replaying):
            click.echo(f"replaying {len(app)} recorded exchange(s) from {replay}")
        with pumping(mock):
            server(app, log_level="info", connection_timeout=mock.config.connection_timeout).run(sockets=[sock])


def loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only (`127.0.0.1`, `::1`, `localhost`)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def parse_fault(text: str) -> tuple[str, Fault]:
    try:
        operation_id, fault = Fault.parse(text)
    except FaultError as exc:
        raise click.BadParameter(f"{text}: {exc}", param_hint="--fault") from None
    if operation_id not in airudder_spec.operations():
        known = ", ".join(sorted(airudder_spec.operations()))
        raise click.BadParameter(f"{text}: {operation_id!r} is not an operationId ({known})", param_hint="--fault")
    return operation_id, fault


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


main.add_command(trigger)
main.add_command(proxy)
