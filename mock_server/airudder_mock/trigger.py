"""`airudder-mock trigger KIND --to URL`: send one webhook of a kind, as `stripe trigger` does.

The payload is the one the simulation builds for that kind (simulation/samples.py), sent as the mock sends
webhooks (same headers, one attempt), and the answer is printed.
"""

from __future__ import annotations

import json

import click
import httpx

import airudder_spec

from .delivery import USER_AGENT, signature, target_for
from .simulation.samples import sample_payload


def known_kind(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value not in airudder_spec.webhook_schemas():
        raise click.BadParameter(f"{value!r} is not a webhook kind ({', '.join(airudder_spec.webhook_kinds())})")
    return value


@click.command(
    epilog="Kinds: " + ", ".join(airudder_spec.webhook_kinds()) + ". Exit codes: 0 the target answered 2xx; "
    "1 it answered something else or could not be reached; 2 bad usage (an unknown kind, a URL that is not "
    "http(s))."
)
@click.argument("kind", callback=known_kind)
@click.option("--to", "url", required=True, metavar="URL", help="Where to POST it; {kind} in it is replaced.")
@click.option("--workflow", "workflow_id", metavar="ID", help="The workflow_id the payload names.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the simulated run it comes from.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds.")
def trigger(kind: str, url: str, workflow_id: str | None, seed: int, timeout: float) -> None:
    """Send one webhook of KIND to URL and print the payload sent and the answer."""
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--to")
    target = target_for(url, kind)
    body = json.dumps(sample_payload(kind, workflow_id, seed))
    click.echo(f"POST {target} ({kind})\n{body}")
    try:
        answer = httpx.post(
            target,
            content=body,
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json", **signature(kind, body)},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        click.echo(f"error: {type(exc).__name__}: {exc or 'no answer'}", err=True)
        raise SystemExit(1) from None
    click.echo(f"{answer.status_code} {answer.reason_phrase}\n{answer.text}")
    if not answer.is_success:
        raise SystemExit(1)
