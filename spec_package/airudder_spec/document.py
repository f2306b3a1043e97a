"""The spec document: found, parsed once, and held in one `$ref` registry (see `schemas.Schemas`).

Every reference in the spec is local (`#/components/...`); they are all followed by the registry's resolver,
and every validator is compiled against the same registry, so a schema is read in one place only. PyYAML is
imported only when the spec is first read: the client, which reads its baked-in table instead, never needs it.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from .schemas import Schemas, pointer


def spec_path() -> Path:
    """The spec shipped in the wheel, or the repository's spec/openapi.yaml in a checkout (editable install)."""
    bundled = resources.files("airudder_spec").joinpath("openapi.yaml")
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"


def read_yaml(path: Path) -> dict[str, Any]:
    """An OpenAPI document from a YAML file (with libyaml's parser when PyYAML has it)."""
    import yaml  # only here: see the module's docstring

    with path.open("rb") as stream:
        document: dict[str, Any] = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return document


@functools.cache
def load() -> dict[str, Any]:
    """The parsed spec (parsed once per process; treat it as read-only)."""
    return read_yaml(spec_path())


@functools.cache
def schemas() -> Schemas:
    """The whole spec in its registry."""
    return Schemas(load())


def registry() -> jsonschema_rs.Registry:
    """The one registry every reference of the spec resolves in (the spec, under SPEC_URI)."""
    return schemas().registry


def at(location: str) -> Any:
    """The spec's value at a JSON pointer (`/components/schemas/Workflow`)."""
    return schemas().at(location)


def locate(node: dict[str, Any], location: str = "") -> tuple[dict[str, Any], str]:
    """(`node` with its `$ref`s followed, its JSON pointer); `location` is where `node` itself sits."""
    return schemas().locate(node, location)


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its `$ref`s followed (a schema, a response, a parameter...)."""
    return schemas().resolve(node)


def validator_at(location: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for the schema at a JSON pointer of the spec, compiled once per process."""
    return schemas().validator_at(location)


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
