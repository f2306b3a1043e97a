"""Rendering: the Jinja templates below `templates/` filled with what `read` found, formatted by the project's ruff.

Every generated file is one template: `resource.py.jinja` (a resource module per tag), `resources_init.py.jinja`
(the resources on the clients) and `webhook_kinds.py.jinja` (the webhook kinds and their typed overloads).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2

from .name import HEADER, GeneratorError, docstring
from .read import Keyword, Resource

TEMPLATES = Path(__file__).resolve().parent / "templates"


def keyword(item: Keyword) -> str:
    """A keyword parameter's source: `name: annotation` and its default, if any."""
    text = f"{item.name}: {item.annotation}"
    return text if item.default is None else f"{text} = {item.default}"


def environment() -> jinja2.Environment:
    """Templates as they are written (no autoescaping: this is Python), each filter a naming step of `name`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters.update(
        docstring=docstring,
        keyword=keyword,
        quoted=lambda text: f'"{text}"',
        passed=lambda name, method: f"{name}={method.sent(name)}",
        entry=lambda name, method: f'"{name}": {method.sent(name)}',
    )
    env.globals["header"] = HEADER
    return env


def render(resources: list[Resource], webhooks: list[tuple[str, str]]) -> dict[str, str]:
    """Relative path below overrides/airudder -> source, for every generated file (not yet formatted)."""
    env = environment()
    files = {
        f"resources/{resource.tag}.py": env.get_template("resource.py.jinja").render(resource=resource)
        for resource in resources
    }
    exported = sorted(
        ["AsyncResources", "SyncResources", *(r.sync for r in resources), *(r.asynchronous for r in resources)]
    )
    files["resources/__init__.py"] = env.get_template("resources_init.py.jinja").render(
        resources=resources, exported=exported
    )
    models = sorted({model for _, model in webhooks})
    files["webhooks/_kinds.py"] = env.get_template("webhook_kinds.py.jinja").render(kinds=webhooks, models=models)
    return files


def formatted(root: Path, relative: str, source: str) -> str:
    """The source as the project's ruff (its config, this file's path below `root`) formats it, imports sorted."""
    name = str(root / "overrides" / "airudder" / relative)
    ruff = Path(sys.executable).with_name("ruff")
    command = str(ruff) if ruff.exists() else "ruff"
    for step in (["check", "--fix-only", "--select", "I,F401", "--quiet"], ["format", "--quiet"]):
        result = subprocess.run(
            [command, *step, "--stdin-filename", name, "-"],
            input=source,
            capture_output=True,
            text=True,
            cwd=root,
        )
        if result.returncode != 0:
            raise GeneratorError(f"ruff {step[0]} failed on {relative}:\n{result.stderr}\n{source}")
        source = result.stdout
    return source
