"""The target of the contract suite and the schemathesis schema aimed at it.

A URL (`airudder-contract --base-url`, or `AIRUDDER_BASE_URL`: the live API, a gateway in front of it, your own
mock) with `AIRUDDER_APP_KEY` and `AIRUDDER_APP_SECRET`. Read-only by default (GETs and the POST queries the
spec marks `x-idempotent`); `--live-writes` (`AIRUDDER_LIVE_WRITES=1`) adds the operations that create tasks
and place real calls. Rate-limited to 2 requests/s. Without all three variables the suite runs against the
embedded mock server, and nothing is sent to AIRudder. Reports go to `AIRUDDER_CONTRACT_REPORT_DIR`
(`--report-dir`; default `reports/`).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import schemathesis

import airudder_spec
from airudder import TokenAuth
from airudder_api import Client as GeneratedClient

HERE = Path(__file__).resolve().parent
LIVE_VARIABLES = ("AIRUDDER_BASE_URL", "AIRUDDER_APP_KEY", "AIRUDDER_APP_SECRET")  # the URL first
LIVE_RATE_LIMIT = "2/s"


@dataclass(frozen=True)
class Target:
    name: str
    base_url: str
    app_key: str
    app_secret: str
    admin_token: str | None = None
    """An airudder-mock's admin token (`--admin-token`): the embedded mock's, else $AIRUDDER_MOCK_ADMIN_TOKEN."""

    @property
    def live(self) -> bool:
        return self.name == "live"

    @property
    def admin_headers(self) -> dict[str, str]:
        """What an airudder-mock's admin API (`/_mock/`) requires: its token, when it was started with one."""
        token = self.admin_token or os.environ.get("AIRUDDER_MOCK_ADMIN_TOKEN")
        return {"Authorization": f"Bearer {token}"} if token else {}


def report_dir() -> Path:
    """Where the reports go: `--report-dir` / `AIRUDDER_CONTRACT_REPORT_DIR`, default `reports/`."""
    return Path(os.environ.get("AIRUDDER_CONTRACT_REPORT_DIR") or "reports")


def rate_limit() -> str | None:
    """Requests per second sent to a URL target: `--rate-limit` / `AIRUDDER_CONTRACT_RATE_LIMIT` (`0`: none),
    default 2/s, gentle on the live API; a mock of your own can take more."""
    chosen = os.environ.get("AIRUDDER_CONTRACT_RATE_LIMIT") or LIVE_RATE_LIMIT
    return None if chosen == "0" else chosen


def missing_live_variables() -> list[str]:
    return [name for name in LIVE_VARIABLES if not os.environ.get(name)]


def live_requested() -> bool:
    return not missing_live_variables()


def live_skip_reason() -> str:
    missing = missing_live_variables()
    return (
        f"live API not tested: {', '.join(missing)} not set (set all of {', '.join(LIVE_VARIABLES)} to run the "
        "suite against AIRudder; nothing was sent to it)"
    )


def writes_allowed() -> bool:
    return os.environ.get("AIRUDDER_LIVE_WRITES") == "1"


def read_only_operation_ids() -> list[str]:
    """What a live run without --live-writes may call: GETs and `x-idempotent` POST queries (not the token call,
    which the auth provider makes)."""
    return [
        op.operation_id
        for op in airudder_spec.operations().values()
        if op.idempotent and op.operation_id != "get_token"
    ]


def read_only_document() -> dict[str, Any]:
    """The spec without the operations a read-only live run must not call, and without the links to them.

    The writes are left out of the document rather than filtered with `schema.include()`: schemathesis ORs an
    include filter with the one its config's `[[operations]]` blocks make, so that filter would select every
    operation, and the pytest integration replaces a fixture schema's filters with the config's anyway.
    """
    document = copy.deepcopy(airudder_spec.load())
    allowed = set(read_only_operation_ids())
    for path, item in list(document["paths"].items()):
        for method in [m for m in item if m in airudder_spec.HTTP_METHODS]:
            if item[method]["operationId"] not in allowed:
                del item[method]
                continue
            for response in item[method].get("responses", {}).values():
                links = response.get("links", {})
                for name in [n for n, link in links.items() if link.get("operationId") not in allowed]:
                    del links[name]
        if not any(m in airudder_spec.HTTP_METHODS for m in item):
            del document["paths"][path]
    return document


@contextmanager
def token_auth(target: Target) -> Iterator[TokenAuth]:
    """airudder's token flow against `target` (its HTTP client closed on exit)."""
    with httpx.Client(base_url=target.base_url, timeout=30) as http:
        token_client = GeneratedClient(base_url=target.base_url).set_httpx_client(http)
        yield TokenAuth(token_client=token_client, app_key=target.app_key, app_secret=target.app_secret)


def document_for(target: Target, *, writes: bool) -> dict[str, Any]:
    """The spec a run against `target` tests: all of it, or, live without `writes`, its read-only part."""
    return airudder_spec.load() if not target.live or writes else read_only_document()


SPEC_LINKS_ONLY = """
[phases.stateful.inference]
algorithms = ["location-headers"]
"""
"""The API's stateful phase walks the spec's own links: links inferred from the typed create answer (its
`workflow_id`) would make a per-source state machine (links.py) start at create rather than at its source."""


def build_schema(target: Target, auth: TokenAuth, *, writes: bool, document: dict[str, Any] | None = None) -> Any:
    """The spec (or `document`, a part of it) as a schemathesis schema aimed at `target`: seeded and bounded by
    schemathesis.toml, its token from airudder's token flow; live, rate-limited and, unless `writes`, restricted
    to read-only operations."""
    config = schemathesis.Config.from_str((HERE / "schemathesis.toml").read_text() + SPEC_LINKS_ONLY)
    if document is None:
        document = document_for(target, writes=writes)
    schema: schemathesis.BaseSchema = schemathesis.openapi.from_dict(document, config=config)
    schema.config.update(base_url=target.base_url, rate_limit=rate_limit() if target.live else None)

    @schema.hook("filter_body")
    def storable_body(context: Any, body: Any) -> bool:
        """The body schemas allow any JSON in their open parts, and Hypothesis draws integers of any size there; an
        API answers 400 to what it cannot store (the mock does), which would read as valid data refused, so such
        bodies are not sent."""
        return not airudder_spec.unstorable(body)

    @schema.auth().skip_for(operation_id="get_token")
    class AIRudderToken:
        """Schemathesis takes its token from airudder's token flow, as a user's client would."""

        def get(self, case: Any, context: Any) -> str:
            return auth.token()

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return schema
