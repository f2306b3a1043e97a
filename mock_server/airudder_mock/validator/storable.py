"""What JSON allows but the mock cannot store: integers beyond 64 bits, numbers beyond a double (`1e400`) and
lone surrogates (`\\ud800`). Such a body is the client's fault (400 naming the field), never a 500."""

from __future__ import annotations

import math
from typing import Any

from ..errors import BadInput, Problem

INT64 = range(-(2**63), 2**63)


def storage_problems(body: Any) -> list[Problem]:
    """What of a parsed body cannot be stored (see `unstorable`); a body too deep to walk is BadInput at once."""
    try:
        return unstorable(body)
    except RecursionError:
        raise BadInput("body", "is nested too deeply") from None


def unstorable(value: Any, path: str = "body") -> list[Problem]:
    """What JSON allows but SQLite, UTF-8 and strict JSON do not, by field."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [] if value in INT64 else [{"field": path, "message": "is out of the 64-bit integer range"}]
    if isinstance(value, float):
        return [] if math.isfinite(value) else [{"field": path, "message": "is out of the double range"}]
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return [{"field": path, "message": "contains a lone surrogate, which is not valid Unicode"}]
        return []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in unstorable(key, path) + unstorable(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in unstorable(item, f"{path}.{i}")]
    return []
