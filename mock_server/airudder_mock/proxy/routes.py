"""Which operation of the spec a request is, from its method and path (the proxy sees raw traffic, not routes)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote

import airudder_spec

_PARAMETER = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True)
class Matched:
    operation: airudder_spec.Operation
    path_params: dict[str, str]


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern[str], airudder_spec.Operation]]:
    found = []
    for operation in airudder_spec.operations().values():
        parts = _PARAMETER.split(operation.path)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
        found.append((operation.method.upper(), re.compile(f"^{regex}/?$"), operation))
    return found


def match(method: str, path: str) -> Matched | None:
    """The operation `method path` is (HEAD counts as GET), with its path parameters; None for no operation."""
    method = "GET" if method.upper() == "HEAD" else method.upper()
    for wanted, pattern, operation in _patterns():
        found = pattern.match(path)
        if found is not None and wanted == method:
            return Matched(operation, {name: unquote(value) for name, value in found.groupdict().items()})
    return None
