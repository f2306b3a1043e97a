"""Every example in the README, the docs and the client's docstrings sends only fields that reach AIRudder.

A field the spec does not name is passed through (`extra_body=`, `**fields`) and the mock ignores it, so an
example that sends one loses data without an error (the old "Using the client" example sent its contacts in
`extra_body={"contacts": ...}`: the workflow ran with no calls). This reads each Python example, finds the resource
calls in it, and fails on a keyword or `extra_body` key that the operation's parameters and body do not name.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import airudder
import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
PER_CALL = {"timeout", "max_retries", "extra_headers", "page_size", "max_items", "extra_body"}


def examples() -> Iterator[tuple[str, str]]:
    """(where, source) of every Python example: fenced blocks of the README and docs, indented code in docstrings."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for number, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL), start=1):
            yield f"{page.relative_to(ROOT)} block {number}", block
    for module in sorted((ROOT / "overrides" / "airudder").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node)
                for number, chunk in enumerate(re.findall(r"(?:^    .*\n?)+", doc or "", re.M), start=1):
                    yield f"{module.relative_to(ROOT)} docstring code {number}", textwrap.dedent(chunk)


def operations_by_method() -> dict[tuple[str, str], dict[str, Any]]:
    """(resource, method) -> the spec's operation, read off the generated resources."""
    client = airudder.Client(app_key="k", app_secret="s")
    table = airudder_spec.operations()
    found = {}
    for resource in ("workflows", "outbound_tasks", "waba", "custom_api_node"):
        module = type(getattr(client, resource)).__module__
        source = Path(__import__(module, fromlist=["_"]).__file__ or "").read_text()
        method = r"\n    (?:async )?def (\w+)\((?:(?!\n    (?:async )?def ).)*?self\._(?:call|page)\(\s*(\w+)"
        for match in re.finditer(method, source, re.DOTALL):
            found[(resource, match.group(1))] = table[match.group(2)].definition
    return found


def named_fields(definition: dict[str, Any]) -> set[str]:
    names = {airudder_spec.resolve(p)["name"] for p in definition.get("parameters", [])}
    body = definition.get("requestBody")
    if body:
        schema = airudder_spec.resolve(airudder_spec.resolve(body)["content"]["application/json"]["schema"])
        names |= set(schema.get("properties", {}))
    return names


def sent_fields(call: ast.Call) -> set[str]:
    """The keywords of a call and the keys of its `extra_body` dict literal (PER_CALL options left out)."""
    sent = {k.arg for k in call.keywords if k.arg} - PER_CALL
    for keyword in call.keywords:
        if keyword.arg == "extra_body" and isinstance(keyword.value, ast.Dict):
            sent |= {k.value for k in keyword.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return sent


def resource_calls(source: str) -> Iterator[tuple[str, str, ast.Call]]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and owner.attr == "with_raw_response":
                owner = owner.value
            if isinstance(owner, ast.Attribute):
                yield owner.attr, node.func.attr, node


def unknown_fields(source: str, known: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    found = []
    for resource, method, call in resource_calls(source):
        definition = known.get((resource, method))
        if definition is not None:
            extra = sent_fields(call) - named_fields(definition)
            found += [f"{resource}.{method}: {name}" for name in sorted(extra)]
    return found


def test_no_example_sends_a_field_the_spec_does_not_name() -> None:
    known = operations_by_method()
    assert len(known) == 7
    checked = list(examples())
    assert any("docs/client.md" in where for where, _ in checked)
    problems = {where: found for where, source in checked if (found := unknown_fields(source, known))}
    assert problems == {}


@pytest.mark.parametrize(
    "example",
    [
        'client.workflows.create(workflow_template_id=1, name="n", end_time="e", extra_body={"contacts": []})',
        'await client.workflows.with_raw_response.create(workflow_template_id=1, name="n", end_time="e", contact="+1")',
    ],
)
def test_the_check_catches_a_field_that_would_be_lost(example: str) -> None:
    assert unknown_fields(example.removeprefix("await "), operations_by_method()) != []
