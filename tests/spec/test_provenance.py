"""Provenance to the field: what the docs do not show is marked `x-assumed` where it stands, and no description
states an assumption as a fact.

The description check looks for the claims AIRudder's docs are known not to make (retries, idempotency, bounds,
nullability, error answers, time zones, a sandbox, ...). A description may make such a claim only on a node that
carries `x-assumed`, or where the claim is documented: DOCUMENTED lists those places, each with the words of the
facts that show it (checked against ../shared when it is beside the checkout).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from .conftest import FACTS, ROOT, needs_facts

SHARED = FACTS.parent.parent
OLD_SPEC_TEXT = """
servers:
  - url: https://api.airudder.com
    description: Production (the only server the docs show; there is no sandbox)
components:
  responses:
    WebhookAccepted:
      description: The integrator accepts the notification. Any other answer makes AIRudder retry, every minute,
        at most 5 times.
  parameters:
    Page:
      description: Page number, 1 by default. (The docs state no lower bound; pages start at 1.)
      schema: {type: integer, minimum: 1}
  schemas:
    WabaRecipient:
      properties:
        send_time:
          type: string
          description: Local time as `YYYY-MM-DD hh:mm:ss` in the example.
"""

# claim -> what a description says when it makes it
CLAIMS: dict[str, re.Pattern[str]] = {
    "retry": re.compile(r"\bretr(y|ies|ied)\b|every minute|at most 5", re.I),
    "idempotency": re.compile(r"idempoten|safe to (repeat|retry|send)", re.I),
    "sandbox": re.compile(r"sandbox|test server", re.I),
    "local time": re.compile(r"local time", re.I),
    "time zone": re.compile(r"\bUTC\b|time zone", re.I),
    "lower bound": re.compile(r"lower bound|\bminimum\b|at least|pages start", re.I),
    "nullable": re.compile(r"\bnull(able)?\b", re.I),
    "required flag": re.compile(r"\brequired\b|must be given", re.I),
    "error answer": re.compile(r"\bfail(s|ed|ure)?\b|\berrors?\b|\b[45]xx\b", re.I),
    "envelope": re.compile(r"\benvelope\b", re.I),
    "webhook answer": re.compile(r"accepts? the notification|answers? 200|`\{\}`", re.I),
}

# (JSON pointer of the node whose description makes the claim, claim) -> the facts' words that show it
DOCUMENTED: dict[tuple[str, str], tuple[str, str]] = {
    ("/webhooks/predictive_dialer_agent_status_changed/post", "retry"): (
        "api-facts/part1.md",
        "retries at 1-minute intervals, at most 5 tries",
    ),
    ("/webhooks/workflow_status_changed/post", "webhook answer"): ("seeds/002_1f5c2bf3131e0cd3.txt", "{}"),
    ("/webhooks/workflow_status_changed/post/responses/200", "webhook answer"): (
        "seeds/002_1f5c2bf3131e0cd3.txt",
        "object {0}",
    ),
    ("/webhooks/chatbot_session_ended/post/parameters/0", "required flag"): ("api-facts/part2.md", "X-AIRudder-Sign"),
    ("/paths/~1service~1cloud~1auth/post/responses/200", "envelope"): (
        "api-facts/part1.md",
        '"status" : "OK" ,',
    ),
    ("/components/schemas/Envelope", "envelope"): ("api-facts/part2.md", "Success envelope (items 1 and 13)"),
    ("/components/schemas/WorkflowTask", "required flag"): ("api-facts/part2.md", "Required flags for item fields"),
    ("/components/schemas/WabaRecipient", "required flag"): ("api-facts/part2.md", "Required flags for item fields"),
    ("/components/schemas/WorkflowTask/properties/start_time", "nullable"): ("api-facts/part2.md", "may be `null`"),
    ("/components/schemas/WabaRecipient/properties/send_time", "time zone"): (
        "api-facts/part2.md",
        "space-separated, no time zone",
    ),
}


@dataclass(frozen=True)
class Unmarked:
    pointer: str
    claim: str
    text: str


def pointer(parts: tuple[str, ...]) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts) if parts else ""


def descriptions(node: Any, parts: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """(path, node) for every node with a `description` (the info block, tags and x- extensions aside)."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str) and parts[:1] not in (("info",), ("tags",)):
            yield parts, node
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from descriptions(value, (*parts, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from descriptions(value, (*parts, str(i)))


def unmarked_claims(spec: dict[str, Any]) -> list[Unmarked]:
    """Claims that a description makes on a node marked neither `x-assumed` nor `x-observed` (public code shows
    it), where the docs do not show them."""
    found = []
    for parts, node in descriptions(spec):
        if "x-assumed" in node or "x-observed" in node:
            continue
        where = pointer(parts)
        for claim, pattern in CLAIMS.items():
            if pattern.search(node["description"]) and (where, claim) not in DOCUMENTED:
                found.append(Unmarked(where, claim, node["description"]))
    return found


def test_no_description_states_an_assumption_as_a_fact(spec: dict[str, Any]) -> None:
    assert unmarked_claims(spec) == []


def test_the_check_finds_the_assumptions_the_old_spec_stated_as_facts() -> None:
    found = {(u.pointer, u.claim) for u in unmarked_claims(yaml.safe_load(OLD_SPEC_TEXT))}
    assert found >= {
        ("/servers/0", "sandbox"),
        ("/components/responses/WebhookAccepted", "retry"),
        ("/components/parameters/Page", "lower bound"),
        ("/components/schemas/WabaRecipient/properties/send_time", "local time"),
    }


@needs_facts
@pytest.mark.parametrize(("place", "quote"), list(DOCUMENTED.items()), ids=lambda v: str(v))
def test_each_documented_claim_is_in_the_facts(place: tuple[str, str], quote: tuple[str, str]) -> None:
    source, words = quote
    assert words in (SHARED / source).read_text(), f"{place}: {words!r} is not in shared/{source}"


def resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def items(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield f"{method.upper()} {path}", op
    for name, item in spec["webhooks"].items():
        yield f"webhook {name}", item["post"]


def test_every_response_the_docs_do_not_show_is_marked(spec: dict[str, Any]) -> None:
    """The docs show a response only on the token, task list and WABA details pages and the status-change
    webhook: every other response, and every error response, is assumed."""
    shown = {("POST /service/cloud/auth", "200"), ("GET /service/cloud/workflow/instancelist", "200")}
    shown |= {("GET /service/cloud/workflow/wabataskdetail", "200"), ("webhook workflow_status_changed", "200")}
    unmarked = [
        (where, status)
        for where, op in items(spec)
        for status, response in op["responses"].items()
        if (where, status) not in shown and "x-assumed" not in resolve(spec, response)
    ]
    assert unmarked == []


def test_idempotency_and_retry_claims_are_marked(spec: dict[str, Any]) -> None:
    for where, op in items(spec):
        if "x-idempotent" in op:
            assert isinstance(op["x-idempotent"], dict) and op["x-idempotent"].get("x-assumed"), where
        if "x-retry" in op and where != "webhook predictive_dialer_agent_status_changed":
            assert op["x-retry"].get("x-assumed"), f"{where}: only the agents page states a retry policy"


def test_the_token_call_is_not_idempotent(spec: dict[str, Any]) -> None:
    """A repeated token request extends the original token's life: it changes state."""
    assert "x-idempotent" not in spec["paths"]["/service/cloud/auth"]["post"]


def schema_nodes(node: Any, parts: tuple[str, ...] = ()) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer(parts), node
        for key, value in node.items():
            yield from schema_nodes(value, (*parts, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from schema_nodes(value, (*parts, str(i)))


DOCUMENTED_BOUNDS = {"/components/schemas/TokenResponse/properties/code"}
BOUND_KEYWORDS = {"minimum", "exclusiveMinimum", "pattern", "maxProperties", "minLength", "maxLength", "maxItems"}


def test_bounds_patterns_and_nullable_types_are_marked_unless_documented(spec: dict[str, Any]) -> None:
    """No page gives a lower bound, a time grammar, an integer range or (but for the task list's start_time) a
    null: each such keyword sits in a node marked `x-assumed` (or in an `x-assumed` ancestor schema)."""
    unmarked = []
    for where, node in schema_nodes(spec):
        if where in DOCUMENTED_BOUNDS or "x-assumed" in node:
            continue
        bounds = BOUND_KEYWORDS & node.keys()
        if "maximum" in node and node["maximum"] != 200:  # `size`: "The maximum value is 200."
            bounds.add("maximum")
        if where.endswith("/EmptyObject"):  # the status-change answer, `object {0}`
            bounds.discard("maxProperties")
        nullable = isinstance(node.get("type"), list) and "null" in node["type"]
        if nullable and where != "/components/schemas/WorkflowTask/properties/start_time":
            bounds.add("null")
        if bounds and where.startswith(("/components/schemas", "/components/parameters", "/paths", "/webhooks")):
            unmarked.append((where, sorted(bounds)))
    assert unmarked == []


def test_observed_elements_say_where_they_were_seen(spec: dict[str, Any]) -> None:
    marks = [node["x-observed"] for _, node in schema_nodes(spec) if "x-observed" in node]
    # or traffic's evidence, which scripts/propose-spec writes: {count, first, last}
    traffic = [mark for mark in marks if isinstance(mark, dict)]
    assert all(set(mark) == {"count", "first", "last"} and mark["count"] > 0 for mark in traffic)
    assert marks and all(mark.startswith("public-code.md §O") for mark in marks if mark not in traffic)
    observed = [op for _, op in items(spec) if op["x-doc-coverage"] == "observed"]
    assert observed and all(op["x-doc-source"].startswith("shared/api-facts/public-code.md") for op in observed)


def test_no_source_pointer_names_the_superseded_interim_facts() -> None:
    assert "part2-interim" not in (ROOT / "spec" / "openapi.yaml").read_text()


def test_every_pattern_says_in_words_what_it_expects(spec: dict[str, Any]) -> None:
    """A refusal quotes `x-expected` (`expected "2022-12-12 12:34:56+07:00"`), never the regex: each pattern
    carries one, with an example of the form."""
    missing = [
        where for where, node in schema_nodes(spec) if "pattern" in node and '"' not in node.get("x-expected", "")
    ]
    assert missing == []
