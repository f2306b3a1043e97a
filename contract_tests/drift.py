"""What a live answer says that the spec does not: fields the spec does not name, per operation.

The spec models unknown parts as open objects, so an undocumented field never fails a check; it is still
worth knowing, since each one is a gap in AIRudder's docs that the spec could close.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from airudder import _spec

UNDOCUMENTED: dict[str, set[str]] = defaultdict(set)


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _spec.load()["components"]["schemas"][_spec.schema_name(schema["$ref"])]
    return schema


def undocumented_fields(schema: dict[str, Any], value: Any, at: str = "") -> list[str]:
    """JSON paths of `value`'s object keys that `schema` does not name (`data.lists[].extra`)."""
    schema = resolve(schema)
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


def write(path: Path) -> None:
    lines = ["# Live drift: fields the live API sent that the spec does not name", ""]
    lines += ["| operation | undocumented fields |", "|---|---|"]
    lines += [f"| {op} | {', '.join(sorted(fields)) or '-'} |" for op, fields in sorted(UNDOCUMENTED.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
