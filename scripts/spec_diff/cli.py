"""scripts/spec-diff [BASE] [--check]: the report, and the gate scripts/test runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import airudder_spec

from . import report, revisions, rules


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="spec-diff",
        description="What spec/openapi.yaml's changes since BASE do to callers and webhook handlers: each change "
        "classified, the version bump they need and CHANGELOG lines.",
    )
    parser.add_argument(
        "base",
        nargs="?",
        help="a git revision; default: the last release tag, else the commit that added the newest release to "
        "CHANGELOG.md, else main",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail on a breaking change unless pyproject.toml's "
        "version is bumped from BASE's accordingly and CHANGELOG.md's Unreleased section has an entry",
    )
    parser.add_argument("--spec", type=Path, default=revisions.ROOT / revisions.SPEC, help="the new spec")
    parser.add_argument("--base-spec", type=Path, help="compare with this file instead of BASE's spec")
    parser.add_argument("--base-version", help="the version that goes with --base-spec (default: the current one)")
    parser.add_argument("--pyproject", type=Path, default=revisions.ROOT / "pyproject.toml")
    parser.add_argument("--changelog", type=Path, default=revisions.ROOT / "CHANGELOG.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    version = revisions.version_in(args.pyproject.read_text())
    try:
        if args.base_spec:
            old, label = airudder_spec.read_yaml(args.base_spec), str(args.base_spec)
            base_version = args.base_version or version
        else:
            base, why = (args.base, args.base) if args.base else revisions.default_base()
            old, label, base_version = revisions.spec_at(base), why, revisions.version_at(base)
    except revisions.NoRevision as exc:
        print(f"spec-diff: BASE cannot be read: {exc}", file=sys.stderr)
        return 2
    found = rules.changes(old, airudder_spec.read_yaml(args.spec))
    print(report.text(found, label, base_version))
    if not args.check or not any(change.breaking for change in found):
        return 0
    bump = report.needed_bump(found, base_version)
    assert bump is not None
    needed = report.bumped(base_version, bump)
    problems = []
    if report.parse(version) < report.parse(needed):
        problems.append(f"pyproject.toml's version is {version}: a breaking change since {base_version} needs {needed}")
    if not revisions.unreleased_entries(args.changelog.read_text()):
        problems.append("CHANGELOG.md's Unreleased section has no entry: add the lines above")
    for problem in problems:
        print(f"spec-diff --check: {problem}", file=sys.stderr)
    return 1 if problems else 0
