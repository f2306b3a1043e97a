"""A spec document held in one jsonschema-rs registry: its `$ref`s followed and its schemas compiled there.

Works on the whole spec (`airudder_spec.document`) and on the part of it the client bakes in at regeneration
(`airudder_api.spec_table.DOCUMENT`), so both resolve references the same way, by the same code.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

import jsonschema_rs

SPEC_URI = "urn:airudder:openapi"
"""The spec's name in the registry (it has no `$id` of its own)."""


def pointer(*parts: str | int) -> str:
    """The JSON pointer (RFC 6901) of a location in the spec: `pointer("paths", "/a/b", "get")`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _fragment(location: str) -> str:
    return "#" + quote(location, safe="/~")


class Schemas:
    """One document's references and validators; both are worked out once, on first use."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.registry = jsonschema_rs.Registry([(SPEC_URI, document)])
        self._resolver = self.registry.resolver(SPEC_URI)
        self._values: dict[str, Any] = {}
        self._validators: dict[str, jsonschema_rs.Draft202012Validator] = {}
        self._lock = threading.Lock()

    def at(self, location: str) -> Any:
        """The value at a JSON pointer (`/components/schemas/Workflow`), as the registry resolves it."""
        if location not in self._values:
            value = self._resolver.lookup(_fragment(location)).contents
            with self._lock:
                self._values.setdefault(location, value)
        return self._values[location]

    def locate(self, node: dict[str, Any], location: str = "") -> tuple[dict[str, Any], str]:
        """(`node` with its `$ref`s followed, its JSON pointer); `location` is where `node` itself sits."""
        while "$ref" in node:
            reference = node["$ref"]
            if not reference.startswith("#"):
                raise ValueError(f"not a reference into the spec: {reference}")
            location = reference[1:]
            node = self.at(location)
        return node, location

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """`node` with its `$ref`s followed (a schema, a response, a parameter...)."""
        return self.locate(node)[0]

    def validator_at(self, location: str) -> jsonschema_rs.Draft202012Validator:
        """A validator for the schema at a JSON pointer, compiled once."""
        if location not in self._validators:
            compiled = jsonschema_rs.Draft202012Validator(
                {"$ref": SPEC_URI + _fragment(location)}, registry=self.registry
            )
            with self._lock:
                self._validators.setdefault(location, compiled)
        return self._validators[location]
