"""Versions of the spec and of the project from git: BASE, the spec and the version at a revision."""

from __future__ import annotations

import re
import subprocess
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC = "spec/openapi.yaml"
RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\]", re.M)


class NoRevision(RuntimeError):
    """BASE cannot be read (not a git checkout, a shallow clone, an unknown revision)."""


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise NoRevision(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout


def default_base() -> tuple[str, str]:
    """(revision, why): the newest release tag (`v1.2.3`); with none, the commit that added the newest release's
    section to CHANGELOG.md (the release as the CHANGELOG records it); with neither, `main`."""
    tags = [t for t in git("tag", "--list", "v[0-9]*", "--sort=-v:refname").split() if t]
    if tags:
        return tags[0], f"the last release tag, {tags[0]}"
    released = RELEASE_HEADING.findall((ROOT / "CHANGELOG.md").read_text())
    if released:
        heading = f"## [{released[0]}]"
        commits = git("log", "--format=%H", "--reverse", "-S", heading, "--", "CHANGELOG.md").split()
        if commits:
            return commits[0], f"release {released[0]} as CHANGELOG.md records it (commit {commits[0][:10]}; no tag)"
    return "main", "main (no release tag and no released version in CHANGELOG.md)"


def text_at(revision: str, path: str) -> str:
    return git("show", f"{revision}:{path}")


def spec_at(revision: str) -> dict[str, Any]:
    """The spec at `revision`, read as airudder_spec reads the current one."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "openapi.yaml"
        copy.write_text(text_at(revision, SPEC))
        return airudder_spec.read_yaml(copy)


def version_in(pyproject: str) -> str:
    version: str = tomllib.loads(pyproject)["project"]["version"]
    return version


def version_at(revision: str) -> str:
    return version_in(text_at(revision, "pyproject.toml"))


def unreleased_entries(changelog: str) -> list[str]:
    """The entries (`- ...` lines) of the CHANGELOG's Unreleased section."""
    match = re.search(r"^## \[Unreleased\]\n(.*?)(?=^## \[|\Z)", changelog, re.M | re.S)
    return [line for line in match.group(1).splitlines() if line.startswith("- ")] if match else []
