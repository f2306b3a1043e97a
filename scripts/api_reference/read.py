"""Reading: every operation and webhook of `airudder_spec`'s loaded document, as the reference shows it.

Each element (a parameter, a body or answer field at any depth, a response, a claim such as `x-idempotent`)
gets its provenance grade where it stands: `assumed` when it carries `x-assumed`, `observed` when it carries
`x-observed` or belongs to an operation graded `observed`, `documented` otherwise (the rule of
`scripts/coverage`). Marks deeper inside an element that are not elements themselves (a bound, a pattern, an
example) are listed beside it, each with its reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from resource_generator.name import method_name

import airudder_spec

DOCS_SITE = "https://api-docs.airudder.com/apidoc/docs-site/1780479/"
CLAIMS = ("x-idempotent", "x-pagination", "x-retry")
METHODS = ("get", "post", "put", "patch", "delete")
# keys whose values are elements of their own, or text about the element: not searched for marks within it
NOT_WITHIN = ("properties", "items", "additionalProperties", "links", "examples", "example", "x-doc-notes")


@dataclass
class Mark:
    grade: str  # assumed | observed
    reason: str
    where: str  # what inside the element is marked ("" for the element itself)


@dataclass
class Element:
    name: str
    type: str
    required: bool
    description: str
    grade: str
    marks: list[Mark] = field(default_factory=list)  # the element's own mark first, then those within it

    @property
    def reason(self) -> str:
        return next((m.reason for m in self.marks if not m.where), "")

    @property
    def within(self) -> list[Mark]:
        return [m for m in self.marks if m.where]

    @property
    def also(self) -> list[Mark]:
        """The element's own marks after the one that gives its grade (seen in public code, and assumed too)."""
        return [m for m in self.marks if not m.where][1:]


@dataclass
class Example:
    title: str
    grade: str
    reason: str
    json: str


@dataclass
class Response:
    status: str
    description: str
    grade: str
    marks: list[Mark]
    fields: list[Element]
    examples: list[Example]


@dataclass
class Entry:
    """One operation or webhook."""

    id: str
    kind: str  # operation | webhook
    method: str
    where: str  # the path, or the webhook's name
    summary: str
    description: str
    coverage: str
    nav: int
    doc_page: str
    source: str
    notes: str
    python: str
    parameters: list[Element]
    body: list[Element]
    body_examples: list[Example]
    responses: list[Response]
    claims: list[Element]
    marks: list[Mark]  # the operation's or webhook's own (a claim its description makes)

    @property
    def doc_url(self) -> str | None:
        return None if self.doc_page == "unknown" else DOCS_SITE + self.doc_page


@dataclass
class LedgerItem:
    nav: int
    title: str
    kind: str
    method: str
    doc_page: str
    coverage: str
    source: str


class Reader:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = airudder_spec.resolve(node) if node["$ref"].startswith("#/") else node
            if "$ref" in node and not node["$ref"].startswith("#/"):
                break
        return node

    def own_mark(self, node: dict[str, Any]) -> list[Mark]:
        """The node's marks, the assumed one first (it gives the grade): a node seen in public code may carry an
        assumption of ours too (`variables`: an object in public code, its values' types ours)."""
        marks = [Mark("assumed", str(node["x-assumed"]), "")] if "x-assumed" in node else []
        if "x-observed" in node:
            marks.append(Mark("observed", str(node["x-observed"]), ""))
        return marks

    def marks_within(self, node: Any, where: str = "", seen: frozenset[int] = frozenset()) -> list[Mark]:
        """Marks on the nodes inside an element that are not elements themselves (its schema, a bound, ...)."""
        node = self.resolve(node)
        found: list[Mark] = []
        if isinstance(node, list):  # the branches of a oneOf, ...: their own marks too
            for item in node:
                inner = self.resolve(item)
                if isinstance(inner, dict) and id(inner) not in seen:
                    found += [Mark(m.grade, m.reason, where) for m in self.own_mark(inner)]
                found += self.marks_within(item, where, seen)
        elif isinstance(node, dict) and id(node) not in seen:
            seen = seen | {id(node)}
            for key, value in node.items():
                if key in NOT_WITHIN or not isinstance(value, dict | list):
                    continue
                inner = self.resolve(value)
                label = f"{where}.{key}" if where else key
                if isinstance(inner, dict):
                    found += [Mark(m.grade, m.reason, label) for m in self.own_mark(inner)]
                found += self.marks_within(value, label, seen)
        return found

    def element(self, name: str, node: Any, required: bool, default: str, description: str = "") -> Element:
        node = self.resolve(node)
        own = self.own_mark(node)
        grade = own[0].grade if own else default
        text = description or str(node.get("description", ""))
        return Element(name, type_of(node), required, text, grade, own + self.marks_within(node))

    def fields(self, schema: Any, prefix: str, default: str, seen: frozenset[int] = frozenset()) -> list[Element]:
        """Every field of a schema, at any depth, named by its path (`details[].callee`)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return []
        seen = seen | {id(schema)}
        found: list[Element] = []
        for combined in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(combined, []):
                found += self.fields(part, prefix, default, seen)
        required = set(schema.get("required", []))
        for key, value in schema.get("properties", {}).items():
            name = f"{prefix}.{key}" if prefix else key
            item = self.element(name, value, key in required, default)
            items = self.resolve(self.resolve(value).get("items"))
            if isinstance(items, dict):  # the mark of what the array holds (a recipient, ...)
                item.marks += [Mark(m.grade, m.reason, "items") for m in self.own_mark(items)]
            found.append(item)
            found += self.fields(value, name, item.grade, seen)  # an unmarked field inside takes its grade
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            found.append(self.element(f"{prefix}.*" if prefix else "*", extra, False, default, "any other field"))
        items = schema.get("items")
        if items is not None:
            found += self.fields(items, f"{prefix}[]", default, seen)
        return found

    def examples(self, content: dict[str, Any], default: str) -> list[Example]:
        found = []
        for name, example in content.get("examples", {}).items():
            example = self.resolve(example)
            own = self.own_mark(example)
            text = json.dumps(example.get("value"), indent=2, ensure_ascii=False)
            grade, reason = (own[0].grade, own[0].reason) if own else (default, "")
            found.append(Example(str(example.get("summary", name)), grade, reason, text))
        if "example" in content:
            found.append(Example("example", default, "", json.dumps(content["example"], indent=2, ensure_ascii=False)))
        return found

    def entry(self, op: dict[str, Any], kind: str, method: str, where: str) -> Entry:
        default = "observed" if op.get("x-doc-coverage") == "observed" else "documented"
        parameters = []
        for parameter in op.get("parameters", []):
            p = self.resolve(parameter)
            parameters.append(self.element(f"{p['in']}.{p['name']}", p, bool(p.get("required")), default))
            parameters[-1].type = type_of(self.resolve(p.get("schema", {})))
        body: list[Element] = []
        body_examples: list[Example] = []
        if "requestBody" in op:
            request = self.resolve(op["requestBody"])
            content = request.get("content", {}).get("application/json", {})
            body_element = self.element("body", request, bool(request.get("required")), default)
            body_element.type = type_of(self.resolve(content.get("schema", {})))
            body = [body_element, *self.fields(content.get("schema", {}), "body", body_element.grade)]
            body_examples = self.examples(content, body_element.grade)
        responses = []
        for status, response in op.get("responses", {}).items():
            response = self.resolve(response)
            content = response.get("content", {}).get("application/json", {})
            own = self.own_mark(response) + self.marks_within(response)
            grade = (
                own[0].grade if own and not own[0].where else default
            )  # the fields of an assumed answer are assumed with it
            fields = self.fields(content.get("schema", {}), "answer", grade)
            responses.append(
                Response(
                    status, str(response.get("description", "")), grade, own, fields, self.examples(content, grade)
                )
            )
        claims = [
            self.element(claim, op[claim], False, default, claim_text(claim, op[claim]))
            for claim in CLAIMS
            if claim in op
        ]
        return Entry(
            id=str(op["operationId"]),
            kind=kind,
            method=method.upper(),
            where=where,
            summary=str(op.get("summary", "")),
            description=str(op.get("description", "")),
            coverage=str(op.get("x-doc-coverage", "")),
            nav=int(op.get("x-doc-nav", 0)),
            doc_page=str(op.get("x-doc-page", "unknown")),
            source=str(op.get("x-doc-source", "")),
            notes=str(op.get("x-doc-notes", "")),
            python=python_call(op, kind, where),
            parameters=parameters,
            body=body,
            body_examples=body_examples,
            responses=responses,
            claims=claims,
            marks=self.own_mark(op),
        )

    def operations(self) -> list[Entry]:
        found = []
        for path, item in self.spec.get("paths", {}).items():
            for method, op in item.items():
                if method in METHODS:
                    found.append(self.entry(op, "operation", method, path))
        return sorted(found, key=lambda e: e.nav)

    def webhooks(self) -> list[Entry]:
        found = [
            self.entry(item["post"], "webhook", "post", name) for name, item in self.spec.get("webhooks", {}).items()
        ]
        return sorted(found, key=lambda e: e.nav)

    def ledger(self) -> list[LedgerItem]:
        return [
            LedgerItem(e["nav"], e["title"], e["kind"], e["method"], e["doc_page"], e["coverage"], e["source"])
            for e in self.spec["info"].get("x-doc-ledger", [])
        ]


def type_of(schema: dict[str, Any]) -> str:
    if not isinstance(schema, dict):
        return ""
    kind = schema.get("type", "")
    text = " | ".join(kind) if isinstance(kind, list) else str(kind)
    if "format" in schema:
        text += f" ({schema['format']})"
    if "enum" in schema:
        text += ": " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        text += f": `{schema['const']}`"
    if kind == "array" and isinstance(schema.get("items"), dict):
        inner = schema["items"]
        text += " of " + (airudder_spec.schema_name(inner["$ref"]) if "$ref" in inner else type_of(inner))
    return text


def claim_text(claim: str, value: Any) -> str:
    shown = {k: v for k, v in value.items() if not k.startswith("x-")} if isinstance(value, dict) else value
    return f"`{claim}`: `{json.dumps(shown, ensure_ascii=False)}`"


def python_call(op: dict[str, Any], kind: str, where: str) -> str:
    """How Python reaches it: the client's method (named as `scripts/generate-resources` names it), or the
    receiver's decorator."""
    if kind == "webhook":
        return f'@receiver.on("{where}")'
    if op["operationId"] == "get_token":
        return "client.auth (airudder.TokenAuth)"
    tag = str(op.get("tags", [""])[0])
    return f"client.{tag}.{method_name(str(op['operationId']), tag, op)}(...)"
