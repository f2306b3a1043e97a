"""What the live answers do that the spec does not say, per operation: fields it does not name, statuses it lists
no response for.

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
        named = schema.get("properties", {})
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
    schema = response_schema(responses, status)
    if schema is None:
        UNLISTED_STATUSES[operation].add(status)
    elif body is not None:
        record(operation, schema, body)


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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
