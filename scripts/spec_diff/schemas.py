"""Two versions of one schema, compared keyword by keyword from the side of whoever sends the value.

A change either narrows what is valid (a new bound, a removed enum value, a new required field) or widens it.
Narrowing breaks a sender (a caller's request, a handler's answer); widening breaks a reader (a caller reading an
answer, a handler reading a payload), who may meet what it never met before: a new enum value, a field that may
now be absent, a wider type.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .changes import Change, Impact, Section

Direction = Literal["sent", "read"]
"""`sent`: the user sends values of this schema (requests, a webhook's answer); `read`: the user reads them."""

LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
EXACT = ("pattern", "format", "const")


class Document:
    """A parsed spec whose local `$ref`s can be followed."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = self.document
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node, seen = target, seen + 1
            if seen > 50:
                raise ValueError(f"a $ref loop at {node!r:.80}")
        return node


@dataclass(frozen=True)
class Side:
    """Where a schema sits: who breaks when it narrows or widens, and how changes are labelled."""

    direction: Direction
    audience: Impact
    kind: str


def compare(old: Document, new: Document, a: Any, b: Any, where: str, side: Side) -> Iterator[Change]:
    """The changes from schema `a` (in `old`) to schema `b` (in `new`)."""
    yield from _compare(old, new, a, b, where, side, set())


def _compare(
    old: Document, new: Document, a: Any, b: Any, where: str, side: Side, seen: set[tuple[int, int]]
) -> Iterator[Change]:
    a, b = old.resolve(a), new.resolve(b)
    if not isinstance(a, dict) or not isinstance(b, dict) or (id(a), id(b)) in seen:
        return
    seen = seen | {(id(a), id(b))}

    def change(narrows: bool, text: str, kind: str | None = None, section: Section = "Changed") -> Change:
        breaks = narrows if side.direction == "sent" else not narrows
        impact: Impact = side.audience if breaks else "compatible"
        return Change(impact, kind or side.kind, where, text, section)

    yield from _types(a, b, change)
    yield from _enum(a, b, change)
    yield from _bounds(a, b, change)
    yield from _fields(old, new, a, b, where, side, seen, change)
    if "items" in a or "items" in b:
        yield from _compare(old, new, a.get("items"), b.get("items"), f"{where}[]", side, seen)
    extra_a, extra_b = a.get("additionalProperties", True), b.get("additionalProperties", True)
    if isinstance(extra_a, dict) and isinstance(extra_b, dict):
        yield from _compare(old, new, extra_a, extra_b, f"{where}{{*}}", side, seen)
    elif extra_a is not False and extra_b is False:
        yield change(True, "no other field is allowed any more (`additionalProperties: false`)")
    elif extra_a is False and extra_b is not False:
        yield change(False, "other fields are allowed now")
    for combinator in ("oneOf", "anyOf", "allOf"):
        branches_a, branches_b = a.get(combinator, []), b.get(combinator, [])
        for i, (x, y) in enumerate(zip(branches_a, branches_b, strict=False)):
            yield from _compare(old, new, x, y, f"{where}<{combinator} {i}>", side, seen)
        if len(branches_a) != len(branches_b):
            fewer = len(branches_b) < len(branches_a)
            narrows = fewer if combinator != "allOf" else not fewer
            yield change(narrows, f"`{combinator}` has {len(branches_b)} branches (was {len(branches_a)})")


def _types(a: dict[str, Any], b: dict[str, Any], change: Any) -> Iterator[Change]:
    ta, tb = _type_set(a), _type_set(b)
    if ta == tb:
        return
    if tb is not None and (ta is None or tb < ta):
        yield change(True, f"type {_types_text(ta)} → {_types_text(tb)} (narrowed)")
    elif ta is not None and (tb is None or tb > ta):
        yield change(False, f"type {_types_text(ta)} → {_types_text(tb)} (widened)")
    else:  # neither contains the other: breaks both sides
        yield change(True, f"type {_types_text(ta)} → {_types_text(tb)}")
        yield change(False, f"type {_types_text(ta)} → {_types_text(tb)}")


def _type_set(schema: dict[str, Any]) -> frozenset[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    found = {kind} if isinstance(kind, str) else set(kind)
    if "integer" in found and "number" in found:
        found.discard("integer")
    return frozenset(found)


def _types_text(types: frozenset[str] | None) -> str:
    return "any" if types is None else " | ".join(sorted(types))


def _enum(a: dict[str, Any], b: dict[str, Any], change: Any) -> Iterator[Change]:
    """Enum values: the `enum` rule (a removed value narrows, a new one widens)."""
    ea: list[Any] | None = a.get("enum")
    eb: list[Any] | None = b.get("enum")
    if ea == eb:
        return
    if ea is None:
        yield change(True, f"values limited to {_values(eb or [])}", "enum")
        return
    if eb is None:
        yield change(False, f"any value now (was one of {_values(ea)})", "enum")
        return
    removed = [v for v in ea if v not in eb]
    added = [v for v in eb if v not in ea]
    if removed:
        yield change(True, f"enum value{'s' if len(removed) > 1 else ''} {_values(removed)} removed", "enum", "Removed")
    if added:
        yield change(False, f"new enum value{'s' if len(added) > 1 else ''} {_values(added)}", "enum", "Added")


def _values(values: list[Any]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _bounds(a: dict[str, Any], b: dict[str, Any], change: Any) -> Iterator[Change]:
    for key in LOWER + UPPER:
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if va is None or vb is None:
            narrows = va is None  # a bound added narrows, one dropped widens
        elif key in LOWER:
            narrows = vb > va
        else:
            narrows = vb < va
        yield change(narrows, f"`{key}` {_bound(va)} → {_bound(vb)}")
    for key in EXACT:
        va, vb = a.get(key), b.get(key)
        if va != vb:
            yield change(vb is not None, f"`{key}` {_bound(va)} → {_bound(vb)}")
            if va is not None and vb is not None:  # a different pattern or format: either side may break
                yield change(False, f"`{key}` {_bound(va)} → {_bound(vb)}")


def _bound(value: Any) -> str:
    if value is None:
        return "none"
    text = str(value)
    return f"`{text}`" if len(text) <= 40 else f"`{text[:37]}...`"


def _fields(
    old: Document,
    new: Document,
    a: dict[str, Any],
    b: dict[str, Any],
    where: str,
    side: Side,
    seen: set[tuple[int, int]],
    change: Any,
) -> Iterator[Change]:
    props_a, props_b = a.get("properties", {}), b.get("properties", {})
    required_a, required_b = set(a.get("required", [])), set(b.get("required", []))
    for name in props_a:
        if name not in props_b:
            text = f"field `{name}` removed"
            yield Change(side.audience, side.kind, where, text, "Removed")
    for name in props_b:
        if name not in props_a and not (name in required_b and side.direction == "sent"):
            text = f"new field `{name}`" if name in required_b else f"new optional field `{name}`"
            yield Change("compatible", side.kind, where, text, "Added")
    for name in sorted(required_b - required_a):
        if name in props_a or side.direction == "sent":
            yield change(True, f"field `{name}` is required now")
    for name in sorted(required_a - required_b):
        if name in props_b:
            yield change(False, f"field `{name}` is optional now")
    for name in props_a:
        if name in props_b:
            yield from _compare(old, new, props_a[name], props_b[name], f"{where}.{name}", side, seen)
