"""Check a webhook receiver: valid payloads must get a 2xx, invalid ones a 4xx, and nothing a 5xx.

Usage: `airudder-contract --webhooks-to URL` (or `python -m airudder_contract.webhook_check URL`). The URL
may hold `{kind}`, replaced by each webhook name (`workflow_status_changed`, ...), for receivers with one URL
per kind; without it every payload goes to the same URL. Valid payloads are the doc examples and payloads
generated from each webhook's schema; invalid ones are generated against the schema, plus malformed bodies
(empty, not JSON, truncated, not an object). The valid ones look like real events: use a test deployment.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import httpx
from schemathesis import GenerationMode

from .webhook_cases import doc_examples, generated, kinds

MALFORMED: dict[str, bytes] = {
    "empty body": b"",
    "not JSON": b"this is not json",
    "truncated JSON": b'{"workflow_id": ',
    "a JSON array": b"[]",
    "a JSON string": b'"finished"',
}


@dataclass(frozen=True)
class Outcome:
    """One POST to the receiver and what came of it."""

    kind: str
    case: str
    expected: str  # "2xx" or "4xx"
    status: int | None
    error: str | None = None

    @property
    def passed(self) -> bool:
        if self.status is None:
            return False
        return 200 <= self.status < 300 if self.expected == "2xx" else 400 <= self.status < 500


def cases(kind: str, per_kind: int) -> list[tuple[str, str, bytes]]:
    """(case label, expected class, body) for one webhook kind."""
    valid = [("doc example", v) for v in doc_examples(kind)]
    valid += [
        (f"generated valid #{i + 1}", v) for i, v in enumerate(generated(kind, GenerationMode.POSITIVE, per_kind))
    ]
    invalid = [
        (f"generated invalid #{i + 1}", v) for i, v in enumerate(generated(kind, GenerationMode.NEGATIVE, per_kind))
    ]
    found = [(label, "2xx", encode(body)) for label, body in valid]
    found += [(label, "4xx", encode(body)) for label, body in invalid]
    found += [(label, "4xx", body) for label, body in MALFORMED.items()]
    return found


def encode(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def check_receiver(url: str, per_kind: int = 5, timeout: float = 10.0) -> list[Outcome]:
    """POST every case of every webhook kind to the receiver at `url` and record each answer."""
    outcomes: list[Outcome] = []
    headers = {"Content-Type": "application/json", "User-Agent": "Airudder"}
    with httpx.Client(timeout=timeout) as client:
        for kind in kinds():
            target = url.replace("{kind}", kind)
            for label, expected, body in cases(kind, per_kind):
                try:
                    status: int | None = client.post(target, content=body, headers=headers).status_code
                    error = None
                except httpx.HTTPError as exc:
                    status, error = None, f"{type(exc).__name__}: {exc}"
                outcomes.append(Outcome(kind, label, expected, status, error))
    return outcomes


def passed(outcomes: list[Outcome]) -> bool:
    """The receiver passes when every case was sent and answered as expected (no case sent is no pass)."""
    return bool(outcomes) and all(o.passed for o in outcomes)


def report(outcomes: list[Outcome], url: str) -> str:
    """A Markdown report: a summary per kind, then every failed case."""
    lines = [f"# Webhook receiver check: {url}", "", "| webhook | passed | failed |", "|---|---|---|"]
    for kind in dict.fromkeys(o.kind for o in outcomes):
        mine = [o for o in outcomes if o.kind == kind]
        lines.append(f"| {kind} | {sum(o.passed for o in mine)} | {sum(not o.passed for o in mine)} |")
    failed = [o for o in outcomes if not o.passed]
    lines += ["", f"{len(outcomes) - len(failed)} passed, {len(failed)} failed", ""]
    if not outcomes:
        lines += ["No case was sent: the spec has no webhooks to check.", ""]
    if failed:
        lines += ["| webhook | case | expected | got |", "|---|---|---|---|"]
        lines += [f"| {o.kind} | {o.case} | {o.expected} | {o.status or o.error} |" for o in failed]
    return "\n".join(lines) + "\n"


@click.command(help=__doc__)
@click.argument("url")
@click.option("--per-kind", default=5, show_default=True, help="Generated valid and invalid payloads per webhook.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each answer.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also write the report here.")
def main(url: str, per_kind: int, timeout: float, report_path: Path | None) -> None:
    outcomes = check_receiver(url, per_kind, timeout)
    text = report(outcomes, url)
    click.echo(text)
    if report_path:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(text)
    sys.exit(0 if passed(outcomes) else 1)


if __name__ == "__main__":
    main()
