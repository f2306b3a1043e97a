"""Evidence: one JSON value held against the spec schema it should fit, element by element.

A value (a request body, an answer, a webhook payload) is walked together with its schema. Every schema node the
value reaches is an *element* of the spec, named by the JSON pointer where it is defined (a property's own pointer
when it carries an `x-assumed`/`x-observed` mark beside its `$ref`). Each element reached is confirmed, or
contradicted when the value breaks one of the element's own rules (a missing required field counts against the
field). Object keys the schema does not name and enum values it does not list are noted apart: the spec may be
open there, but they are still what the docs do not say.

The walk never quotes a value but through `shape`, which keeps a value's form and drops its content, so that what
it returns can be written to a report that a person reads without seeing a phone number or a name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from .document import at as value_at
from .document import locate, validator_at
from .schemas import pointer as json_pointer

COMBINATORS = ("allOf", "anyOf", "oneOf")
MAX_ERRORS = 50
"""Per value: a body that breaks more rules than this is contradicted already; the rest add nothing."""


@dataclass(frozen=True)
class Element:
    """One element of the spec that a value reached."""

    pointer: str
    """Where it is defined in the spec (a JSON pointer): what a spec change edits."""
    at: str
    """Where in the value (`answer.data.lists[].status`): what a person reads."""
    grade: str
    """`assumed`, `observed` or `documented`, from the element's own mark (else the operation's grade)."""
    why: str | None
    """The `x-assumed` reason, for an assumed element."""


@dataclass
class Evidence:
    """What one value showed: elements confirmed and contradicted, and what the spec does not name."""

    confirmed: list[Element] = field(default_factory=list)
    contradicted: list[tuple[Element, str, Any]] = field(default_factory=list)
    """(element, the rule broken, the offending value's `shape`)."""
    unnamed_fields: list[str] = field(default_factory=list)
    """`at` paths of object keys the schema does not name (`answer.data.total_count`)."""
    unnamed_values: list[tuple[str, Any]] = field(default_factory=list)
    """(`at`, value's `shape`) of values outside an element's enum."""
    undescribed_values: list[tuple[str, Any]] = field(default_factory=list)
    """(`at`, value's `shape`) of values an element's description does not mention (it has no enum)."""
    described: list[tuple[tuple[str | int, ...], str, tuple[str, ...]]] = field(default_factory=list)
    """(path, `at`, the values named) of every value reached that a description names values for."""


@dataclass(frozen=True)
class _Node:
    """A schema node, its references followed, with what the walk needs of it (worked out once per pointer)."""

    pointer: str
    marked: dict[str, Any]
    properties: dict[str, tuple[dict[str, Any], str]]
    required: tuple[str, ...]
    items: tuple[dict[str, Any], str] | None
    enum: tuple[Any, ...] | None
    described: tuple[str, ...] | None
    """The values its description names ("Values seen include `cancelled` and `finished`"), for a string
    without an enum: the spec is open there, but a value it does not mention is still news."""
    takes_objects: bool
    takes_arrays: bool


def _types(schema: dict[str, Any]) -> set[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    return {kind} if isinstance(kind, str) else set(kind)


def _node(raw: dict[str, Any], location: str) -> _Node:
    resolved, where = locate(raw, location)
    own_mark = ("x-assumed" in raw or "x-observed" in raw) and "$ref" in raw
    pointer = location if own_mark else where
    properties: dict[str, tuple[dict[str, Any], str]] = {}
    required: list[str] = []
    parts = [(resolved, where)]
    for combinator in COMBINATORS:
        for index, branch in enumerate(resolved.get(combinator, [])):
            parts.append(locate(branch, f"{where}/{combinator}/{index}"))
    items = None
    enum: list[Any] | None = None
    for part, part_where in parts:
        for name, sub in part.get("properties", {}).items():
            properties.setdefault(name, (sub, part_where + json_pointer("properties", name)))
        required += part.get("required", [])
        if items is None and isinstance(part.get("items"), dict):
            items = (part["items"], f"{part_where}/items")
        if "enum" in part:
            enum = [*(enum or []), *part["enum"]]
        elif "const" in part:
            enum = [*(enum or []), part["const"]]
    types = _types(resolved)
    described = None
    description = resolved.get("description", "")
    if enum is None and types == {"string"} and "value" in description.lower():
        described = tuple(_BACKTICKED.findall(description)) or None
    return _Node(
        pointer,
        raw if own_mark else resolved,
        properties,
        tuple(dict.fromkeys(required)),
        items,
        tuple(enum) if enum is not None else None,
        described,
        types is None or "object" in types,
        types is None or "array" in types,
    )


@functools.cache
def _node_cached(location: str) -> _Node:
    return _node(value_at(location), location)


_BACKTICKED = re.compile(r"`([^`]+)`")


def grade_of(marked: dict[str, Any], default: str) -> tuple[str, str | None]:
    """(grade, why) of a node from its own mark."""
    if "x-assumed" in marked:
        why = marked["x-assumed"]
        return "assumed", why if isinstance(why, str) else str(why)
    if "x-observed" in marked:
        return "observed", None
    return default, None


def examine(location: str, value: Any, at: str, default_grade: str = "documented") -> Evidence:
    """Hold `value` against the schema at the spec's JSON pointer `location`; `at` names the value's root."""
    evidence = Evidence()
    reached: dict[tuple[str | int, ...], Element] = {}
    _walk(_node_cached(location), value, at, (), reached, evidence, default_grade)
    broken: dict[tuple[str | int, ...], tuple[str, Any]] = {}
    validator = validator_at(location)
    if not validator.is_valid(value):
        for count, error in enumerate(validator.iter_errors(value)):
            if count >= MAX_ERRORS:
                break
            if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required):
                continue  # the walk names the missing field itself
            path = tuple(error.instance_path)
            while path not in reached and path:
                path = path[:-1]
            if path in reached and path not in broken:
                broken[path] = (rule(error), shape(_dig(value, tuple(error.instance_path))))
    for path, element in reached.items():
        if path in broken:
            evidence.contradicted.append((element, *broken[path]))
        else:
            evidence.confirmed.append(element)
    return evidence


def _walk(
    node: _Node,
    value: Any,
    at: str,
    path: tuple[str | int, ...],
    reached: dict[tuple[str | int, ...], Element],
    evidence: Evidence,
    default_grade: str,
) -> None:
    grade, why = grade_of(node.marked, default_grade)
    reached[path] = Element(node.pointer, at, grade, why)
    if node.enum is not None and value not in node.enum:
        evidence.unnamed_values.append((at, shape(value, keep_words=True)))
    elif node.described is not None:
        evidence.described.append((path, at, node.described))
        if isinstance(value, str) and value not in node.described:
            evidence.undescribed_values.append((at, shape(value, keep_words=True)))
    if isinstance(value, dict) and node.takes_objects:
        for name, item in value.items():
            found = node.properties.get(name)
            if found is None:
                evidence.unnamed_fields.append(f"{at}.{_field_name(name)}")
            else:
                _walk(_node_cached(found[1]), item, f"{at}.{name}", (*path, name), reached, evidence, default_grade)
        for name in node.required:
            if name not in value and name in node.properties:
                child = _node_cached(node.properties[name][1])
                child_grade, child_why = grade_of(child.marked, default_grade)
                missing = Element(child.pointer, f"{at}.{name}", child_grade, child_why)
                evidence.contradicted.append((missing, "is missing (the spec requires it)", None))
    elif isinstance(value, list) and node.takes_arrays and node.items is not None:
        child = _node_cached(node.items[1])
        for index, item in enumerate(value):
            _walk(child, item, f"{at}[]", (*path, index), reached, evidence, default_grade)


_PERSONAL = re.compile(r"[0-9]{5}|@|://")


def _field_name(name: str) -> str:
    """A key as the report names it: as it is, unless it looks like data (a number, an address, a link) used as
    a key, which is then shaped."""
    return str(shape(name)) if _PERSONAL.search(name) else name


def _dig(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def json_type(value: Any) -> str:
    """The JSON type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def rule(error: jsonschema_rs.ValidationError) -> str:
    """The rule a value broke, in words that never quote the value (the validator's own message does)."""
    kind = error.kind
    keyword = str(error.schema_path[-1]) if error.schema_path else kind.name
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
        expected = kind.types if isinstance(kind.types, list) else [kind.types]
        return f"is {json_type(_instance(error))}, the spec says {' or '.join(map(str, expected))}"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return f"has fields the spec does not allow: {', '.join(sorted(kind.unexpected))}"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        return "is not one of the values the spec lists"
    return f"breaks the spec's `{keyword}`"


def _instance(error: jsonschema_rs.ValidationError) -> Any:
    return error.instance


WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,39}$")
"""A value kept as it is by `shape(keep_words=True)`: a status or a kind is a word, a name or a number is not."""
_DIGIT, _LOWER, _UPPER = re.compile(r"[0-9]"), re.compile(r"[a-z]"), re.compile(r"[A-Z]")


def shape(value: Any, keep_words: bool = False) -> Any:
    """A value's form without its content: digits become 9, letters x or X, long texts are cut; numbers keep only
    their digit count. `keep_words`: one short word without digits or spaces (`PAUSED`, `finished`) is kept as it
    is: for a value outside an enum, the word is the finding (a status, a kind), and a phone number, a URL or a
    full name is never such a word."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        digits = len(str(abs(int(value))))
        return f"<{json_type(value)}, {digits} digit{'s' if digits != 1 else ''}>"
    if isinstance(value, str):
        if keep_words and WORD.match(value) and not _DIGIT.search(value):
            return value
        masked = _UPPER.sub("X", _LOWER.sub("x", _DIGIT.sub("9", value[:40])))
        return masked + ("..." if len(value) > 40 else "")
    if isinstance(value, list):
        return [shape(item) for item in value[:3]] + (["..."] if len(value) > 3 else [])
    if isinstance(value, dict):
        return {str(key): shape(item) for key, item in list(value.items())[:10]}
    return f"<{type(value).__name__}>"


@dataclass(frozen=True)
class Plan:
    """What every valid value of one structure (its keys, its lists' lengths) shows: the same elements confirmed,
    the same fields unnamed. Worked out by one `examine`, then only counted: traffic repeats a few structures
    millions of times, and a receiver must stay fast (see `plan_for`)."""

    number: int
    evidence: Evidence
    """Confirmations and unnamed fields only (a valid value contradicts nothing; its values are checked apart)."""

    def undescribed(self, value: Any) -> list[tuple[str, Any]]:
        """(`at`, shape) of this value's values that their element's description does not name."""
        found = []
        for path, at, named in self.evidence.described:
            item = _dig(value, path)
            if isinstance(item, str) and item not in named:
                found.append((at, shape(item, keep_words=True)))
        return found


MAX_PLANS = 2000
_PLANS: dict[tuple[Any, ...], Plan] = {}
PLANS: dict[int, Plan] = {}
"""Every plan by its number (what a report counts against until it settles)."""


def structure(value: Any) -> Any:
    """A value's keys and list lengths, nothing of its scalars: equal for values whose evidence is the same (a
    value that fits its schema; one that does not is examined whole). Built with as few Python steps as can be:
    it runs for every webhook a receiver takes."""
    kind = type(value)
    if kind is dict:
        inner = [structure(item) for item in value.values() if type(item) in _CONTAINERS]
        return (tuple(value), tuple(inner)) if inner else tuple(value)
    if kind is list:
        if any(type(item) in _CONTAINERS for item in value):
            return tuple([structure(item) for item in value])
        return len(value)
    return None


_CONTAINERS = (dict, list)


def plan_for(location: str, value: Any, at: str, default_grade: str = "documented") -> Plan | None:
    """The plan of a value that conforms to the schema at `location` (None when it does not: examine it whole)."""
    if not validator_at(location).is_valid(value):
        return None
    key = (location, at, default_grade, structure(value))
    plan = _PLANS.get(key)
    if plan is None:
        evidence = examine(location, value, at, default_grade)
        evidence.unnamed_values, evidence.undescribed_values = [], []
        plan = Plan(len(PLANS), evidence)
        if len(_PLANS) < MAX_PLANS:
            PLANS[plan.number] = _PLANS[key] = plan
        else:
            return None  # so many structures that none repeats: examine each whole
    return plan
