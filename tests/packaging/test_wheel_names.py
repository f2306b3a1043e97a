"""Every wheel file name a reader copies from the README or the docs is the one `pip wheel` builds today: a version
bump that leaves an old name behind gives the reader a command that finds no file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHEEL = re.compile(r"airudder_workflow-(?P<version>[^-\s]+)-py3-none-any\.whl")


def test_every_wheel_name_in_the_readme_and_the_docs_has_the_current_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    named = {
        (page.relative_to(ROOT).as_posix(), m["version"]) for page in pages for m in WHEEL.finditer(page.read_text())
    }
    assert named, "the README and the docs name no wheel: the install examples moved?"
    assert {(page, v) for page, v in named if v != version} == set(), f"the version in pyproject.toml is {version}"
