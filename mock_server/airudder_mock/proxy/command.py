"""`airudder-mock proxy`: the validating, recording proxy in the foreground."""

from __future__ import annotations

import logging
import signal
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from airudder.serving import bound_socket, server

from .. import console
from .forward import TIMEOUT
from .redact import RedactionRules
from .running import build
from .upstream import UnsafeUpstream, check_upstream


def _upstream(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        check_upstream(value)
    except UnsafeUpstream as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _rules(ctx: click.Context, param: click.Parameter, value: Path | None) -> RedactionRules | None:
    if value is None:
        return None
    try:
        return RedactionRules.load(value)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{value}: {exc}") from None


@click.command(
    epilog="Point your app's AIRUDDER_BASE_URL at the proxy. Every request goes to --upstream as it came (auth, "
    "body, streaming) and every answer comes back as it came; a copy of each is held against the spec, after the "
    "answer, and never blocks it. An upstream that is down, too slow or breaks HTTP gets your app a 502/504 in "
    "the error envelope, marked `x-airudder-proxy: upstream-failure`. The drift report (--report: drift.md and "
    "drift.json) is merged into what the directory holds, every few seconds and on exit. Exit codes: 0 stopped "
    "by Ctrl-C or SIGTERM; 1 the port cannot be had; 2 bad usage (a plain-http upstream that is not loopback)."
)
@click.option(
    "--upstream",
    required=True,
    callback=_upstream,
    envvar="AIRUDDER_PROXY_UPSTREAM",
    help="AIRudder's base URL (https://...; plain http only to a loopback address, such as a local airudder-mock).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8766, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option(
    "--report",
    "report_dir",
    default="airudder-drift",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the drift report (kept across restarts, shared with other proxies and receivers).",
)
@click.option(
    "--record",
    "record_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each exchange as a redacted cassette here (files 0600), for `airudder-mock serve --replay`.",
)
@click.option(
    "--redact-rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_rules,
    help="A JSON file of redaction rules added to the defaults (see airudder_mock.proxy.redact).",
)
@click.option(
    "--timeout",
    default=TIMEOUT,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds the upstream gets to connect, and between bytes of its answer, before the app gets a 504.",
)
@click.option("--quiet", is_flag=True, help="No line per exchange (failures are still shown).")
def proxy(
    upstream: str,
    host: str,
    port: int,
    report_dir: Path,
    record_dir: Path | None,
    redact_rules: RedactionRules | None,
    timeout: float,
    quiet: bool,
) -> None:
    """Forward an app's traffic to AIRudder unchanged, and learn from it: a drift report against the spec and,
    with --record, redacted cassettes."""
    console.show(quiet=quiet)
    # httpx logs each URL it calls, query included (a phone number in a query): never on the proxy's console
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if quiet:
        logging.getLogger("airudder_mock.proxy").setLevel(logging.WARNING)
    built = build(upstream, report_dir, record_dir, redact_rules, timeout)
    # the observer thread validates and records while the event loop waits for the upstream; when the answer
    # comes, the loop gets the GIL back within 1 ms rather than Python's default 5 ms
    sys.setswitchinterval(0.001)
    with ExitStack() as stack:
        try:
            sock = stack.enter_context(bound_socket(host, port))
        except OSError as exc:
            click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
            raise SystemExit(1) from None
        url = f"http://{host}:{sock.getsockname()[1]}"
        click.echo(f"airudder-mock proxy on {url} -> {built.upstream} (drift report: {report_dir / 'drift.md'})")
        if record_dir is not None:
            click.echo(f"recording redacted cassettes in {record_dir}")
        # uvicorn stops on SIGTERM, then raises it again: end by SystemExit instead, so the report is written
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
        try:
            server(built, log_level="warning").run(sockets=[sock])
        finally:
            built.observer.close()
            click.echo(f"drift report written: {report_dir / 'drift.md'}")
