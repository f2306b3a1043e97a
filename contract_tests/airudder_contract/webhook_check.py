"""Check a webhook receiver: valid payloads must get a 2xx, invalid ones a 4xx, and nothing a 5xx.

A 2xx answer must also have the shape the spec gives for the kind's 200 answer (`{}` for
`workflow_status_changed`, as AIRudder's docs show); a mismatch fails, naming the kind and the field.

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

import airudder_spec

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
    """Why the POST got no answer, or why a 2xx answer's body is not the kind's answer (the field at fault)."""

    @property
    def passed(self) -> bool:
        if self.status is None or self.error is not None:
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
                    answer = client.post(target, content=body, headers=headers)
                    status: int | None = answer.status_code
                    error = answer_mismatch(kind, answer.content) if answer.is_success else None
                except httpx.HTTPError as exc:
                    status, error = None, f"{type(exc).__name__}: {exc}"
                outcomes.append(Outcome(kind, label, expected, status, error))
    return outcomes


def answer_mismatch(kind: str, content: bytes) -> str | None:
    """How a 2xx answer's body breaks the spec's schema of the answer to `kind` (None when it fits)."""
    validator = airudder_spec.webhook_answer_validator(kind)
    if validator is None:  # the spec gives no JSON answer for the kind: any body will do
        return None
    try:
        body = json.loads(content)
    except ValueError:
        return "answer body: not JSON (the spec gives a JSON answer)"
    for problem in validator.iter_errors(body):
        path = [str(part) for part in problem.instance_path]
        field = ".".join(["answer body", *path])
        keyword = str(problem.schema_path[-1]) if problem.schema_path else ""
        extra = _extra_fields(problem.instance, problem.schema_path) if keyword in EXTRA_KEYWORDS else []
        if extra:
            return f"{', '.join(f'{field}.{name}' for name in extra)}: not allowed in the answer to {kind}"
        return f"{field}: {problem.message[:200]}"
    return None


EXTRA_KEYWORDS = ("additionalProperties", "maxProperties", "unevaluatedProperties")


def _extra_fields(instance: Any, schema_path: Any) -> list[str]:
    """The fields of an object that its schema (where the failing keyword sits) does not name."""
    if not isinstance(instance, dict):
        return []
    schema = airudder_spec.at(airudder_spec.pointer(*(str(part) for part in schema_path[:-1])))
    named = schema.get("properties", {}) if isinstance(schema, dict) else {}
    return sorted(str(name) for name in instance if name not in named)


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
        lines += [f"| {o.kind} | {o.case} | {o.expected} | {_got(o)} |" for o in failed]
    return "\n".join(lines) + "\n"


def _got(outcome: Outcome) -> str:
    """What a failed case got: its status, and what was wrong with the answer (or why none came)."""
    shown = [str(outcome.status)] if outcome.status is not None else []
    shown += [outcome.error.replace("|", "\\|")] if outcome.error else []
    return " ".join(shown)


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
