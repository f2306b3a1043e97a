"""Reading: what the spec says the API has, and what openapi-python-client named each part of it.

The spec gives the tags, operations, pagination and webhooks; the generated package (`airudder_api`, parsed,
never imported) gives each model's fields and each endpoint's keyword arguments. `read_resources` and
`read_webhooks` turn both into the plain records that `render` fills its templates with.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airudder_spec import Schemas

from .name import GeneratorError, Imports, members, method_name, pascal, tag_name, without_absent

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
PER_CALL = ("timeout", "max_retries", "extra_headers")
"""The keywords every resource method takes besides the operation's own: its per-call options."""


# the generated package, read as source ----------------------------------------------------------------------


@dataclass(frozen=True)
class Argument:
    name: str
    annotation: ast.expr
    default: str | None  # source text; None when required


@dataclass
class Package:
    """What openapi-python-client generated: each model's fields, each endpoint's keyword arguments."""

    root: Path
    models: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        init = ast.parse((self.root / "models" / "__init__.py").read_text())
        for node in init.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.models[alias.name] = self.root / "models" / f"{node.module}.py"

    def fields(self, model: str) -> list[Argument]:
        """The attrs fields of a generated model, in order (additional_properties left out)."""
        if model not in self.models:
            raise GeneratorError(f"no generated model {model}")
        tree = ast.parse(self.models[model].read_text())
        cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == model)
        found = []
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.target.id == "additional_properties":
                    continue
                default = ast.unparse(node.value) if node.value is not None else None
                found.append(Argument(node.target.id, node.annotation, default))
        return found

    def is_open(self, model: str) -> bool:
        """Whether the model keeps fields its schema does not name (`additional_properties`)."""
        return "additional_properties: dict[str, Any]" in self.models[model].read_text()

    def field(self, model: str, name: str) -> Argument | None:
        return next((f for f in self.fields(model) if f.name == name), None)

    def endpoint(self, operation_id: str) -> tuple[str, list[Argument]]:
        """(module path, keyword arguments of sync_detailed but `client`) of an operation's generated module."""
        found = sorted((self.root / "api").glob(f"*/{operation_id}.py"))
        if len(found) != 1:
            raise GeneratorError(f"{operation_id}: expected one generated module, found {found}")
        module = f"airudder_api.api.{found[0].parent.name}.{operation_id}"
        tree = ast.parse(found[0].read_text())
        function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "sync_detailed")
        arguments = []
        for arg, default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True):
            if arg.arg != "client":
                assert arg.annotation is not None
                arguments.append(Argument(arg.arg, arg.annotation, ast.unparse(default) if default else None))
        return module, arguments


# the spec ---------------------------------------------------------------------------------------------------


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def success_schema(spec: dict[str, Any], definition: dict[str, Any]) -> str | None:
    response = definition.get("responses", {}).get("200")
    if response is None:
        return None
    response = Schemas(spec).resolve(response)
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return ref_name(schema["$ref"]) if "$ref" in schema else None


def client_headers(spec: dict[str, Any], definition: dict[str, Any]) -> set[str]:
    """Python names of the operation's header parameters that the client sends itself: optional or defaulted ones
    (`User-Agent`, `Content-Type`: set on every request), kept out of the methods' keywords."""
    names = set()
    for parameter in map(Schemas(spec).resolve, definition.get("parameters", [])):
        if parameter.get("in") == "header" and (
            not parameter.get("required") or "default" in parameter.get("schema", {})
        ):
            names.add(parameter["name"].lower().replace("-", "_"))
    return names


def is_time(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether a schema is one of the spec's times (`x-sdk-datetime`): a method takes a datetime for it too."""
    return bool(Schemas(spec).resolve(schema).get("x-sdk-datetime")) if schema else False


def time_names(spec: dict[str, Any], definition: dict[str, Any]) -> set[str]:
    """The Python names of an operation's parameters and (flattened) body fields that are times."""
    schemas = Schemas(spec)
    names = {
        parameter["name"]
        for parameter in map(schemas.resolve, definition.get("parameters", []))
        if is_time(spec, parameter.get("schema", {}))
    }
    body = definition.get("requestBody")
    content = schemas.resolve(body).get("content", {}) if body else {}
    for media in content.values():
        properties = schemas.resolve(media.get("schema", {})).get("properties", {})
        names |= {name for name, schema in properties.items() if is_time(spec, schema)}
    return names


# one operation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyword:
    """A keyword parameter of a resource method: its name, annotation source and default source (None: required)."""

    name: str
    annotation: str
    default: str | None = None


@dataclass
class Method:
    """One resource method: what its template needs, every part already named."""

    name: str
    operation_id: str
    module: str  # the generated endpoint module's dotted path
    keywords: list[Keyword]
    returns: str  # the answer's type (for a paged method: the item's type)
    summary: str
    description: str
    extra_doc: str = ""
    body_model: str | None = None  # the request model built from the flattened body fields
    body_fields: list[str] = field(default_factory=list)
    extra_body: str | None = None  # "mapping": an `extra_body=` keyword; "fields": `**fields`
    call: list[str] = field(default_factory=list)  # keywords passed on to the endpoint as they are
    page_params: list[str] | None = None  # a paged method: the keywords sent with every page
    times: set[str] = field(default_factory=set)  # keywords that take a datetime too, sent in the docs' format

    @property
    def function(self) -> str:
        return self.module.rsplit(".", 1)[1]

    def sent(self, name: str) -> str:
        """The expression a keyword is sent as: itself, or a time in the docs' format."""
        return f'doc_time({name}, "{self.operation_id}", "{name}")' if name in self.times else name


@dataclass
class Signature:
    """A method's keywords as they are collected: required ones first, in the generated endpoint's order."""

    package: Package
    imports: Imports
    times: set[str] = field(default_factory=set)
    required: list[Keyword] = field(default_factory=list)
    optional: list[Keyword] = field(default_factory=list)

    def add(self, argument: Argument) -> None:
        annotation = self.imports.annotation(argument.annotation, self.package.models)
        if argument.name in self.times:
            if "str" not in {ast.unparse(m) for m in members(argument.annotation)}:
                raise GeneratorError(f"{argument.name}: a time the generated code does not type as str")
            annotation = annotation.replace("str", "str | datetime.datetime", 1)
        if argument.default is None:
            self.required.append(Keyword(argument.name, annotation))
        elif "Unset" in ast.unparse(argument.annotation):
            # a field the caller leaves out is not sent, so AIRudder (or the mock) applies its own default: the
            # spec's `default` documents the server's choice, it is not ours to send on the caller's behalf
            self.optional.append(Keyword(argument.name, annotation, self.imports.default("UNSET")))
        else:
            self.optional.append(Keyword(argument.name, annotation, self.imports.default(argument.default)))

    @property
    def keywords(self) -> list[Keyword]:
        return [*self.required, *self.optional]


def read_body(method: Method, signature: Signature, arguments: list[Argument], body: Argument) -> None:
    """Flatten a request model's fields into the method's keywords; fields it keeps open go in `extra_body`."""
    package = signature.package
    model = ast.unparse(body.annotation)
    signature.imports.models.add(model)
    fields = package.fields(model)
    for item in fields:
        signature.add(item)
    clash = ({a.name for a in arguments} - {"body"}) & {f.name for f in fields}
    if clash:
        raise GeneratorError(f"{method.operation_id}: body fields {clash} clash with parameters")
    method.body_model, method.body_fields = model, [f.name for f in fields]
    if not package.is_open(model):
        method.extra_doc = ""
    elif fields:
        signature.optional.append(Keyword("extra_body", "Mapping[str, object] | None", "None"))
        method.extra_body = "mapping"
        method.extra_doc = "Fields the spec does not list go in `extra_body`; they are sent as given."
    else:
        method.extra_body = "fields"
        method.extra_doc = "The docs do not list the body's fields: pass them as keywords; they are sent as given."


def read_returns(
    spec: dict[str, Any], package: Package, imports: Imports, operation_id: str, definition: dict[str, Any]
) -> tuple[ast.expr, bool]:
    """The answer's `data` annotation (or the answer model when it has no `data`), and whether it has `data`."""
    schema = success_schema(spec, definition)
    if schema is None or schema not in package.models:
        raise GeneratorError(f"{operation_id}: no generated model for its 200 answer ({schema})")
    data = package.field(schema, "data")
    if not data:
        imports.models.add(schema)
        return ast.Name(schema), False
    return without_absent(data.annotation), True


def page_items(package: Package, imports: Imports, paging: dict[str, Any], data: ast.expr, has_data: bool) -> str:
    """The type of a paged operation's items (its `x-pagination` path below `data`), or `Any`."""
    if not has_data or paging["items"][0] != "data" or len(paging["items"]) != 2:
        return "Any"
    page_model = ast.unparse(data)
    holder = package.field(page_model, paging["items"][1]) if page_model in package.models else None
    listed = without_absent(holder.annotation) if holder else None
    if isinstance(listed, ast.Subscript) and ast.unparse(listed.value) == "list":
        return imports.annotation(listed.slice, package.models)
    return "Any"


def read_method(
    spec: dict[str, Any], package: Package, imports: Imports, operation_id: str, tag: str, definition: dict[str, Any]
) -> Method:
    module, arguments = package.endpoint(operation_id)
    paging = definition.get("x-pagination")
    method = Method(
        name=method_name(operation_id, tag, definition),
        operation_id=operation_id,
        module=module,
        keywords=[],
        returns="",
        summary=definition.get("summary", operation_id),
        description=definition.get("description", ""),
        page_params=[] if paging else None,
    )
    method.times = time_names(spec, definition)
    signature = Signature(package, imports, method.times)
    skipped = client_headers(spec, definition)
    for argument in arguments:
        if argument.name in skipped:
            continue
        if argument.name == "body" and ast.unparse(argument.annotation) in package.models:
            read_body(method, signature, arguments, argument)
            method.call.append("body")
        elif argument.name == "body":
            signature.add(argument)  # not one model (a union, a list, ...): the body is one keyword, as generated
            method.call.append("body")
        elif paging and argument.name in (paging["page_param"], paging["size_param"]):
            continue
        else:
            signature.add(argument)
            (method.page_params if method.page_params is not None else method.call).append(argument.name)
    data, has_data = read_returns(spec, package, imports, operation_id, definition)
    if paging:
        signature.optional += [Keyword("page_size", "int | None", "None"), Keyword("max_items", "int | None", "None")]
        method.returns = page_items(package, imports, paging, data, has_data)
        method.extra_doc = (
            f"Returns every item, page after page ({paging['size_param']} up to {paging['max_size']}: `page_size`),"
            " lazily; `max_items` stops early; `.pages()` gives whole pages."
        )
    else:
        method.returns = imports.annotation(data, package.models)
    clash = {k.name for k in signature.keywords} & set(PER_CALL)
    if clash:
        raise GeneratorError(f"{operation_id}: parameters {clash} clash with the per-call options")
    signature.optional += [
        Keyword("timeout", "float | httpx.Timeout | None", "None"),
        Keyword("max_retries", "int | None", "None"),
        Keyword("extra_headers", "Mapping[str, str] | None", "None"),
    ]
    method.keywords = signature.keywords
    return method


# the whole API ----------------------------------------------------------------------------------------------


@dataclass
class Resource:
    """One tag of the spec: a resource class (sync and async) with a method per operation."""

    tag: str
    description: str
    methods: list[Method]
    imports: Imports

    @property
    def sync(self) -> str:
        return pascal(self.tag)

    @property
    def asynchronous(self) -> str:
        return f"Async{pascal(self.tag)}"


def read_resources(spec: dict[str, Any], package: Package) -> list[Resource]:
    """The spec's operations that need a token, one resource per tag, tags in name order."""
    descriptions = {t["name"]: t.get("description", t["name"]) for t in spec.get("tags", [])}
    by_tag: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for item in spec.get("paths", {}).values():
        for verb, definition in item.items():
            if verb in HTTP_METHODS and definition.get("security") != []:
                tag = (definition.get("tags") or ["default"])[0]
                by_tag.setdefault(tag, []).append((definition["operationId"], definition))
    resources = []
    for tag in sorted(by_tag):
        imports = Imports()
        methods = [read_method(spec, package, imports, op, tag_name(tag), d) for op, d in by_tag[tag]]
        seen: dict[str, str] = {}
        for method in methods:
            if method.name in seen:
                raise GeneratorError(
                    f"{method.operation_id} and {seen[method.name]} are both {tag}.{method.name}: set x-sdk-name"
                )
            seen[method.name] = method.operation_id
        resources.append(Resource(tag, descriptions.get(tag, tag), methods, imports))
    return resources


def read_webhooks(spec: dict[str, Any], package: Package) -> list[tuple[str, str]]:
    """(kind, payload model) of every webhook of the spec, in its order."""
    kinds: list[tuple[str, str]] = []
    for name, item in spec.get("webhooks", {}).items():
        model = ref_name(item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        if model not in package.models:
            raise GeneratorError(f"webhook {name}: no generated model {model}")
        kinds.append((name, model))
    return kinds
