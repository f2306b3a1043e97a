"""One rule per kind of change between two versions of the spec; each yields `Change`s.

operations, parameters, request bodies, answers, webhooks, webhook payloads (and the answer a handler gives),
provenance. Enum values are compared inside every schema (`schemas._enum`), so an enum change is found wherever
the enum stands, labelled `enum`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .changes import Change
from .schemas import Document, Side, compare

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"
PROVENANCE = ("x-doc-coverage", "x-assumed", "x-observed")

Rule = Callable[[Document, Document], Iterator[Change]]


def operations_of(doc: Document) -> dict[str, dict[str, Any]]:
    """`METHOD /path` -> the operation."""
    found = {}
    for path, item in doc.document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                found[f"{method.upper()} {path}"] = item[method]
    return found


def webhooks_of(doc: Document) -> dict[str, dict[str, Any]]:
    return {name: item["post"] for name, item in doc.document.get("webhooks", {}).items() if "post" in item}


def json_schema(doc: Document, holder: Any) -> Any:
    """The JSON schema of a request body or a response (None when it has none)."""
    holder = doc.resolve(holder) or {}
    return holder.get("content", {}).get(JSON, {}).get("schema")


def operation_rule(old: Document, new: Document) -> Iterator[Change]:
    before, after = operations_of(old), operations_of(new)
    for name in before.keys() - after.keys():
        yield Change("callers", "operation", name, "operation removed", "Removed")
    for name in after.keys() - before.keys():
        yield Change("compatible", "operation", name, "new operation", "Added")


def parameter_rule(old: Document, new: Document) -> Iterator[Change]:
    before, after = operations_of(old), operations_of(new)
    for name in before.keys() & after.keys():
        params_a = {(p["in"], p["name"]): p for p in map(old.resolve, before[name].get("parameters", []))}
        params_b = {(p["in"], p["name"]): p for p in map(new.resolve, after[name].get("parameters", []))}
        for key in params_a.keys() - params_b.keys():
            yield Change("callers", "parameter", f"{name} {key[0]} `{key[1]}`", "parameter removed", "Removed")
        for key in params_b.keys() - params_a.keys():
            where = f"{name} {key[0]} `{key[1]}`"
            if params_b[key].get("required"):
                yield Change("callers", "parameter", where, "new required parameter")
            else:
                yield Change("compatible", "parameter", where, "new optional parameter", "Added")
        for key in params_a.keys() & params_b.keys():
            where = f"{name} {key[0]} `{key[1]}`"
            was, now = bool(params_a[key].get("required")), bool(params_b[key].get("required"))
            if now and not was:
                yield Change("callers", "parameter", where, "required now")
            elif was and not now:
                yield Change("compatible", "parameter", where, "optional now")
            side = Side("sent", "callers", "parameter")
            yield from compare(old, new, params_a[key].get("schema"), params_b[key].get("schema"), where, side)


def request_body_rule(old: Document, new: Document) -> Iterator[Change]:
    before, after = operations_of(old), operations_of(new)
    for name in before.keys() & after.keys():
        body_a, body_b = old.resolve(before[name].get("requestBody")), new.resolve(after[name].get("requestBody"))
        if body_b and not body_a:
            if body_b.get("required"):
                yield Change("callers", "request body", name, "needs a request body now")
            else:
                yield Change("compatible", "request body", name, "takes an optional request body now", "Added")
        elif body_a and not body_b:
            yield Change("callers", "request body", name, "takes no request body any more", "Removed")
        elif body_a and body_b:
            side = Side("sent", "callers", "request body")
            yield from compare(old, new, json_schema(old, body_a), json_schema(new, body_b), f"{name} body", side)


def _answers(
    old: Document, new: Document, a: dict[str, Any], b: dict[str, Any], name: str, side: Side
) -> Iterator[Change]:
    responses_a, responses_b = a.get("responses", {}), b.get("responses", {})
    for status in responses_a.keys() - responses_b.keys():
        yield Change(side.audience, side.kind, name, f"answer {status} removed", "Removed")
    for status in responses_b.keys() - responses_a.keys():
        yield Change("compatible", side.kind, name, f"new answer {status}", "Added")
    for status in sorted(responses_a.keys() & responses_b.keys()):
        schema_a, schema_b = json_schema(old, responses_a[status]), json_schema(new, responses_b[status])
        yield from compare(old, new, schema_a, schema_b, f"{name} answer {status}", side)


def answer_rule(old: Document, new: Document) -> Iterator[Change]:
    before, after = operations_of(old), operations_of(new)
    for name in sorted(before.keys() & after.keys()):
        yield from _answers(old, new, before[name], after[name], name, Side("read", "callers", "answer"))


def webhook_rule(old: Document, new: Document) -> Iterator[Change]:
    before, after = webhooks_of(old), webhooks_of(new)
    for name in before.keys() - after.keys():
        yield Change("webhook handlers", "webhook", f"webhook {name}", "webhook removed", "Removed")
    for name in after.keys() - before.keys():
        yield Change("compatible", "webhook", f"webhook {name}", "new webhook", "Added")


def webhook_payload_rule(old: Document, new: Document) -> Iterator[Change]:
    """What AIRudder POSTs (read by the handler) and what the handler answers (sent by it)."""
    before, after = webhooks_of(old), webhooks_of(new)
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        where = f"webhook {name}"
        side = Side("read", "webhook handlers", "webhook payload")
        payload_a, payload_b = json_schema(old, a.get("requestBody")), json_schema(new, b.get("requestBody"))
        yield from compare(old, new, payload_a, payload_b, f"{where} payload", side)
        yield from _answers(old, new, a, b, where, Side("sent", "webhook handlers", "webhook payload"))


def provenance_rule(old: Document, new: Document) -> Iterator[Change]:
    """How each element is known (documented, observed, assumed; the doc coverage), listed apart."""
    grades_a, grades_b = dict(_grades(old.document, "")), dict(_grades(new.document, ""))
    for where in sorted(grades_a.keys() | grades_b.keys()):
        was, now = grades_a.get(where), grades_b.get(where)
        if was and now and was != now:
            yield Change("provenance", "provenance", where or "/", f"{was} → {now}")


def _grades(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        marks = [key.removeprefix("x-") for key in ("x-assumed", "x-observed") if key in node]
        if "x-doc-coverage" in node:
            yield where, f"coverage {node['x-doc-coverage']}"
        elif marks or any(k in node for k in ("type", "description", "$ref", "in")):
            yield where, " + ".join(marks) if marks else "documented"
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from _grades(value, f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _grades(value, f"{where}/{i}")


RULES: tuple[Rule, ...] = (
    operation_rule,
    parameter_rule,
    request_body_rule,
    answer_rule,
    webhook_rule,
    webhook_payload_rule,
    provenance_rule,
)


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new`, each once, in a stable order."""
    a, b = Document(old), Document(new)
    return sorted({change for rule in RULES for change in rule(a, b)})
