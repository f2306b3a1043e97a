"""The spec document: found, parsed once, and held in one `$ref` registry (jsonschema-rs's).

Every reference in the spec is local (`#/components/...`); they are all followed here, by the registry's
resolver, and every validator is compiled against the same registry, so a schema is read in one place only.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema_rs
import yaml

SPEC_URI = "urn:airudder:openapi"
"""The spec's name in the registry (it has no `$id` of its own)."""


def spec_path() -> Path:
    """The spec shipped in the wheel, or the repository's spec/openapi.yaml in a checkout (editable install)."""
    bundled = resources.files("airudder_spec").joinpath("openapi.yaml")
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"


@functools.cache
def load() -> dict[str, Any]:
    """The parsed spec (parsed once per process; treat it as read-only)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with spec_path().open("rb") as stream:
        spec: dict[str, Any] = yaml.load(stream, Loader=loader)
    return spec


@functools.cache
def registry() -> jsonschema_rs.Registry:
    """The one registry every reference resolves in: the spec, under SPEC_URI."""
    return jsonschema_rs.Registry([(SPEC_URI, load())])


def pointer(*parts: str | int) -> str:
    """The JSON pointer (RFC 6901) of a location in the spec: `pointer("paths", "/a/b", "get")`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


@functools.cache
def at(location: str) -> Any:
    """The spec's value at a JSON pointer (`/components/schemas/Workflow`), as the registry resolves it."""
    return registry().resolver(SPEC_URI).lookup("#" + quote(location, safe="/~")).contents


def locate(node: dict[str, Any], location: str = "") -> tuple[dict[str, Any], str]:
    """(`node` with its `$ref`s followed, its JSON pointer); `location` is where `node` itself sits."""
    while "$ref" in node:
        reference = node["$ref"]
        if not reference.startswith("#"):
            raise ValueError(f"not a reference into the spec: {reference}")
        location = reference[1:]
        node = at(location)
    return node, location


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its `$ref`s followed (a schema, a response, a parameter...)."""
    return locate(node)[0]


@functools.cache
def validator_at(location: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for the schema at a JSON pointer of the spec, compiled once per process."""
    reference = SPEC_URI + "#" + quote(location, safe="/~")
    return jsonschema_rs.Draft202012Validator({"$ref": reference}, registry=registry())


def schema_name(ref: str) -> str:
    """`#/components/schemas/Name` -> `Name`."""
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise ValueError(f"not a component schema reference: {ref}")
    return ref[len(prefix) :]


def schema(name: str) -> dict[str, Any]:
    """The component schema `name`."""
    schemas: dict[str, Any] = load()["components"]["schemas"]
    if name not in schemas:
        raise KeyError(f"no component schema named {name!r} in the spec")
    found: dict[str, Any] = schemas[name]
    return found


def validator(name: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for the component schema `name` (compiled once per process)."""
    schema(name)
    return validator_at(pointer("components", "schemas", name))
