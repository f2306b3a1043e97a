"""The report: changes by who they break, the version bump they need, and CHANGELOG lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from .changes import Change

Bump = Literal["major", "minor", "patch"]
HEADINGS = (
    ("callers", "Breaking for callers"),
    ("webhook handlers", "Breaking for webhook handlers"),
    ("compatible", "Compatible"),
    ("provenance", "Provenance (how each element is known; no code changes with it)"),
)


def parse(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("+")[0].split("-")[0].split("."))
    return major, minor, patch


def needed_bump(changes: Iterable[Change], version: str) -> Bump | None:
    """Semver from `version`: a breaking change bumps the major (the minor while 0.x); an addition bumps the
    minor (the patch while 0.x); any other change, provenance included, the patch."""
    found = list(changes)
    if not found:
        return None
    zero = parse(version)[0] == 0
    if any(change.breaking for change in found):
        return "minor" if zero else "major"
    if any(change.section == "Added" and change.impact == "compatible" for change in found) and not zero:
        return "minor"
    return "patch"


def bumped(version: str, bump: Bump) -> str:
    major, minor, patch = parse(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def changelog(changes: Iterable[Change]) -> str:
    """Keep a Changelog sections (Added, Changed, Removed) with one line per change; breaking ones say so."""
    found = list(changes)
    lines = []
    for section in ("Added", "Changed", "Removed"):
        entries = [c for c in found if c.section == section and c.impact != "provenance"]
        if section == "Changed":
            entries += [c for c in found if c.impact == "provenance"]
        if entries:
            entries.sort(key=lambda c: (not c.breaking, c.where, c.text))
            lines += [f"### {section}", "", *(c.line() for c in entries), ""]
    return "\n".join(lines).rstrip("\n")


def text(changes: Iterable[Change], base: str, version: str) -> str:
    found = list(changes)
    if not found:
        return f"spec/openapi.yaml: no change since {base}."
    out = [f"spec/openapi.yaml since {base}: {len(found)} change{'s' if len(found) != 1 else ''}", ""]
    for impact, heading in HEADINGS:
        group = [c for c in found if c.impact == impact]
        if group:
            out += [f"{heading} ({len(group)}):", *(f"  - [{c.kind}] {c.where}: {c.text}" for c in group), ""]
    bump = needed_bump(found, version)
    assert bump is not None
    out += [
        f"Proposed version: {version} -> {bumped(version, bump)} ({bump})",
        "",
        "CHANGELOG lines:",
        "",
        changelog(found),
    ]
    return "\n".join(out)
