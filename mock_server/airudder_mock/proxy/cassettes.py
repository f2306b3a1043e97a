"""Cassettes: one recorded exchange per file, redacted, that `airudder-mock serve --replay DIR` answers with.

    DIR/<operationId>/<number>.json   (0600, in directories 0700)

Each holds the operation, the request as the app sent it (method, path, path parameters, query, headers, body)
and the answer (status, headers, body), every value that the redaction rules name replaced by a fake (see
`redact`). A body is kept as text; one that is not UTF-8 is left out (`body_omitted`).
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .redact import Redactor

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host"}
)


@dataclass(frozen=True)
class Exchange:
    """One request and its answer as they crossed the proxy."""

    operation_id: str | None
    method: str
    path: str
    path_params: dict[str, str]
    query: list[tuple[str, str]]
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes
    started: float
    elapsed_ms: float


def match_key(operation_id: str, path_params: dict[str, str], query: Iterable[tuple[str, str]], body: str) -> str:
    """What a replayed request is matched by: its operation, path parameters, query and JSON body (canonical)."""
    try:
        canonical: Any = json.loads(body) if body.strip() else None
    except ValueError:
        canonical = body
    return json.dumps([operation_id, sorted(path_params.items()), sorted(query), canonical], sort_keys=True)


class Recorder:
    """Writes each exchange of an operation of the spec as a redacted cassette in `directory`."""

    def __init__(self, directory: str | Path, redactor: Redactor | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)
        self.redactor = redactor or Redactor()
        self._numbers = itertools.count(_next_number(self.directory))
        self._lock = threading.Lock()

    def record(self, exchange: Exchange) -> Path | None:
        """The cassette written (None for a request that is no operation of the spec: nothing to replay it by)."""
        if exchange.operation_id is None:
            return None
        redact = self.redactor
        with self._lock:
            request_type = _header(exchange.request_headers, "content-type")
            response_type = _header(exchange.response_headers, "content-type")
            request_body = redact.body(exchange.request_body, request_type)
            response_body = redact.body(exchange.response_body, response_type)
            cassette: dict[str, Any] = {
                "operation": exchange.operation_id,
                "recorded": exchange.started,
                "request": {
                    "method": exchange.method,
                    "path_params": {
                        k: redact.value(v, redact.rules.kind_of(k)) for k, v in exchange.path_params.items()
                    },
                    "query": redact.query(exchange.query),
                    "headers": [
                        (k, redact.header(k, v)) for k, v in exchange.request_headers if k.lower() not in HOP_BY_HOP
                    ],
                    "body": request_body or "",
                    **({"body_omitted": len(exchange.request_body)} if request_body is None else {}),
                },
                "response": {
                    "status": exchange.status,
                    "headers": [
                        (k, redact.header(k, v))
                        for k, v in exchange.response_headers
                        if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"
                    ],
                    "body": response_body or "",
                    **({"body_omitted": len(exchange.response_body)} if response_body is None else {}),
                },
            }
            cassette["request"]["path"] = _path_of(exchange, cassette["request"]["path_params"])
            folder = self.directory / exchange.operation_id
            folder.mkdir(exist_ok=True, mode=0o700)
            path = folder / f"{next(self._numbers):06d}.json"
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                json.dump(cassette, stream, ensure_ascii=False, indent=1)
        return path


def _path_of(exchange: Exchange, redacted: dict[str, str]) -> str:
    path = exchange.path
    for name, value in exchange.path_params.items():
        if value != redacted[name]:
            path = path.replace(value, str(redacted[name]))
    return path


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _next_number(directory: Path) -> int:
    """After the cassettes a previous run left, so that none is overwritten."""
    numbers = [int(p.stem) for p in directory.glob("*/*.json") if p.stem.isdigit()]
    return max(numbers, default=0) + 1


@dataclass(frozen=True)
class Cassette:
    operation_id: str
    key: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    path: Path


def read_cassettes(directory: str | Path) -> list[Cassette]:
    """Every cassette of `directory`, in the order they were recorded."""
    found = []
    for path in sorted(Path(directory).glob("*/*.json"), key=lambda p: (int(p.stem) if p.stem.isdigit() else 0, p)):
        data = json.loads(path.read_text(encoding="utf-8"))
        request, response = data["request"], data["response"]
        key = match_key(
            data["operation"], request["path_params"], [tuple(q) for q in request["query"]], request["body"]
        )
        headers = [(str(k), str(v)) for k, v in response["headers"]]
        found.append(Cassette(data["operation"], key, response["status"], headers, response["body"].encode(), path))
    return found
