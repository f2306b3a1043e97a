"""Strict JSON, for bodies from the network: the one decoder the mock and the webhook receiver share.

Python's `json` takes `NaN` and `Infinity`, nests until the interpreter's recursion limit, and keeps integers of
any size and lone surrogates (`"\\ud800"`), none of which another JSON reader, SQLite or UTF-8 can be relied on
to take; and it keeps the last of duplicate keys (`{"a": 1, "a": 2}`), where other readers keep the first or
refuse. `decode` refuses NaN, Infinity, deep nesting and duplicate keys; `unstorable` names the rest, where a
caller must refuse them too.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 100
"""How deep a body may nest: far beyond any AIRudder shape, and well inside Python's recursion limit."""

INT64 = range(-(2**63), 2**63)
# what an ASCII JSON text needs to hold an unstorable value: a surrogate escape, a number of 19 digits, or an
# exponent of two digits (a lone surrogate, a number beyond 64 bits or a double). An ASCII text without any holds
# none; any other text is walked (one with a match may still be fine; a non-ASCII one may hold a raw surrogate).
_MAY_BE_UNSTORABLE = re.compile(r"\\u[dD][89a-fA-F]|\d{19}|[eE]\+?\d\d")
_MAY_BE_UNSTORABLE_BYTES = re.compile(_MAY_BE_UNSTORABLE.pattern.encode())


class JSONProblem(ValueError):
    """A body that is not strict JSON; `message` says why (`is not valid JSON (...)`), `field` where, as a
    dotted path from the top (`""`: the body as a whole; `contacts.0.callee`: a key given twice there)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.message, self.field = message, field


class _DuplicateKey(ValueError):
    pass


class _Pairs(list[tuple[str, Any]]):
    """An object as its key/value pairs, in order, duplicates kept: only to find where a duplicate is."""


def decode(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of `raw` (no NaN or Infinity), at most `max_depth` levels deep."""
    if not raw.strip():
        raise JSONProblem("is empty")
    try:
        value = json.loads(raw, parse_constant=_no_constant, object_pairs_hook=_unique)
    except _DuplicateKey:
        raise _duplicate(raw) from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise JSONProblem(f"is not valid JSON ({exc})") from None
    except RecursionError:
        raise JSONProblem(f"nests deeper than {max_depth} levels") from None
    # a text with fewer brackets than the limit cannot nest deeper: walked only when it has as many
    brackets = raw.count(b"[") + raw.count(b"{") if isinstance(raw, bytes) else raw.count("[") + raw.count("{")
    if brackets > max_depth and depth(value, max_depth) > max_depth:
        raise JSONProblem(f"nests deeper than {max_depth} levels")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _DuplicateKey
    return value


def _duplicate(raw: bytes | str) -> JSONProblem:
    """The problem of a body with a key given twice, naming the first such key by its path (read again, keeping
    every pair: this only runs on a body already known to be refused)."""
    stack: list[tuple[Any, str]] = [(json.loads(raw, object_pairs_hook=_Pairs), "")]
    while stack:
        item, where = stack.pop()
        prefix = f"{where}." if where else ""
        if isinstance(item, _Pairs):
            seen: set[str] = set()
            for key, _ in item:
                if key in seen:
                    return JSONProblem(
                        "is given more than once (each key of a JSON object must be unique)", prefix + key
                    )
                seen.add(key)
            stack.extend((child, prefix + key) for key, child in reversed(item))
        elif isinstance(item, list):
            stack.extend((child, f"{prefix}{i}") for i, child in reversed(list(enumerate(item))))
    raise AssertionError("a duplicate key was reported but not found")  # pragma: no cover


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How many arrays and objects deep `value` goes, counted up to `limit + 1` (iteratively: no recursion on
    hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= limit:
                stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def unstorable(value: Any, path: str = "body", raw: bytes | str | None = None) -> list[dict[str, str]]:
    """What JSON allows but SQLite, UTF-8 and strict JSON do not, or the spec's open values refuse: numbers beyond
    the 64-bit integer range (`2**63`, `1e300`, `1e400`) and lone surrogates (`\\ud800`), each as
    `{field, message}`. With `raw`, the JSON text `value` was decoded from, a text that cannot hold such a value
    (no surrogate escape, no long number) is not walked."""
    if raw is not None and raw.isascii():
        pattern = _MAY_BE_UNSTORABLE_BYTES if isinstance(raw, bytes) else _MAY_BE_UNSTORABLE
        if not pattern.search(raw):  # type: ignore[arg-type]
            return []
    if _storable(value):  # the common case, walked without building a path for every value
        return []
    problems: list[dict[str, str]] = []
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, float) and not math.isfinite(item):
            problems.append({"field": where, "message": "is out of the double range"})
        elif isinstance(item, int | float):
            # SQLite and other JSON readers keep no integer beyond 64 bits (floats such as `1e300` included)
            if not INT64[0] <= item <= INT64[-1]:
                problems.append({"field": where, "message": "is out of the 64-bit integer range"})
        elif isinstance(item, str):
            try:
                item.encode()
            except UnicodeEncodeError:
                problems.append({"field": where, "message": "contains a lone surrogate, which is not valid Unicode"})
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                stack.append((child, f"{where}.{key}"))
                stack.append((key, where))
        elif isinstance(item, list):
            stack.extend((child, f"{where}.{i}") for i, child in reversed(list(enumerate(item))))
    return problems


def _storable(value: Any) -> bool:
    """Whether `unstorable(value)` finds nothing: its walk, without the paths it names problems by."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode()
                except UnicodeEncodeError:
                    return False
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int | float) and not INT64[0] <= item <= INT64[-1]:  # infinities and NaN too
            return False
    return True
