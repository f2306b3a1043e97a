"""What the live answers do that the spec does not say, per operation: fields it does not name, statuses it lists
no response for; and, for each operation only public code shows (`x-doc-coverage: observed`), whether AIRudder
confirmed it by answering it with success.

The spec models unknown parts as open objects, so an undocumented field never fails a check; it is still
worth knowing, since each one is a gap in AIRudder's docs that the spec could close.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import airudder_spec

UNDOCUMENTED: dict[str, set[str]] = defaultdict(set)
STATUSES: dict[str, Counter[int]] = defaultdict(Counter)
UNLISTED_STATUSES: dict[str, set[int]] = defaultdict(set)
SUCCESSES: Counter[str] = Counter()
NOT_SERVED = {404, 405}


def response_schema(responses: dict[str, Any], status: int) -> dict[str, Any] | None:
    """The JSON schema the spec gives for `status` (exact code, then `4XX`-style range, then `default`)."""
    key = airudder_spec.response_key(responses, status)
    if key is None:
        return None
    media = airudder_spec.resolve(responses[key]).get("content", {}).get("application/json", {})
    schema: dict[str, Any] | None = media.get("schema")
    return schema


def undocumented_fields(schema: dict[str, Any], value: Any, at: str = "") -> list[str]:
    """JSON paths of `value`'s object keys that `schema` does not name (`data.lists[].extra`)."""
    schema = airudder_spec.resolve(schema)
    found: list[str] = []
    if isinstance(value, dict):
        named = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):  # an envelope and its typed `data`: the later part names it last
            named.update(airudder_spec.resolve(part).get("properties", {}))
        for key, item in value.items():
            where = f"{at}.{key}" if at else key
            if key in named:
                found += undocumented_fields(named[key], item, where)
            else:
                found.append(where)
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            found += undocumented_fields(schema["items"], item, f"{at}[]")
    return sorted(set(found))


def record(operation: str, schema: dict[str, Any], body: Any) -> None:
    UNDOCUMENTED[operation].update(undocumented_fields(schema, body))


def record_response(operation: str, responses: dict[str, Any], status: int, body: Any) -> None:
    """Note one live answer of `operation`: its status, and the fields of its JSON body the spec does not name."""
    STATUSES[operation][status] += 1
    if 200 <= status < 300 and isinstance(body, dict) and body.get("code") == 200:
        SUCCESSES[operation] += 1
    schema = response_schema(responses, status)
    if schema is None:
        UNLISTED_STATUSES[operation].add(status)
    elif body is not None:
        record(operation, schema, body)


def observed_operations() -> dict[str, airudder_spec.Operation]:
    """The operations graded `observed` (only public code shows them), by label (`POST /path`)."""
    return {
        f"{op.method.upper()} {op.path}": op
        for op in airudder_spec.operations().values()
        if op.definition.get("x-doc-coverage") == "observed"
    }


def confirmation(label: str, operation: airudder_spec.Operation) -> str:
    """Whether the live answers confirm an observed operation, and why (never a guess: untested says so)."""
    answers = STATUSES.get(label)
    if not answers:
        reason = "a write, sent only with --live-writes" if not operation.idempotent else "no request was sent"
        return f"not tested ({reason})"
    if SUCCESSES[label]:
        return f"confirmed: answered with success (HTTP 2xx, code 200) {SUCCESSES[label]} time(s)"
    if set(answers) <= NOT_SERVED:
        return "not confirmed: the live API does not serve this path (" + ", ".join(map(str, sorted(answers))) + ")"
    return "not confirmed: no successful answer (" + ", ".join(map(str, sorted(answers))) + ")"


def write(path: Path) -> None:
    lines = ["# Live drift: what the live API answered that the spec does not say", ""]
    lines += ["| operation | answers (status x count) | statuses with no response in the spec | undocumented fields |"]
    lines += ["|---|---|---|---|"]
    for op in sorted(STATUSES.keys() | UNDOCUMENTED.keys()):
        answers = ", ".join(f"{status} x{count}" for status, count in sorted(STATUSES[op].items())) or "-"
        unlisted = ", ".join(str(s) for s in sorted(UNLISTED_STATUSES[op])) or "-"
        lines.append(f"| {op} | {answers} | {unlisted} | {', '.join(sorted(UNDOCUMENTED[op])) or '-'} |")
    if not STATUSES and not UNDOCUMENTED:
        lines.append("| (no live answer was recorded) | - | - | - |")
    lines += ["", "## Operations only public code shows (graded observed): did AIRudder confirm them?", ""]
    lines += ["| operation | live answers | confirmed |", "|---|---|---|"]
    for label, operation in sorted(observed_operations().items()):
        answers = ", ".join(f"{status} x{count}" for status, count in sorted(STATUSES[label].items())) or "-"
        lines.append(f"| {label} | {answers} | {confirmation(label, operation)} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
