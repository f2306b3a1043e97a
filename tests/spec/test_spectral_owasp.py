"""Spectral's OWASP ruleset lints the spec (tests/spec/test_tools.py asserts 0 findings with .spectral.yaml):
every OWASP rule turned off says why, and the request-only rules that replace three of them do find a request
integer without bounds and a request array without maxItems."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .conftest import ROOT
from .test_tools import NODE_BIN, SPEC, run, tool

RULESET = ROOT / ".spectral.yaml"


def test_the_ruleset_extends_owasp_and_says_why_of_each_rule_turned_off() -> None:
    text = RULESET.read_text()
    assert "@stoplight/spectral-owasp-ruleset" in yaml.safe_load(text)["extends"]
    lines = text.splitlines()
    unexplained = []
    for i, line in enumerate(lines):
        if re.match(r"\s+owasp:\S+: off$", line):
            above = i - 1
            # up through the other rules of its group (and an override's `files` and `rules` lines) to the comment
            while re.match(r"\s+(owasp:\S+: off|rules:|- files: .*)$", lines[above]):
                above -= 1
            if not lines[above].strip().startswith("#") or len(lines[above].strip()) < 30:
                unexplained.append(line.strip())
    assert unexplained == []


def lint(spec_text: str, tmp_path: Path) -> set[tuple[str, str]]:
    spectral = tool(NODE_BIN / "spectral", "@stoplight/spectral-cli (npm)")
    copy = tmp_path / "openapi.yaml"
    copy.write_text(spec_text)
    result = run([spectral, "lint", "--ruleset", str(RULESET), "-f", "json", "--quiet", str(copy)])
    return {(finding["code"], ".".join(map(str, finding["path"]))) for finding in json.loads(result.stdout or "[]")}


def test_request_bounds_are_required_where_owasp_asks_them(tmp_path: Path) -> None:
    text = SPEC.read_text()
    unbounded = text.replace("        maximum: 2147483647\n", "", 1).replace("          maxItems: 10000\n", "", 1)
    assert unbounded.count("\n") == text.count("\n") - 2
    found = lint(unbounded, tmp_path)
    assert ("request-integer-limit", "components.parameters.Page.schema") in found
    assert ("request-array-limit", "components.schemas.AddWorkflowListsRequest.properties.details") in found
    untyped = text.replace("        format: int32\n", "", 1)
    assert ("request-integer-format-given", "components.parameters.Page.schema") in lint(untyped, tmp_path)
