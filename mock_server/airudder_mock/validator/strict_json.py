"""Strict JSON: `NaN` and `Infinity`, which Python's parser takes, are not JSON."""

from __future__ import annotations

import json
from typing import Any

from ..errors import BadInput


def parse_json(raw: bytes, where: str = "body") -> Any:
    try:
        return json.loads(raw, parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise BadInput(where, f"is not valid JSON: {exc}") from None
    except RecursionError:
        raise BadInput(where, "is nested too deeply") from None


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")
