"""`airudder-mock serve`: run the mock server in the foreground."""

from __future__ import annotations

import click
import uvicorn

from .config import MockConfig
from .faults import Fault
from .server import MockServer, bound_socket, pumping


@click.group()
def main() -> None:
    """A stateful local AIRudder Workflow API, for development and tests."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option(
    "--db", type=click.Path(dir_okay=False), help="SQLite file (state survives restarts); in memory if unset."
)
@click.option(
    "--speed", default=1.0, show_default=True, type=float, help="Mock seconds per real second (0 stops time)."
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of ids and call outcomes.")
@click.option(
    "--credentials",
    "credentials",
    multiple=True,
    metavar="KEY:SECRET",
    help="An APPKey/APPSecret pair (repeatable). Default: mock-app-key:mock-app-secret.",
)
@click.option("--contacts-per-workflow", default=3, show_default=True, type=int)
@click.option(
    "--webhook-url",
    "webhook_urls",
    multiple=True,
    metavar="[KIND=]URL",
    help="Where to POST webhooks: one kind, or every kind without KIND= (repeatable).",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="OPERATION:key=value,...",
    help="e.g. list_workflow_tasks:status=429,retry_after=2,rate=0.3 (keys: rate, latency_ms, status, "
    "retry_after, drop).",
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
    """Serve the mock until interrupted."""
    config = MockConfig(seed=seed, speed=speed, db=db, contacts_per_workflow=contacts_per_workflow)
    if credentials:
        pairs = [c.partition(":") for c in credentials]
        if any(not key or not secret for key, _, secret in pairs):
            raise click.BadParameter("use KEY:SECRET", param_hint="--credentials")
        config.credentials = {key: secret for key, _, secret in pairs}
    for item in webhook_urls:
        kind, _, url = item.rpartition("=") if "=" in item.split("://")[0] else ("*", "", item)
        config.webhook_urls[kind] = url
    mock = MockServer(config)
    for text in faults:
        try:
            operation_id, fault = Fault.parse(text)
            mock.faults.set(operation_id, fault)
        except (KeyError, TypeError, ValueError) as exc:
            raise click.BadParameter(f"{text}: {exc}", param_hint="--fault") from None
    with bound_socket(host, port) as sock:
        mock.simulation.public_url = f"http://{host}:{sock.getsockname()[1]}"
        click.echo(f"airudder-mock on {mock.simulation.public_url} (admin API under /_mock/)")
        with pumping(mock):
            uvicorn.Server(uvicorn.Config(mock.app, log_level="info", lifespan="off", access_log=False)).run(
                sockets=[sock]
            )
    mock.close()
