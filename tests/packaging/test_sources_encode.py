"""Every string literal in the packages we ship is valid UTF-8: Python 3.13 encodes docstrings when it compiles
them, so a lone surrogate written unescaped (`"\\ud800"` in a docstring) stops the package importing there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["spec_package", "generated", "overrides", "mock_server", "contract_tests"]
SOURCES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_string_literal_encodes_as_utf8(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node.value.encode("utf-8")
            except UnicodeEncodeError as exc:
                pytest.fail(f"line {node.lineno}: {exc}; escape it as \\\\u{ord(node.value[exc.start]):04x}")
