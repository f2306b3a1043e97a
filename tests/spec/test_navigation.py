"""Every item of the docs' Workflow navigation is in the spec, with its source page and coverage grade."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest

from .conftest import FACTS, ROOT, documented_items, needs_facts

NAVIGATION_ITEMS = 29
GRADES = {"full", "partial", "title-only", "observed"}
LEDGER_GRADES = GRADES - {"observed"}
PAGE_ID = re.compile(r"^(api-\d+|unknown)$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def test_each_navigation_item_is_a_path_a_webhook_or_a_ledger_entry_exactly_once(
    spec: dict[str, Any],
) -> None:
    navs = [op["x-doc-nav"] for _, op in documented_items()] + [e["nav"] for e in spec["info"]["x-doc-ledger"]]
    assert sorted(navs) == list(range(1, NAVIGATION_ITEMS + 1))


@pytest.mark.parametrize(("where", "op"), list(documented_items()), ids=lambda v: v if isinstance(v, str) else "")
def test_each_operation_and_webhook_says_where_it_came_from(where: str, op: dict[str, Any]) -> None:
    assert PAGE_ID.match(op["x-doc-page"]), where
    assert op["x-doc-coverage"] in GRADES, where
    assert_source_exists(op["x-doc-source"], where)
    if op["x-doc-coverage"] != "full":
        assert op.get("x-doc-notes"), f"{where}: a partial or title-only item must say what is missing"
    assert SNAKE.match(op["operationId"]) and op["tags"], where


def assert_source_exists(source: str, where: str) -> None:
    """`x-doc-source` names a file of shared/ (checked when shared/ is beside this checkout)."""
    assert source.startswith("shared/"), where
    path = ROOT.parent / source.split(" ", 1)[0]
    facts_expected = FACTS.is_file() or os.environ.get("CI") == "true"
    assert path.is_file() or not facts_expected, f"{where}: {source} does not exist"


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, op in documented_items()]
    ids += [e["reserved_operation_id"] for e in spec["info"]["x-doc-ledger"]]
    assert len(ids) == len(set(ids))


def test_ledger_entries_carry_title_method_page_and_grade(spec: dict[str, Any]) -> None:
    for entry in spec["info"]["x-doc-ledger"]:
        assert entry["title"] and entry["method"] in {"GET", "POST"} and PAGE_ID.match(entry["doc_page"])
        assert entry["coverage"] in LEDGER_GRADES and entry["known"]
        assert_source_exists(entry["source"], entry["title"])


def test_every_call_but_the_token_call_needs_the_token_scheme(spec: dict[str, Any]) -> None:
    assert spec["security"] == [{"Token": []}]
    scheme = spec["components"]["securitySchemes"]["Token"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    unsecured = {where for where, op in documented_items() if op.get("security") == []}
    assert unsecured == {"POST /service/cloud/auth"} | {f"webhook {name}" for name in spec["webhooks"]}


@needs_facts
def test_no_path_is_invented_every_path_is_in_the_facts() -> None:
    documented = set(re.findall(r"\| (GET|POST) \| (/service/\S+) \|", FACTS.read_text()))
    items = [(tuple(where.split(" ", 1)), op) for where, op in documented_items() if not where.startswith("webhook")]
    in_spec = {route for route, op in items if op["x-doc-coverage"] != "observed"}
    assert in_spec <= documented
    # and every path the facts know is in the spec
    assert documented <= in_spec
    # a path only public code shows is graded observed, and public-code.md names it
    public_code = (FACTS.parent / "public-code.md").read_text()
    observed = [route for route, op in items if op["x-doc-coverage"] == "observed"]
    assert observed and all(f"`{method} {path}`" in public_code for method, path in observed)


def test_size_is_limited_as_documented(spec: dict[str, Any]) -> None:
    size = spec["components"]["parameters"]["Size"]["schema"]
    assert (size["default"], size["maximum"]) == (20, 200)


def test_coverage_table_prints_every_item_and_the_docs_show_it() -> None:
    table = subprocess.run([sys.executable, ROOT / "scripts" / "coverage"], capture_output=True, text=True, check=True)
    rows = [line for line in table.stdout.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == NAVIGATION_ITEMS
    check = subprocess.run([sys.executable, ROOT / "scripts" / "coverage", "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
